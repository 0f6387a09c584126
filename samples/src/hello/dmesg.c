/*
 * dmesg.c - read the kernel log ring buffer with syslog(2) (klogctl).
 *
 * Shows: how dmesg(1) gets the kernel's printk messages, e.g. the line
 * sys_hello2 prints: klogctl(SYSLOG_ACTION_SIZE_BUFFER) for the buffer's
 * size, then klogctl(SYSLOG_ACTION_READ_ALL) to copy the whole log
 * without consuming it.  With -c it uses SYSLOG_ACTION_READ_CLEAR, which
 * also empties the log (a second run then prints nothing).  Each record
 * looks like "<6>[    1.234567] text": the priority in angle brackets.
 *
 * Expected output: the log, then "dmesg: <n> bytes" on stderr.  Its
 * contents depend on the kernel, so it is not diffed.  On a real host an
 * unprivileged user may get EPERM (kernel.dmesg_restrict).
 * Exit status: 0, or 1 with "dmesg: klogctl: <error>" on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/klog.h>
#include <unistd.h>

/* The actions, named as in the kernel's include/linux/syslog.h. */
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_SIZE_BUFFER 10

int main(int argc, char *argv[])
{
    int clear = argc > 1 && strcmp(argv[1], "-c") == 0;
    if (argc > 1 && !clear) {
        fprintf(stderr, "usage: %s [-c]\n", argv[0]);
        return 2;
    }

    int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
    if (size < 0) {
        fprintf(stderr, "dmesg: klogctl(SIZE_BUFFER): %s\n", strerror(errno));
        return 1;
    }
    char *buf = malloc((size_t)size + 1);
    if (!buf) {
        perror("dmesg: malloc");
        return 1;
    }
    int n = klogctl(clear ? SYSLOG_ACTION_READ_CLEAR : SYSLOG_ACTION_READ_ALL, buf, size);
    if (n < 0) {
        fprintf(stderr, "dmesg: klogctl(%s): %s\n", clear ? "READ_CLEAR" : "READ_ALL",
                strerror(errno));
        return 1;
    }
    fwrite(buf, 1, (size_t)n, stdout);
    if (n > 0 && buf[n - 1] != '\n')
        putchar('\n');
    fflush(stdout);
    fprintf(stderr, "dmesg: %d bytes (buffer size %d)%s\n", n, size, clear ? ", cleared" : "");
    free(buf);
    return 0;
}
