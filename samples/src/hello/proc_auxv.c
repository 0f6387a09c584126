/*
 * proc_auxv.c - /proc/self/auxv against the auxv on the stack.
 *
 * Shows: the kernel keeps a copy of the auxiliary vector it built for
 * the process (mm->saved_auxv) and shows it in /proc/<pid>/auxv as raw
 * Elf64_auxv_t pairs, up to and including the AT_NULL pair.  The program
 * reads that file, finds the auxv on its own stack (just past the NULL
 * that ends envp[]), and compares the two byte for byte.
 *
 * Expected output:  auxv matches: <n> entries      (n without AT_NULL)
 *   or, on a difference, both vectors side by side and "auxv differs".
 * Diffable: no (n depends on the kernel: riscv cache entries, RSEQ...).
 * Exit status: 0 if they match, 1 otherwise.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_BYTES 4096

int main(int argc, char *argv[], char *envp[])
{
    (void)argc;
    (void)argv;

    /* The auxv on the stack, including its AT_NULL terminator. */
    char **ep = envp;
    while (*ep++)
        ;
    const Elf64_auxv_t *stack_auxv = (const Elf64_auxv_t *)ep;
    size_t n = 0;
    while (stack_auxv[n].a_type != AT_NULL)
        n++;
    size_t stack_bytes = (n + 1) * sizeof(Elf64_auxv_t);

    /* The kernel's copy. */
    static unsigned char file[MAX_BYTES];
    int fd = open("/proc/self/auxv", O_RDONLY);
    if (fd < 0) {
        perror("open /proc/self/auxv");
        return 1;
    }
    size_t file_bytes = 0;
    ssize_t got;
    while (file_bytes < sizeof file &&
           (got = read(fd, file + file_bytes, sizeof file - file_bytes)) > 0)
        file_bytes += (size_t)got;
    close(fd);

    if (file_bytes == stack_bytes && memcmp(file, stack_auxv, stack_bytes) == 0) {
        printf("auxv matches: %zu entries\n", n);
        return 0;
    }

    printf("stack: %zu bytes, /proc/self/auxv: %zu bytes\n", stack_bytes, file_bytes);
    const Elf64_auxv_t *file_auxv = (const Elf64_auxv_t *)file;
    size_t file_n = file_bytes / sizeof(Elf64_auxv_t);
    for (size_t i = 0; i < n + 1 || i < file_n; i++) {
        if (i <= n)
            printf("stack %2lu=0x%-16lx", (unsigned long)stack_auxv[i].a_type,
                   (unsigned long)stack_auxv[i].a_un.a_val);
        else
            printf("%27s", "");
        if (i < file_n)
            printf("   file %2lu=0x%lx", (unsigned long)file_auxv[i].a_type,
                   (unsigned long)file_auxv[i].a_un.a_val);
        printf("\n");
    }
    printf("auxv differs\n");
    return 1;
}
