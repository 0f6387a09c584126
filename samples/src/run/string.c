/*
 * string.c - the <string.h> workhorses.
 *
 * Shows: glibc's string functions, which on riscv64 are tuned C loops
 * doing word-sized loads and stores (often not aligned to the string):
 * strlen, strcmp, strncmp, memcmp, memcpy, memmove with overlap both
 * ways, memset, strchr/strrchr, strstr, strtok_r, strspn/strcspn,
 * strdup and snprintf.  Lengths and offsets are varied so that every
 * alignment is hit; results are summarised in checksums.
 *
 * Expected output (deterministic): one line per function, then
 * "string: all checks passed".
 * Exit status: 0 (1 if a check failed)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("FAILED: %s\n", what);
        failures++;
    }
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static uint32_t fnv1a(const void *p, size_t n, uint32_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

int main(void)
{
    static char buf[512], other[512];

    /* strlen at every start offset and length up to 64. */
    size_t total = 0;
    for (size_t off = 0; off < 8; off++) {
        for (size_t len = 0; len < 64; len++) {
            memset(buf, 'x', sizeof buf);
            buf[off + len] = '\0';
            size_t got = strlen(buf + off);
            check(got == len, "strlen");
            total += got;
        }
    }
    printf("strlen: total %zu\n", total);

    /* strcmp / strncmp / memcmp: results normalised to -1, 0, 1. */
    const char *words[] = { "", "a", "ab", "abc", "abd", "abc\xff", "b", "ABC", "abcdefghijklmnop",
                            "abcdefghijklmnoq" };
    size_t nw = sizeof words / sizeof words[0];
    printf("strcmp:");
    for (size_t i = 0; i < nw; i++)
        for (size_t j = 0; j < nw; j++)
            printf("%c", "-0+"[sign(strcmp(words[i], words[j])) + 1]);
    printf("\n");
    printf("strncmp(3): %d %d %d\n", sign(strncmp("abcX", "abcY", 3)),
           sign(strncmp("abcX", "abcY", 4)), sign(strncmp("ab", "abc", 3)));
    printf("memcmp: %d %d %d\n", sign(memcmp("\x01\x80", "\x01\x7f", 2)),
           sign(memcmp("same", "same", 4)), sign(memcmp("aaaaaaaab", "aaaaaaaac", 9)));

    /* memcpy between all offset combinations. */
    uint32_t h = 2166136261u;
    for (size_t so = 0; so < 8; so++)
        for (size_t d = 0; d < 8; d++)
            for (size_t len = 0; len < 70; len += 3) {
                for (size_t i = 0; i < sizeof other; i++)
                    other[i] = (char)(i * 7 + so);
                memset(buf, 0, sizeof buf);
                memcpy(buf + d, other + so, len);
                check(memcmp(buf + d, other + so, len) == 0, "memcpy");
                h = fnv1a(buf, 80, h);
            }
    printf("memcpy: checksum 0x%08x\n", h);

    /* memmove with overlap in both directions. */
    strcpy(buf, "0123456789abcdefghij");
    memmove(buf + 3, buf, 10);
    printf("memmove right: %s\n", buf);
    strcpy(buf, "0123456789abcdefghij");
    memmove(buf, buf + 5, 12);
    printf("memmove left:  %s\n", buf);

    /* memset with odd sizes. */
    memset(buf, 0, sizeof buf);
    memset(buf + 3, 0x5a, 37);
    printf("memset: checksum 0x%08x\n", fnv1a(buf, 64, 2166136261u));

    /* Searching. */
    const char *text = "the quick brown fox jumps over the lazy dog";
    printf("strchr: %td strrchr: %td memchr: %td\n", strchr(text, 'o') - text,
           strrchr(text, 'o') - text, (const char *)memchr(text, 'z', strlen(text)) - text);
    printf("strstr: \"%s\" \"%s\" %s\n", strstr(text, "fox"), strstr(text, "the lazy"),
           strstr(text, "cat") ? "found" : "NULL");
    printf("strspn: %zu strcspn: %zu\n", strspn(text, "eht "), strcspn(text, "xyz"));

    /* Tokenising a copy (strtok_r writes into its argument). */
    char *copy = strdup("  /usr/local//bin:/bin::/sbin  ");
    char *save = NULL;
    printf("strtok_r:");
    for (char *tok = strtok_r(copy, ": ", &save); tok; tok = strtok_r(NULL, ": ", &save))
        printf(" [%s]", tok);
    printf("\n");
    free(copy);

    /* snprintf: exact fits and truncation. */
    char small[8];
    int n1 = snprintf(small, sizeof small, "%s", "1234567");
    printf("snprintf fits: %d \"%s\"\n", n1, small);
    /* Truncation is the point here: snprintf returns the length it wanted. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
    int n2 = snprintf(small, sizeof small, "%d", 123456789);
    printf("snprintf truncated: %d \"%s\"\n", n2, small);

    if (failures == 0)
        printf("string: all checks passed\n");
    return failures ? 1 : 0;
}
