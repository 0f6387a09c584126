/*
 * memfd_seals.c - memfd_create and file sealing (fcntl F_ADD_SEALS/F_GET_SEALS): a memfd made
 * without MFD_ALLOW_SEALING is sealed against sealing; F_SEAL_SHRINK/GROW stop ftruncate and
 * writes past the end, F_SEAL_WRITE stops write() and shared writable mmap (and is EBUSY while
 * such a mapping exists), F_SEAL_FUTURE_WRITE leaves existing mappings writable, F_SEAL_SEAL
 * stops further seals; private mappings stay writable. One fact a line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *e(long r) { return r >= 0 ? "ok" : strerror(errno); }

int main(void)
{
    int plain = memfd_create("plain", 0);
    int seals = fcntl(plain, F_GET_SEALS);
    printf("no MFD_ALLOW_SEALING: seals %d;", seals);
    printf(" F_ADD_SEALS: %s\n", e(fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE)));

    int fd = memfd_create("sealed", MFD_ALLOW_SEALING | MFD_CLOEXEC);
    printf("MFD_ALLOW_SEALING: seals %d, FD_CLOEXEC %d\n", fcntl(fd, F_GET_SEALS), fcntl(fd, F_GETFD));
    printf("unknown seal bit: %s\n", e(fcntl(fd, F_ADD_SEALS, 0x100)));
    write(fd, "hello, world", 12);

    printf("F_SEAL_SHRINK: %s;", e(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK)));
    printf(" seals %d\n", fcntl(fd, F_GET_SEALS));
    printf("  ftruncate to 4: %s;", e(ftruncate(fd, 4)));
    printf(" ftruncate to 4096: %s\n", e(ftruncate(fd, 4096)));
    printf("F_SEAL_GROW: %s\n", e(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW)));
    printf("  ftruncate to 8192: %s;", e(ftruncate(fd, 8192)));
    printf(" ftruncate to 4096: %s\n", e(ftruncate(fd, 4096)));
    printf("  pwrite inside: %s;", e(pwrite(fd, "HELLO", 5, 0)));
    long w = pwrite(fd, "xx", 2, 4095);
    printf(" pwrite 2 bytes at 4095: %ld;", w);
    printf(" pwrite at 4096: %s\n", e(pwrite(fd, "x", 1, 4096)));

    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("shared writable mapping: %s\n", shared == MAP_FAILED ? strerror(errno) : "mapped");
    printf("F_SEAL_WRITE while it is mapped: %s\n", e(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)));
    munmap(shared, 4096);
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    printf("F_SEAL_WRITE with a read-only shared mapping: %s\n", e(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)));
    munmap(ro, 4096);
    printf("F_SEAL_WRITE unmapped: %s;", e(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)));
    printf(" seals %d\n", fcntl(fd, F_GET_SEALS));
    printf("  write: %s\n", e(pwrite(fd, "x", 1, 0)));
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("  mmap shared rw: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
    char *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("  mmap private rw: %s", priv == MAP_FAILED ? strerror(errno) : "mapped");
    if (priv != MAP_FAILED) { priv[0] = 'J'; printf(", reads \"%.5s\" after a store\n", priv); }
    char buf[16] = { 0 };
    pread(fd, buf, 5, 0);
    printf("  the file still reads \"%s\"\n", buf);
    printf("F_SEAL_SEAL: %s;", e(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL)));
    printf(" then F_SEAL_FUTURE_WRITE: %s;", e(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE)));
    printf(" seals %d\n", fcntl(fd, F_GET_SEALS));

    int fw = memfd_create("future", MFD_ALLOW_SEALING);
    ftruncate(fw, 4096);
    char *before = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fw, 0);
    printf("F_SEAL_FUTURE_WRITE with a writable mapping: %s\n", e(fcntl(fw, F_ADD_SEALS, F_SEAL_FUTURE_WRITE)));
    before[0] = 'A';
    pread(fw, buf, 1, 0);
    printf("  the old mapping still writes: %c\n", buf[0]);
    printf("  write: %s\n", e(pwrite(fw, "x", 1, 0)));
    void *after = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fw, 0);
    printf("  new mmap shared rw: %s\n", after == MAP_FAILED ? strerror(errno) : "mapped");
    void *after_ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fw, 0);
    printf("  new mmap shared ro: %s", after_ro == MAP_FAILED ? strerror(errno) : "mapped");
    fflush(stdout);
    printf("; mprotect it rw: %s\n", after_ro == MAP_FAILED ? "-" : e(mprotect(after_ro, 4096, PROT_READ | PROT_WRITE)));

    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fw);
    int rdonly = open(path, O_RDONLY);
    printf("F_ADD_SEALS through a read-only descriptor: %s;", e(fcntl(rdonly, F_ADD_SEALS, F_SEAL_SHRINK)));
    printf(" F_GET_SEALS %d\n", fcntl(rdonly, F_GET_SEALS));
    int shm = open("/dev/shm/sysemu-memfd-seals", O_CREAT | O_RDWR | O_TRUNC, 0600);
    unlink("/dev/shm/sysemu-memfd-seals");
    printf("F_GET_SEALS on a tmpfs file: %d;", fcntl(shm, F_GET_SEALS));
    printf(" F_ADD_SEALS: %s\n", e(fcntl(shm, F_ADD_SEALS, F_SEAL_WRITE)));
    int pipefd[2];
    pipe(pipefd);
    printf("F_GET_SEALS on a pipe: %s\n", e(fcntl(pipefd[0], F_GET_SEALS)));
    return 0;
}
