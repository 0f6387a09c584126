/*
 * hello2_each.c - calls SYS_hello2 (401) once per NAME, each time from a new
 * child process, and says how each child ended: a grader's way to go on after
 * a student's system call killed its caller (an oops, a soft lockup).
 *
 *   hello2_each NAME...     name "-" passes in.name = NULL; "@ro" passes a
 *                           read-only `out`; "@0" passes val 0
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS_hello2 401

struct hello2_in {
    char *name;
    unsigned int len;
    unsigned int val;
};

struct hello2_out {
    unsigned int nr_calls;
    unsigned int rand_data[4];
};

static int call(char *name)
{
    struct hello2_in in = { name, 0, 42 };
    struct hello2_out out = { 0 }, *outp = &out;
    if (strcmp(name, "-") == 0)
        in.name = NULL;
    else if (strcmp(name, "@ro") == 0)
        outp = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    else if (strcmp(name, "@0") == 0)
        in.val = 0;
    in.len = in.name ? (unsigned int)strlen(in.name) : 16;
    long ret = syscall(SYS_hello2, &in, outp);
    if (ret == -1)
        printf("%s: failed, %s\n", name, strerrorname_np(errno));
    else
        printf("%s: returned %ld, nr_calls = %u\n", name, ret, outp->nr_calls);
    return ret == -1;
}

int main(int argc, char *argv[])
{
    for (int i = 1; i < argc; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0)
            return call(argv[i]);
        int status;
        waitpid(pid, &status, 0);
        if (WIFSIGNALED(status))
            printf("%s: child killed by %s\n", argv[i], sigabbrev_np(WTERMSIG(status)));
    }
    return 0;
}
