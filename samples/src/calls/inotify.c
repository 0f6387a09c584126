/*
 * inotify.c - inotify: a watch on a directory reports create, open, modify, access, attrib,
 * close, move (with one cookie), delete of the names in it; a watch on a file its own events,
 * DELETE_SELF and IGNORED; IN_ONESHOT, IN_MASK_CREATE, inotify_rm_watch, the error cases,
 * IN_NONBLOCK/IN_CLOEXEC, poll and epoll readiness, FIONREAD, a read buffer too small.
 * Usage: inotify DIR...   (writable directories; each gets files that are removed after)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *e(long r) { return r >= 0 ? "ok" : strerror(errno); }

static const struct { unsigned bit; const char *name; } BITS[] = {
    { IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" }, { IN_CLOSE_WRITE, "CLOSE_WRITE" },
    { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" }, { IN_OPEN, "OPEN" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
    { IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" }, { IN_MOVE_SELF, "MOVE_SELF" },
    { IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" }, { IN_Q_OVERFLOW, "Q_OVERFLOW" },
};

static int dir_wd, file_wd;
static unsigned last_cookie;

static void drain(int fd)
{
    char buf[4096] __attribute__((aligned(8)));
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            printf("  %s:", ev->wd == dir_wd ? "dir" : ev->wd == file_wd ? "file" : "other");
            for (size_t i = 0; i < sizeof BITS / sizeof BITS[0]; i++)
                if (ev->mask & BITS[i].bit) printf(" %s", BITS[i].name);
            if (ev->len) printf(" \"%s\" (len %u)", ev->name, ev->len);
            if (ev->mask & IN_MOVED_FROM) last_cookie = ev->cookie;
            if (ev->mask & IN_MOVED_TO) printf(" cookie %s", ev->cookie == last_cookie && ev->cookie ? "matches" : "differs");
            printf("\n");
            p += sizeof *ev + ev->len;
        }
    }
}

static void one(const char *dir)
{
    char a[512], b[512], sub[512], f[512];
    snprintf(a, sizeof a, "%s/ino_a", dir);
    snprintf(b, sizeof b, "%s/ino_b", dir);
    snprintf(sub, sizeof sub, "%s/ino_sub", dir);
    snprintf(f, sizeof f, "%s/ino_f", dir);
    printf("in a directory of %s:\n", strncmp(dir, "/dev/shm", 8) == 0 ? "tmpfs" : "the disk");
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf(" FD_CLOEXEC %d, O_NONBLOCK %s\n", fcntl(in, F_GETFD), fcntl(in, F_GETFL) & O_NONBLOCK ? "set" : "clear");
    char tiny[8];
    printf(" read with nothing queued: %s\n", e(read(in, tiny, sizeof tiny)));
    dir_wd = inotify_add_watch(in, dir, IN_ALL_EVENTS);
    printf(" watch the directory: wd %d\n", dir_wd);
    printf(" the same directory again: wd %d\n", inotify_add_watch(in, dir, IN_CREATE | IN_DELETE | IN_MASK_ADD));
    printf(" again with IN_MASK_CREATE: %s\n", e(inotify_add_watch(in, dir, IN_CREATE | IN_MASK_CREATE)));

    int fd = open(a, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(fd, "hello", 5);
    close(fd);
    chmod(a, 0600);
    rename(a, b);
    fd = open(b, O_RDONLY);
    char buf[16];
    read(fd, buf, sizeof buf);
    close(fd);
    mkdir(sub, 0755);
    rmdir(sub);
    struct pollfd pfd = { .fd = in, .events = POLLIN };
    printf(" poll: %s\n", poll(&pfd, 1, 0) == 1 && pfd.revents & POLLIN ? "POLLIN" : "nothing");
    int ep = epoll_create1(0);
    struct epoll_event ee = { .events = EPOLLIN }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, in, &ee);
    printf(" epoll_wait: %d\n", epoll_wait(ep, &out, 1, 0));
    int avail = 0;
    ioctl(in, FIONREAD, &avail);
    printf(" FIONREAD: %d\n", avail);
    printf(" read into 8 bytes: %s\n", e(read(in, tiny, sizeof tiny)));
    drain(in);
    pfd.revents = 0;
    printf(" poll after reading everything: %s\n", poll(&pfd, 1, 0) == 0 ? "nothing" : "POLLIN");

    fd = open(f, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    close(fd);
    inotify_rm_watch(in, dir_wd);
    drain(in);
    dir_wd = -100;
    file_wd = inotify_add_watch(in, f, IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF);
    printf(" watch a file: wd %d\n", file_wd);
    fd = open(f, O_WRONLY | O_APPEND);
    write(fd, "x", 1);
    close(fd);
    truncate(f, 0);
    rename(f, b);
    unlink(b);
    drain(in);
    printf(" rm_watch of that gone watch: %s\n", e(inotify_rm_watch(in, file_wd)));

    fd = open(f, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    close(fd);
    file_wd = inotify_add_watch(in, f, IN_ATTRIB | IN_ONESHOT);
    chmod(f, 0600);
    chmod(f, 0644);
    printf(" IN_ONESHOT, chmod twice:\n");
    drain(in);
    unlink(f);

    printf(" mask 0: %s\n", e(inotify_add_watch(in, dir, 0)));
    printf(" IN_MASK_ADD|IN_MASK_CREATE: %s\n", e(inotify_add_watch(in, dir, IN_CREATE | IN_MASK_ADD | IN_MASK_CREATE)));
    printf(" a missing path: %s\n", e(inotify_add_watch(in, "/nonexistent/x", IN_CREATE)));
    printf(" IN_ONLYDIR on a file: %s\n", e(inotify_add_watch(in, "/proc/self/status", IN_ACCESS | IN_ONLYDIR)));
    printf(" not an inotify descriptor: %s\n", e(inotify_add_watch(ep, dir, IN_CREATE)));
    printf(" rm_watch of wd 12345: %s\n", e(inotify_rm_watch(in, 12345)));
    printf(" inotify_init1(O_RDWR): %s\n", e(inotify_init1(O_RDWR)));
    close(ep);
    close(in);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) one(argv[i]);
    return 0;
}
