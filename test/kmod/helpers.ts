// Building kernel patches for the kmod tests, the way git format-patch writes them.

/** A format-patch mail adding `files` (new files, whole) and numbering hello2 as 401 in asm-generic/unistd.h. */
export function newFilesPatch(files: Record<string, string>, opts: { number?: boolean; subject?: string } = {}): string {
  const parts = [
    "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
    "From: Test Student <test@example.org>",
    "Date: Thu, 28 May 2020 10:00:00 +0300",
    `Subject: [PATCH] ${opts.subject ?? "kernel: add sys_hello2"}`,
    "",
    "Signed-off-by: Test Student <test@example.org>",
    "---",
    "",
  ];
  for (const [path, text] of Object.entries(files)) {
    const lines = text.replace(/\n$/, "").split("\n");
    parts.push(`diff --git a/${path} b/${path}`, "new file mode 100644", "index 0000000..1111111", "--- /dev/null", `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`));
  }
  if (opts.number !== false) {
    parts.push(
      "diff --git a/include/uapi/asm-generic/unistd.h b/include/uapi/asm-generic/unistd.h",
      "index 1234567..89abcde 100644",
      "--- a/include/uapi/asm-generic/unistd.h",
      "+++ b/include/uapi/asm-generic/unistd.h",
      "@@ -10,6 +10,9 @@ __SYSCALL(__NR_pidfd_open, sys_pidfd_open)",
      " #define __NR_clone3 435",
      " __SYSCALL(__NR_clone3, sys_clone3)",
      " #endif",
      "+",
      "+#define __NR_hello2 401",
      "+__SYSCALL(__NR_hello2, sys_hello2)",
      " ",
      " #undef __NR_syscalls",
      " #define __NR_syscalls 436",
    );
  }
  parts.push("-- ", "2.39.5", "");
  return parts.join("\n");
}

/** The assignment's structs and includes, then `body` (a SYSCALL_DEFINE2(hello2, ...) usually). */
export function hello2File(body: string): string {
  return `#include <linux/kernel.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/random.h>
#include <linux/slab.h>

struct hello2_in {
	char *name;
	unsigned int len;
	unsigned int val;
};

struct hello2_out {
	unsigned int nr_calls;
	unsigned int rand_data[4];
};

static unsigned int nr_calls;

${body}
`;
}

/** A handler of the assignment with `middle` between the copy of *in and the copy of *out. */
export function hello2Handler(middle: string, tail = "\tif (copy_to_user(out, &kout, sizeof(kout)))\n\t\treturn -EFAULT;\n\treturn 0;"): string {
  return hello2File(`SYSCALL_DEFINE2(hello2, struct hello2_in __user *, in, struct hello2_out __user *, out)
{
	struct hello2_in kin;
	struct hello2_out kout = { 0 };
	char name[64];
	long n;

	kout.nr_calls = ++nr_calls;
	if (copy_from_user(&kin, in, sizeof(kin)))
		return -EFAULT;
	n = strncpy_from_user(name, kin.name, min_t(size_t, kin.len, sizeof(name) - 1));
	if (n < 0)
		return -EFAULT;
	name[n] = 0;
${middle}
	get_random_bytes(kout.rand_data, sizeof(kout.rand_data));
${tail}
}`);
}
