/*
 * sigsegv_handler.c - catching SIGSEGV and reading its siginfo.
 *
 * Shows: a fault can be handled.  With SA_SIGINFO the handler receives
 * a siginfo_t: si_signo is SIGSEGV, si_addr is the faulting address (0
 * here: a read through a NULL pointer) and si_code says why: SEGV_MAPERR
 * (nothing mapped there) or SEGV_ACCERR (mapped, but not with that
 * permission).  Returning from the handler would re-run the faulting
 * load, so the handler prints and leaves with _exit(0).  It uses only
 * write(2) and fixed strings: printf is not async-signal-safe.
 *
 * Expected output (deterministic):
 *     reading through a NULL pointer
 *     caught SIGSEGV
 *     si_addr == NULL: yes
 *     si_code: SEGV_MAPERR
 * Exit status: 0
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void say(const char *s)
{
    ssize_t ignored = write(1, s, strlen(s));
    (void)ignored;
}

static void on_segv(int signo, siginfo_t *info, void *ucontext)
{
    (void)ucontext;
    say(signo == SIGSEGV ? "caught SIGSEGV\n" : "caught another signal\n");
    say(info->si_addr == NULL ? "si_addr == NULL: yes\n" : "si_addr == NULL: no\n");
    say(info->si_code == SEGV_MAPERR   ? "si_code: SEGV_MAPERR\n"
        : info->si_code == SEGV_ACCERR ? "si_code: SEGV_ACCERR\n"
                                       : "si_code: other\n");
    _exit(0);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) != 0) {
        perror("sigaction");
        return 1;
    }

    printf("reading through a NULL pointer\n");
    fflush(stdout);
    volatile int *nowhere = NULL;
    int value = *nowhere;
    printf("read %d?!\n", value);
    return 1;
}
