/*
 * bitmanip.c - the bit-manipulation extensions Zba, Zbb and Zbs.
 *
 * Shows: instructions beyond RV64GC.  Built with
 * -march=rv64gc_zba_zbb_zbs, so the compiler itself uses them for
 * __builtin_clzll/ctzll/popcountll/bswap64, rotates and min/max; the
 * instructions are also issued directly with inline asm (clz, ctz, cpop,
 * the *w forms, rol/ror/rori, rev8, orc.b, sext.b/h, zext.h, andn, orn,
 * xnor, min/max[u], sh1add..sh3add[.uw], add.uw, slli.uw, bset/bclr/
 * binv/bext[i]).  Every result is compared with a plain C reference.
 * qemu-riscv64 (7.2) runs them; an emulator without them raises SIGILL.
 *
 * Expected output (deterministic): one line per instruction group, then
 * "bitmanip: all checks passed".
 * Exit status: 0 (1 if a result differed from the reference)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static int failures;

static void check(const char *name, uint64_t got, uint64_t want)
{
    printf("%-10s 0x%016" PRIx64 "%s\n", name, got, got == want ? "" : "  <- WRONG");
    if (got != want) {
        printf("           expected 0x%016" PRIx64 "\n", want);
        failures++;
    }
}

#define R1(insn, a)                                                     \
    ({                                                                  \
        uint64_t r_;                                                    \
        __asm__(insn " %0, %1" : "=r"(r_) : "r"((uint64_t)(a)));        \
        r_;                                                             \
    })
#define R2(insn, a, b)                                                  \
    ({                                                                  \
        uint64_t r_;                                                    \
        __asm__(insn " %0, %1, %2"                                      \
                : "=r"(r_)                                              \
                : "r"((uint64_t)(a)), "r"((uint64_t)(b)));              \
        r_;                                                             \
    })
#define RI(insn, a, imm)                                                \
    ({                                                                  \
        uint64_t r_;                                                    \
        __asm__(insn " %0, %1, %2" : "=r"(r_) : "r"((uint64_t)(a)), "i"(imm)); \
        r_;                                                             \
    })

/* Plain C references, written without any builtin. */
static uint64_t ref_clz(uint64_t x)
{
    uint64_t n = 0;
    for (int i = 63; i >= 0 && !(x >> i & 1); i--)
        n++;
    return n;
}

static uint64_t ref_ctz(uint64_t x)
{
    uint64_t n = 0;
    for (int i = 0; i < 64 && !(x >> i & 1); i++)
        n++;
    return n;
}

static uint64_t ref_cpop(uint64_t x)
{
    uint64_t n = 0;
    for (; x; x >>= 1)
        n += x & 1;
    return n;
}

static uint64_t ref_rol(uint64_t x, unsigned s)
{
    s &= 63;
    return s ? x << s | x >> (64 - s) : x;
}

static uint64_t ref_ror(uint64_t x, unsigned s)
{
    s &= 63;
    return s ? x >> s | x << (64 - s) : x;
}

static uint64_t sext32(uint64_t x)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)x;
}

static uint64_t ref_rev8(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        r |= (x >> (8 * i) & 0xff) << (8 * (7 - i));
    return r;
}

static uint64_t ref_orcb(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        if (x >> (8 * i) & 0xff)
            r |= 0xffULL << (8 * i);
    return r;
}

int main(void)
{
    volatile uint64_t va = 0x00f0000000001230ULL, vb = 0x8000000000000001ULL;
    volatile uint64_t vneg = (uint64_t)-5, vsmall = 7;
    uint64_t a = va, b = vb, neg = vneg, small = vsmall;

    printf("--- Zbb: counting\n");
    check("clz", R1("clz", a), ref_clz(a));
    check("ctz", R1("ctz", a), ref_ctz(a));
    check("cpop", R1("cpop", a), ref_cpop(a));
    check("clz(0)", R1("clz", 0), 64);
    check("clzw", R1("clzw", 0x00001000), 19);
    check("ctzw(0)", R1("ctzw", 0), 32);
    check("cpopw", R1("cpopw", 0xffffffff0000000fULL), 4);
    check("builtins", (uint64_t)__builtin_clzll(a) << 32 | (uint64_t)__builtin_ctzll(a) << 16 |
                          (uint64_t)__builtin_popcountll(a),
          ref_clz(a) << 32 | ref_ctz(a) << 16 | ref_cpop(a));

    printf("--- Zbb: rotates and bytes\n");
    check("rol 12", R2("rol", a, 12), ref_rol(a, 12));
    check("ror 12", R2("ror", a, 12), ref_ror(a, 12));
    check("ror 76", R2("ror", a, 76), ref_ror(a, 12)); /* shift amount is mod 64 */
    check("rori 4", RI("rori", b, 4), ref_ror(b, 4));
    check("rolw 4", R2("rolw", 0x80000001, 4), sext32(0x00000018));
    check("rorw 4", R2("rorw", 0x80000001, 4), sext32(0x18000000));
    check("roriw 1", RI("roriw", 0x00000003, 1), sext32(0x80000001));
    check("rev8", R1("rev8", a), ref_rev8(a));
    check("bswap64", __builtin_bswap64(a), ref_rev8(a));
    check("orc.b", R1("orc.b", 0x0100ff0000300000ULL), ref_orcb(0x0100ff0000300000ULL));

    printf("--- Zbb: logic, extension, min/max\n");
    check("andn", R2("andn", a, 0xff0), a & ~0xff0ULL);
    check("orn", R2("orn", a, 0xff0), a | ~0xff0ULL);
    check("xnor", R2("xnor", a, b), ~(a ^ b));
    check("sext.b", R1("sext.b", 0x1280), (uint64_t)(int64_t)(int8_t)0x80);
    check("sext.h", R1("sext.h", 0x18000), (uint64_t)(int64_t)(int16_t)0x8000);
    check("zext.h", R1("zext.h", neg), neg & 0xffff);
    check("min", R2("min", neg, small), neg);
    check("max", R2("max", neg, small), small);
    check("minu", R2("minu", neg, small), small);
    check("maxu", R2("maxu", neg, small), neg);

    printf("--- Zba: address generation\n");
    check("sh1add", R2("sh1add", small, a), a + (small << 1));
    check("sh2add", R2("sh2add", small, a), a + (small << 2));
    check("sh3add", R2("sh3add", small, a), a + (small << 3));
    check("add.uw", R2("add.uw", neg, 1), (neg & 0xffffffffULL) + 1);
    check("sh3add.uw", R2("sh3add.uw", neg, 0), (neg & 0xffffffffULL) << 3);
    check("slli.uw", RI("slli.uw", neg, 4), (neg & 0xffffffffULL) << 4);

    printf("--- Zbs: single bits\n");
    check("bset 40", R2("bset", a, 40), a | 1ULL << 40);
    check("bclr 4", R2("bclr", a, 4), a & ~(1ULL << 4));
    check("binv 63", R2("binv", a, 63), a ^ 1ULL << 63);
    check("bext 52", R2("bext", a, 52), a >> 52 & 1);
    check("bseti 1", RI("bseti", a, 1), a | 2);
    check("bexti 5", RI("bexti", a, 5), a >> 5 & 1);
    check("bset 70", R2("bset", 0, 70), 1ULL << 6); /* bit index is mod 64 */

    if (failures == 0)
        printf("bitmanip: all checks passed\n");
    return failures ? 1 : 0;
}
