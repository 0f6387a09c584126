import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileSource, findHandlers, findNumbers, numberFits, parsePatch, PatchError } from "../../src/kmod/patch.ts";
import { newFilesPatch } from "./helpers.ts";

const reference = readFileSync("samples/kmod/0001-add-sys_hello2.patch", "utf8");

describe("parsePatch", () => {
  it("reads a git format-patch mail: files, new file whole, signature not part of the last hunk", () => {
    const files = parsePatch(reference);
    expect(files.map((f) => f.path)).toEqual([
      "arch/x86/entry/syscalls/syscall_64.tbl",
      "include/linux/syscalls.h",
      "include/uapi/asm-generic/unistd.h",
      "kernel/Makefile",
      "kernel/sys-hello2.c",
      "kernel/sys_ni.c",
    ]);
    const c = files.find((f) => f.path === "kernel/sys-hello2.c")!;
    expect(c.isNew).toBe(true);
    const text = fileSource(c);
    expect(text.split("\n")).toHaveLength(59); // 58 lines and the final newline
    expect(text.startsWith("// SPDX-License-Identifier: GPL-2.0\n")).toBe(true);
    const ni = files.find((f) => f.path === "kernel/sys_ni.c")!;
    expect(ni.runs).toEqual([{ line: expect.any(Number), text: ["COND_SYSCALL(hello2);"] }]);
    expect(fileSource(ni)).not.toContain("2.39");
  });

  it("finds the handler and its numbers for both architectures", () => {
    const files = parsePatch(reference);
    const h = findHandlers("kernel/sys-hello2.c", fileSource(files.find((f) => f.path.endsWith("sys-hello2.c"))!));
    expect(h).toEqual([{ name: "hello2", nargs: 2, types: ["struct hello2_in __user *", "struct hello2_out __user *"], file: "kernel/sys-hello2.c", line: 29 }]);
    const nums = findNumbers(files);
    expect(nums.filter((n) => numberFits(n, "x86_64")).map((n) => [n.name, n.nr])).toEqual([["hello2", 401]]);
    expect(nums.filter((n) => numberFits(n, "riscv64")).map((n) => [n.name, n.nr, n.where])).toEqual([["hello2", 401, "include/uapi/asm-generic/unistd.h:17"]]);
  });

  it("reads a plain `diff -u` between two trees (no a/ b/, dates after a tab) with CRLF line ends", () => {
    const diff = [
      "diff -uNr linux-5.4.orig/kernel/sys.c linux-5.4/kernel/sys.c",
      "--- linux-5.4.orig/kernel/sys.c\t2020-05-01 10:00:00.000000000 +0300",
      "+++ linux-5.4/kernel/sys.c\t2020-05-28 10:00:00.000000000 +0300",
      "@@ -2800,3 +2800,9 @@ COMPAT_SYSCALL_DEFINE1(sysinfo, struct compat_sysinfo __user *, info)",
      " \treturn 0;",
      " }",
      " #endif /* CONFIG_COMPAT */",
      "+",
      "+SYSCALL_DEFINE1(hello3, int, x)",
      "+{",
      "+\treturn x + 1;",
      "+}",
      "+",
      "--- linux-5.4.orig/arch/x86/entry/syscalls/syscall_64.tbl\t2020-05-01",
      "+++ linux-5.4/arch/x86/entry/syscalls/syscall_64.tbl\t2020-05-28",
      "@@ -357,2 +357,3 @@",
      " 434\tcommon\tpidfd_open\t\t__x64_sys_pidfd_open",
      " 435\tcommon\tclone3\t\t\t__x64_sys_clone3/ptregs",
      "+436\tcommon\thello3\t\t\t__x64_sys_hello3",
      "",
    ].join("\r\n");
    const files = parsePatch(diff);
    expect(files.map((f) => [f.path, f.isNew])).toEqual([["kernel/sys.c", false], ["arch/x86/entry/syscalls/syscall_64.tbl", false]]);
    const src = fileSource(files[0]!);
    expect(src).toBe('#line 2803 "kernel/sys.c"\n\nSYSCALL_DEFINE1(hello3, int, x)\n{\n\treturn x + 1;\n}\n\n');
    expect(src).not.toContain("\r");
    expect(findHandlers("kernel/sys.c", src)).toEqual([{ name: "hello3", nargs: 1, types: ["int"], file: "kernel/sys.c", line: 2804 }]);
    expect(findNumbers(files)).toEqual([{ name: "hello3", nr: 436, arch: "x86_64", where: "arch/x86/entry/syscalls/syscall_64.tbl:359" }]);
  });

  it("reads a git diff without a/ b/ prefixes (--no-prefix) holding several handlers", () => {
    const diff = [
      "diff --git kernel/two.c kernel/two.c",
      "new file mode 100644",
      "--- /dev/null",
      "+++ kernel/two.c",
      "@@ -0,0 +1,6 @@",
      "+#include <linux/syscalls.h>",
      "+SYSCALL_DEFINE0(first) { return 1; }",
      "+/* SYSCALL_DEFINE1(commented, int, a) */",
      "+SYSCALL_DEFINE3(third, int, a,",
      "+\t\tconst char __user *, b, size_t, c)",
      "+{ return a; }",
      "",
    ].join("\n");
    const files = parsePatch(diff);
    expect(files[0]!.path).toBe("kernel/two.c");
    const hs = findHandlers("kernel/two.c", fileSource(files[0]!));
    expect(hs.map((h) => [h.name, h.nargs, h.line, h.types])).toEqual([
      ["first", 0, 2, []],
      ["third", 3, 4, ["int", "const char __user *", "size_t"]],
    ]);
  });

  it("takes riscv's own unistd.h numbers written from __NR_arch_specific_syscall", () => {
    const diff = [
      "--- a/arch/riscv/include/uapi/asm/unistd.h",
      "+++ b/arch/riscv/include/uapi/asm/unistd.h",
      "@@ -40,2 +40,4 @@",
      " #define __NR_riscv_flush_icache (__NR_arch_specific_syscall + 15)",
      " __SYSCALL(__NR_riscv_flush_icache, sys_riscv_flush_icache)",
      "+#define __NR_riscv_hello2 (__NR_arch_specific_syscall + 16)",
      "+__SYSCALL(__NR_riscv_hello2, sys_hello2)",
      "",
    ].join("\n");
    const nums = findNumbers(parsePatch(diff));
    expect(nums).toEqual([{ name: "hello2", nr: 260, arch: "riscv64", where: "arch/riscv/include/uapi/asm/unistd.h:42" }]);
    expect(numberFits(nums[0]!, "riscv64")).toBe(true);
    expect(numberFits(nums[0]!, "x86_64")).toBe(false);
  });

  it("counts a hunk by its header, so a removed line '-- ' is not the signature", () => {
    const diff = ["--- a/kernel/x.c", "+++ b/kernel/x.c", "@@ -1,2 +1,2 @@", "-- ", "+SYSCALL_DEFINE0(x) { return 0; }", " }", "-- ", "2.39.5", ""].join("\n");
    const files = parsePatch(diff);
    expect(files[0]!.runs).toEqual([{ line: 1, text: ["SYSCALL_DEFINE0(x) { return 0; }"] }]);
  });

  it("rejects text without a diff", () => {
    expect(() => parsePatch("Hello,\nplease find my homework attached.\n")).toThrow(PatchError);
  });

  it("the test helper's patches parse to the file they add", () => {
    const files = parsePatch(newFilesPatch({ "kernel/a.c": "int x;\nint y;\n" }));
    expect(fileSource(files.find((f) => f.path === "kernel/a.c")!)).toBe("int x;\nint y;\n");
  });
});
