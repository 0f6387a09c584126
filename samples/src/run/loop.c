/*
 * loop.c - a program that never ends on its own.
 *
 * Shows: a CPU-bound process with no system calls at all, for testing
 * time limits, SIGINT/SIGKILL from outside and instruction counting.
 * It prints one line first (flushed), then spins forever.
 *
 * Expected output:  looping forever
 * Exit status:      none: it has to be killed (137 for SIGKILL, 130 for SIGINT)
 */
#include <stdio.h>

int main(void)
{
    volatile unsigned long counter = 0;

    printf("looping forever\n");
    fflush(stdout);
    for (;;)
        counter++;
}
