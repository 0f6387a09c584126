import { x86_64Abi } from "../../syscalls/abi/x86_64/index.ts";
import { describe, expect, it } from "vitest";
import { DECODERS } from "../../src/kernel/strace/kinds.ts";
import { riscv64Syscalls, x86_64Syscalls } from "../../syscalls/index.ts";
import { X86_64_SYSCALL_NAMES } from "../../syscalls/tbl/x86_64-names.ts";
import x86_64Table from "../../syscalls/tbl/x86_64.ts";
import { parseTable } from "../../syscalls/table.ts";

describe("the x86-64 syscall table", () => {
  const table = x86_64Syscalls();
  const byName = new Map([...table.values()].map((e) => [e.name, e.nr]));

  it("binds every line to a handler", () => {
    expect(table.size).toBe(parseTable(x86_64Table).length);
    for (const e of table.values()) expect(typeof e.def.fn).toBe("function");
  });

  it("uses syscall_64.tbl's numbers", () => {
    const names = ["read", "write", "open", "close", "stat", "fstat", "mmap", "brk", "rt_sigaction", "rt_sigreturn", "ioctl", "pipe", "fork", "vfork", "execve", "exit", "wait4", "kill", "arch_prctl", "clone", "exit_group", "openat", "newfstatat", "clock_gettime", "getrandom", "rseq", "clone3", "restart_syscall"];
    expect(Object.fromEntries(names.map((n) => [n, byName.get(n)]))).toEqual({
      read: 0, write: 1, open: 2, close: 3, stat: 4, fstat: 5, mmap: 9, brk: 12, rt_sigaction: 13, rt_sigreturn: 15, ioctl: 16, pipe: 22,
      fork: 57, vfork: 58, execve: 59, exit: 60, wait4: 61, kill: 62, arch_prctl: 158, clone: 56, exit_group: 231, openat: 257,
      newfstatat: 262, clock_gettime: 228, getrandom: 318, rseq: 334, clone3: 435, restart_syscall: 219,
    });
  });

  it("agrees with the kernel header on every number and name (hello/hello2 aside)", () => {
    for (const e of table.values()) {
      if (e.nr === 400 || e.nr === 401) continue;
      expect(X86_64_SYSCALL_NAMES.get(e.nr), `${e.name} at ${e.nr}`).toBe(e.name);
    }
  });

  it("has every entry point of the riscv64 table but riscv's own", () => {
    const x86 = new Set([...table.values()].map((e) => e.entry));
    const missing = [...riscv64Syscalls().values()].map((e) => e.entry).filter((e) => !x86.has(e) && !e.startsWith("sys_riscv_") && e !== "sys_clone");
    expect(missing).toEqual([]);
  });

  it("puts sys_hello and sys_hello2 at 400 and 401, and drops them with hello: false", () => {
    expect([table.get(400)?.entry, table.get(401)?.entry]).toEqual(["sys_hello", "sys_hello2"]);
    const off = x86_64Syscalls({ hello: false });
    expect([off.has(400), off.has(401)]).toEqual([false, false]);
  });

  it("takes clone's arguments with tls last", () => {
    expect(table.get(56)?.entry).toBe("sys_clone");
    expect([x86_64Abi.cloneChildTidArg, x86_64Abi.cloneTlsArg]).toEqual([3, 4]);
  });

  it("names each entry as its handler prints itself in strace, with a decoder for every kind", () => {
    for (const e of table.values()) expect(e.def.name).toBe(e.name);
    const missing = [...table.values()].flatMap((e) => e.def.args.filter((k) => !DECODERS.has(k)).map((k) => `${e.name}:${k}`));
    expect(missing).toEqual([]);
  });
});
