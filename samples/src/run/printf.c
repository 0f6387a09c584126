/*
 * printf.c - glibc's printf on integers, doubles and strings.
 *
 * Shows: a lot of integer division, shifts and multi-word arithmetic in
 * the CPU (printf's digit conversion), and the floating-point unit
 * (%e/%f/%g/%a of doubles).  Every line is deterministic, so the output
 * is diffed byte for byte against qemu-riscv64.
 *
 * Expected output: starts with "int: 0 1 -1 2147483647 -2147483648" and
 * ends with "done".
 * Exit status: 0
 */
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

int main(void)
{
    /* Integers, signed and unsigned, at the edges. */
    printf("int: %d %d %d %d %d\n", 0, 1, -1, INT_MAX, INT_MIN);
    printf("unsigned: %u %u\n", 0u, UINT_MAX);
    printf("int64: %" PRId64 " %" PRId64 "\n", INT64_MAX, INT64_MIN);
    printf("uint64: %" PRIu64 "\n", UINT64_MAX);
    printf("short/char: %hd %hhd %hu %hhu\n", (short)-12345, (signed char)-100,
           (unsigned short)65535, (unsigned char)255);
    printf("hex: %x %X %#x %#lx %lx\n", 0xdeadbeefu, 0xcafeu, 255u, 0x1234abcdUL,
           (unsigned long)INT64_MIN);
    printf("octal: %o %#o %lo\n", 8u, 8u, 0777777777777UL);
    printf("padding: [%5d] [%-5d] [%05d] [%+d] [% d] [%+.3d]\n", 42, 42, 42, 42, 42, 7);
    printf("width from args: [%*d] [%-*d] [%.*d]\n", 6, 17, 6, 17, 4, 17);
    printf("size_t/ptrdiff: %zu %zd %td\n", (size_t)123456789, (ssize_t)-5, (ptrdiff_t)-77);

    /* Doubles in every conversion. */
    double values[] = { 0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 123456789.125, 1e-300,
                        6.02214076e23, DBL_MAX, DBL_MIN, DBL_TRUE_MIN };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        double v = values[i];
        printf("double[%zu]: %%f=%f %%e=%e %%g=%g %%.17g=%.17g %%a=%a\n", i, v, v, v, v, v);
    }
    printf("special: %f %f %f %e %g\n", INFINITY, -INFINITY, NAN, INFINITY, -NAN);
    printf("precision: [%.0f] [%.1f] [%.10f] [%10.3f] [%-10.2e] [%+.4g]\n", 2.5, 0.05,
           M_PI, M_E, 12345.678, 0.000123456);
    printf("rounding: %.0f %.0f %.0f %.0f %.2f %.2f\n", 0.5, 1.5, 2.5, -0.5, 1.005, 2.675);
    printf("float promoted: %f %a\n", 3.14159274f, 3.14159274f);
    printf("hex float: %A %.3a %a\n", 1.0, M_PI, 0x1p-1074);

    /* Strings and characters. */
    const char *s = "riscv64";
    printf("string: [%s] [%10s] [%-10s] [%.3s] [%*.*s]\n", s, s, s, s, 9, 2, s);
    printf("char: [%c] [%3c] [%-3c] [%%]\n", 'A', 'B', 'C');
    int n1 = 0, n2 = 0;
    printf("count: abc%n defgh%n\n", &n1, &n2);
    printf("counted %d and %d characters\n", n1, n2);

    char buf[16];
    /* Truncation is the point here: snprintf returns the length it wanted. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
    int full = snprintf(buf, sizeof buf, "%s-%d-%s", "truncated", 123456, "output");
    printf("snprintf: \"%s\" would need %d\n", buf, full);

    printf("done\n");
    return 0;
}
