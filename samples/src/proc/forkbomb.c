/*
 * forkbomb.c - fork until fork() fails, safely.
 *
 * Shows: the lecture's fork bomb, tamed.  RLIMIT_NPROC limits how many
 * processes the real user id may have; when it is reached fork() fails
 * with EAGAIN.  The program lowers that limit to N (argv[1], default 20),
 * then forks children that just pause() until fork fails, reports how
 * many it made, and kills and reaps them all, so it ends cleanly.
 *
 * Two safety nets: never more than 64 children whatever happens, and a
 * root user (or one with CAP_SYS_RESOURCE) is not bound by RLIMIT_NPROC
 * at all on Linux, so there the program stops at the safety cap instead.
 * Since the limit counts all of the user's processes, the number of
 * children made is N minus the user's other processes.
 *
 * Usage: forkbomb [N]
 * Expected output, for a non-root user with few processes:
 *     RLIMIT_NPROC set to 20
 *     fork failed after <n> children: EAGAIN (Resource temporarily unavailable)
 *     killed and reaped <n> children
 * or, as root: "stopped at the safety cap of <cap> children (no limit for root)".
 * Not diffed (n depends on the user's other processes).
 * Exit status: 0 (1 if setrlimit failed or children could not be reaped)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define SAFETY_CAP 64

int main(int argc, char *argv[])
{
    long limit = argc > 1 ? strtol(argv[1], NULL, 10) : 20;
    if (limit < 1 || limit > SAFETY_CAP) {
        fprintf(stderr, "usage: %s [N]   (1 <= N <= %d)\n", argv[0], SAFETY_CAP);
        return 2;
    }
    struct rlimit rl = { (rlim_t)limit, (rlim_t)limit };
    if (setrlimit(RLIMIT_NPROC, &rl) != 0) {
        perror("setrlimit(RLIMIT_NPROC)");
        return 1;
    }
    printf("RLIMIT_NPROC set to %ld\n", limit);
    fflush(stdout);

    static pid_t children[SAFETY_CAP];
    int made = 0, fork_errno = 0;
    while (made < SAFETY_CAP) {
        pid_t pid = fork();
        if (pid < 0) {
            fork_errno = errno;
            break;
        }
        if (pid == 0) {
            for (;;)
                pause(); /* until SIGKILL */
        }
        children[made++] = pid;
    }

    if (fork_errno)
        printf("fork failed after %d children: %s (%s)\n", made, strerrorname_np(fork_errno),
               strerror(fork_errno));
    else
        printf("stopped at the safety cap of %d children (no limit for root)\n", made);

    int reaped = 0;
    for (int i = 0; i < made; i++)
        kill(children[i], SIGKILL);
    for (int i = 0; i < made; i++)
        reaped += waitpid(children[i], NULL, 0) == children[i];
    printf("killed and reaped %d children\n", reaped);
    return reaped == made ? 0 : 1;
}
