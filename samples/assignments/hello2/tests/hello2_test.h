/*
 * What every test program of the hello2 assignment shares: the structures of lecture 004, the
 * call itself (the number comes from the grader in HELLO2_NR: the one the student's patch gave
 * it), and how a test reports. A test prints one line for the student and exits 0 when the
 * kernel did what the assignment asks, 1 when it did not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct hello2_in {
	char *name;
	unsigned int len;
	unsigned int val;
};

struct hello2_out {
	unsigned int nr_calls;     /* num of sys_hello2 calls */
	unsigned int rand_data[4]; /* random bytes */
};

static inline long hello2_nr(void)
{
	const char *s = getenv("HELLO2_NR");
	return s ? strtol(s, NULL, 0) : 401;
}

/* The call, with errno saved at once: printf may change it. */
static inline long hello2(const void *in, void *out, int *err)
{
	long ret;

	errno = 0;
	ret = syscall(hello2_nr(), in, out);
	*err = errno;
	return ret;
}

static inline const char *errname(int e)
{
	switch (e) {
	case 0: return "none";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case E2BIG: return "E2BIG";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOMEM: return "ENOMEM";
	default: return strerror(e);
	}
}

/* "returned 0" or "returned -1 (errno EFAULT)" */
static inline const char *result_text(long ret, int err)
{
	static char buf[64];

	if (ret == -1)
		snprintf(buf, sizeof(buf), "returned -1 with errno %s", errname(err));
	else
		snprintf(buf, sizeof(buf), "returned %ld", ret);
	return buf;
}

__attribute__((noreturn, format(printf, 1, 2)))
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(1);
}

__attribute__((noreturn, format(printf, 1, 2)))
static void pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(0);
}

/* A page that is mapped and then unmapped again: an address no one owns. */
static inline void *unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, 4096))
		fail("test setup: mmap/munmap failed (%s)", strerror(errno));
	return p;
}
