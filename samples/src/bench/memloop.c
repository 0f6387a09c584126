/*
 * memloop.c - benchmark: glibc memset, memcpy, strlen and memcmp over buffers that fit in cache.
 *
 * Shows: memory-bound loops of the C library's own string routines (what a translator must not
 * send through its slow path per access), plus a byte checksum so none of it is optimised out.
 *
 * Expected output (deterministic):
 *     memloop: rounds 4000, checksum 0x...
 * Exit status: 0
 * Takes about 1 s under qemu-riscv64.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SIZE (64 * 1024)
#define ROUNDS 4000

static unsigned char a[SIZE], b[SIZE];

int main(void)
{
    uint64_t sum = 0;
    for (int r = 0; r < ROUNDS; r++) {
        memset(a, 'a' + (r % 26), SIZE - 1);
        a[SIZE - 1] = 0;
        memcpy(b, a, SIZE);
        b[(r * 7919) % (SIZE - 1)] = 'Z';
        sum += strlen((const char *)b);
        sum = sum * 31 + (uint64_t)(memcmp(a, b, SIZE) < 0) + b[r % SIZE];
    }
    printf("memloop: rounds %d, checksum 0x%016llx\n", ROUNDS, (unsigned long long)sum);
    return 0;
}
