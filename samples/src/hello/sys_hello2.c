/*
 * sys_hello2.c - the lecture's assignment: SYS_hello2 (401), a system
 * call that takes pointers to structures.
 *
 * Shows: sys_hello2(struct hello2_in __user *in, struct hello2_out __user *out).
 * The kernel must copy_from_user() the input structure, then fetch the
 * string it points to (strncpy_from_user, at most len bytes), print
 *     sys_hello2(name : <name>, len : <len>, val : <val>)
 * to its log (see dmesg), and copy_to_user() an output structure holding
 * the number of calls so far and 16 random bytes.  Every pointer is
 * untrusted: a bad one must give EFAULT, never a crash.
 *
 *   (none)     three calls, printing nr_calls and rand_data each time
 *   bad_in     `in` points into an unmapped page       -> EFAULT
 *   bad_out    `out` points into a read-only page      -> EFAULT
 *   bad_name   in.name points into an unmapped page    -> EFAULT
 *   all        three good calls (nr_calls must grow by one per call and
 *              rand_data must change), then each error case; one line each
 *
 * Expected output with no argument, on a kernel that has SYS_hello2:
 *     Invoke SYS_hello2 (401) demo system call...
 *     call 1: nr_calls = 1, rand_data = 0x... 0x... 0x... 0x...
 *     call 2: ...
 *     call 3: ...
 * (random data: not diffable; nr_calls counts calls since boot.)
 * Under qemu-riscv64 every call fails with ENOSYS (38).
 * Exit status: 0 when every call gave the expected result, 1 otherwise,
 * 2 for a bad argument.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_hello2 401

struct hello2_in {
    char *name;
    unsigned int len;
    unsigned int val;
};

struct hello2_out {
    unsigned int nr_calls;     /* num of sys_hello2 calls */
    unsigned int rand_data[4]; /* random bytes */
};

static int hello2(struct hello2_in *in, struct hello2_out *out)
{
    return syscall(SYS_hello2, in, out) == -1 ? errno : 0;
}

static const char *errno_name(int err)
{
    const char *name = err ? strerrorname_np(err) : "success";
    return name ? name : "?";
}

/* Returns a page mapped with `prot`, or NULL. */
static void *map_page(int prot)
{
    void *p = mmap(NULL, (size_t)getpagesize(), prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return NULL;
    }
    return p;
}

/* Returns the address of a page that was mapped and unmapped again: a hole. */
static void *hole_page(void)
{
    void *p = map_page(PROT_READ | PROT_WRITE);
    if (p)
        munmap(p, (size_t)getpagesize());
    return p;
}

/* The three good calls of the slide; returns 1 if they behaved. */
static int good_calls(int verbose)
{
    char name[] = "sysemu";
    struct hello2_in in = { name, (unsigned int)strlen(name), 0 };
    struct hello2_out out[3];
    int ok = 1;

    for (int i = 0; i < 3; i++) {
        in.val = 100 + (unsigned int)i;
        memset(&out[i], 0, sizeof out[i]);
        int err = hello2(&in, &out[i]);
        if (err) {
            ok = 0;
            printf("call %d: failed, %s (%d)\n", i + 1, strerror(err), err);
            continue;
        }
        if (verbose)
            printf("call %d: nr_calls = %u, rand_data = 0x%08x 0x%08x 0x%08x 0x%08x\n", i + 1,
                   out[i].nr_calls, out[i].rand_data[0], out[i].rand_data[1],
                   out[i].rand_data[2], out[i].rand_data[3]);
        if (i > 0 && (out[i].nr_calls != out[i - 1].nr_calls + 1 ||
                      memcmp(out[i].rand_data, out[i - 1].rand_data, sizeof out[i].rand_data) == 0))
            ok = 0;
    }
    return ok;
}

/* Runs one error case; returns the errno of the call (-1 if it could not be set up). */
static int error_case(const char *name)
{
    char good_name[] = "sysemu";
    struct hello2_in good_in = { good_name, (unsigned int)strlen(good_name), 7 };
    struct hello2_out good_out;

    if (strcmp(name, "bad_in") == 0) {
        void *hole = hole_page();
        return hole ? hello2(hole, &good_out) : -1;
    }
    if (strcmp(name, "bad_out") == 0) {
        void *ro = map_page(PROT_READ);
        if (!ro)
            return -1;
        int err = hello2(&good_in, ro);
        munmap(ro, (size_t)getpagesize());
        return err;
    }
    if (strcmp(name, "bad_name") == 0) {
        void *hole = hole_page();
        if (!hole)
            return -1;
        good_in.name = hole;
        return hello2(&good_in, &good_out);
    }
    return -2;
}

static const char *const error_cases[] = { "bad_in", "bad_out", "bad_name" };

int main(int argc, char *argv[])
{
    if (argc < 2) {
        printf("Invoke SYS_hello2 (%d) demo system call...\n", SYS_hello2);
        return good_calls(1) ? 0 : 1;
    }

    int all = strcmp(argv[1], "all") == 0;
    int failures = 0, matched = 0;
    if (all) {
        matched++;
        int ok = good_calls(0);
        printf("%-9s expected 3 x success, nr_calls +1 each, new rand_data: %s\n", "calls",
               ok ? "PASS" : "FAIL");
        failures += !ok;
    }
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        if (!all && strcmp(argv[1], error_cases[i]) != 0)
            continue;
        matched++;
        int err = error_case(error_cases[i]);
        int pass = err == EFAULT;
        failures += !pass;
        printf("%-9s expected EFAULT  got %-7s %s\n", error_cases[i], errno_name(err),
               pass ? "PASS" : "FAIL");
    }
    if (!matched) {
        fprintf(stderr, "usage: %s [all|bad_in|bad_out|bad_name]\n", argv[0]);
        return 2;
    }
    return failures ? 1 : 0;
}
