/*
 * tgkill.c - the lecture's syscall(2) example: send SIGHUP to yourself.
 *
 * Shows: calling system calls by number with syscall(2):
 * SYS_gettid for the thread id, then SYS_tgkill(getpid(), tid, SIGHUP).
 * Nothing handles SIGHUP, so its default action terminates the process;
 * a shell reports 128 + 1 = 129.
 *
 * Expected output:  sending SIGHUP to myself
 * Exit status:      killed by SIGHUP (129 in a shell)
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

int main(void)
{
    pid_t tid;

    printf("sending SIGHUP to myself\n");
    fflush(stdout);

    tid = syscall(SYS_gettid);
    syscall(SYS_tgkill, getpid(), tid, SIGHUP);

    /* never reached: only to keep compiler happy */
    printf("still alive?!\n");
    return 0;
}
