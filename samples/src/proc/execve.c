/*
 * execve.c - replacing the program a process runs, keeping its pid.
 *
 * Shows: execve(2) throws away the address space and starts a new
 * program in the same process: same pid, new argv and envp.
 *  (default)  re-executes itself (/proc/self/exe) as
 *             `execve --child <pid>` with the environment
 *             SAMPLE_EXECVE=from-parent; the new image checks its pid is
 *             the one passed and prints what it got.
 *  script     writes a script whose first line is "#!<this program>
 *             --interpreted" to a temporary file and executes the script:
 *             the kernel's binfmt_script runs the interpreter named after
 *             "#!" with argv = { interpreter, "--interpreted", script path,
 *             the script's own arguments... }.
 *
 * Expected output (default):
 *     before execve: re-executing myself
 *     after execve: argc=3 argv[1]=--child same pid=yes SAMPLE_EXECVE=from-parent
 * Expected output (script):
 *     before execve: running a #! script
 *     interpreter: argc=4 argv[1]=--interpreted argv[2] is the script: yes argv[3]=extra
 * Under qemu-riscv64 without binfmt_misc registered for riscv64, the
 * host kernel cannot run the new riscv64 image: execve fails with ENOEXEC
 * ("execve failed: Exec format error", exit 1).
 * Exit status: 0
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int after_exec(int argc, char *argv[])
{
    const char *env = getenv("SAMPLE_EXECVE");
    int same = argc == 3 && atol(argv[2]) == (long)getpid();
    printf("after execve: argc=%d argv[1]=%s same pid=%s SAMPLE_EXECVE=%s\n", argc, argv[1],
           same ? "yes" : "no", env ? env : "(unset)");
    return same ? 0 : 1;
}

static int interpreted(int argc, char *argv[])
{
    /* argv[2] is the script: it still starts with "#!". */
    char head[3] = "";
    FILE *f = argc > 2 ? fopen(argv[2], "r") : NULL;
    if (f) {
        if (!fgets(head, sizeof head, f))
            head[0] = '\0';
        fclose(f);
        unlink(argv[2]);
    }
    int is_script = strcmp(head, "#!") == 0;
    printf("interpreter: argc=%d argv[1]=%s argv[2] is the script: %s argv[3]=%s\n", argc,
           argv[1], is_script ? "yes" : "no", argc > 3 ? argv[3] : "(none)");
    return is_script && argc == 4 ? 0 : 1;
}

static int exec_self(const char *argv0)
{
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    char *const new_argv[] = { (char *)argv0, "--child", pid, NULL };
    char *const new_envp[] = { "SAMPLE_EXECVE=from-parent", NULL };

    printf("before execve: re-executing myself\n");
    fflush(stdout);
    execve("/proc/self/exe", new_argv, new_envp);
    if (errno == ENOENT) /* no /proc: try the path we were started with */
        execve(argv0, new_argv, new_envp);
    printf("execve failed: %s\n", strerror(errno));
    return 1;
}

static int exec_script(void)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0) {
        perror("readlink /proc/self/exe");
        return 1;
    }
    self[n] = '\0';

    char script[] = "/tmp/execve-script-XXXXXX";
    int fd = mkstemp(script);
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    FILE *f = fdopen(fd, "w");
    fprintf(f, "#!%s --interpreted\n(the interpreter ignores the rest)\n", self);
    fclose(f);
    chmod(script, 0755);

    char *const new_argv[] = { script, "extra", NULL };
    char *const new_envp[] = { NULL };
    printf("before execve: running a #! script\n");
    fflush(stdout);
    execve(script, new_argv, new_envp);
    printf("execve failed: %s\n", strerror(errno));
    unlink(script);
    return 1;
}

int main(int argc, char *argv[])
{
    if (argc > 1 && strcmp(argv[1], "--child") == 0)
        return after_exec(argc, argv);
    if (argc > 1 && strcmp(argv[1], "--interpreted") == 0)
        return interpreted(argc, argv);
    if (argc > 1 && strcmp(argv[1], "script") == 0)
        return exec_script();
    if (argc > 1) {
        fprintf(stderr, "usage: %s [script]\n", argv[0]);
        return 2;
    }
    return exec_self(argv[0]);
}
