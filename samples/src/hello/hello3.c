/*
 * hello3.c - calls the plug-in system call 1000 of samples/plugins/hello3.ts:
 *     sysemu run --syscalls samples/plugins/hello3.ts samples/riscv64/hello3 [NAME]
 * prints "Hello, NAME, from a plug-in!" (NAME defaults to "student") and exits 0;
 * without the plug-in the call fails with ENOSYS and it exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_hello3 1000 /* the first number sysemu keeps for plug-ins */

int main(int argc, char *argv[])
{
    char buf[128];
    long n = syscall(SYS_hello3, argc > 1 ? argv[1] : "student", buf, sizeof buf);
    if (n < 0) {
        printf("hello3 failed: %s (%d)\n", strerror(errno), errno);
        return 1;
    }
    printf("%s (%ld bytes)\n", buf, n);
    return 0;
}
