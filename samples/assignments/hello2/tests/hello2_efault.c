/*
 * sys_hello2 given pointers a kernel must not trust: `hello2_efault CASE`. Each bad pointer must
 * give -1 with errno EFAULT, and the caller must live on (a kernel that faults dies instead).
 */
#include "hello2_test.h"

static char ada[] = "Ada";

static void expect_efault(const void *in, void *out, const char *what, const char *advice)
{
	int err;
	long ret = hello2(in, out, &err);

	if (ret != -1 || err != EFAULT)
		fail("sys_hello2 %s when %s: %s", result_text(ret, err), what, advice);
}

static void case_out(void)
{
	struct hello2_in in = { ada, 3, 1 };
	const char *advice = "copy_to_user's result must be checked and -EFAULT returned";
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (ro == MAP_FAILED)
		fail("test setup: mmap failed");
	expect_efault(&in, NULL, "out was NULL", advice);
	expect_efault(&in, unmapped_page(), "out pointed to unmapped memory", advice);
	expect_efault(&in, ro, "out pointed to read-only memory", advice);
	pass("-EFAULT for a NULL, an unmapped and a read-only out");
}

static void case_in(void)
{
	struct hello2_out out;
	const char *advice = "copy_from_user's result must be checked and -EFAULT returned";

	expect_efault(NULL, &out, "in was NULL", advice);
	expect_efault(unmapped_page(), &out, "in pointed to unmapped memory", advice);
	pass("-EFAULT for a NULL and an unmapped in");
}

static void case_name(void)
{
	struct hello2_in in = { NULL, 3, 1 };
	struct hello2_out out;

	expect_efault(&in, &out, "in->name was NULL (len 3)",
		      "in->name is a user pointer too: copy it with strncpy_from_user and return -EFAULT when that fails");
	pass("-EFAULT for a NULL name");
}

/* "Ada" without its NUL in the last bytes of a page whose successor is unmapped. */
static void case_name_end(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct hello2_in in;
	struct hello2_out out;

	if (p == MAP_FAILED || munmap(p + 4096, 4096))
		fail("test setup: mmap/munmap failed");
	memcpy(p + 4096 - 3, "Ada", 3);
	in.name = p + 4096 - 3;
	in.len = 16;
	in.val = 1;
	expect_efault(&in, &out, "name ran off the end of its mapping (no NUL before unmapped memory, len 16)",
		      "a copy of the name that faults must give -EFAULT (check strncpy_from_user's result: < 0 is an error)");
	pass("-EFAULT for a name running into unmapped memory");
}

int main(int argc, char *argv[])
{
	if (argc > 1 && !strcmp(argv[1], "out"))
		case_out();
	if (argc > 1 && !strcmp(argv[1], "in"))
		case_in();
	if (argc > 1 && !strcmp(argv[1], "name"))
		case_name();
	if (argc > 1 && !strcmp(argv[1], "name_end"))
		case_name_end();
	fprintf(stderr, "usage: %s out|in|name|name_end\n", argv[0]);
	return 2;
}
