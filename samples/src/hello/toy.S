/*
 * toy.S - calls system call 402 twice, for the "add a system call" walk-through
 * (test/e2e/add-syscall.test.ts adds a toy sys_toy(char __user *buf, size_t len) there):
 *   toy(buf, 64) copies a string into buf and returns its length; it is written to stdout.
 *   toy(buf, 4) is too short for it: the exit status is the errno it returns (EINVAL, 22).
 * Without the call both return -ENOSYS: nothing is printed and the status is 38, and the
 * kernel log says "unimplemented syscall 402" once (pr_warn_once per number).
 */
#define SYS_write 64
#define SYS_exit  93
#define SYS_toy   402

        .bss
buf:    .skip   64

        .text
        .globl  _start
        .type   _start, @function
_start:
        la      a0, buf
        li      a1, 64
        li      a7, SYS_toy
        ecall
        blez    a0, 1f
        mv      a2, a0                  /* count: what toy returned */
        li      a0, 1
        la      a1, buf
        li      a7, SYS_write
        ecall
1:
        la      a0, buf
        li      a1, 4
        li      a7, SYS_toy
        ecall
        neg     a0, a0                  /* status: the errno */
        li      a7, SYS_exit
        ecall
        .size   _start, . - _start
