/*
 * hello2.c - the user-space side of the sys_hello2 assignment, as a student
 * hands it in: calls SYS_hello2 (401) with a name and a value from the command
 * line and prints what the kernel filled in.
 *
 *   hello2 [NAME [VAL [COUNT]]]     COUNT calls (default 1), val VAL (default 42)
 *
 * Try a kernel patch with it:
 *   sysemu run --kernel-patch samples/kmod/0001-add-sys_hello2.patch --dmesg samples/kmod/hello2 Ada
 * Exit status: 0 when every call succeeded, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_hello2 401

struct hello2_in {
    char *name;
    unsigned int len;
    unsigned int val;
};

struct hello2_out {
    unsigned int nr_calls;     /* num of sys_hello2 calls */
    unsigned int rand_data[4]; /* random bytes */
};

int main(int argc, char *argv[])
{
    char *name = argc > 1 ? argv[1] : "student";
    unsigned int val = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 42;
    int count = argc > 3 ? atoi(argv[3]) : 1;
    struct hello2_in in = { name, (unsigned int)strlen(name), val };
    struct hello2_out out;
    int failed = 0;

    for (int i = 0; i < count; i++) {
        memset(&out, 0, sizeof(out));
        long ret = syscall(SYS_hello2, &in, &out);
        if (ret == -1) {
            printf("sys_hello2: failed, %s (%d)\n", strerror(errno), errno);
            failed = 1;
            continue;
        }
        printf("sys_hello2: returned %ld, nr_calls = %u, rand_data = %08x %08x %08x %08x\n", ret,
               out.nr_calls, out.rand_data[0], out.rand_data[1], out.rand_data[2], out.rand_data[3]);
    }
    return failed;
}
