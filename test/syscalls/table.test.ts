import { describe, expect, it } from "vitest";
import { DECODERS } from "../../src/kernel/strace/kinds.ts";
import { FAMILIES, riscv64Syscalls, x86_64Syscalls } from "../../syscalls/index.ts";
import riscv64Table from "../../syscalls/tbl/riscv64.ts";
import { buildTable, collectHandlers, parseTable } from "../../syscalls/table.ts";
import type { SyscallDef } from "../../syscalls/types.ts";

describe("the riscv64 syscall table", () => {
  const table = riscv64Syscalls();

  it("binds every line to a handler that some family exports", () => {
    expect(table.size).toBe(parseTable(riscv64Table).length);
    for (const e of table.values()) expect(typeof e.def.fn).toBe("function");
  });

  it("uses the asm-generic numbers", () => {
    const byName = new Map([...table.values()].map((e) => [e.name, e.nr]));
    expect(Object.fromEntries(["openat", "close", "read", "write", "exit", "exit_group", "brk", "mmap", "clock_gettime", "rt_sigaction", "getrandom", "riscv_hwprobe"].map((n) => [n, byName.get(n)]))).toEqual({
      openat: 56, close: 57, read: 63, write: 64, exit: 93, exit_group: 94, brk: 214, mmap: 222, clock_gettime: 113, rt_sigaction: 134, getrandom: 278, riscv_hwprobe: 258,
    });
  });

  it("names each entry as its handler prints itself in strace", () => {
    for (const e of table.values()) expect(e.def.name).toBe(e.name);
  });

  it("has a strace decoder for every argument kind it uses", () => {
    const missing = [...table.values()].flatMap((e) => e.def.args.filter((k) => !DECODERS.has(k)).map((k) => `${e.name}:${k}`));
    expect(missing).toEqual([]);
  });

  it("has no handler that neither architecture's table uses", () => {
    const used = new Set([...table.values(), ...x86_64Syscalls().values()].map((e) => e.entry));
    const unused = [...collectHandlers(FAMILIES).keys()].filter((k) => !used.has(k));
    expect(unused).toEqual([]);
  });

  it("rejects a number listed twice and an entry point nobody defines", () => {
    const def: SyscallDef = { name: "x", args: [], fn: () => 0 };
    const handlers = new Map([["sys_x", { def, origin: "test" }]]);
    expect(() => buildTable("1 common x sys_x\n1 common y sys_x", handlers)).toThrow(/listed twice/);
    expect(() => buildTable("2 common z sys_z", handlers)).toThrow(/no syscalls/);
    expect(() => collectHandlers({ a: { sys_x: def }, b: { sys_x: def } })).toThrow(/both a and b/);
  });

  it("parses entries between blank lines and comments, and names the line it cannot parse", () => {
    expect(parseTable("1 common a sys_a # why\n\n  # a comment\n\t2\tcommon b sys_b\n")).toEqual([
      { nr: 1, abi: "common", name: "a", entry: "sys_a" },
      { nr: 2, abi: "common", name: "b", entry: "sys_b" },
    ]);
    expect(() => parseTable("1 common a")).toThrow(/line 1: cannot parse '1 common a'/);
    expect(() => parseTable("x common a sys_a")).toThrow(/line 1/);
    expect(() => parseTable("1 common a sys_a extra")).toThrow(/line 1/);
    expect(() => parseTable("1 common a sys_a\n\nfoo")).toThrow(/line 3: cannot parse 'foo'/);
  });
});
