/*
 * sys_hello2 called as the assignment means it, and with the awkward lengths a kernel must
 * survive: `hello2_basic CASE`, one case per graded test (see ../spec.yaml).
 */
#include "hello2_test.h"

static char ada[] = "Ada";

static void prefill(struct hello2_out *out)
{
	memset(out, 0xAA, sizeof(*out));
}

static void case_call(void)
{
	struct hello2_in in = { ada, 3, 42 };
	struct hello2_out out;
	long ret;
	int err;

	prefill(&out);
	ret = hello2(&in, &out, &err);
	if (ret != 0)
		fail("sys_hello2 %s for a valid call (name \"Ada\", len 3, val 42): it must return 0 on success",
		     result_text(ret, err));
	pass("sys_hello2 returned 0 for a valid call");
}

static void case_count(void)
{
	struct hello2_in in = { ada, 3, 1 };
	struct hello2_out out;
	unsigned int seen[3];
	int err;

	for (int i = 0; i < 3; i++) {
		prefill(&out);
		in.val = i;
		hello2(&in, &out, &err);
		seen[i] = out.nr_calls;
	}
	if (seen[0] < 1 || seen[1] != seen[0] + 1 || seen[2] != seen[1] + 1)
		fail("nr_calls was %u, %u, %u over three calls in a row: it must count every call of sys_hello2 "
		     "(the first call gives 1, each call one more: a counter that lives between calls, atomic_t or static)",
		     seen[0], seen[1], seen[2]);
	pass("nr_calls counted %u, %u, %u", seen[0], seen[1], seen[2]);
}

static int all_bytes(const unsigned int *w, unsigned char b)
{
	const unsigned char *p = (const unsigned char *)w;

	for (int i = 0; i < 16; i++)
		if (p[i] != b)
			return 0;
	return 1;
}

static void case_random(void)
{
	struct hello2_in in = { ada, 3, 7 };
	struct hello2_out a, b;
	int err;

	prefill(&a);
	prefill(&b);
	hello2(&in, &a, &err);
	hello2(&in, &b, &err);
	if (all_bytes(a.rand_data, 0xAA))
		fail("rand_data was not written: sys_hello2 must fill all 16 bytes of rand_data (get_random_bytes)");
	if (all_bytes(a.rand_data, 0) || all_bytes(b.rand_data, 0))
		fail("rand_data was all zeros: fill it with get_random_bytes(out.rand_data, sizeof(out.rand_data))");
	if (!memcmp(a.rand_data, b.rand_data, 16))
		fail("rand_data was the same in two calls: each call must give fresh random bytes");
	pass("rand_data held fresh random bytes in each call");
}

/* The grader checks the kernel log for the pr_info line of this call. */
static void case_log(void)
{
	char name[] = "Grace";
	struct hello2_in in = { name, 5, 1906 };
	struct hello2_out out;
	int err;

	hello2(&in, &out, &err);
	pass("called sys_hello2(name \"Grace\", len 5, val 1906)");
}

static void accept_ok_or_einval(long ret, int err, const char *what)
{
	if (ret >= 0 || (ret == -1 && (err == EINVAL || err == E2BIG || err == ENAMETOOLONG)))
		pass("sys_hello2 %s with %s", result_text(ret, err), what);
	fail("sys_hello2 %s with %s: expected 0 (or -EINVAL to reject it)", result_text(ret, err), what);
}

static void case_len0(void)
{
	struct hello2_in in = { ada, 0, 1 };
	struct hello2_out out;
	int err;
	long ret = hello2(&in, &out, &err);

	accept_ok_or_einval(ret, err, "len 0");
}

static void case_huge(void)
{
	struct hello2_in in = { ada, 0xffffffffu, 2 };
	struct hello2_out out;
	int err;
	long ret = hello2(&in, &out, &err);

	accept_ok_or_einval(ret, err, "len 4294967295 and the name \"Ada\"");
}

/* len says 50, the string is "Ada" and its NUL: the kernel must stop at the NUL. */
static void case_lying(void)
{
	struct {
		char name[4];
		char after[60];
	} mem = { "Ada", "" };
	struct hello2_in in = { mem.name, 50, 3 };
	struct hello2_out out;
	int err;
	long ret = hello2(&in, &out, &err);

	accept_ok_or_einval(ret, err, "len 50 and the 3-byte name \"Ada\"");
}

/* A 200-byte name with a matching len: longer than any sensible kernel buffer for it. */
static void case_long(void)
{
	static char name[201];
	struct hello2_in in = { name, 200, 4 };
	struct hello2_out out;
	int err;
	long ret;

	memset(name, 'x', 200);
	ret = hello2(&in, &out, &err);
	if (ret >= -1)
		pass("sys_hello2 %s with a 200-byte name and len 200", result_text(ret, err));
	fail("sys_hello2 %s with a 200-byte name", result_text(ret, err));
}

int main(int argc, char *argv[])
{
	static const struct { const char *name; void (*fn)(void); } cases[] = {
		{ "call", case_call }, { "count", case_count }, { "random", case_random },
		{ "log", case_log }, { "len0", case_len0 }, { "huge", case_huge },
		{ "lying", case_lying }, { "long", case_long },
	};

	for (unsigned i = 0; argc > 1 && i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(argv[1], cases[i].name))
			cases[i].fn();
	fprintf(stderr, "usage: %s call|count|random|log|len0|huge|lying|long\n", argv[0]);
	return 2;
}
