/*
 * time.c - the clocks: clock_gettime, gettimeofday, time, localtime_r.
 *
 * Shows: the time calls that glibc routes through the vDSO when it can
 * (clock_gettime, gettimeofday, clock_getres), and the plain time(2)
 * path.  The current time cannot be diffed, so only facts are printed:
 * the clocks agree with each other, monotonic time never goes back,
 * resolutions are fine, and a fixed timestamp converts to the right
 * calendar date with TZ set to UTC (as "UTC0", a POSIX TZ string that
 * needs no zoneinfo file).
 *
 * Expected output (deterministic):
 *     realtime vs time(): within 2 s: yes
 *     realtime vs gettimeofday: within 2 s: yes
 *     monotonic non-decreasing: yes
 *     ...
 *     localtime_r(1700000000) TZ=UTC0: 2023-11-14 22:13:20 Tue yday 317
 * Exit status: 0 (1 if a fact did not hold)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static int failures;

static void fact(const char *what, int holds)
{
    printf("%s: %s\n", what, holds ? "yes" : "no");
    if (!holds)
        failures++;
}

static long long ns_of(struct timespec ts)
{
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
    struct timespec rt, mono, boot, cpu, res;
    struct timeval tv;

    clock_gettime(CLOCK_REALTIME, &rt);
    time_t t = time(NULL);
    gettimeofday(&tv, NULL);

    fact("realtime vs time(): within 2 s", llabs((long long)rt.tv_sec - (long long)t) <= 2);
    fact("realtime vs gettimeofday: within 2 s", llabs((long long)tv.tv_sec - rt.tv_sec) <= 2);
    fact("realtime after 2020", rt.tv_sec > 1577836800);
    fact("tv_nsec in range", rt.tv_nsec >= 0 && rt.tv_nsec < 1000000000);
    fact("tv_usec in range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);

    /* Monotonic time never goes backwards. */
    int non_decreasing = 1;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    long long prev = ns_of(mono);
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &mono);
        if (ns_of(mono) < prev)
            non_decreasing = 0;
        prev = ns_of(mono);
    }
    fact("monotonic non-decreasing", non_decreasing);

    fact("boottime >= monotonic",
         clock_gettime(CLOCK_BOOTTIME, &boot) == 0 &&
             ns_of(boot) + 1000000 >= ns_of(mono));
    fact("process cputime readable",
         clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 && ns_of(cpu) >= 0);
    fact("monotonic resolution <= 1 ms",
         clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 &&
             res.tv_nsec > 0 && res.tv_nsec <= 1000000);
    fact("invalid clock id fails", clock_gettime((clockid_t)12345, &res) == -1);

    /* Calendar conversion of fixed instants. */
    setenv("TZ", "UTC0", 1);
    tzset();
    const time_t stamps[] = { 0, 951782400, 1700000000, 2147483647, 4102444800 };
    for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
        struct tm tm;
        char text[64];
        localtime_r(&stamps[i], &tm);
        strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %a", &tm);
        printf("localtime_r(%lld) TZ=UTC0: %s yday %d\n", (long long)stamps[i], text, tm.tm_yday);
    }
    struct tm back = { .tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 12 };
    printf("mktime(2024-02-29 12:00:00): %lld\n", (long long)mktime(&back));
    return failures ? 1 : 0;
}
