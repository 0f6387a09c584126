/*
 * killself.c - `killself N`: kill(getpid(), N) with N's default action.
 *
 * Shows: how a process ends when a signal it does not handle arrives,
 * for any N: most signals terminate (SIGHUP, SIGUSR1, SIGTERM, the
 * real-time ones), some also dump core (SIGSEGV, SIGABRT, SIGQUIT; only
 * when RLIMIT_CORE allows), SIGKILL cannot be caught at all.  The
 * disposition is reset to SIG_DFL and the signal unblocked first, so an
 * ignored SIGHUP inherited from nohup changes nothing.  The parent (a
 * shell) sees "killed by signal N", shown as 128 + N.
 *
 * Expected output:  killing myself with signal N
 * Exit status:      killed by signal N (128 + N in a shell); if the
 *                   signal does not kill (SIGCHLD), "still alive", exit 1
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    sigset_t set;
    int sig;

    if (argc != 2) {
        fprintf(stderr, "usage: killself SIGNAL-NUMBER\n");
        return 2;
    }
    sig = atoi(argv[1]);
    printf("killing myself with signal %d\n", sig);
    fflush(stdout);

    signal(sig, SIG_DFL); /* fails for SIGKILL and glibc's own 32, 33: fine */
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);

    printf("still alive\n");
    return 1;
}
