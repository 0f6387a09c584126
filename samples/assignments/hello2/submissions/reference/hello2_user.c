#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_hello2 401

struct hello2_in {
	char *name;
	unsigned int len;
	unsigned int val;
};

struct hello2_out {
	unsigned int nr_calls;
	unsigned int rand_data[4];
};

int main(void)
{
	char name[] = "student";
	struct hello2_in in = { name, sizeof(name) - 1, 42 };
	struct hello2_out out;
	long ret;

	printf("Invoke SYS_hello2 (%d) demo system call...\n", SYS_hello2);
	ret = syscall(SYS_hello2, &in, &out);
	if (ret < 0) {
		printf("failed, %s (%d)\n", strerror(errno), errno);
		return 1;
	}
	printf("success: nr_calls = %u, rand_data = 0x%08x 0x%08x 0x%08x 0x%08x\n", out.nr_calls,
	       out.rand_data[0], out.rand_data[1], out.rand_data[2], out.rand_data[3]);
	return 0;
}
