/*
 * cat.c - a small cat(1): concatenate files (or stdin) to stdout.
 *
 * Shows: open(2)/read(2)/write(2)/close(2) and error reporting with
 * errno.  "-" or no argument means standard input.  A file that cannot
 * be opened is reported ("cat: <name>: <strerror>") and skipped.
 *
 * Expected output: the files' bytes, unchanged.
 * Exit status: 0, or 1 if any file could not be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copies fd to stdout; returns 0, or the errno of the failing call. */
static int copy_fd(int fd)
{
    char buf[32768];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(1, buf + done, (size_t)(n - done));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                return errno;
            }
            done += w;
        }
    }
}

int main(int argc, char *argv[])
{
    int status = 0;

    if (argc < 2) {
        int err = copy_fd(0);
        if (err)
            fprintf(stderr, "cat: -: %s\n", strerror(err));
        return err ? 1 : 0;
    }
    for (int i = 1; i < argc; i++) {
        int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        int err = copy_fd(fd);
        if (err) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(err));
            status = 1;
        }
        if (fd != 0)
            close(fd);
    }
    return status;
}
