/*
 * hello.c - the smallest C program: one line through glibc's stdio.
 *
 * Shows: a static (or, as samples/riscv64/dyn/hello, dynamically linked)
 * glibc program starting up, writing with write(2) and leaving with
 * exit_group(2).
 *
 * Expected output:  Hello, world!
 * Exit status:      0
 */
#include <stdio.h>

int main(void)
{
    printf("Hello, world!\n");
    return 0;
}
