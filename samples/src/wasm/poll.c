/*
 * poll.c - poll(2) on stdin and stdout from a WASI program (wasi-libc turns poll into
 * poll_oneoff): with nothing to read it waits for its timeout, data or the writer's close
 * ends the wait early, and a descriptor that is not open is POLLNVAL, as on Linux.
 */
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long ms_since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

int main(void)
{
    struct pollfd in = { .fd = 0, .events = POLLIN };
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int r = poll(&in, 1, 400);
    long waited = ms_since(&start);
    printf("stdin: poll=%d%s%s, waited the whole timeout: %s\n", r, in.revents & POLLIN ? " POLLIN" : "",
           in.revents & POLLHUP ? " POLLHUP" : "", waited >= 350 ? "yes" : "no");
    if (r > 0) {
        char buf[64];
        ssize_t n = read(0, buf, sizeof buf);
        printf("read %zd bytes\n", n);
    }
    struct pollfd out = { .fd = 1, .events = POLLOUT };
    r = poll(&out, 1, 0);
    printf("stdout: poll=%d%s\n", r, out.revents & POLLOUT ? " POLLOUT" : "");
    struct pollfd bad = { .fd = 99, .events = POLLIN };
    r = poll(&bad, 1, 0);
    printf("fd 99: poll=%d%s\n", r, bad.revents & POLLNVAL ? " POLLNVAL" : "");
    return 0;
}
