/*
 * zombie.c - a child that has exited but was not waited for yet.
 *
 * Shows: after exit() a process keeps its pid and exit status until the
 * parent collects them: it is a zombie, state Z in /proc/<pid>/stat (ps
 * shows "<defunct>").  The parent uses waitid(WEXITED | WNOWAIT) to
 * learn the child has exited without reaping it, reads the state letter,
 * then reaps it with waitpid() and checks /proc/<pid> is gone.
 *
 * Expected output:
 *     child exited; state before wait: Z (zombie)
 *     waitpid: child exit status 7
 *     after wait: /proc/<pid> gone
 * Exit status: 0 (1 if the state was not Z or the entry stayed)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Returns the state letter from /proc/<pid>/stat, or 0 if it cannot be read. */
static char process_state(pid_t pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *ok = fgets(line, sizeof line, f);
    fclose(f);
    if (!ok)
        return 0;
    /* "pid (comm) S ...": comm may contain spaces and ')', so use the last ')'. */
    char *paren = strrchr(line, ')');
    return paren && paren[1] == ' ' ? paren[2] : 0;
}

int main(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0)
        exit(7);

    /* Wait until the child has exited, but leave it a zombie (WNOWAIT). */
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) != 0) {
        perror("waitid");
        return 1;
    }
    char state = process_state(pid);
    printf("child exited; state before wait: %c%s\n", state ? state : '?',
           state == 'Z' ? " (zombie)" : "");
    fflush(stdout);

    int status;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 1;
    }
    printf("waitpid: child exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

    char after = process_state(pid);
    if (after == 0)
        printf("after wait: /proc/<pid> gone\n");
    else
        printf("after wait: /proc/<pid> still there, state %c\n", after);
    return state == 'Z' && after == 0 ? 0 : 1;
}
