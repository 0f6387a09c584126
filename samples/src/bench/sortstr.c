/*
 * sortstr.c - benchmark: generate strings, sort them with qsort+strcmp.
 *
 * Shows: malloc'd strings, pointer chasing, glibc's strcmp and qsort
 * (merge sort with a temporary buffer), then a pass that checks the
 * order and hashes the sorted strings.
 *
 * Expected output (deterministic):
 *     strings: 500000
 *     sorted: yes
 *     first: ... last: ...
 *     checksum: 0x...
 * Exit status: 0
 * Takes about 1-3 s under qemu-riscv64.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 500000

static uint64_t state = 0x2545f4914f6cdd1dULL;

static uint64_t next_random(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545f4914f6cdd1dULL;
}

static int compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    char **strings = malloc(COUNT * sizeof *strings);
    if (!strings)
        return 1;
    for (int i = 0; i < COUNT; i++) {
        /* 4..19 lowercase letters; a small alphabet prefix makes long common prefixes */
        int len = 4 + (int)(next_random() % 16);
        char *s = malloc((size_t)len + 1);
        if (!s)
            return 1;
        for (int k = 0; k < len; k++)
            s[k] = (char)(k < 2 ? 'a' + next_random() % 3 : 'a' + next_random() % 26);
        s[len] = '\0';
        strings[i] = s;
    }

    qsort(strings, COUNT, sizeof *strings, compare);

    int sorted = 1;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < COUNT; i++) {
        if (i > 0 && strcmp(strings[i - 1], strings[i]) > 0)
            sorted = 0;
        for (const char *p = strings[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    }
    printf("strings: %d\n", COUNT);
    printf("sorted: %s\n", sorted ? "yes" : "no");
    printf("first: %s last: %s\n", strings[0], strings[COUNT - 1]);
    printf("checksum: 0x%016llx\n", (unsigned long long)h);

    for (int i = 0; i < COUNT; i++)
        free(strings[i]);
    free(strings);
    return sorted ? 0 : 1;
}
