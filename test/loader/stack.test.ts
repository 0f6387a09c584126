import { riscv64Loader } from "../../src/loader/arch/riscv64-loader.ts";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KernelRandom } from "../../src/kernel/random.ts";
import * as AT from "../../src/loader/auxv-types.ts";
import { execElf, type ExecResult } from "../../src/loader/exec.ts";
import { STACK_TOP } from "../../src/loader/arch/riscv64.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const SYSROOT = "/usr/riscv64-linux-gnu";

function load(path: string, argv: string[], envp: string[], opts: { aslr?: boolean; seed?: number } = {}): ExecResult {
  return execElf({
    file: readFileSync(path),
    path,
    argv: argv.map(enc),
    envp: envp.map(enc),
    creds: { uid: 1000, euid: 1000, gid: 100, egid: 100, secure: false },
    random: new KernelRandom(opts.seed ?? 7),
    aslr: opts.aslr ?? false,
    arch: riscv64Loader,
    readInterp: (p) => readFileSync(SYSROOT + p),
  });
}

function u64(r: ExecResult, addr: number): bigint {
  return new DataView(r.mm.peek(addr, 8).buffer).getBigUint64(0, true);
}

function cstr(r: ExecResult, addr: number): string {
  let s = "";
  for (let a = addr; ; a++) {
    const c = r.mm.peek(a, 1)[0]!;
    if (c === 0) return s;
    s += String.fromCharCode(c);
  }
}

/** Walks the stack as a C program's start-up code does: argc, argv, envp, auxv. */
function walk(r: ExecResult) {
  const sp = r.stack.sp;
  const argc = Number(u64(r, sp));
  const argv: string[] = [];
  let p = sp + 8;
  for (let i = 0; i < argc; i++, p += 8) argv.push(cstr(r, Number(u64(r, p))));
  expect(u64(r, p)).toBe(0n);
  p += 8;
  const envp: string[] = [];
  for (; u64(r, p) !== 0n; p += 8) envp.push(cstr(r, Number(u64(r, p))));
  p += 8;
  const auxv: [number, bigint][] = [];
  for (;; p += 16) {
    const type = Number(u64(r, p));
    auxv.push([type, u64(r, p + 8)]);
    if (type === AT.AT_NULL) break;
  }
  return { sp, argc, argv, envp, auxv, auxvEnd: p + 16 };
}

