/*
 * args_env.c - what main() receives: argc, argv[] and envp[].
 *
 * Shows: the argument and environment strings the kernel copied to the
 * top of the new stack.  argv[0] is printed as its basename so the
 * output does not depend on how the program was invoked.  A fixed list
 * of environment variables is printed (or "(unset)"), so two runs with
 * the same environment print the same bytes.
 *
 * Expected output for `args_env one two`, with only SYSEMU_SAMPLE=42 set
 * among the listed variables:
 *     argc = 3
 *     argv[0] = args_env (basename)
 *     argv[1] = "one"
 *     argv[2] = "two"
 *     argv[3] = NULL
 *     env HOME = (unset)
 *     ...
 *     env SYSEMU_SAMPLE = "42"
 * Exit status: 0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const shown_vars[] = {
    "HOME", "PATH", "LANG", "TERM", "SYSEMU_SAMPLE",
};

int main(int argc, char *argv[])
{
    printf("argc = %d\n", argc);
    for (int i = 0; i < argc; i++) {
        if (i == 0) {
            const char *slash = strrchr(argv[0], '/');
            printf("argv[0] = %s (basename)\n", slash ? slash + 1 : argv[0]);
        } else {
            printf("argv[%d] = \"%s\"\n", i, argv[i]);
        }
    }
    printf("argv[%d] = %s\n", argc, argv[argc] == NULL ? "NULL" : "not NULL!");

    for (size_t i = 0; i < sizeof shown_vars / sizeof shown_vars[0]; i++) {
        const char *value = getenv(shown_vars[i]);
        if (value)
            printf("env %s = \"%s\"\n", shown_vars[i], value);
        else
            printf("env %s = (unset)\n", shown_vars[i]);
    }
    return 0;
}
