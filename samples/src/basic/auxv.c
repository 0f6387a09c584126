/*
 * auxv.c - the ELF auxiliary vector, read two ways.
 *
 * Shows: besides argc, argv and envp, the kernel leaves an array of
 * (type, value) pairs on the initial stack: the auxv.  It tells the
 * program (and the dynamic loader) the page size, where its program
 * headers are, its entry point, its credentials, 16 random bytes, and
 * where the kernel mapped the vDSO (AT_SYSINFO_EHDR).
 *
 *  1. getauxval(3) for the main AT_ entries (glibc's way).
 *  2. By hand, as in the lecture: walk past the NULL that ends envp[]
 *     and read Elf64_auxv_t entries until AT_NULL.  (The slide had two
 *     slips: Elf32_auxv_t on a 64-bit machine, and `!=` where `==` was
 *     meant.  Both are fixed here.)
 *  3. Check that both ways agree on AT_SYSINFO_EHDR, and that every entry
 *     found on the stack is what getauxval() returns for its type.
 *
 * Output: addresses and hardware capabilities, so it differs between
 * runs and emulators and is not diffed byte for byte.  The last line is
 * "both ways agree: yes".
 * Exit status: 0 when the two ways agree, 1 otherwise.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <sys/auxv.h>

/* Not every libc header knows the newer or riscv-only numbers. */
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#endif

enum shape { DEC, HEX, STR };

struct at_name {
    unsigned long type;
    const char *name;
    enum shape shape;
};

static const struct at_name at_names[] = {
    { AT_SYSINFO_EHDR, "AT_SYSINFO_EHDR", HEX },
    { AT_L1I_CACHESIZE, "AT_L1I_CACHESIZE", DEC },
    { AT_L1I_CACHEGEOMETRY, "AT_L1I_CACHEGEOMETRY", HEX },
    { AT_L1D_CACHESIZE, "AT_L1D_CACHESIZE", DEC },
    { AT_L1D_CACHEGEOMETRY, "AT_L1D_CACHEGEOMETRY", HEX },
    { AT_L2_CACHESIZE, "AT_L2_CACHESIZE", DEC },
    { AT_L2_CACHEGEOMETRY, "AT_L2_CACHEGEOMETRY", HEX },
    { AT_L3_CACHESIZE, "AT_L3_CACHESIZE", DEC },
    { AT_L3_CACHEGEOMETRY, "AT_L3_CACHEGEOMETRY", HEX },
    { AT_MINSIGSTKSZ, "AT_MINSIGSTKSZ", DEC },
    { AT_HWCAP, "AT_HWCAP", HEX },
    { AT_PAGESZ, "AT_PAGESZ", DEC },
    { AT_CLKTCK, "AT_CLKTCK", DEC },
    { AT_PHDR, "AT_PHDR", HEX },
    { AT_PHENT, "AT_PHENT", DEC },
    { AT_PHNUM, "AT_PHNUM", DEC },
    { AT_BASE, "AT_BASE", HEX },
    { AT_FLAGS, "AT_FLAGS", HEX },
    { AT_ENTRY, "AT_ENTRY", HEX },
    { AT_UID, "AT_UID", DEC },
    { AT_EUID, "AT_EUID", DEC },
    { AT_GID, "AT_GID", DEC },
    { AT_EGID, "AT_EGID", DEC },
    { AT_SECURE, "AT_SECURE", DEC },
    { AT_RANDOM, "AT_RANDOM", HEX },
    { AT_HWCAP2, "AT_HWCAP2", HEX },
    { AT_EXECFN, "AT_EXECFN", STR },
    { AT_PLATFORM, "AT_PLATFORM", STR },
    { AT_RSEQ_FEATURE_SIZE, "AT_RSEQ_FEATURE_SIZE", DEC },
    { AT_RSEQ_ALIGN, "AT_RSEQ_ALIGN", DEC },
    { AT_IGNORE, "AT_IGNORE", DEC },
};

#define N_NAMES (sizeof at_names / sizeof at_names[0])

static const struct at_name *lookup(unsigned long type)
{
    for (size_t i = 0; i < N_NAMES; i++)
        if (at_names[i].type == type)
            return &at_names[i];
    return NULL;
}

static void print_entry(unsigned long type, unsigned long value)
{
    const struct at_name *n = lookup(type);
    char unknown[32];
    const char *name = n ? n->name : unknown;

    if (!n)
        snprintf(unknown, sizeof unknown, "AT_??? (%lu)", type);
    if (n && n->shape == STR)
        printf("%-22s %s\n", name, value ? (const char *)value : "(null)");
    else if (n && n->shape == DEC)
        printf("%-22s %lu\n", name, value);
    else
        printf("%-22s 0x%lx\n", name, value);
}

int main(int argc, char *argv[], char *envp[])
{
    (void)argc;
    (void)argv;

    /* 1. glibc's getauxval(3): it sets errno to ENOENT for absent types. */
    printf("--- getauxval(3)\n");
    for (size_t i = 0; i < N_NAMES; i++) {
        if (at_names[i].type == AT_IGNORE)
            continue;
        errno = 0;
        unsigned long v = getauxval(at_names[i].type);
        if (errno != ENOENT)
            print_entry(at_names[i].type, v);
    }

    /* 2. By hand: the auxv starts right after envp's terminating NULL. */
    char **ep = envp;
    while (*ep++)
        ;
    Elf64_auxv_t *auxv = (Elf64_auxv_t *)ep;

    printf("--- walked from envp (stack order)\n");
    void *ehdr_walked = NULL;
    int entries = 0, mismatches = 0;
    for (Elf64_auxv_t *a = auxv; a->a_type != AT_NULL; a++) {
        entries++;
        print_entry(a->a_type, a->a_un.a_val);
        if (a->a_type == AT_SYSINFO_EHDR)
            ehdr_walked = (void *)a->a_un.a_val;
        /* AT_IGNORE entries are padding; everything else must agree. */
        if (a->a_type != AT_IGNORE && getauxval(a->a_type) != a->a_un.a_val) {
            printf("    mismatch: getauxval says 0x%lx\n", getauxval(a->a_type));
            mismatches++;
        }
    }
    printf("%d entries before AT_NULL\n", entries);

    /* 3. The lecture's question: where is the vDSO? */
    void *ehdr_glibc = (void *)getauxval(AT_SYSINFO_EHDR);
    printf("--- AT_SYSINFO_EHDR\n");
    printf("getauxval:   %p\n", ehdr_glibc);
    printf("stack walk:  %p\n", ehdr_walked);
    if (!ehdr_walked)
        fputs("no AT_SYSINFO_EHDR: architecture w/o vDSO?\n", stderr);

    int agree = ehdr_walked != NULL && ehdr_walked == ehdr_glibc && mismatches == 0;
    printf("both ways agree: %s\n", agree ? "yes" : "no");
    return agree ? 0 : 1;
}
