/*
 * cat_stdin.c - copy standard input to standard output.
 *
 * Shows: read(2)/write(2) on file descriptors 0 and 1, end of file as a
 * read of 0 bytes, short writes (a pipe may take only part of a buffer)
 * and EINTR.  No stdio: the bytes go through unchanged.
 *
 * Expected output:  exactly the bytes given on stdin (none for empty stdin)
 * Exit status:      0 (1 on a read or write error)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Writes all n bytes, looping over short writes; returns 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(void)
{
    char buf[65536];

    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cat_stdin: read: %s\n", strerror(errno));
            return 1;
        }
        if (write_all(1, buf, (size_t)n) < 0) {
            fprintf(stderr, "cat_stdin: write: %s\n", strerror(errno));
            return 1;
        }
    }
}
