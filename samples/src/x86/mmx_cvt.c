/*
 * mmx_cvt.c (x86-64 only) - the SSE conversions between floats and MMX int32 pairs:
 * cvtpi2ps, cvtpi2pd, cvtps2pi, cvttps2pi, cvtpd2pi, cvttpd2pi (register and memory forms),
 * and the packed SSE2 conversions gcc uses for the same intrinsics (cvtpd2dq ...), under each
 * MXCSR rounding mode, with the exception flags each leaves (precision, invalid, overflow,
 * underflow).  Written in inline assembly, since gcc folds conversions of constants and picks
 * other instructions for the intrinsics.  Every line is the CPU's own answer: sysemu's test
 * compares it with the host CPU.
 *
 * Usage: mmx_cvt
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *mode_name[] = { "nearest", "down", "up", "zero" };

/* Runs `insn` on the operands with MXCSR = all exceptions masked, rounding rc, flags clear. */
#define CONV(insn, out, in, cons_out, cons_in)                                   \
    __asm__ volatile("ldmxcsr %[csr]\n\t" insn " %[src], %[dst]\n\tstmxcsr %[res]" \
                     : [dst] cons_out(out), [res] "=m"(res)                      \
                     : [src] cons_in(in), [csr] "m"(csr))

static void pi(const char *what, uint64_t v, unsigned res)
{
    __asm__ volatile("emms");
    printf("  %-10s %11d %11d  flags %02x\n", what, (int32_t)v, (int32_t)(v >> 32), res & 0x3f);
}

int main(void)
{
    static float fs[][4] __attribute__((aligned(16))) = {
        { 1.5f, -2.5f, 0, 0 }, { 0.49f, -0.51f, 0, 0 }, { 3e9f, -3e9f, 0, 0 }, { 2147483520.0f, -2147483648.0f, 0, 0 } };
    static double ds[][2] __attribute__((aligned(16))) = {
        { 2.5, -3.5 }, { 1e10, -0.75 }, { 2147483647.0, -2147483648.49 }, { 1e300, 1e-300 } };
    static int32_t is[][2] __attribute__((aligned(16))) = { { 16777217, -16777219 }, { 2147483647, -2147483647 - 1 }, { 7, -9 } };
    for (unsigned rc = 0; rc < 4; rc++) {
        unsigned csr = 0x1f80 | rc << 13, res;
        uint64_t m;
        printf("%s:\n", mode_name[rc]);
        for (unsigned k = 0; k < sizeof fs / sizeof fs[0]; k++) {
            typedef float v4 __attribute__((vector_size(16)));
            v4 x = *(v4 *)fs[k];
            CONV("cvtps2pi", m, x, "=y", "x"); pi("cvtps2pi", m, res);
            CONV("cvttps2pi", m, x, "=y", "x"); pi("cvttps2pi", m, res);
            uint64_t two;
            memcpy(&two, fs[k], 8);
            CONV("cvtps2pi", m, two, "=y", "m"); pi("cvtps2pi m", m, res);
            typedef int32_t i4 __attribute__((vector_size(16)));
            i4 q;
            CONV("cvtps2dq", q, x, "=x", "x");
            printf("  %-10s %11d %11d  flags %02x\n", "cvtps2dq", q[0], q[1], res & 0x3f);
        }
        for (unsigned k = 0; k < sizeof ds / sizeof ds[0]; k++) {
            typedef double v2 __attribute__((vector_size(16)));
            v2 x = *(v2 *)ds[k];
            CONV("cvtpd2pi", m, x, "=y", "x"); pi("cvtpd2pi", m, res);
            CONV("cvttpd2pi", m, x, "=y", "x"); pi("cvttpd2pi", m, res);
            CONV("cvtpd2pi", m, *(v2 *)ds[k], "=y", "m"); pi("cvtpd2pi m", m, res);
            typedef int32_t i4 __attribute__((vector_size(16)));
            typedef float f4 __attribute__((vector_size(16)));
            i4 q;
            f4 f;
            CONV("cvtpd2dq", q, x, "=x", "x");
            printf("  %-10s %11d %11d  flags %02x\n", "cvtpd2dq", q[0], q[1], res & 0x3f);
            CONV("cvtpd2ps", f, x, "=x", "x");
            printf("  %-10s %.9g %.9g  flags %02x\n", "cvtpd2ps", f[0], f[1], res & 0x3f);
        }
        for (unsigned k = 0; k < sizeof is / sizeof is[0]; k++) {
            typedef float v4 __attribute__((vector_size(16)));
            typedef double v2 __attribute__((vector_size(16)));
            typedef int32_t i4 __attribute__((vector_size(16)));
            uint64_t src = (uint32_t)is[k][0] | (uint64_t)(uint32_t)is[k][1] << 32;
            v4 f = { 9.25f, 8.5f, 7.75f, 6.5f };
            v2 d;
            __asm__ volatile("ldmxcsr %[csr]\n\tcvtpi2ps %[s], %[f]\n\tstmxcsr %[res]\n\temms" : [f] "+x"(f), [res] "=m"(res) : [s] "y"(src), [csr] "m"(csr));
            printf("  cvtpi2ps   %.9g %.9g %g %g  flags %02x\n", f[0], f[1], f[2], f[3], res & 0x3f);
            __asm__ volatile("ldmxcsr %[csr]\n\tcvtpi2ps %[s], %[f]\n\tstmxcsr %[res]" : [f] "+x"(f), [res] "=m"(res) : [s] "m"(is[k]), [csr] "m"(csr));
            printf("  cvtpi2ps m %.9g %.9g  flags %02x\n", f[0], f[1], res & 0x3f);
            __asm__ volatile("ldmxcsr %[csr]\n\tcvtpi2pd %[s], %[d]\n\tstmxcsr %[res]\n\temms" : [d] "=x"(d), [res] "=m"(res) : [s] "y"(src), [csr] "m"(csr));
            printf("  cvtpi2pd   %.17g %.17g  flags %02x\n", d[0], d[1], res & 0x3f);
            i4 q = { is[k][0], is[k][1], 16777217, 3 };
            CONV("cvtdq2ps", f, q, "=x", "x");
            printf("  cvtdq2ps   %.9g %.9g %.9g  flags %02x\n", f[0], f[1], f[2], res & 0x3f);
        }
    }
    return 0;
}
