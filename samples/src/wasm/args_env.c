/*
 * args_env.c (wasm) - argc, argv and the environment of a WASI program.
 *
 * Shows: WASI has no initial stack: wasi-libc asks the runtime with
 * args_sizes_get/args_get and environ_sizes_get/environ_get.  Same code
 * and output as the riscv64 args_env (argv[0] as its basename: a WASI
 * runtime passes whatever name it likes).
 *
 * Expected output for `args_env.wasm one two` with only SYSEMU_SAMPLE=42
 * set among the listed variables:
 *     argc = 3
 *     argv[0] = args_env.wasm (basename)
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
