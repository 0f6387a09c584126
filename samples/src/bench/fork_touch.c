/*
 * fork_touch.c - benchmark: fork() of a process with 100 MiB resident.
 *
 * Shows: what fork costs when there is a lot of memory: the parent
 * writes every page of a 100 MiB buffer, then forks; the child reads a
 * few pages and exits at once, the parent waits.  With copy-on-write the
 * fork only copies page tables; an emulator that copies the memory pays
 * for all 100 MiB.  The parent measures fork()+waitpid() itself and
 * prints it in microseconds on stderr (it varies); stdout has only
 * deterministic facts.
 *
 * Expected output (stdout, deterministic):
 *     touched: 104857600 bytes
 *     child saw: 0x...
 *     child exit status: 0
 *     checksum: 0x...
 * stderr:  fork+wait: <n> us
 * Exit status: 0
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIZE (100UL * 1024 * 1024)
#define PAGE 4096UL

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(void)
{
    unsigned char *mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (size_t off = 0; off < SIZE; off += PAGE)
        mem[off] = (unsigned char)(off / PAGE * 31 + 7);
    printf("touched: %lu bytes\n", SIZE);
    fflush(stdout);

    long long start = now_us();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        /* The child reads a few pages: they must be the parent's. */
        uint64_t h = 0;
        for (size_t off = 0; off < SIZE; off += 1024 * PAGE)
            h = h * 131 + mem[off];
        printf("child saw: 0x%016llx\n", (unsigned long long)h);
        fflush(stdout);
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 1;
    }
    long long elapsed = now_us() - start;

    uint64_t sum = 0;
    for (size_t off = 0; off < SIZE; off += PAGE)
        sum = sum * 31 + mem[off];
    printf("child exit status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    printf("checksum: 0x%016llx\n", (unsigned long long)sum);
    fprintf(stderr, "fork+wait: %lld us\n", elapsed);
    return 0;
}
