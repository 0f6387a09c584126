/*
 * clock_loop.c - 1000 clock_gettime(CLOCK_MONOTONIC) calls in a row.
 *
 * Shows: how cheap the vDSO makes reading the clock: glibc calls
 * __vdso_clock_gettime, which reads the kernel's time data page
 * ([vvar]) without entering the kernel.  The program checks the values
 * never go backwards and prints only the verdict.
 *
 * Expected output:  ok
 * Exit status:      0 (1 and "clock went backwards" otherwise)
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
    struct timespec now;
    long long prev = 0;

    for (int i = 0; i < 1000; i++) {
        if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
            printf("clock_gettime failed\n");
            return 1;
        }
        long long ns = now.tv_sec * 1000000000LL + now.tv_nsec;
        if (ns < prev) {
            printf("clock went backwards\n");
            return 1;
        }
        prev = ns;
    }
    printf("ok\n");
    return 0;
}
