/*
 * utimensat_ns.c - file times to the nanosecond: utimensat/futimens set them, stat and statx
 * show them exactly; UTIME_OMIT keeps one, UTIME_NOW takes the time now, a bad tv_nsec is
 * EINVAL, AT_SYMLINK_NOFOLLOW sets a symlink's own times.
 * Usage: utimensat_ns DIR...   (writable directories; each gets a file and a link, removed after)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, int dirfd, const char *name, int flags)
{
    struct stat st;
    struct statx sx;
    fstatat(dirfd, name, &st, flags);
    statx(dirfd, name, flags, STATX_ATIME | STATX_MTIME, &sx);
    printf("  %s: stat atime %ld.%09ld mtime %ld.%09ld; statx %lld.%09u %lld.%09u\n", what,
           (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
           (long long)sx.stx_atime.tv_sec, sx.stx_atime.tv_nsec, (long long)sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
}

static void one(const char *dir)
{
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    if (d < 0) { printf("%s: %s\n", dir, strerror(errno)); return; }
    printf("in a directory of %s:\n", strncmp(dir, "/dev/shm", 8) == 0 ? "tmpfs" : "the disk");
    unlinkat(d, "utimensat_ns.link", 0);
    int fd = openat(d, "utimensat_ns.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
    struct timespec ts[2] = { { 1700000000, 123456789 }, { 1600000000, 987654321 } };
    printf("  utimensat: %d\n", utimensat(d, "utimensat_ns.dat", ts, 0));
    show("set", d, "utimensat_ns.dat", 0);
    struct timespec omit[2] = { { 5, UTIME_OMIT }, { 1500000000, 1 } };
    printf("  UTIME_OMIT atime: %d\n", utimensat(d, "utimensat_ns.dat", omit, 0));
    show("omit", d, "utimensat_ns.dat", 0);
    struct timespec both[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
    printf("  both UTIME_OMIT: %d\n", utimensat(d, "utimensat_ns.dat", both, 0));
    show("unchanged", d, "utimensat_ns.dat", 0);
    struct timespec fd_ts[2] = { { 1234567890, 999999999 }, { 1234567890, 0 } };
    printf("  futimens: %d\n", futimens(fd, fd_ts));
    show("futimens", d, "utimensat_ns.dat", 0);
    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    errno = 0;
    printf("  tv_nsec 1000000000: %s\n", utimensat(d, "utimensat_ns.dat", bad, 0) ? strerror(errno) : "ok");
    struct timespec now[2] = { { 0, UTIME_NOW }, { 7, UTIME_OMIT } };
    time_t t0 = time(NULL);
    utimensat(d, "utimensat_ns.dat", now, 0);
    struct stat st;
    fstatat(d, "utimensat_ns.dat", &st, 0);
    printf("  UTIME_NOW atime is now: %s; mtime kept: %ld.%09ld\n", st.st_atim.tv_sec >= t0 - 1 && st.st_atim.tv_sec <= t0 + 2 ? "yes" : "no",
           (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    symlinkat("utimensat_ns.dat", d, "utimensat_ns.link");
    struct timespec lts[2] = { { 1111111111, 111111111 }, { 1222222222, 222222222 } };
    printf("  AT_SYMLINK_NOFOLLOW: %d\n", utimensat(d, "utimensat_ns.link", lts, AT_SYMLINK_NOFOLLOW));
    show("the link", d, "utimensat_ns.link", AT_SYMLINK_NOFOLLOW);
    fstatat(d, "utimensat_ns.dat", &st, 0);
    printf("  its target's mtime: %ld.%09ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    close(fd);
    unlinkat(d, "utimensat_ns.link", 0);
    unlinkat(d, "utimensat_ns.dat", 0);
    close(d);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) one(argv[i]);
    return 0;
}
