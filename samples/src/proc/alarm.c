/*
 * alarm.c - alarm(2) and pause(2).
 *
 * Shows: a timer signal.  alarm(1) asks the kernel for SIGALRM in one
 * second; pause() sleeps until a signal is caught.  The handler runs,
 * then pause() returns -1 with errno EINTR.  A second alarm() call
 * returns the seconds left on the one before (0 when none is pending).
 *
 * Expected output (deterministic, after about one second):
 *     alarm(1) set, previous alarm: 0
 *     SIGALRM handled
 *     pause returned -1, errno EINTR
 *     alarm(5) then alarm(0): 5 s were left
 * Exit status: 0
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t fired;

static void on_alarm(int signo)
{
    static const char msg[] = "SIGALRM handled\n";
    (void)signo;
    fired = 1;
    ssize_t ignored = write(1, msg, sizeof msg - 1);
    (void)ignored;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);

    unsigned previous = alarm(1);
    printf("alarm(1) set, previous alarm: %u\n", previous);
    fflush(stdout);

    int r = pause();
    int err = errno;
    printf("pause returned %d, errno %s\n", r, err == EINTR ? "EINTR" : strerror(err));

    alarm(5);
    unsigned left = alarm(0); /* cancels it */
    printf("alarm(5) then alarm(0): %u s were left\n", left);
    return fired && r == -1 && err == EINTR && left == 5 ? 0 : 1;
}
