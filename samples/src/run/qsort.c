/*
 * qsort.c - sorting integers and records with qsort(3).
 *
 * Shows: indirect calls through a comparison function, lots of loads,
 * stores and branches.  100000 pseudo-random integers are sorted and
 * checked, then 1000 records are sorted by (key, id) so that the order
 * is fully defined even with equal keys.
 *
 * Expected output (deterministic):
 *     ints sorted: yes
 *     ints: min ... max ... checksum 0x...
 *     records sorted: yes
 *     first records: ...
 * Exit status: 0
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N_INTS 100000
#define N_RECORDS 1000

struct record {
    int key;
    int id;
};

static uint32_t lcg_state = 12345;

static uint32_t next_random(void)
{
    lcg_state = lcg_state * 1103515245u + 12345u;
    return lcg_state >> 1;
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int compare_records(const void *a, const void *b)
{
    const struct record *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->id > y->id) - (x->id < y->id);
}

int main(void)
{
    static int ints[N_INTS];
    for (int i = 0; i < N_INTS; i++)
        ints[i] = (int)(next_random() % 2000001) - 1000000;
    qsort(ints, N_INTS, sizeof ints[0], compare_ints);

    int ok = 1;
    uint64_t sum = 0;
    for (int i = 0; i < N_INTS; i++) {
        if (i > 0 && ints[i - 1] > ints[i])
            ok = 0;
        sum = sum * 31 + (uint32_t)ints[i];
    }
    printf("ints sorted: %s\n", ok ? "yes" : "no");
    printf("ints: min %d median %d max %d checksum 0x%016llx\n", ints[0], ints[N_INTS / 2],
           ints[N_INTS - 1], (unsigned long long)sum);

    static struct record records[N_RECORDS];
    for (int i = 0; i < N_RECORDS; i++) {
        records[i].key = (int)(next_random() % 50);
        records[i].id = i;
    }
    qsort(records, N_RECORDS, sizeof records[0], compare_records);
    int rok = 1;
    for (int i = 1; i < N_RECORDS; i++)
        if (compare_records(&records[i - 1], &records[i]) >= 0)
            rok = 0;
    printf("records sorted: %s\n", rok ? "yes" : "no");
    printf("first records:");
    for (int i = 0; i < 6; i++)
        printf(" (%d,%d)", records[i].key, records[i].id);
    printf("\n");
    return ok && rok ? 0 : 1;
}
