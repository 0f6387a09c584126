/*
 * cputime.c - a WASI program's CPU-time clocks count the CPU it has used: they start near
 * zero and grow with a busy loop, and never run ahead of the wall clock.
 */
#include <stdio.h>
#include <time.h>

static double secs(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
    double p0 = secs(CLOCK_PROCESS_CPUTIME_ID), w0 = secs(CLOCK_MONOTONIC);
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 50000000UL; i++) x += i;
    double p1 = secs(CLOCK_PROCESS_CPUTIME_ID), t1 = secs(CLOCK_THREAD_CPUTIME_ID), w1 = secs(CLOCK_MONOTONIC);
    printf("process CPU time grew: %s\n", p1 > p0 ? "yes" : "no");
    printf("thread CPU time above zero: %s\n", t1 > 0 ? "yes" : "no");
    printf("CPU time within wall time: %s\n", p1 - p0 <= (w1 - w0) + 0.05 ? "yes" : "no");
    return 0;
}
