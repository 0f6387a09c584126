/*
 * hello_asm.S - "hello" without any C library.
 *
 * Shows: a program is just an entry point and system calls.  _start
 * calls write(1, msg, len) and exit(0) with `ecall`: the number goes
 * in a7 (64 = write, 93 = exit on riscv64), the arguments in a0..a5,
 * and the result comes back in a0.  Linked with -nostdlib -static,
 * the ELF has one text segment and one rodata string; the symbol
 * table is kept so that _start and msg can be looked up.
 *
 * Expected output:  Hello from assembly!
 * Exit status:      0
 */
#define SYS_write 64
#define SYS_exit  93

        .section .rodata
msg:
        .ascii  "Hello from assembly!\n"
        .equ    msg_len, . - msg

        .text
        .globl  _start
        .type   _start, @function
_start:
        li      a0, 1                   /* fd: stdout */
        la      a1, msg                 /* buf */
        li      a2, msg_len             /* count */
        li      a7, SYS_write
        ecall

        li      a0, 0                   /* status */
        li      a7, SYS_exit
        ecall
        .size   _start, . - _start
