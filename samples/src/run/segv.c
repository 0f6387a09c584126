/*
 * segv.c - a write through a NULL pointer.
 *
 * Shows: a page fault the kernel cannot fix up (nothing is mapped at
 * address 0) becomes SIGSEGV; with the default action the process dies
 * and its parent sees "killed by signal 11".  A shell reports that as
 * exit status 128 + 11 = 139.  The message before the fault goes to
 * stdout and is flushed, so it is not lost with the process.
 *
 * Expected output:  about to write through a NULL pointer
 * Exit status:      killed by SIGSEGV (139 in a shell)
 */
#include <stdio.h>

int main(void)
{
    volatile int *nowhere = NULL;

    printf("about to write through a NULL pointer\n");
    fflush(stdout);
    *nowhere = 42;
    printf("still alive?!\n");
    return 0;
}
