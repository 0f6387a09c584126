import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkModule, compileKernelPatch, enableMemory64, KmodError } from "../../src/kmod/compile.ts";
import { KMOD_IMPORTS } from "../../src/kmod/imports-list.ts";
import { analyzeCall, type UserAccess } from "../../src/kmod/uaccess-check.ts";
import { capMemory } from "../../src/kmod/wasm-limits.ts";
import { WA } from "../../src/wasm/webassembly.ts";
import { have } from "../e2e/helpers.ts";
import { hello2File, newFilesPatch } from "./helpers.ts";

const reference = readFileSync("samples/kmod/0001-add-sys_hello2.patch", "utf8");
const cacheDir = mkdtempSync(join(tmpdir(), "sysemu-kmod-cache-"));

const sysDiff = (tbl: boolean) =>
  [
    "diff --git a/kernel/sys.c b/kernel/sys.c",
    "--- a/kernel/sys.c",
    "+++ b/kernel/sys.c",
    "@@ -2800,3 +2800,9 @@",
    " \treturn 0;",
    " }",
    " #endif /* CONFIG_COMPAT */",
    "+",
    "+SYSCALL_DEFINE1(hello3, unsigned int, x)",
    "+{",
    "+\treturn x + 1;",
    "+}",
    "+",
    ...(tbl ? ["--- a/arch/x86/entry/syscalls/syscall_64.tbl", "+++ b/arch/x86/entry/syscalls/syscall_64.tbl", "@@ -357,1 +357,2 @@", " 435\tcommon\tclone3\t\t\t__x64_sys_clone3/ptregs", "+436\tcommon\thello3\t\t\t__x64_sys_hello3"] : []),
    "",
  ].join("\n");

describe.skipIf(!have("clang") || !have("wasm-ld"))("compileKernelPatch", () => {
  it("builds the reference patch for both architectures, with only kernel API imports, and caches it", async () => {
    const rv = await compileKernelPatch(reference, { arch: "riscv64", cacheDir });
    expect(rv.syscalls).toEqual([{ name: "hello2", nr: 401, nargs: 2, types: ["struct hello2_in __user *", "struct hello2_out __user *"] }]);
    expect(rv.warnings).toEqual([]);
    enableMemory64();
    const imports = WA.Module.imports(new WA.Module(rv.wasm)).map((i) => i.name);
    expect(imports.every((n) => (KMOD_IMPORTS as readonly string[]).includes(n))).toBe(true);
    expect(imports).toEqual(expect.arrayContaining(["copy_from_user", "copy_to_user", "strncpy_from_user", "get_random_bytes", "__stack_chk_fail"]));
    expect(readdirSync(cacheDir).sort()).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.json$/), expect.stringMatching(/^[0-9a-f]{32}\.wasm$/)]);
    const x86 = await compileKernelPatch(reference, { arch: "x86_64", cacheDir });
    expect(x86.syscalls[0]!.nr).toBe(401);
    expect(x86.wasm).toEqual(rv.wasm);
  });

  it("compiles a handler added to an existing file from the hunk's added lines, numbered by the patch or the caller", async () => {
    const x86 = await compileKernelPatch(sysDiff(true), { arch: "x86_64", cacheDir });
    expect(x86.syscalls).toEqual([{ name: "hello3", nr: 436, nargs: 1, types: ["unsigned int"] }]);
    const rv = await compileKernelPatch(sysDiff(true), { arch: "riscv64", cacheDir, fallbackNumbers: { hello3: 402 } });
    expect(rv.syscalls[0]!.nr).toBe(402);
    const other = await compileKernelPatch(sysDiff(true), { arch: "riscv64", cacheDir });
    expect(other.syscalls[0]!.nr).toBe(436);
    expect(other.warnings).toEqual(["sys_hello3: no number for riscv64 in the patch; using 436 from arch/x86/entry/syscalls/syscall_64.tbl:358"]);
    await expect(compileKernelPatch(sysDiff(false), { arch: "riscv64", cacheDir })).rejects.toThrow(
      "kernel/sys.c:2804: sys_hello3 has no system call number for riscv64: add #define __NR_hello3 N and __SYSCALL(__NR_hello3, sys_hello3) in include/uapi/asm-generic/unistd.h",
    );
  });

  it("reports clang's error with the file and line of the new file, and keeps its warnings", async () => {
    const bad = newFilesPatch({ "kernel/sys-hello2.c": hello2File("SYSCALL_DEFINE0(hello2)\n{\n\treturn nr_calls +;\n}") });
    const e = await compileKernelPatch(bad, { arch: "riscv64", cacheDir }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KmodError);
    expect((e as Error).message).toMatch(/^the patch does not compile \(1 error\):\nkernel\/sys-hello2\.c:22:19: error: expected expression\n\s+return nr_calls \+;\n\s+\^$/);
    const warn = newFilesPatch({ "kernel/sys-hello2.c": hello2File('SYSCALL_DEFINE1(hello2, unsigned int, len)\n{\n\tpr_info("%s: len : %zu\\n", __func__, len);\n\treturn 0;\n}') });
    const w = await compileKernelPatch(warn, { arch: "riscv64", cacheDir });
    expect(w.warnings).toEqual([expect.stringMatching(/^kernel\/sys-hello2\.c:22:39: warning: format specifies type 'size_t' \(aka 'unsigned long'\) but the argument has type 'unsigned int' \[-Wformat\]$/)]);
  });

  it("rejects a patch without a system call, and one that reaches outside the tree", async () => {
    await expect(compileKernelPatch(newFilesPatch({ "kernel/x.c": "int x;\n" }), { arch: "riscv64", cacheDir })).rejects.toThrow(/adds no system call/);
    const sneaky = newFilesPatch({ "kernel/sys-hello2.c": hello2File('#include "../../etc/passwd"\nSYSCALL_DEFINE0(hello2) { return 0; }') });
    await expect(compileKernelPatch(sneaky, { arch: "riscv64", cacheDir })).rejects.toThrow('kernel/sys-hello2.c:20: #include "../../etc/passwd": a header must be found on the include path');
  });
});

