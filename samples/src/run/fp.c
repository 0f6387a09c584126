/*
 * fp.c - the floating-point unit: libm, conversions, rounding modes and
 * exception flags.
 *
 * Shows:
 *  - libm results (sqrt, sin, cos, exp, log, pow, atan2, fma) printed with
 *    %.17g and %a, so every bit of the result is visible;
 *  - float <-> double <-> integer conversions, including what the RISC-V
 *    fcvt instructions give for NaN and out-of-range values (the largest
 *    integer; C leaves that undefined, so it is done with inline asm);
 *  - the dynamic rounding mode (frm): fesetround() to each mode, then
 *    rint() and 1/3 computed in that mode;
 *  - the accrued exception flags (fflags) that fetestexcept() reads after
 *    inexact, divide-by-zero, invalid, overflow and underflow operations.
 * Operands are volatile and the file is built with -frounding-math so the
 * compiler computes nothing ahead of time.
 *
 * Expected output (deterministic): ends with "fp: done".
 * Exit status: 0
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static void show(const char *what, double v)
{
    printf("%-14s %.17g %a\n", what, v, v);
}

static void show_flags(const char *what)
{
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-22s flags:%s%s%s%s%s%s\n", what, f & FE_INEXACT ? " inexact" : "",
           f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_INVALID ? " invalid" : "",
           f & FE_OVERFLOW ? " overflow" : "", f & FE_UNDERFLOW ? " underflow" : "",
           f ? "" : " none");
}

/* fcvt.l.d with round-towards-zero: the hardware's answer, no UB. */
static long long cvt_l_d(double x)
{
    long long r;
    __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(r) : "f"(x));
    return r;
}

static int cvt_w_d(double x)
{
    long r;
    __asm__ volatile("fcvt.w.d %0, %1, rtz" : "=r"(r) : "f"(x));
    return (int)r;
}

static unsigned long long cvt_lu_d(double x)
{
    unsigned long long r;
    __asm__ volatile("fcvt.lu.d %0, %1, rtz" : "=r"(r) : "f"(x));
    return r;
}

int main(void)
{
    volatile double two = 2.0, half = 0.5, ten = 10.0, one = 1.0, three = 3.0;
    volatile double zero = 0.0, minus_one = -1.0;

    printf("--- libm\n");
    show("sqrt(2)", sqrt(two));
    show("sin(0.5)", sin(half));
    show("cos(0.5)", cos(half));
    show("tan(0.5)", tan(half));
    show("exp(1)", exp(one));
    show("log(10)", log(ten));
    show("log2(10)", log2(ten));
    show("pow(2,0.5)", pow(two, half));
    show("pow(10,-3)", pow(ten, -three));
    show("atan2(1,-1)", atan2(one, minus_one));
    show("cbrt(10)", cbrt(ten));
    show("fma(.1,10,-1)", fma(0.1 * one, ten, minus_one));
    show(".1*10-1", 0.1 * one * ten - one);
    show("sqrtf(2)", (double)sqrtf((float)two));
    show("hypot(3,4)", hypot(three, 4.0 * one));
    show("fmod(10,3)", fmod(ten, three));
    show("sqrt(-1)", sqrt(minus_one));

    printf("--- conversions\n");
    volatile double d = 16777217.0;             /* 2^24 + 1: not a float */
    volatile float f = (float)d;
    printf("double 16777217 -> float %.1f\n", (double)f);
    volatile double third = one / three;
    printf("1/3 as float %.9g, back to double %.17g\n", (double)(float)third,
           (double)(float)third);
    printf("(int)-2.9 = %d, (long)1e18 = %ld, (unsigned)3.99 = %u\n", (int)(-2.9 * one),
           (long)(1e18 * one), (unsigned)(3.99 * one));
    printf("(double)INT64_MAX = %.17g\n", (double)(int64_t)(INT64_MAX - (int64_t)zero));
    printf("(float)UINT64_MAX = %.9g\n", (double)(float)(uint64_t)(UINT64_MAX - (uint64_t)zero));
    volatile double nan = zero / zero, big = 1e300 * ten;
    printf("fcvt.w.d: NaN=%d +big=%d -big=%d\n", cvt_w_d(nan), cvt_w_d(big), cvt_w_d(-big));
    printf("fcvt.l.d: NaN=%lld +big=%lld -big=%lld\n", cvt_l_d(nan), cvt_l_d(big), cvt_l_d(-big));
    printf("fcvt.lu.d: -1=%llu NaN=%llu\n", cvt_lu_d(minus_one), cvt_lu_d(nan));
    printf("signbit(-0.0)=%d isnan(0/0)=%d isinf(1/0)=%d isinf(1e301)=%d\n", signbit(-zero) != 0,
           isnan(nan) != 0, isinf(one / zero) != 0, isinf(big) != 0);

    printf("--- rounding modes\n");
    static const struct {
        int mode;
        const char *name;
    } modes[] = { { FE_TONEAREST, "to nearest" }, { FE_UPWARD, "upward" },
                  { FE_DOWNWARD, "downward" }, { FE_TOWARDZERO, "toward zero" } };
    volatile double samples[] = { 2.5, -2.5, 1.5, -0.5, 0.7 };
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        if (fesetround(modes[m].mode) != 0) {
            printf("fesetround(%s) failed\n", modes[m].name);
            continue;
        }
        printf("%-11s (fegetround ok: %s) rint:", modes[m].name,
               fegetround() == modes[m].mode ? "yes" : "no");
        for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
            printf(" %g", rint(samples[i]));
        printf(" 1/3=%a -1/3=%a (float)0.1=%a\n", one / three, minus_one / three,
               (double)(float)(0.1 * one));
    }
    fesetround(FE_TONEAREST);

    printf("--- exception flags\n");
    volatile double r;
    feclearexcept(FE_ALL_EXCEPT);
    show_flags("after feclearexcept");
    r = one + one;
    show_flags("1.0 + 1.0");
    feclearexcept(FE_ALL_EXCEPT);
    r = one / three;
    show_flags("1.0 / 3.0");
    feclearexcept(FE_ALL_EXCEPT);
    r = one / zero;
    show_flags("1.0 / 0.0");
    feclearexcept(FE_ALL_EXCEPT);
    r = zero / zero;
    show_flags("0.0 / 0.0");
    feclearexcept(FE_ALL_EXCEPT);
    r = DBL_MAX * two;
    show_flags("DBL_MAX * 2");
    feclearexcept(FE_ALL_EXCEPT);
    r = DBL_MIN / (three * 1e10);
    show_flags("DBL_MIN / 3e10");
    feclearexcept(FE_ALL_EXCEPT);
    r = sqrt(minus_one);
    show_flags("sqrt(-1)");
    feclearexcept(FE_ALL_EXCEPT);
    (void)cvt_w_d(big);
    show_flags("fcvt.w.d(1e301)");
    (void)r;

    printf("fp: done\n");
    return 0;
}
