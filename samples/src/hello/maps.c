/*
 * maps.c - the process's memory map, /proc/self/maps.
 *
 * Shows: every mapping of the address space, one line each:
 *     start-end perms offset dev inode   path
 * The program text and data from the ELF file, the [heap] that brk(2)
 * grows (a small malloc makes sure it exists), the [stack], and the two
 * mappings the kernel adds for the vDSO: [vvar] (the time data it reads)
 * and [vdso] (its code).  After printing the file the program checks
 * those four names appear.
 *
 * Expected output: the maps (addresses: not diffable), then
 *     [stack]: found
 *     [heap]: found
 *     [vdso]: found
 *     [vvar]: found
 * Exit status: 0 if all four were found, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    /* Below M_MMAP_THRESHOLD, so it comes from the brk heap. */
    char *small = malloc(1000);
    if (!small)
        return 1;
    small[0] = 1;

    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) {
        perror("fopen /proc/self/maps");
        return 1;
    }
    static const char *const wanted[] = { "[stack]", "[heap]", "[vdso]", "[vvar]" };
    int found[4] = { 0 };
    char line[512];
    while (fgets(line, sizeof line, f)) {
        fputs(line, stdout);
        for (int i = 0; i < 4; i++)
            if (strstr(line, wanted[i]))
                found[i] = 1;
    }
    fclose(f);

    int all = 1;
    for (int i = 0; i < 4; i++) {
        printf("%s: %s\n", wanted[i], found[i] ? "found" : "missing");
        all &= found[i];
    }
    free(small);
    return all ? 0 : 1;
}
