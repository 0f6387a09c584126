// The image as GNU binutils see it. Skipped only when the riscv64 cross binutils are missing
// (CI installs binutils-riscv64-linux-gnu).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { vdsoImage } from "../../src/vdso/index.ts";
import { haveTool } from "./elf-view.ts";

const READELF = "riscv64-linux-gnu-readelf";
const OBJDUMP = "riscv64-linux-gnu-objdump";
const FUNCTIONS = [
  "__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_clock_getres",
  "__vdso_getcpu", "__vdso_flush_icache", "__vdso_riscv_hwprobe",
];

const dir = mkdtempSync(join(tmpdir(), "sysemu-vdso-"));
const file = join(dir, "vdso.so");
writeFileSync(file, vdsoImage().bytes);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(tool: string, ...args: string[]): string {
  const r = spawnSync(tool, [...args, file], { encoding: "utf8" });
  expect(r.error).toBeUndefined();
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

describe.skipIf(!haveTool(READELF))("vDSO image under readelf", () => {
  it("reads without a warning or an error", () => {
    const out = run(READELF, "-a", "-W");
    expect(out.split("\n").filter((l) => /warning|error/i.test(l))).toEqual([]);
    expect(out).toMatch(/Type:\s+DYN \(Shared object file\)/);
    expect(out).toMatch(/Machine:\s+RISC-V/);
    expect(out).toMatch(/Flags:\s+0x5, RVC, double-float ABI/);
    expect(out).toMatch(/LOAD\s+0x000000 0x0000000000000000 0x0000000000000000 0x[0-9a-f]+ 0x[0-9a-f]+ R E 0x1000/);
    expect(out).toMatch(/00\s+\.hash \.gnu\.hash \.dynsym \.dynstr \.gnu\.version \.gnu\.version_d \.dynamic \.note \.text\s*$/m);
    expect(out).toMatch(/Histogram for `\.gnu\.hash' bucket list length/);
  });

  it("lists exactly the seven functions, each @@LINUX_4.15, and the version symbol", () => {
    const rows = run(READELF, "--dyn-syms", "-W").split("\n").filter((l) => /^\s+\d+:/.test(l));
    const funcs = rows.filter((l) => /\bFUNC\b/.test(l));
    expect(funcs.map((l) => l.trim().split(/\s+/).at(-1)).sort()).toEqual(FUNCTIONS.map((f) => `${f}@@LINUX_4.15`).sort());
    for (const l of funcs) expect(l).toMatch(/FUNC\s+GLOBAL\s+DEFAULT\s+\d+ /);
    const others = rows.filter((l) => !/\bFUNC\b/.test(l)).map((l) => l.trim().split(/\s+/).slice(3).join(" "));
    expect(others).toEqual(["NOTYPE LOCAL DEFAULT UND", "OBJECT GLOBAL DEFAULT ABS LINUX_4.15"]);
  });

  it("shows the dynamic tags", () => {
    const out = run(READELF, "-d", "-W");
    const tags = [...out.matchAll(/^\s*0x[0-9a-f]+ \((\w+)\)/gm)].map((m) => m[1]);
    expect(tags).toEqual(["SONAME", "HASH", "GNU_HASH", "STRTAB", "SYMTAB", "STRSZ", "SYMENT", "VERSYM", "VERDEF", "VERDEFNUM", "NULL"]);
    expect(out).toContain("Library soname: [linux-vdso.so.1]");
  });

  it("shows the Linux version note and a build id", () => {
    const out = run(READELF, "-n", "-W");
    expect(out).toMatch(/Linux\s+0x00000004\s+Unknown note type: \(0x00000000\)\s+description data: 00 0c 06 00/);
    expect(out).toMatch(/GNU\s+0x00000014\s+NT_GNU_BUILD_ID .*\n?\s*Build ID: [0-9a-f]{40}/);
  });

  it("shows the version definitions", () => {
    const out = run(READELF, "-V", "-W");
    expect(out).toMatch(/Rev: 1\s+Flags: BASE\s+Index: 1\s+Cnt: 1\s+Name: linux-vdso\.so\.1/);
    expect(out).toMatch(/Rev: 1\s+Flags: none\s+Index: 2\s+Cnt: 1\s+Name: LINUX_4\.15/);
  });
});

/** objdump -d, split into { function name: "mnemonic operands" lines }. */
function disassemble(): Map<string, string[]> {
  const fns = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of run(OBJDUMP, "-d").split("\n")) {
    const head = /^[0-9a-f]+ <(\w+)@@LINUX_4\.15>:$/.exec(line);
    if (head) fns.set(head[1]!, (current = []));
    const insn = /^\s+[0-9a-f]+:\s+[0-9a-f]{8}\s+(.*?)(\s+#.*)?$/.exec(line);
    if (insn && current) current.push(insn[1]!.replace(/\s+/, " ").replace(/ <.*>$/, ""));
  }
  return fns;
}

describe.skipIf(!haveTool(OBJDUMP))("vDSO machine code under objdump", () => {
  let cached: Map<string, string[]> | undefined;
  const fns = (): Map<string, string[]> => (cached ??= disassemble());
  const fn = (name: string): string[] => {
    const body = fns().get(name);
    expect(body, name).toBeDefined();
    return body!;
  };

  it("disassembles every function and nothing is left unknown", () => {
    expect([...fns().keys()].sort()).toEqual([...FUNCTIONS].sort());
    for (const body of fns().values()) for (const i of body) expect(i).not.toMatch(/unknown|\.insn|\.word/);
  });

  it("__vdso_rt_sigreturn is li a7,139; ecall and nothing else", () => {
    expect(fn("__vdso_rt_sigreturn")).toEqual(["li a7,139", "ecall"]);
  });

  it("the syscall-only entries are li a7,nr; ecall; ret", () => {
    expect(fn("__vdso_flush_icache")).toEqual(["li a7,259", "ecall", "ret"]);
    expect(fn("__vdso_riscv_hwprobe")).toEqual(["li a7,258", "ecall", "ret"]);
  });

  it("the time functions reach [vvar] pc-relatively, read the time CSR and fall back to their syscall", () => {
    for (const [name, nr] of [["__vdso_clock_gettime", 113], ["__vdso_gettimeofday", 169], ["__vdso_clock_getres", 114]] as const) {
      const body = fn(name);
      expect(body[0], name).toMatch(/^auipc t0,0x[0-9a-f]+$/);
      expect(body[1], name).toMatch(/^addi? t0,t0,-?\d+$/);
      expect(body.slice(-3), name).toEqual([`li a7,${nr}`, "ecall", "ret"]);
      expect(body.filter((i) => i === "ret"), name).toHaveLength(2);
      if (name !== "__vdso_clock_getres") {
        expect(body, name).toContain("rdtime t3");
        expect(body.filter((i) => i === "fence r,r"), name).toHaveLength(2);
        expect(body.some((i) => /^divu /.test(i)) && body.some((i) => /^remu /.test(i)) && body.some((i) => /^mul /.test(i)), name).toBe(true);
      }
    }
    expect(fn("__vdso_clock_gettime")).toContain("li t1,16");
    expect(fn("__vdso_clock_gettime")).toContain("sd t6,0(a1)");
    expect(fn("__vdso_gettimeofday")).toContain("li t4,1000");
  });

  it("__vdso_getcpu stores zeros and returns 0 without a trap", () => {
    const body = fn("__vdso_getcpu");
    expect(body).toContain("sw zero,0(a0)");
    expect(body).toContain("sw zero,0(a1)");
    expect(body.slice(-2)).toEqual(["li a0,0", "ret"]);
    expect(body).not.toContain("ecall");
  });
});
