/*
 * spin.c - a runaway WebAssembly guest: it never calls the host again after starting, so only a
 * watchdog can stop it. `sysemu run --timeout 1 samples/wasm/spin.wasm` ends it after about
 * 1 s with "stopped after --timeout 1 s" and exit status 124.
 */
#include <stdio.h>

volatile unsigned long counter;

int main(void)
{
    puts("spinning forever");
    fflush(stdout);
    for (;;)
        counter++;
}
