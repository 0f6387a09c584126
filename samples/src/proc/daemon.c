/*
 * daemon.c - becoming a daemon, step by step, with a report of each step.
 *
 * Shows the lecture's recipe (what daemon(3) does, and more):
 *  0. setsid() fails with EPERM for a process-group leader: we make
 *     ourselves one with setpgid(0, 0) and try, to show why step 1 is needed;
 *  1. fork(), the parent goes away: the child is not a group leader;
 *  2. setsid(): new session and process group, no controlling terminal;
 *  3. fork() again and the session leader exits: the grandchild can
 *     never reacquire a terminal, and is re-parented to init;
 *  4. umask(0), chdir("/");
 *  5. close every file descriptor, open /dev/null as 0, 1 and 2;
 *  6. open("/dev/tty") now fails with ENXIO: there is no controlling tty.
 * The daemon writes one report line to the file named by argv[1] (made
 * absolute first, since the daemon changes directory), via a temporary
 * name and rename(2), so the file appears complete or not at all.
 *
 * The foreground process (step 1's parent) waits up to 10 s for the
 * report to appear, then prints it and exits, like a service manager
 * waiting for a PID file; a test can read either.
 *
 * Usage: daemon <report-file>          e.g. daemon /tmp/daemon.report
 * Expected output / report (one line):
 *     setsid_as_leader=EPERM fork1=ok setsid=ok sid_is_pid=yes fork2=ok
 *     not_session_leader=yes umask=0 chdir=/ close_fds=ok devnull=0,1,2
 *     dev_tty=ENXIO orphaned=yes
 * (dev_tty may read ENOENT where /dev/tty does not exist, e.g. in a
 * sandbox.)  Not diffed: it depends on the environment.
 * Exit status: 0 when the report appeared, 1 otherwise, 2 for bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char report[1024];

/* Appends "key=value " to the report. */
static void note(const char *key, const char *value)
{
    size_t used = strlen(report);
    snprintf(report + used, sizeof report - used, "%s%s=%s", used ? " " : "", key, value);
}

static const char *result(int ok)
{
    if (ok)
        return "ok";
    const char *name = strerrorname_np(errno);
    return name ? name : "error";
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* The daemon's side: steps 4-6 and the report.  Never returns. */
static void run_daemon(const char *report_path, pid_t parent_before)
{
    char tmp_path[2 * PATH_MAX + 8];
    snprintf(tmp_path, sizeof tmp_path, "%s.tmp", report_path);

    note("not_session_leader", getsid(0) != getpid() ? "yes" : "no");

    umask(0);
    note("umask", umask(0) == 0 ? "0" : "not-0");

    note("chdir", chdir("/") == 0 ? "/" : result(0));

    /* Close everything, then reopen 0, 1, 2 on /dev/null. */
    struct rlimit rl;
    int max_fd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096 ? (int)rl.rlim_cur : 4096;
    for (int fd = 0; fd < max_fd; fd++)
        close(fd);
    note("close_fds", fcntl(0, F_GETFD) == -1 && errno == EBADF ? "ok" : "fd0-still-open");
    int fd0 = open("/dev/null", O_RDWR);
    int fd1 = dup(fd0);
    int fd2 = dup(fd0);
    char fds[32];
    snprintf(fds, sizeof fds, "%d,%d,%d", fd0, fd1, fd2);
    note("devnull", fds);

    int tty = open("/dev/tty", O_RDWR);
    if (tty >= 0) {
        note("dev_tty", "opened");
        close(tty);
    } else {
        const char *name = strerrorname_np(errno);
        note("dev_tty", name ? name : "error");
    }

    /* Wait until step 3's parent is gone and we have been adopted. */
    for (int i = 0; i < 500 && getppid() == parent_before; i++)
        sleep_ms(10);
    note("orphaned", getppid() != parent_before ? "yes" : "no");

    int out = open(tmp_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out >= 0) {
        size_t len = strlen(report);
        report[len] = '\n';
        ssize_t w = write(out, report, len + 1);
        close(out);
        if (w == (ssize_t)(len + 1))
            rename(tmp_path, report_path);
    }
    _exit(0);
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <report-file>\n", argv[0]);
        return 2;
    }
    char report_path[2 * PATH_MAX];
    if (argv[1][0] == '/') {
        snprintf(report_path, sizeof report_path, "%s", argv[1]);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) {
            perror("getcwd");
            return 1;
        }
        snprintf(report_path, sizeof report_path, "%s/%s", cwd, argv[1]);
    }
    unlink(report_path);

    /* 0. A process-group leader cannot create a session. */
    if (setpgid(0, 0) == 0 || getpgrp() == getpid()) {
        int r = setsid();
        note("setsid_as_leader", r == -1 ? result(0) : "succeeded");
    } else {
        note("setsid_as_leader", "skipped");
    }

    /* 1. First fork: the foreground parent stays to collect the report. */
    fflush(stdout);
    pid_t pid = fork();
    note("fork1", result(pid >= 0));
    if (pid < 0) {
        printf("%s\n", report);
        return 1;
    }
    if (pid == 0) {
        /* 2. New session, without a terminal. */
        int sid = setsid();
        note("setsid", result(sid != -1));
        note("sid_is_pid", sid == getpid() ? "yes" : "no");

        /* 3. Second fork: the session leader exits, the grandchild goes on. */
        pid_t session_leader = getpid();
        pid_t grandchild = fork();
        note("fork2", result(grandchild >= 0));
        if (grandchild == 0)
            run_daemon(report_path, session_leader);
        _exit(grandchild < 0 ? 1 : 0);
    }

    int status;
    waitpid(pid, &status, 0); /* the session leader exits at once */

    for (int i = 0; i < 1000; i++) {
        FILE *f = fopen(report_path, "r");
        if (f) {
            char line[1024];
            if (fgets(line, sizeof line, f))
                fputs(line, stdout);
            fclose(f);
            return 0;
        }
        sleep_ms(10);
    }
    printf("no report in %s after 10 s\n", report_path);
    return 1;
}
