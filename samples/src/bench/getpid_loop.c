/*
 * getpid_loop.c - benchmark: 200,000 getpid(2) system calls.
 *
 * Shows: the cost of entering and leaving the kernel: each iteration is
 * an ecall with almost no work inside (glibc no longer caches the pid,
 * and syscall(SYS_getpid) makes sure of it).  Since pids differ between
 * runs, only the fact that all calls agreed is printed.
 *
 * Expected output (deterministic):
 *     getpid calls: 200000
 *     all equal: yes
 * Exit status: 0
 * Takes about 1-3 s under an emulator whose system calls are slow; much
 * less under qemu-riscv64.  An argument sets another count (tools/bench-syscall.mjs
 * runs two counts and takes the difference, so that start-up cancels out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CALLS 200000

int main(int argc, char **argv)
{
    long calls = argc > 1 ? atol(argv[1]) : CALLS;
    long first = syscall(SYS_getpid);
    long differ = 0;

    for (long i = 0; i < calls; i++)
        differ += syscall(SYS_getpid) != first;
    printf("getpid calls: %ld\n", calls);
    printf("all equal: %s\n", differ == 0 ? "yes" : "no");
    return differ == 0 ? 0 : 1;
}
