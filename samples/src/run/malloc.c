/*
 * malloc.c - many allocations: brk for small ones, mmap for large ones.
 *
 * Shows: glibc's malloc grows the heap with brk(2) and serves requests
 * of 128 KiB or more (M_MMAP_THRESHOLD) with their own mmap(2), which
 * free() gives back with munmap(2); realloc() of such a block uses
 * mremap(2).  The program makes a fixed pseudo-random sequence of
 * malloc/realloc/free calls, fills every block with a pattern, checks
 * the pattern before freeing and prints a checksum of everything read.
 *
 * Expected output (deterministic):
 *     rounds: 20000
 *     large blocks (>= 128 KiB): <n>
 *     pattern errors: 0
 *     checksum: 0x...
 * Exit status: 0 (1 if a pattern was damaged or an allocation failed)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 64
#define ROUNDS 20000

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
    /* xorshift64: deterministic, same sequence everywhere */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

struct block {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

static size_t random_size(void)
{
    uint64_t r = next_random();
    switch (r % 16) {
    case 0:
        return 128 * 1024 + (r >> 8) % (512 * 1024); /* large: mmap */
    case 1:
    case 2:
        return 4096 + (r >> 8) % 60000;              /* medium */
    default:
        return 1 + (r >> 8) % 512;                   /* small */
    }
}

static void fill(struct block *b)
{
    memset(b->p, b->tag, b->size);
}

/* Checks the first n bytes carry the block's tag; returns the number of bad bytes. */
static size_t check(const struct block *b, size_t n, uint64_t *sum)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        bad += b->p[i] != b->tag;
        *sum = (*sum ^ b->p[i]) * 0x100000001b3ULL;
    }
    return bad;
}

int main(void)
{
    struct block slots[SLOTS] = { 0 };
    uint64_t sum = 0xcbf29ce484222325ULL;
    size_t errors = 0, large = 0;

    for (int round = 0; round < ROUNDS; round++) {
        struct block *b = &slots[next_random() % SLOTS];
        if (b->p == NULL) {
            b->size = random_size();
            b->tag = (unsigned char)(round * 7 + 1);
            b->p = malloc(b->size);
            if (!b->p) {
                printf("malloc(%zu) failed\n", b->size);
                return 1;
            }
            large += b->size >= 128 * 1024;
            fill(b);
        } else if (next_random() % 3 == 0) {
            size_t new_size = random_size();
            size_t kept = new_size < b->size ? new_size : b->size;
            unsigned char *q = realloc(b->p, new_size);
            if (!q) {
                printf("realloc(%zu) failed\n", new_size);
                return 1;
            }
            b->p = q;
            errors += check(b, kept, &sum); /* realloc keeps the common prefix */
            b->size = new_size;
            large += b->size >= 128 * 1024;
            fill(b);
        } else {
            errors += check(b, b->size, &sum);
            free(b->p);
            b->p = NULL;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            errors += check(&slots[i], slots[i].size, &sum);
            free(slots[i].p);
        }
    }

    printf("rounds: %d\n", ROUNDS);
    printf("large blocks (>= 128 KiB): %zu\n", large);
    printf("pattern errors: %zu\n", errors);
    printf("checksum: 0x%016llx\n", (unsigned long long)sum);
    return errors ? 1 : 0;
}