describe("the initial stack of a static program", () => {
  const r = load("samples/riscv64/hello", ["hello", "a b", ""], ["A=1", "LONGER=xyz"]);
  const w = walk(r);

  it("has argc at a 16-byte aligned sp and every argv/envp pointer at its string", () => {
    expect(w.sp % 16).toBe(0);
    expect(w.argc).toBe(3);
    expect(w.argv).toEqual(["hello", "a b", ""]);
    expect(w.envp).toEqual(["A=1", "LONGER=xyz"]);
  });

  it("ends the auxv with AT_NULL and keeps the kernel's order", () => {
    expect(w.auxv.map(([t]) => t)).toEqual([
      AT.AT_SYSINFO_EHDR, AT.AT_L1I_CACHESIZE, AT.AT_L1I_CACHEGEOMETRY, AT.AT_L1D_CACHESIZE, AT.AT_L1D_CACHEGEOMETRY,
      AT.AT_L2_CACHESIZE, AT.AT_L2_CACHEGEOMETRY, AT.AT_L3_CACHESIZE, AT.AT_L3_CACHEGEOMETRY, AT.AT_MINSIGSTKSZ,
      AT.AT_HWCAP, AT.AT_PAGESZ, AT.AT_CLKTCK, AT.AT_PHDR, AT.AT_PHENT, AT.AT_PHNUM, AT.AT_BASE, AT.AT_FLAGS, AT.AT_ENTRY,
      AT.AT_UID, AT.AT_EUID, AT.AT_GID, AT.AT_EGID, AT.AT_SECURE, AT.AT_RANDOM, AT.AT_EXECFN,
      AT.AT_RSEQ_FEATURE_SIZE, AT.AT_RSEQ_ALIGN, AT.AT_NULL,
    ]);
    const get = (t: number) => w.auxv.find(([x]) => x === t)![1];
    expect(get(AT.AT_HWCAP)).toBe(0x112dn);
    expect(get(AT.AT_PAGESZ)).toBe(4096n);
    expect(get(AT.AT_UID)).toBe(1000n);
    expect(get(AT.AT_EGID)).toBe(100n);
    expect(get(AT.AT_BASE)).toBe(0n);
    expect(get(AT.AT_ENTRY)).toBe(r.elf.header.entry);
    expect(get(AT.AT_PHNUM)).toBe(BigInt(r.elf.header.phnum));
  });

  it("puts AT_RANDOM's 16 bytes inside the stack, just below the strings, and AT_EXECFN at the top", () => {
    const rnd = Number(w.auxv.find(([t]) => t === AT.AT_RANDOM)![1]);
    expect(rnd).toBeGreaterThanOrEqual(w.auxvEnd);
    expect(rnd + 16).toBe(r.stack.argvAddrs[0]);
    const execfn = Number(w.auxv.find(([t]) => t === AT.AT_EXECFN)![1]);
    expect(cstr(r, execfn)).toBe("samples/riscv64/hello");
    expect(execfn + "samples/riscv64/hello".length + 1).toBe(STACK_TOP - 8);
    expect(rnd - w.auxvEnd).toBeLessThan(16); // only alignment padding in between
  });

  it("points AT_PHDR at the program headers in memory and AT_SYSINFO_EHDR at an ELF image", () => {
    const phdr = Number(w.auxv.find(([t]) => t === AT.AT_PHDR)![1]);
    const fileOff = Number(r.elf.header.phoff);
    expect(Buffer.from(r.mm.peek(phdr, 56))).toEqual(Buffer.from(r.elf.bytes.subarray(fileOff, fileOff + 56)));
    const vdso = Number(w.auxv.find(([t]) => t === AT.AT_SYSINFO_EHDR)![1]);
    expect(Buffer.from(r.mm.peek(vdso, 4)).toString("latin1")).toBe("\x7fELF");
    expect(r.mm.findVma(vdso)!.name).toBe("[vdso]");
    expect(r.mm.findVma(vdso - 1)!.name).toBe("[vvar]");
  });

  it("lays the address space out like Linux riscv64 (Sv39) without ASLR", () => {
    expect(r.mm.findVma(r.stack.sp)!.name).toBe("[stack]");
    expect(r.mm.findVma(STACK_TOP - 1)!.end).toBe(STACK_TOP);
    expect(r.vdsoBase).toBeGreaterThan(0x3f_0000_0000);
    expect(r.vdsoBase).toBeLessThan(STACK_TOP - 128 * 1024 * 1024);
    expect(r.mm.brk).toBe(r.mm.startBrk);
    expect(r.mm.brk % 4096).toBe(0);
  });

  it("is the same twice with the same seed and differs under --aslr", () => {
    const again = load("samples/riscv64/hello", ["hello", "a b", ""], ["A=1", "LONGER=xyz"]);
    expect(Buffer.from(again.stack.image)).toEqual(Buffer.from(r.stack.image));
    const a1 = load("samples/riscv64/hello", ["x"], [], { aslr: true, seed: 1 });
    const a2 = load("samples/riscv64/hello", ["x"], [], { aslr: true, seed: 2 });
    expect(a1.stack.sp).not.toBe(a2.stack.sp);
    expect(a1.vdsoBase).not.toBe(a2.vdsoBase);
  });
});

describe.runIf(existsSync(SYSROOT + "/lib/ld-linux-riscv64-lp64d.so.1"))("a dynamically linked PIE", () => {
  const r = load("samples/riscv64/dyn/hello", ["hello"], []);
  const get = (t: number) => r.stack.auxv.find(([x]) => x === t)![1];

  it("is loaded at ELF_ET_DYN_BASE with its interpreter below the mmap base", () => {
    expect(r.loadBias).toBe(0x2a_aaaa_a000);
    expect(get(AT.AT_ENTRY)).toBe(BigInt(r.loadBias) + r.elf.header.entry);
    expect(get(AT.AT_BASE)).toBe(BigInt(r.interpBase));
    expect(r.interpBase).toBeLessThan(r.mm.mmapBase);
    expect(r.pc).toBe(r.interpBase + Number(r.interp!.header.entry));
    expect(r.mm.findVma(r.interpBase)!.name).toBe("/lib/ld-linux-riscv64-lp64d.so.1");
  });
});