describe("checkModule and capMemory", () => {
  // (type () -> ()) imported as env.fopen; a memory of 1 page, no maximum
  const typeSec = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
  const importSec = [0x02, 0x0d, 0x01, 0x03, ...Buffer.from("env"), 0x05, ...Buffer.from("fopen"), 0x00, 0x00];
  const memSec = [0x05, 0x03, 0x01, 0x00, 0x01];
  const head = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

  it("rejects an import that is not part of the kernel API, by name", () => {
    const wasm = new Uint8Array([...head, ...typeSec, ...importSec]);
    expect(() => checkModule(wasm, [])).toThrow("the module imports env.fopen (function), which is not part of the kernel API");
  });

  it("caps the memory: growing past the cap fails", () => {
    const capped = capMemory(new Uint8Array([...head, ...memSec, 0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00]), 3);
    const inst = new WA.Instance(new WA.Module(capped), {});
    const mem = inst.exports.m as { grow(n: number): number };
    expect(mem.grow(2)).toBe(1);
    expect(() => mem.grow(1)).toThrow(RangeError);
  });
});

describe("analyzeCall", () => {
  const regions = { in: { addr: 0x1000, size: 16, access: "read" as const }, out: { addr: 0x2000, size: 20, access: "write" as const }, name: { addr: 0x3000, size: 4, access: "read" as const } };
  const a = (op: "read" | "write", helper: string, addr: number, len: number, notCopied = 0): UserAccess => ({ op, helper, addr, len, notCopied });

  it("finds nothing in the reference handler's accesses", () => {
    const acc = [a("read", "copy_from_user", 0x1000, 16), a("read", "strncpy_from_user", 0x3000, 4), a("write", "copy_to_user", 0x2000, 20)];
    expect(analyzeCall({ accesses: acc }, 0, regions)).toEqual([]);
  });

  it("names each kind of finding", () => {
    const acc = [
      a("read", "copy_from_user", 0x1000, 16),
      a("read", "get_user", 0x1008, 4),
      a("read", "copy_from_user", 0x3000, 64),
      a("write", "copy_to_user", 0x2000, 24),
      a("write", "put_user", 0x100c, 4),
      a("read", "copy_from_user", 0x9000, 8),
      a("write", "copy_to_user", 0x7000, 20, 20),
    ];
    expect(analyzeCall({ accesses: acc }, 0, regions)).toEqual([
      { kind: "double-fetch", message: "in+8 read twice from user memory (copy_from_user, then get_user: bytes 0x1008..0x100b); copy it into the kernel once and use the copy" },
      { kind: "overrun", message: "copy_from_user read 64 bytes at name, past the end of name (4 bytes)" },
      { kind: "overrun", message: "copy_to_user wrote 24 bytes at out, past the end of out (20 bytes)" },
      { kind: "write-outside", message: "put_user wrote 4 bytes at in+12, which the call may only read (may write out: 20 bytes)" },
      { kind: "read-outside", message: "copy_from_user read 8 bytes at 0x9000, which is none of the call's user objects" },
      { kind: "write-outside", message: "copy_to_user wrote 20 bytes at 0x7000, outside the memory the call may write (may write out: 20 bytes)" },
      { kind: "unchecked-copy", message: "copy_to_user at 0x7000 failed (20 of 20 bytes not copied) but the call returned 0, not -EFAULT" },
    ]);
    expect(analyzeCall({ accesses: [a("write", "copy_to_user", 0x2000, 20, 20)] }, -14, regions)).toEqual([]);
  });
});
