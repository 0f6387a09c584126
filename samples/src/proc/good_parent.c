/*
 * good_parent.c - a parent that waits for its child and reads its status.
 *
 * Shows: exit(123) in the child; wait(&status) in the parent collects
 * the zombie and WEXITSTATUS(status) extracts the 123.  (The slide slept
 * for a second before wait() so the zombie could be seen in ps; that is
 * what zombie.c does, so this one waits at once.)
 *
 * Expected output:  123
 * Exit status:      0
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        /* child process */
        exit(123);
    }
    /* parent process */
    int status;
    if (wait(&status) != pid) {
        perror("wait");
        return 1;
    }
    printf("%d\n", WEXITSTATUS(status));
    return 0;
}
