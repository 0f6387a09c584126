/*
 * sys_hello.c (wasm) - SYS_hello (400) from a WebAssembly module.
 *
 * Shows: the same system call as the riscv64 sys_hello, made through
 * sysemu's "linux"."syscall" import (see linux_syscall.h): the buffer is
 * in the module's linear memory, and the kernel's copy_to_user writes
 * into it.  The raw call returns -errno, not -1.  Also tries a pointer
 * beyond the end of linear memory, which must give EFAULT.
 *
 * Expected output under sysemu:
 *     Invoke SYS_hello (400) demo system call...
 *     success, the result is: "Hello from kernel!"
 *     outside linear memory: EFAULT (ok)
 * A plain WASI runtime cannot instantiate this module (no "linux" import).
 * Exit status: 0 when both results are as expected, 1 otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "linux_syscall.h"

#define SYS_hello 400
#define HELLO_STR_LEN_MAX 64
#define EFAULT_ 14 /* the Linux value (wasi-libc's EFAULT is WASI's: 21) */

int main(void)
{
    char hello_buf[HELLO_STR_LEN_MAX];
    int ok = 1;

    printf("Invoke SYS_hello (%d) demo system call...\n", SYS_hello);
    long long ret = linux_syscall(SYS_hello, LINUX_PTR(hello_buf), HELLO_STR_LEN_MAX, 0, 0, 0, 0);
    if (ret < 0) {
        printf("failed, Linux errno %lld\n", -ret);
        ok = 0;
    } else {
        printf("success, the result is: \"%s\"\n", hello_buf);
    }

    /* The last 64 KiB page of a 4 GiB wasm32 memory is never all there. */
    long long bad = linux_syscall(SYS_hello, 0xffffff00LL, HELLO_STR_LEN_MAX, 0, 0, 0, 0);
    printf("outside linear memory: %s\n",
           bad == -EFAULT_ ? "EFAULT (ok)" : bad < 0 ? "another error" : "succeeded?!");
    ok &= bad == -EFAULT_;
    return ok ? 0 : 1;
}
