/*
 * mqueue.c - POSIX message queues: mq_open (O_CREAT, O_EXCL, attributes and their limits, bad
 * names), messages out by priority then in order, O_NONBLOCK's EAGAIN, mq_timedreceive's and
 * mq_timedsend's ETIMEDOUT, EMSGSIZE, EBADF, mq_getsetattr, mq_notify (a signal with SI_MESGQ
 * and its value, EBUSY for a second process, once only), poll readiness, a child receiving what
 * its parent sends, read() of the descriptor, mq_unlink with the queue still open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *e(long r) { return r >= 0 ? "ok" : strerror(errno); }

static volatile sig_atomic_t got_signo, got_code, got_value, got_pid_ok;
static void on_sig(int s, siginfo_t *si, void *uc)
{
    (void)uc;
    got_signo = s;
    got_code = si->si_code;
    got_value = si->si_value.sival_int;
    got_pid_ok = si->si_pid == getpid();
}

static struct timespec in_ms(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += ms * 1000000;
    ts.tv_sec += ts.tv_nsec / 1000000000;
    ts.tv_nsec %= 1000000000;
    return ts;
}

int main(void)
{
    mq_unlink("/sysemu-mq");
    struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 32 };
    mqd_t q = mq_open("/sysemu-mq", O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    printf("mq_open O_CREAT|O_EXCL: %s\n", e(q));
    errno = 0;
    printf("again with O_EXCL: %s\n", e(mq_open("/sysemu-mq", O_CREAT | O_EXCL | O_RDWR, 0600, &attr)));
    printf("without O_CREAT, missing: %s\n", e(mq_open("/sysemu-none", O_RDWR)));
    printf("no leading slash (glibc): %s\n", e(mq_open("sysemu-mq", O_RDWR)));
    printf("a name with a slash inside: %s\n", e(syscall(SYS_mq_open, "a/b", O_RDWR | O_CREAT, 0600, NULL)));
    printf("an empty name: %s\n", e(syscall(SYS_mq_open, "", O_RDWR | O_CREAT, 0600, NULL)));
    struct mq_attr zero = { .mq_maxmsg = 0, .mq_msgsize = 32 };
    printf("mq_maxmsg 0: %s\n", e(mq_open("/sysemu-bad", O_CREAT | O_RDWR, 0600, &zero)));
    struct mq_attr huge = { .mq_maxmsg = 100000, .mq_msgsize = 32 };
    printf("mq_maxmsg 100000: %s\n", e(mq_open("/sysemu-bad", O_CREAT | O_RDWR, 0600, &huge)));
    printf("O_ACCMODE on an existing queue: %s\n", e(syscall(SYS_mq_open, "sysemu-mq", O_ACCMODE, 0, NULL)));

    struct mq_attr got;
    mq_getattr(q, &got);
    printf("attr: flags %ld maxmsg %ld msgsize %ld curmsgs %ld\n", got.mq_flags, got.mq_maxmsg, got.mq_msgsize, got.mq_curmsgs);

    mq_send(q, "low", 3, 1);
    mq_send(q, "high", 4, 10);
    mq_send(q, "low2", 4, 1);
    mq_send(q, "mid", 3, 5);
    mq_getattr(q, &got);
    printf("after 4 sends: curmsgs %ld\n", got.mq_curmsgs);
    struct pollfd pfd = { .fd = q, .events = POLLIN | POLLOUT };
    poll(&pfd, 1, 0);
    printf("poll full: %s%s\n", pfd.revents & POLLIN ? "POLLIN" : "", pfd.revents & POLLOUT ? " POLLOUT" : "");
    struct timespec soon = in_ms(50);
    printf("mq_timedsend into a full queue: %s\n", e(mq_timedsend(q, "x", 1, 0, &soon)));
    struct timespec badts = { 0, 1000000000 };
    printf("a bad timeout: %s\n", e(mq_timedsend(q, "x", 1, 0, &badts)));
    printf("priority 32768: %s\n", e(mq_send(q, "x", 1, 32768)));
    printf("33 bytes into 32: %s\n", e(mq_send(q, "0123456789012345678901234567890123", 33, 0)));

    char buf[64];
    unsigned prio;
    printf("receive into 16 bytes: %s\n", e(mq_receive(q, buf, 16, &prio)));
    for (int i = 0; i < 4; i++) {
        ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
        printf("received \"%.*s\" priority %u\n", (int)n, buf, prio);
    }
    struct mq_attr nb = { .mq_flags = O_NONBLOCK }, old;
    mq_setattr(q, &nb, &old);
    mq_getattr(q, &got);
    printf("mq_setattr O_NONBLOCK: old flags %ld, now %ld\n", old.mq_flags, got.mq_flags);
    printf("receive from empty, O_NONBLOCK: %s\n", e(mq_receive(q, buf, sizeof buf, NULL)));
    struct mq_attr badflags = { .mq_flags = O_NONBLOCK | 1 };
    printf("mq_setattr with other flags: %s\n", e(mq_setattr(q, &badflags, NULL)));
    struct mq_attr blocking = { .mq_flags = 0 };
    mq_setattr(q, &blocking, NULL);
    soon = in_ms(50);
    printf("mq_timedreceive from empty: %s\n", e(mq_timedreceive(q, buf, sizeof buf, NULL, &soon)));
    pfd.revents = 0;
    poll(&pfd, 1, 0);
    printf("poll empty: %s%s\n", pfd.revents & POLLIN ? "POLLIN" : "", pfd.revents & POLLOUT ? "POLLOUT" : "");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 42;
    printf("mq_notify: %s\n", e(mq_notify(q, &sev)));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: mq_notify while the parent is registered: %s\n", e(mq_notify(q, &sev)));
        mq_send(q, "from the child", 14, 3);
        fflush(stdout);
        _exit(0);
    }
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    printf("notified: signal %s, si_code %s, value %d\n", got_signo == SIGUSR1 ? "SIGUSR1" : "none", got_code == SI_MESGQ ? "SI_MESGQ" : "other", (int)got_value);
    ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
    printf("received \"%.*s\" priority %u\n", (int)n, buf, prio);
    got_signo = 0;
    mq_send(q, "again", 5, 0);
    printf("a second message: notified %s (registration is one-shot)\n", got_signo ? "again" : "no more");
    mq_receive(q, buf, sizeof buf, NULL);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        n = mq_receive(q, buf, sizeof buf, &prio);
        printf("child blocked in receive got \"%.*s\" priority %u\n", (int)n, buf, prio);
        fflush(stdout);
        _exit(0);
    }
    usleep(50000);
    mq_send(q, "wake up", 7, 7);
    waitpid(pid, NULL, 0);

    mq_send(q, "abc", 3, 0);
    char status[128] = { 0 };
    n = pread(q, status, sizeof status - 1, 0);
    printf("read(): %s", n > 0 ? status : "nothing\n");
    mqd_t ro = mq_open("/sysemu-mq", O_RDONLY);
    printf("send on an O_RDONLY descriptor: %s\n", e(mq_send(ro, "x", 1, 0)));
    printf("mq_send on a pipe: %s\n", (pipe((int[2]){0}), e(mq_send(0, "x", 1, 0))));
    printf("mq_unlink: %s\n", e(mq_unlink("/sysemu-mq")));
    printf("mq_unlink again: %s\n", e(mq_unlink("/sysemu-mq")));
    n = mq_receive(q, buf, sizeof buf, NULL);
    printf("the open queue still works: \"%.*s\"\n", (int)n, buf);
    return 0;
}
