/*
 * sys_hello.c - calling the course's own system call, SYS_hello (400).
 *
 * Shows: the lecture's sys_hello(char __user *buf, unsigned int len):
 * the kernel copies "Hello from kernel!" (19 bytes with the NUL) into
 * buf with copy_to_user().  It fails with EINVAL when len is too small
 * and with EFAULT when buf is not writable user memory.  With no
 * argument the program behaves like the slide's; an argument picks one
 * error case:
 *
 *   (none)     64-byte stack buffer         -> success
 *   exact      buffer of exactly 19 bytes   -> success
 *   short      len 5                        -> EINVAL
 *   zero       len 0                        -> EINVAL
 *   null       buf NULL                     -> EFAULT
 *   unmapped   a page that was munmap()ed   -> EFAULT
 *   readonly   a PROT_READ page             -> EFAULT
 *   edge       8 bytes before an unmapped page (the string does not fit
 *              in what is mapped, so the copy faults half way) -> EFAULT
 *   all        every case above, one line each
 *
 * Expected output with no argument, on a kernel that has SYS_hello:
 *     Invoke SYS_hello (400) demo system call...
 *     success, the result is: "Hello from kernel!"
 * On a kernel without it (e.g. under qemu-riscv64) the second line is
 *     failed, Function not implemented (38)
 * Exit status: 0 when the call (or, for `all`, every case) gave the
 * expected result, 1 otherwise, 2 for a bad argument.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_hello 400
#define HELLO_STR_LEN_MAX 64
#define HELLO_STRING "Hello from kernel!"

struct test_case {
    const char *name;
    int expected_errno; /* 0: success expected */
};

static const struct test_case cases[] = {
    { "ok", 0 },
    { "exact", 0 },
    { "short", EINVAL },
    { "zero", EINVAL },
    { "null", EFAULT },
    { "unmapped", EFAULT },
    { "readonly", EFAULT },
    { "edge", EFAULT },
};

#define N_CASES (sizeof cases / sizeof cases[0])

/* Returns a page-aligned mapping of `pages` pages, or NULL. */
static char *map_pages(size_t pages, int prot)
{
    void *p = mmap(NULL, pages * (size_t)getpagesize(), prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/*
 * Runs one case: calls SYS_hello with the buffer the case describes.
 * Returns 0 or the errno (-1 if the test could not be set up); on success
 * the string received is copied to `out`.
 */
static int run_case(const char *name, char *out, size_t out_len)
{
    size_t page = (size_t)getpagesize();
    char stack_buf[HELLO_STR_LEN_MAX] = { 0 };
    char *buf = stack_buf;
    unsigned int len = sizeof stack_buf;
    char *mapping = NULL; /* unmapped again at the end */

    if (strcmp(name, "exact") == 0) {
        len = sizeof HELLO_STRING;
    } else if (strcmp(name, "short") == 0) {
        len = 5;
    } else if (strcmp(name, "zero") == 0) {
        len = 0;
    } else if (strcmp(name, "null") == 0) {
        buf = NULL;
    } else if (strcmp(name, "unmapped") == 0) {
        if (!(buf = map_pages(1, PROT_READ | PROT_WRITE)))
            return -1;
        munmap(buf, page); /* the address is now a hole */
    } else if (strcmp(name, "readonly") == 0) {
        if (!(buf = mapping = map_pages(1, PROT_READ)))
            return -1;
    } else if (strcmp(name, "edge") == 0) {
        if (!(mapping = map_pages(2, PROT_READ | PROT_WRITE)))
            return -1;
        munmap(mapping + page, page); /* the second page becomes a hole */
        buf = mapping + page - 8;
    }

    long ret = syscall(SYS_hello, buf, len);
    int err = ret == -1 ? errno : 0;
    if (err == 0)
        snprintf(out, out_len, "%s", buf);
    if (mapping)
        munmap(mapping, page);
    return err;
}

static const char *errno_name(int err)
{
    const char *name = err ? strerrorname_np(err) : "success";
    return name ? name : "?";
}

int main(int argc, char *argv[])
{
    char result[HELLO_STR_LEN_MAX];

    if (argc < 2) {
        printf("Invoke SYS_hello (%d) demo system call...\n", SYS_hello);
        int err = run_case("ok", result, sizeof result);
        if (err)
            printf("failed, %s (%d)\n", strerror(err), err);
        else
            printf("success, the result is: \"%s\"\n", result);
        return err ? 1 : 0;
    }

    int all = strcmp(argv[1], "all") == 0;
    int failures = 0, matched = 0;
    for (size_t i = 0; i < N_CASES; i++) {
        if (!all && strcmp(argv[1], cases[i].name) != 0)
            continue;
        matched++;
        result[0] = '\0';
        int err = run_case(cases[i].name, result, sizeof result);
        int pass = err == cases[i].expected_errno &&
                   (err != 0 || strcmp(result, HELLO_STRING) == 0);
        failures += !pass;
        printf("%-9s expected %-7s got %-7s %s", cases[i].name,
               errno_name(cases[i].expected_errno), errno_name(err), pass ? "PASS" : "FAIL");
        printf(err == 0 ? " \"%s\"\n" : "\n", result);
    }
    if (!matched) {
        fprintf(stderr, "usage: %s [all|exact|short|zero|null|unmapped|readonly|edge]\n", argv[0]);
        return 2;
    }
    return failures ? 1 : 0;
}
