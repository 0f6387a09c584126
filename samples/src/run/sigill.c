/*
 * sigill.c - executing an illegal instruction.
 *
 * Shows: the CPU traps on an instruction word it cannot decode; the
 * kernel turns the trap into SIGILL (ILL_ILLOPC) and, with the default
 * action, the process dies: a shell reports 128 + 4 = 132.  The word
 * 0x00000000 is guaranteed illegal on RISC-V (its low 16 bits are the
 * all-zero compressed encoding, defined as illegal).
 *
 * Expected output:  about to execute an illegal instruction
 * Exit status:      killed by SIGILL (132 in a shell)
 */
#include <stdio.h>

int main(void)
{
    printf("about to execute an illegal instruction\n");
    fflush(stdout);
    __asm__ volatile(".word 0");
    printf("still alive?!\n");
    return 0;
}
