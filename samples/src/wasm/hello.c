/*
 * hello.c (wasm) - the smallest WASI program.
 *
 * Shows: a wasm32-wasi module whose printf ends in the WASI import
 * fd_write(1, ...), and whose return from main becomes proc_exit(0).
 *
 * Expected output:  Hello from WebAssembly!
 * Exit status:      0
 */
#include <stdio.h>

int main(void)
{
    printf("Hello from WebAssembly!\n");
    return 0;
}
