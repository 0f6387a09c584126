/*
 * sock_timeo.c - SO_RCVTIMEO and SO_SNDTIMEO: getsockopt gives back what was set (in the
 * kernel's ticks), bad values are EDOM/EINVAL, a receive, an accept or a send that waits past
 * the timeout fails with EAGAIN (a send that made progress returns its count), a signal during
 * such a wait is EINTR even with SA_RESTART, and a negative timeout never waits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *e(long r) { return r >= 0 ? "ok" : errno == EAGAIN ? "EAGAIN" : strerror(errno); }

static long ms_since(struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void show(int fd, int opt, const char *what)
{
    struct timeval tv;
    socklen_t len = sizeof tv;
    getsockopt(fd, SOL_SOCKET, opt, &tv, &len);
    printf("%s: %ld.%06ld (len %u)\n", what, (long)tv.tv_sec, (long)tv.tv_usec, len);
}

static void on_alarm(int s) { (void)s; }

int main(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    show(sv[0], SO_RCVTIMEO, "SO_RCVTIMEO at first");
    struct timeval tv = { 0, 200000 };
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    show(sv[0], SO_RCVTIMEO, "SO_RCVTIMEO set to 0.2 s");
    struct timeval one = { 0, 1 };
    setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &one, sizeof one);
    show(sv[1], SO_SNDTIMEO, "SO_SNDTIMEO set to 1 us (a tick at HZ=250)");
    struct timeval bad = { 1, 1000000 };
    errno = 0;
    printf("tv_usec 1000000: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &bad, sizeof bad) ? strerror(errno) : "ok");
    errno = 0;
    printf("optlen 8: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 8) ? strerror(errno) : "ok");

    char buf[64];
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long r = recv(sv[0], buf, sizeof buf, 0);
    printf("recv on an empty stream: %s, waited 200 ms or more: %s\n", e(r), ms_since(&t0) >= 200 ? "yes" : "no");
    write(sv[1], "x", 1);
    r = recv(sv[0], buf, sizeof buf, 0);
    printf("recv with data: %ld\n", r);

    /* a send into a full socket: what fits, then EAGAIN once the timeout passes */
    struct timeval snd = { 0, 100000 };
    setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof snd);
    static char big[1 << 20];
    r = send(sv[1], big, sizeof big, 0);
    printf("send 1 MiB into an unread socket: %s\n", r > 0 && r < (long)sizeof big ? "partial" : e(r));
    r = send(sv[1], big, sizeof big, 0);
    printf("send again: %s\n", e(r));

    /* a signal during a wait with a timeout: EINTR, not restarted */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct timeval longer = { 5, 0 };
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &longer, sizeof longer);
    while (recv(sv[0], big, sizeof big, MSG_DONTWAIT) > 0) {}
    struct itimerval it = { { 0, 0 }, { 0, 50000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    r = recv(sv[0], buf, sizeof buf, 0);
    printf("SIGALRM during a 5 s SO_RCVTIMEO wait (SA_RESTART): %s\n", r < 0 && errno == EINTR ? "EINTR" : e(r));

    /* a negative timeout: the socket does not wait at all */
    struct timeval neg = { -1, 0 };
    printf("tv_sec -1: %s\n", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &neg, sizeof neg) ? strerror(errno) : "ok");
    show(sv[0], SO_RCVTIMEO, "SO_RCVTIMEO after tv_sec -1");
    r = recv(sv[0], buf, sizeof buf, 0);
    printf("recv: %s\n", e(r));

    /* accept and a UDP receive with SO_RCVTIMEO */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 1);
    setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &snd, sizeof snd);
    printf("accept with nobody connecting: %s\n", e(accept(l, NULL, NULL)));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    bind(u, (struct sockaddr *)&a, sizeof a);
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &snd, sizeof snd);
    show(u, SO_RCVTIMEO, "UDP SO_RCVTIMEO");
    printf("UDP recvfrom with nothing sent: %s\n", e(recvfrom(u, buf, sizeof buf, 0, NULL, NULL)));
    return 0;
}
