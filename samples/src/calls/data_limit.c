/*
 * data_limit.c - RLIMIT_DATA as Linux enforces it: private writable mappings (mmap, mprotect,
 * mremap, brk) count against it, shared and read-only ones do not; brk fails by returning the
 * old break; the limit is inherited across fork. Also setrlimit/prlimit64's EINVAL and EPERM.
 * Prints one fact a line; the same on any Linux (compare natively or with another kernel).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MB (1UL << 20)

static const char *err(void *p) { return p == MAP_FAILED ? (errno == ENOMEM ? "ENOMEM" : strerror(errno)) : "ok"; }

int main(void)
{
    struct rlimit lim = { 16 * MB, 64 * MB };
    if (setrlimit(RLIMIT_DATA, &lim)) { perror("setrlimit"); return 1; }
    struct rlimit got;
    getrlimit(RLIMIT_DATA, &got);
    printf("RLIMIT_DATA: cur %lu MiB, max %lu MiB\n", (unsigned long)(got.rlim_cur / MB), (unsigned long)(got.rlim_max / MB));

    void *p = mmap(NULL, 32 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 32 MiB private rw: %s\n", err(p));
    void *ro = mmap(NULL, 32 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 32 MiB private ro: %s\n", err(ro));
    if (ro != MAP_FAILED) {
        errno = 0;
        int r = mprotect(ro, 32 * MB, PROT_READ | PROT_WRITE);
        printf("mprotect it rw: %s\n", r == 0 ? "ok" : errno == ENOMEM ? "ENOMEM" : strerror(errno));
        r = mprotect(ro, 4 * MB, PROT_READ | PROT_WRITE);
        printf("mprotect 4 MiB of it rw: %s\n", r == 0 ? "ok" : errno == ENOMEM ? "ENOMEM" : strerror(errno));
    }
    void *sh = mmap(NULL, 32 * MB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    printf("mmap 32 MiB shared rw: %s\n", err(sh));
    void *small = mmap(NULL, 1 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 1 MiB private rw: %s\n", err(small));
    void *grown = small == MAP_FAILED ? MAP_FAILED : mremap(small, 1 * MB, 40 * MB, MREMAP_MAYMOVE);
    printf("mremap it to 40 MiB: %s\n", err(grown));

    void *brk0 = sbrk(0);
    errno = 0;
    void *b = sbrk(32 * MB);
    printf("sbrk 32 MiB: %s; break unchanged: %s\n", b == (void *)-1 && errno == ENOMEM ? "ENOMEM" : "grown", sbrk(0) == brk0 ? "yes" : "no");
    b = sbrk(1 * MB);
    printf("sbrk 1 MiB: %s\n", b == (void *)-1 ? "failed" : "grown");
    printf("malloc 32 MiB: %s\n", malloc(32 * MB) == NULL ? "NULL" : "got it");

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit c;
        getrlimit(RLIMIT_DATA, &c);
        void *q = mmap(NULL, 32 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        printf("child: cur %lu MiB; mmap 32 MiB private rw: %s\n", (unsigned long)(c.rlim_cur / MB), err(q));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    struct rlimit bad = { 32 * MB, 16 * MB };
    errno = 0;
    printf("setrlimit cur > max: %s\n", setrlimit(RLIMIT_DATA, &bad) ? strerror(errno) : "ok");
    struct rlimit lower = { 8 * MB, 32 * MB }, old;
    int r = prlimit(0, RLIMIT_DATA, &lower, &old);
    printf("prlimit64 lower: %d, old cur %lu MiB max %lu MiB\n", r, (unsigned long)(old.rlim_cur / MB), (unsigned long)(old.rlim_max / MB));
    if (geteuid() != 0) {
        struct rlimit raise = { 8 * MB, 64 * MB };
        errno = 0;
        printf("raising the hard limit unprivileged: %s\n", setrlimit(RLIMIT_DATA, &raise) ? strerror(errno) : "ok");
    }
    struct rlimit zero = { 0, 32 * MB };
    setrlimit(RLIMIT_DATA, &zero);
    void *z = mmap(NULL, 1 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("cur 0 under max 32 MiB, mmap 1 MiB: %s\n", err(z));
    return 0;
}
