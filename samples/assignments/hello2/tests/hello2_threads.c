/*
 * sys_hello2 from several threads at once: every call must succeed and fill its own out.
 * `hello2_threads [THREADS [CALLS]]` (default 4 threads of 25 calls).
 */
#include <pthread.h>
#include "hello2_test.h"

static int calls = 25;

static void *worker(void *arg)
{
	char name[16];
	struct hello2_in in = { name, 0, 0 };
	struct hello2_out out;
	int err;

	snprintf(name, sizeof(name), "thread%ld", (long)arg);
	in.len = strlen(name);
	for (int i = 0; i < calls; i++) {
		long ret;

		in.val = i;
		ret = hello2(&in, &out, &err);
		if (ret < 0)
			return (void *)(long)(ret == -1 ? err : 1000);
	}
	return NULL;
}

int main(int argc, char *argv[])
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t t[16];

	if (argc > 2)
		calls = atoi(argv[2]);
	if (n < 1 || n > 16)
		n = 4;
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			fail("test setup: pthread_create failed");
	for (int i = 0; i < n; i++) {
		void *r;

		pthread_join(t[i], &r);
		if (r)
			fail("a call of sys_hello2 from thread %d of %d failed (%s): calls from several threads at once must all succeed",
			     i, n, (long)r == 1000 ? "it returned a value other than 0 or -1" : errname((int)(long)r));
	}
	pass("%d threads made %d calls each, none failed", n, calls);
}
