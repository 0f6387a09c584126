/*
 * matmul.c - benchmark: double-precision matrix multiply.
 *
 * Shows: floating-point loads, multiply-adds and stores (fmadd.d when the
 * compiler contracts a*b+c) over 300x300 matrices, in the cache-friendly
 * i-k-j loop order.  The matrices are filled from a fixed formula, so the
 * result is the same everywhere; only sums and one element are printed.
 *
 * Expected output (deterministic):
 *     n = 300, repeat 4
 *     trace: ...
 *     sum: ...
 * Exit status: 0
 * Takes about 1-3 s under qemu-riscv64.
 */
#include <stdio.h>

#define N 300
#define REPEAT 4

static double a[N][N], b[N][N], c[N][N];

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)((i * 7 + j * 3) % 17) / 16.0 - 0.5;
            b[i][j] = (double)((i * 5 + j * 11) % 13) / 12.0 + 0.25;
        }

    for (int rep = 0; rep < REPEAT; rep++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                c[i][j] = 0.0;
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++) {
                double aik = a[i][k];
                for (int j = 0; j < N; j++)
                    c[i][j] += aik * b[k][j];
            }
        /* feed the result back so no repetition can be skipped */
        for (int i = 0; i < N; i++)
            a[i][(i + rep) % N] += c[i][i] * 1e-6;
    }

    double trace = 0.0, sum = 0.0;
    for (int i = 0; i < N; i++) {
        trace += c[i][i];
        for (int j = 0; j < N; j++)
            sum += c[i][j];
    }
    printf("n = %d, repeat %d\n", N, REPEAT);
    printf("trace: %.10e\n", trace);
    printf("sum: %.10e\n", sum);
    printf("c[17][42]: %.17g\n", c[17][42]);
    return 0;
}
