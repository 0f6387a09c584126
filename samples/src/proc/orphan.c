/*
 * orphan.c - a child whose parent exits first is adopted.
 *
 * Shows: when a parent exits, its children are re-parented to init
 * (pid 1), or to the nearest "child subreaper" if one is set
 * (prctl(PR_SET_CHILD_SUBREAPER), used by some service managers and
 * containers).  The parent exits at once; the child polls getppid()
 * until it changes (up to 5 s), then reports who adopted it.  The new
 * parent will reap it when it exits.
 *
 * Expected output (the first two lines in either order):
 *     parent: exiting, leaving the child behind
 *     child: waiting to be orphaned
 *     child: adopted by 1
 * (or "child: adopted by a subreaper, not init" when one is in the way.)
 * The parent exits 0 at once: the child's lines may come after the
 * parent's exit, so whoever reads the output must wait for EOF, which
 * comes when the child closes the pipe.
 * Exit status: 0 (the parent's)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    pid_t original_parent = getpid();

    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid > 0) {
        printf("parent: exiting, leaving the child behind\n");
        return 0;
    }

    printf("child: waiting to be orphaned\n");
    fflush(stdout);
    struct timespec tick = { 0, 10 * 1000 * 1000 }; /* 10 ms */
    for (int i = 0; i < 500 && getppid() == original_parent; i++)
        nanosleep(&tick, NULL);

    pid_t adopter = getppid();
    if (adopter == original_parent)
        printf("child: still not orphaned after 5 s\n");
    else if (adopter == 1)
        printf("child: adopted by 1\n");
    else
        printf("child: adopted by a subreaper, not init\n");
    return 0;
}
