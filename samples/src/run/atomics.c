/*
 * atomics.c - C11 atomics and the older __sync builtins.
 *
 * Shows: the A extension.  32- and 64-bit atomics compile to AMO
 * instructions (amoadd, amoswap, amoor, amoand, amoxor, amomax...) and to
 * LR/SC loops (compare-and-swap); 8- and 16-bit atomics are not single
 * instructions: GCC 12 calls libatomic (linked statically with
 * -latomic), which does a compare-and-swap on the containing aligned word.  Run single-threaded, so every
 * value is determined: this checks the instructions' results, not races.
 *
 * Expected output (deterministic): one line per group of operations,
 * then "atomics: all checks passed".
 * Exit status: 0 (1 if a check failed)
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("FAILED: %s\n", what);
        failures++;
    }
}

int main(void)
{
    /* 32-bit: AMOs with their "old value" results. */
    _Atomic int32_t a = 10;
    int32_t old_add = atomic_fetch_add(&a, 5);
    int32_t old_sub = atomic_fetch_sub(&a, 20);
    int32_t old_or = atomic_fetch_or(&a, 0x100);
    int32_t old_and = atomic_fetch_and(&a, 0x1ff);
    int32_t old_xor = atomic_fetch_xor(&a, 0x0f);
    int32_t old_xchg = atomic_exchange(&a, -7);
    printf("int32: %d %d %d %d %d %d now %d\n", old_add, old_sub, old_or, old_and, old_xor,
           old_xchg, atomic_load(&a));
    check(atomic_load(&a) == -7, "int32 exchange");

    /* 64-bit, with values that need all 64 bits. */
    _Atomic uint64_t b = 0xffffffff00000000ULL;
    uint64_t old64 = atomic_fetch_add(&b, 0x100000001ULL);
    printf("uint64: old 0x%016" PRIx64 " now 0x%016" PRIx64 "\n", old64, atomic_load(&b));
    check(atomic_load(&b) == 1, "uint64 wraparound add");

    /* Compare-and-swap: a failing and a succeeding attempt. */
    _Atomic long c = 100;
    long expected = 99;
    int ok1 = atomic_compare_exchange_strong(&c, &expected, 200);
    long seen = expected; /* a failed CAS stores the value it found */
    int ok2 = atomic_compare_exchange_strong(&c, &expected, 300);
    printf("cas: first %s (saw %ld), second %s, now %ld\n", ok1 ? "ok" : "failed", seen,
           ok2 ? "ok" : "failed", atomic_load(&c));
    check(!ok1 && ok2 && atomic_load(&c) == 300, "cas");

    /* Sub-word atomics: masked LR/SC on the containing word. */
    struct {
        _Atomic uint8_t bytes[4];
        _Atomic uint16_t halves[2];
    } small = { { 1, 2, 3, 250 }, { 65530, 7 } };
    uint8_t old8 = atomic_fetch_add(&small.bytes[3], 10);      /* wraps to 4 */
    uint16_t old16 = atomic_fetch_add(&small.halves[0], 10);   /* wraps to 4 */
    uint8_t exp8 = 2;
    int ok8 = atomic_compare_exchange_strong(&small.bytes[1], &exp8, 0x80);
    printf("uint8/16: old %u %u now %u %u %u %u | %u %u, cas8 %s\n", old8, old16,
           small.bytes[0], small.bytes[1], small.bytes[2], small.bytes[3], small.halves[0],
           small.halves[1], ok8 ? "ok" : "failed");
    check(small.bytes[3] == 4 && small.halves[0] == 4 && small.bytes[1] == 0x80 &&
              small.bytes[0] == 1 && small.bytes[2] == 3 && small.halves[1] == 7,
          "sub-word atomics leave neighbours alone");

    /* Signed and unsigned min/max: amomin.w and amomaxu.w, written out
     * because C has no fetch_min/fetch_max (GCC 12 neither). */
    int32_t m = 5, m_old;
    uint32_t um = 5, um_old;
    __asm__ volatile("amomin.w.aqrl %0, %2, (%1)" : "=r"(m_old) : "r"(&m), "r"(-3) : "memory");
    __asm__ volatile("amomaxu.w.aqrl %0, %2, (%1)"
                     : "=r"(um_old)
                     : "r"(&um), "r"(0xfffffff0u)
                     : "memory");
    printf("amomin/amomaxu: old %d %u now %d 0x%x\n", m_old, um_old, m, um);
    check(m == -3 && um == 0xfffffff0u && m_old == 5 && um_old == 5, "amomin/amomaxu");

    /* The __sync family (GCC's older interface, full barriers). */
    long s = 1;
    long s1 = __sync_fetch_and_add(&s, 41);
    long s2 = __sync_add_and_fetch(&s, 8);
    long s3 = __sync_val_compare_and_swap(&s, 50, 60);
    int sb = __sync_bool_compare_and_swap(&s, 61, 70);
    long s4 = __sync_lock_test_and_set(&s, 99);
    __sync_synchronize();
    __sync_lock_release(&s);
    printf("__sync: %ld %ld %ld %d %ld now %ld\n", s1, s2, s3, sb, s4, s);
    check(s == 0 && s3 == 50 && !sb && s4 == 60, "__sync");

    /* atomic_flag: the simplest spin lock. */
    atomic_flag flag = ATOMIC_FLAG_INIT;
    int first = atomic_flag_test_and_set(&flag);
    int second = atomic_flag_test_and_set(&flag);
    atomic_flag_clear(&flag);
    int third = atomic_flag_test_and_set(&flag);
    printf("atomic_flag: %d %d %d\n", first, second, third);
    check(!first && second && !third, "atomic_flag");

    atomic_thread_fence(memory_order_seq_cst);
    if (failures == 0)
        printf("atomics: all checks passed\n");
    return failures ? 1 : 0;
}
