/*
 * tour.c (wasm) - a tour of WASI preview1: one call family after another.
 *
 * Shows: what a WASI runtime must provide besides fd_write: arguments and
 * environment, clocks and sleeping (poll_oneoff), randomness, stdin, and
 * the file system of a preopened directory (mkdir, write, seek, read,
 * truncate, stat, symlink, readlink, link, utimes, readdir, unlink,
 * rmdir), then an exit status other than 0.  Every line is the same
 * under any correct runtime, so the output can be compared.
 *
 * Usage: tour.wasm <preopened-dir>      (reads stdin to its end)
 * Expected output, for an empty directory and "abc" on stdin:
 *     args: 2
 *     env TOUR = hello
 *     slept at least 2 ms: yes
 *     realtime after 2020: yes
 *     random: 16 bytes, not all zero: yes
 *     stdin: 3 bytes
 *     wrote 10 bytes
 *     read at 2: "234"
 *     size after truncate: 5
 *     readlink ln: f.txt
 *     links to f.txt: 2
 *     mtime set: yes
 *     sub: f.txt hard ln
 *     cleaned up
 * Exit status: 3 (1 on any error, with the failing step on stderr)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what)
{
    fprintf(stderr, "tour: %s: %s\n", what, strerror(errno));
    return 1;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static long long ns_between(struct timespec a, struct timespec b)
{
    return (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
}

static void process_part(void)
{
    const char *v = getenv("TOUR");
    printf("env TOUR = %s\n", v ? v : "(unset)");

    struct timespec a, b, nap = {0, 2000000}, now;
    clock_gettime(CLOCK_MONOTONIC, &a);
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("slept at least 2 ms: %s\n", ns_between(a, b) >= 2000000 ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &now);
    printf("realtime after 2020: %s\n", now.tv_sec > 1577836800 ? "yes" : "no");

    unsigned char rnd[16] = {0};
    int nonzero = 0;
    if (getentropy(rnd, sizeof rnd) == 0)
        for (size_t i = 0; i < sizeof rnd; i++)
            nonzero |= rnd[i];
    printf("random: 16 bytes, not all zero: %s\n", nonzero ? "yes" : "no");

    char buf[256];
    size_t total = 0, n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
        total += n;
    printf("stdin: %zu bytes\n", total);
}

static int list_sorted(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail("opendir");
    char *names[16];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 16)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], compare_names);
    printf("sub:");
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    return 0;
}

static int files_part(const char *dir)
{
    char sub[512], f[512], ln[512], hard[512], got[64];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(f, sizeof f, "%s/f.txt", sub);
    snprintf(ln, sizeof ln, "%s/ln", sub);
    snprintf(hard, sizeof hard, "%s/hard", sub);

    if (mkdir(sub, 0755) != 0)
        return fail("mkdir");
    int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return fail("open");
    printf("wrote %zd bytes\n", write(fd, "0123456789", 10));
    if (lseek(fd, 2, SEEK_SET) != 2)
        return fail("lseek");
    ssize_t r = read(fd, got, 3);
    printf("read at 2: \"%.*s\"\n", (int)(r > 0 ? r : 0), got);
    struct stat st;
    if (ftruncate(fd, 5) != 0 || fstat(fd, &st) != 0)
        return fail("ftruncate");
    printf("size after truncate: %lld\n", (long long)st.st_size);
    close(fd);

    if (symlink("f.txt", ln) != 0)
        return fail("symlink");
    ssize_t len = readlink(ln, got, sizeof got - 1);
    if (len < 0)
        return fail("readlink");
    printf("readlink ln: %.*s\n", (int)len, got);
    if (link(f, hard) != 0 || stat(f, &st) != 0)
        return fail("link");
    printf("links to f.txt: %lld\n", (long long)st.st_nlink);

    struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
    if (utimensat(AT_FDCWD, f, times, 0) != 0 || stat(f, &st) != 0)
        return fail("utimensat");
    printf("mtime set: %s\n", st.st_mtim.tv_sec == 1000000000 ? "yes" : "no");

    if (list_sorted(sub))
        return 1;
    if (unlink(ln) != 0 || unlink(hard) != 0 || unlink(f) != 0 || rmdir(sub) != 0)
        return fail("clean up");
    printf("cleaned up\n");
    return 0;
}

int main(int argc, char *argv[])
{
    printf("args: %d\n", argc);
    if (argc != 2) {
        fprintf(stderr, "usage: %s <preopened-dir>\n", argv[0]);
        return 2;
    }
    process_part();
    if (files_part(argv[1]))
        return 1;
    fflush(stdout);
    return 3;
}
