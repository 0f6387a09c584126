/*
 * misaligned.c - loads and stores at addresses that are not a multiple
 * of their size.
 *
 * Shows: two ways a program meets unaligned data.
 *  1. Packed structs and memcpy into a char buffer: the compiler knows
 *     the data may be unaligned and uses byte accesses (on riscv64 by
 *     default), so this always works.
 *  2. Explicit lh/lw/ld/sh/sw/sd/flw/fld/fsw/fsd instructions at odd
 *     offsets (inline asm).  RISC-V lets the hardware either do them or
 *     trap; Linux then emulates them in the trap handler, and an
 *     emulator must do the same: the result is as if aligned.
 *
 * Expected output (deterministic): the values read back, then
 * "misaligned: all checks passed".
 * Exit status: 0 (1 if a value was wrong)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct __attribute__((packed)) wire_header {
    uint8_t kind;
    uint32_t length;
    uint64_t id;
    uint16_t port;
    double weight;
};

static int failures;

static void check(int ok, const char *what, int offset)
{
    if (!ok) {
        printf("FAILED: %s at offset %d\n", what, offset);
        failures++;
    }
}

int main(void)
{
    /* 1. Packed struct: fields at offsets 1, 5, 13 and 15. */
    static unsigned char raw[64];
    struct wire_header *h = (struct wire_header *)(raw + 1);
    h->kind = 7;
    h->length = 0x11223344;
    h->id = 0x0102030405060708ULL;
    h->port = 0xbeef;
    h->weight = 2.75;
    printf("packed: kind=%u length=0x%" PRIx32 " id=0x%016" PRIx64 " port=0x%x weight=%g\n",
           h->kind, h->length, h->id, h->port, h->weight);
    printf("raw bytes:");
    for (int i = 0; i < 24; i++)
        printf(" %02x", raw[i]);
    printf("\n");

    /* memcpy from an odd offset: the portable way to read unaligned data. */
    uint64_t v;
    memcpy(&v, raw + 6, sizeof v);
    printf("memcpy from offset 6: 0x%016" PRIx64 "\n", v);

    /* 2. Real misaligned instructions at every offset 1..7. */
    static unsigned char buf[32] __attribute__((aligned(16)));
    for (int i = 0; i < 32; i++)
        buf[i] = (unsigned char)(0x10 + i);
    uint64_t sum = 0;
    for (int off = 1; off < 8; off++) {
        unsigned char *p = buf + off;
        int64_t d;
        int64_t w;
        int64_t hw;
        uint64_t expect64;
        uint32_t expect32;
        uint16_t expect16;
        memcpy(&expect64, p, 8);
        memcpy(&expect32, p, 4);
        memcpy(&expect16, p, 2);
        __asm__ volatile("ld %0, 0(%1)" : "=r"(d) : "r"(p) : "memory");
        __asm__ volatile("lw %0, 0(%1)" : "=r"(w) : "r"(p) : "memory");
        __asm__ volatile("lh %0, 0(%1)" : "=r"(hw) : "r"(p) : "memory");
        check((uint64_t)d == expect64, "ld", off);
        check(w == (int32_t)expect32, "lw", off);
        check(hw == (int16_t)expect16, "lh", off);
        sum += (uint64_t)d + (uint64_t)w + (uint64_t)hw;
    }
    printf("misaligned loads: sum 0x%016" PRIx64 "\n", sum);

    unsigned char *p = buf + 3;
    uint64_t dval = 0x8877665544332211ULL;
    __asm__ volatile("sd %0, 0(%1)" : : "r"(dval), "r"(p) : "memory");
    __asm__ volatile("sw %0, 9(%1)" : : "r"(0xa1b2c3d4UL), "r"(p) : "memory");
    __asm__ volatile("sh %0, 14(%1)" : : "r"(0xfeedUL), "r"(p) : "memory");
    printf("after sd/sw/sh at offsets 3/12/17:");
    for (int i = 0; i < 20; i++)
        printf(" %02x", buf[i]);
    printf("\n");
    uint64_t back;
    memcpy(&back, p, 8);
    check(back == dval, "sd", 3);

    /* Floating point: fsd/fld and fsw/flw at offset 5. */
    double dv = -1234.5625, dr;
    float fv = 0.15625f, fr;
    unsigned char *q = buf + 5;
    __asm__ volatile("fsd %0, 0(%1)" : : "f"(dv), "r"(q) : "memory");
    __asm__ volatile("fld %0, 0(%1)" : "=f"(dr) : "r"(q) : "memory");
    __asm__ volatile("fsw %0, 9(%1)" : : "f"(fv), "r"(q) : "memory");
    __asm__ volatile("flw %0, 9(%1)" : "=f"(fr) : "r"(q) : "memory");
    printf("fld/flw at offsets 5/14: %g %g\n", dr, (double)fr);
    check(dr == dv, "fsd/fld", 5);
    check(fr == fv, "fsw/flw", 14);

    if (failures == 0)
        printf("misaligned: all checks passed\n");
    return failures ? 1 : 0;
}
