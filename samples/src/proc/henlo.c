/*
 * henlo.c - three fork()s make eight processes.
 *
 * Shows: the lecture's fork arithmetic.  After each fork() both the
 * parent and the child go on from the same point, so after three forks
 * there are 2^3 = 8 processes, and each prints "henlo".  Unlike the
 * slide, every process waits for its own children before exiting, so
 * the output is complete when the first process exits.  All lines are
 * the same, so their order does not matter.  With -p each line also
 * shows the pid (as on the slide; not diffable then).
 *
 * Expected output:  "henlo" eight times
 * Exit status:      0
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int show_pid = argc > 1 && strcmp(argv[1], "-p") == 0;

    fork(); /* 2^1 processes */
    fork(); /* 2^2 */
    fork(); /* 2^3 */

    if (show_pid)
        printf("henlo: %d\n", getpid());
    else
        printf("henlo\n");
    fflush(stdout);

    /* Reap our own children (0 to 3 of them) so nothing is left behind. */
    while (wait(NULL) > 0)
        ;
    return 0;
}
