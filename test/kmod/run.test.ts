// End to end: `sysemu run --kernel-patch` with the reference patch and with one bug per patch.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { have, sysemu } from "../e2e/helpers.ts";
import { hello2File, hello2Handler, newFilesPatch } from "./helpers.ts";

const REFERENCE = "samples/kmod/0001-add-sys_hello2.patch";
const dir = mkdtempSync(join(tmpdir(), "sysemu-kmod-test-"));
const env = { ...process.env, XDG_CACHE_HOME: join(dir, "cache") };
const run = (args: string[]) => sysemu(["run", ...args], { env, timeoutMs: 120_000 });
/** The kernel log without boot lines and timestamps. */
const log = (stderr: string) => stderr.split("\n").filter((l) => /^\[\s*\d+\.\d+\] /.test(l)).map((l) => l.replace(/^\[[^\]]*\] /, "")).filter((l) => !/^(Linux version|Machine model|Run )/.test(l));

function patch(name: string, source: string): string {
  const file = join(dir, `${name}.patch`);
  writeFileSync(file, newFilesPatch({ "kernel/sys-hello2.c": source }));
  return file;
}

const ok = have("clang") && have("wasm-ld");

describe.skipIf(!ok)("sysemu run --kernel-patch", () => {
  beforeAll(() => {
    // the first compile fills the cache the other tests share
    run(["--kernel-patch", REFERENCE, "samples/kmod/hello2"]);
  });

  it("the reference patch gives the built-in sys_hello2's output and log line, byte for byte", () => {
    for (const args of [["samples/riscv64/sys_hello2"], ["samples/riscv64/sys_hello2", "all"], ["samples/kmod/hello2", "Ada", "7", "3"]]) {
      const mine = run(["--kernel-patch", REFERENCE, "--dmesg", "--seed", "5", ...args]);
      const builtin = run(["--dmesg", "--seed", "5", ...args]);
      expect(mine.status).toBe(0);
      expect(mine.stdout).toBe(builtin.stdout);
      expect(mine.stderr).toBe(builtin.stderr);
    }
    const r = run(["--kernel-patch", REFERENCE, "--dmesg", "samples/kmod/hello2", "Ada", "7"]);
    expect(log(r.stderr)).toEqual(["__do_sys_hello2: sys_hello2(name : Ada, len : 3, val : 7"]);
  });

  it("an endless loop is a soft lockup: the caller is killed, the run goes on", () => {
    const p = patch("loop", hello2Handler("\twhile (1)\n\t\tcpu_relax();"));
    const r = run(["--kernel-patch", p, "--dmesg", "samples/kmod/hello2_each", "Ada", "Bob"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("Ada: child killed by KILL\nBob: child killed by KILL\n");
    const lines = log(r.stderr);
    expect(lines).toContain("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [hello2_each:1001]");
    expect(lines).toContain("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [hello2_each:1002]");
  });

  it("a long name copied into char buf[16] is caught by the stack protector; the next call works", () => {
    const p = patch("stack", hello2File(`SYSCALL_DEFINE2(hello2, struct hello2_in __user *, in, struct hello2_out __user *, out)
{
	struct hello2_in kin;
	struct hello2_out kout = { 0 };
	char buf[16];
	int i;

	kout.nr_calls = ++nr_calls;
	if (copy_from_user(&kin, in, sizeof(kin)))
		return -EFAULT;
	for (i = 0; ; i++) {
		if (get_user(buf[i], kin.name + i))
			return -EFAULT;
		if (!buf[i])
			break;
	}
	pr_info("%s: sys_hello2(name : %s, len : %zu, val : %u\\n", __func__, buf, (size_t)kin.len, kin.val);
	if (copy_to_user(out, &kout, sizeof(kout)))
		return -EFAULT;
	return 0;
}`));
    const r = run(["--kernel-patch", p, "--dmesg", "samples/kmod/hello2_each", "A".repeat(80), "Ada"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${"A".repeat(80)}: child killed by SEGV\nAda: returned 0, nr_calls = 2\n`);
    expect(log(r.stderr)).toContain("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: __do_sys_hello2");
  });

  it("reports a double fetch, an unchecked copy_to_user and a write outside out, with the call", () => {
    const dfetch = patch("dfetch", hello2Handler("\tif (get_user(kin.len, &in->len))\n\t\treturn -EFAULT;"));
    let r = run(["--kernel-patch", dfetch, "--kmod-report", join(dir, "df.json"), "samples/kmod/hello2", "Ada"]);
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, "df.json"), "utf8"));
    expect(report.findings).toEqual([expect.objectContaining({ kind: "double-fetch", syscall: "hello2", pid: 1000, call: 0 })]);
    expect(report.findings[0].message).toMatch(/^in\+8 read twice from user memory \(copy_from_user, then get_user/);
    expect(report.records[0].accesses.map((a: { helper: string }) => a.helper)).toEqual(["copy_from_user", "strncpy_from_user", "get_user", "copy_to_user"]);
    expect(r.stderr).toMatch(/double-fetch in sys_hello2 \(pid 1000, call 0\)/);

    const unchecked = patch("unchecked", hello2Handler("", "\tcopy_to_user(out, &kout, sizeof(kout));\n\treturn 0;"));
    r = run(["--kernel-patch", unchecked, "samples/kmod/hello2_each", "Ada", "@ro"]);
    expect(r.stdout).toBe("Ada: returned 0, nr_calls = 1\n@ro: returned 0, nr_calls = 0\n");
    expect(r.stderr).toMatch(/unchecked-copy in sys_hello2 \(pid 1002, call 1\): copy_to_user at 0x[0-9a-f]+ failed \(20 of 20 bytes not copied\) but the call returned 0, not -EFAULT/);
    expect(r.stderr).not.toMatch(/call 0\)/);

    const outside = patch("outside", hello2Handler("\tput_user(0u, &in->val);"));
    r = run(["--kernel-patch", outside, "samples/kmod/hello2", "Ada"]);
    expect(r.stderr).toMatch(/write-outside in sys_hello2 \(pid 1000, call 0\): put_user wrote 4 bytes at in\+12, which the call may only read \(may write out: 20 bytes\)/);
  });

  it("kmalloc without end gets NULL at the memory cap; a direct user pointer dereference is an oops", () => {
    const p = patch("kmalloc", hello2File(`SYSCALL_DEFINE2(hello2, struct hello2_in __user *, in, struct hello2_out __user *, out)
{
	long n = 0;
	while (kmalloc(1 << 20, GFP_KERNEL))
		n++;
	return n;
}`));
    let r = run(["--kernel-patch", p, "samples/kmod/hello2", "Ada", "1", "2"]);
    const got = [...r.stdout.matchAll(/returned (\d+)/g)].map((m) => Number(m[1]));
    expect(got).toHaveLength(2);
    expect(got[0]).toBeGreaterThan(8); // 16 MiB cap less the stack and data: 15 blocks of 1 MiB + header
    expect(got[0]).toBeLessThan(16);
    expect(got[1]).toBe(0); // nothing was freed: the heap stays full
    const deref = patch("deref", hello2File(`SYSCALL_DEFINE2(hello2, struct hello2_in __user *, in, struct hello2_out __user *, out)
{
	pr_info("%s: len %u\\n", __func__, in->len);
	return 0;
}`));
    r = run(["--kernel-patch", deref, "--dmesg", "samples/kmod/hello2_each", "Ada"]);
    expect(r.stdout).toBe("Ada: child killed by SEGV\n");
    expect(log(r.stderr)[0]).toMatch(/^BUG: unable to handle page fault for address: \(outside kernel memory\) in __do_sys_hello2\+0x[0-9a-f]+$/);
    expect(log(r.stderr)).toContain("Oops: 0000 [#1] SMP");
  });

  it("a function outside the kernel API, and a patch that does not compile: one readable error, status 1", () => {
    const imp = patch("import", hello2File(`extern long ksys_open(const char *name, int flags, int mode);
SYSCALL_DEFINE2(hello2, struct hello2_in __user *, in, struct hello2_out __user *, out)
{
	return ksys_open("/etc/passwd", 0, 0);
}`));
    let r = run(["--kernel-patch", imp, "samples/kmod/hello2"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^sysemu: \S+import\.patch: kernel\/sys-hello2\.c: ksys_open is not a kernel function or variable sysemu provides/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);

    const bad = patch("syntax", hello2File(`SYSCALL_DEFINE2(hello2, struct hello2_in __user *, in, struct hello2_out __user *, out)
{
	struct hello2_in kin
	return 0;
}`));
    r = run(["--kernel-patch", bad, "samples/kmod/hello2"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^sysemu: \S+syntax\.patch: the patch does not compile \(1 error\):\nkernel\/sys-hello2\.c:22:22: error: expected ';' at end of declaration\n/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  });
});
