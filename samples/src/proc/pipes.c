/*
 * pipes.c - a pipe between parent and child, and SIGPIPE.
 *
 * Shows:
 *  1. pipe(2) + fork(2): the parent writes 1000 numbered lines into the
 *     pipe, the child reads them through stdio and prints how many lines
 *     it got, the sum of the numbers and a checksum.  Each side closes
 *     the end it does not use, or the reader would never see EOF.
 *  2. Writing to a pipe nobody can read from: the writer gets SIGPIPE and
 *     dies (default action); the parent sees it in the wait status.
 *  3. The same with SIGPIPE ignored: write(2) fails with EPIPE instead.
 *
 * Expected output (deterministic):
 *     child: 1000 lines, sum of numbers 500500, 8893 bytes, checksum 0x...
 *     part 1: child exited with 0
 *     part 2: writer killed by signal 13 (SIGPIPE)
 *     part 3: write failed with EPIPE
 * Exit status: 0
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINES 1000

static void reader(int fd)
{
    FILE *in = fdopen(fd, "r");
    char line[64];
    long count = 0, sum = 0, bytes = 0;
    uint32_t h = 2166136261u;
    while (fgets(line, sizeof line, in)) {
        count++;
        bytes += (long)strlen(line);
        sum += atol(line + 5); /* "line <n>\n" */
        for (char *p = line; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
    }
    printf("child: %ld lines, sum of numbers %ld, %ld bytes, checksum 0x%08x\n", count, sum,
           bytes, h);
    fclose(in);
}

static int part1(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return 1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[1]); /* the reader must not hold a write end */
        reader(fds[0]);
        exit(0);
    }
    close(fds[0]);
    FILE *out = fdopen(fds[1], "w");
    for (int i = 1; i <= LINES; i++)
        fprintf(out, "line %d\n", i);
    fclose(out); /* EOF for the child */
    int status;
    waitpid(pid, &status, 0);
    printf("part 1: child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}

/* Forks a child that writes to a pipe whose read end is closed everywhere. */
static int write_to_broken_pipe(int ignore_sigpipe)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return -1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        signal(SIGPIPE, ignore_sigpipe ? SIG_IGN : SIG_DFL);
        ssize_t w = write(fds[1], "x", 1);
        _exit(w < 0 && errno == EPIPE ? 32 : 0);
    }
    close(fds[0]);
    close(fds[1]);
    int status;
    waitpid(pid, &status, 0);
    return status;
}

int main(void)
{
    if (part1() != 0)
        return 1;

    int status = write_to_broken_pipe(0);
    if (WIFSIGNALED(status))
        printf("part 2: writer killed by signal %d (%s)\n", WTERMSIG(status),
               WTERMSIG(status) == SIGPIPE ? "SIGPIPE" : "unexpected");
    else
        printf("part 2: writer was not killed (exit %d)\n", WEXITSTATUS(status));

    status = write_to_broken_pipe(1);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 32)
        printf("part 3: write failed with EPIPE\n");
    else
        printf("part 3: unexpected status 0x%x\n", status);
    return 0;
}
