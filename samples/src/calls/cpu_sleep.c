/*
 * cpu_sleep.c - clock_nanosleep on CPU-time clocks: on the process's clock (CLOCK_PROCESS_CPUTIME_ID
 * and clock_getcpuclockid) the caller sleeps while another thread spins, relative or TIMER_ABSTIME,
 * and on another thread's clock (pthread_getcpuclockid); its own thread's clock is EINVAL, the
 * kernel's CLOCK_THREAD_CPUTIME_ID and a posix clock fd's id EOPNOTSUPP, bad clocks EINVAL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;
static void *spin(void *arg) { (void)arg; while (!stop) {} return NULL; }

static long long ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const char *err(int r) { return r == 0 ? "0" : strerror(r); }
static const char *raw(long r) { return r == 0 ? "0" : errno == EOPNOTSUPP ? "EOPNOTSUPP" : strerror(errno); }

int main(void)
{
    pthread_t th;
    pthread_create(&th, NULL, spin, NULL);
    struct timespec d30 = { 0, 30000000 };

    long long before = ns(CLOCK_PROCESS_CPUTIME_ID);
    int r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &d30, NULL);
    printf("CLOCK_PROCESS_CPUTIME_ID, 30 ms relative: %s; the clock moved 30 ms or more: %s\n", err(r), ns(CLOCK_PROCESS_CPUTIME_ID) - before >= 30000000 ? "yes" : "no");

    struct timespec past = { 0, 1 };
    printf("TIMER_ABSTIME in the past: %s\n", err(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &past, NULL)));
    long long target = ns(CLOCK_PROCESS_CPUTIME_ID) + 20000000;
    struct timespec abs = { target / 1000000000, target % 1000000000 };
    r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &abs, NULL);
    printf("TIMER_ABSTIME 20 ms ahead: %s; reached: %s\n", err(r), ns(CLOCK_PROCESS_CPUTIME_ID) >= target ? "yes" : "no");

    clockid_t pc;
    clock_getcpuclockid(getpid(), &pc);
    before = ns(pc);
    r = clock_nanosleep(pc, 0, &d30, NULL);
    printf("clock_getcpuclockid(getpid()), 30 ms: %s; moved: %s\n", err(r), ns(pc) - before >= 30000000 ? "yes" : "no");

    clockid_t tc;
    pthread_getcpuclockid(th, &tc);
    before = ns(tc);
    r = clock_nanosleep(tc, 0, &d30, NULL);
    printf("the spinning thread's clock, 30 ms: %s; it ran 30 ms or more: %s\n", err(r), ns(tc) - before >= 30000000 ? "yes" : "no");

    clockid_t self;
    pthread_getcpuclockid(pthread_self(), &self);
    printf("its own thread's clock: %s\n", err(clock_nanosleep(self, 0, &d30, NULL)));
    printf("CLOCK_THREAD_CPUTIME_ID (glibc): %s\n", err(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &d30, NULL)));
    printf("CLOCK_THREAD_CPUTIME_ID (the system call): %s\n", raw(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &d30, NULL)));
    printf("CLOCK_PROCESS_CPUTIME_ID (the system call): %s\n", raw(syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, &d30, NULL)));
    printf("a posix clock fd's id (-5): %s\n", raw(syscall(SYS_clock_nanosleep, -5, 0, &d30, NULL)));
    clockid_t gone = (clockid_t)((unsigned)~999999 << 3) | 2;
    printf("the clock of a process that does not exist: %s\n", err(clock_nanosleep(gone, 0, &d30, NULL)));
    clockid_t bad_kind = (clockid_t)(~0u << 3) | 4 | 3;
    printf("kind 3 of a thread clock: %s\n", err(clock_nanosleep(bad_kind, 0, &d30, NULL)));
    struct timespec bad = { 0, 1000000000 };
    printf("tv_nsec 1000000000: %s\n", err(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &bad, NULL)));
    printf("clock 100: %s\n", err(clock_nanosleep(100, 0, &d30, NULL)));
    stop = 1;
    pthread_join(th, NULL);
    return 0;
}
