// A task without a CPU for VFS tests: a kernel over a temporary --root, guest memory with a
// bump allocator for strings and buffers, and a way to call syscall handlers directly.

import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runToEnd } from "../../src/kernel/syscall.ts";
import { FileTable } from "../../src/kernel/fs/file.ts";
import { Kernel } from "../../src/kernel/kernel.ts";
import { riscv64Abi } from "../../syscalls/abi/riscv64/index.ts";
import { credFor, type Task } from "../../src/kernel/proc/task.ts";
import { KernelThreadRegs } from "../../src/kernel/trap/arch.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { SyscallArgs } from "../../syscalls/args.ts";
import type { SyscallDef } from "../../syscalls/types.ts";

/** A fresh empty host directory (canonical path). */
export function tempDir(prefix = "sysemu-vfs-"): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export interface TaskOptions {
  root?: string;
  readOnly?: boolean;
  uid?: number;
  gid?: number;
  cwd?: string;
  sysroot?: string;
}

const SCRATCH = 0x1000_0000;
const SCRATCH_SIZE = 1 << 20;

/** A task of a new kernel whose guest sees `root` as "/". */
export function makeTask(o: TaskOptions = {}): Task {
  const uid = o.uid ?? process.getuid?.() ?? 0;
  const gid = o.gid ?? process.getgid?.() ?? 0;
  const k = new Kernel({ table: new Map(), abi: riscv64Abi, root: o.root, readOnly: o.readOnly, sysroot: o.sysroot ?? null });
  const mm = new MM();
  mm.mapFixed(SCRATCH, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
  const t = k.spawn(mm, new KernelThreadRegs(), new FileTable(), { cwd: o.cwd ?? "/", root: "/", umask: 0o022 }, credFor(uid, gid));
  t.comm = "vfs-test";
  return t;
}

const next = new WeakMap<Task, number>();

/** Copies bytes into the task's memory; returns their address. */
export function put(t: Task, bytes: Uint8Array): number {
  const at = next.get(t) ?? SCRATCH;
  next.set(t, at + ((bytes.length + 15) & ~15) + 16);
  t.mm.poke(at, bytes);
  return at;
}

/** A NUL-terminated string in guest memory. */
export function str(t: Task, s: string): number {
  return put(t, new TextEncoder().encode(s + "\0"));
}

/** n zero bytes of guest memory. */
export function buf(t: Task, n: number): number {
  return put(t, new Uint8Array(n));
}

/** Reads guest memory back. */
export function peek(t: Task, addr: number, n: number): Uint8Array {
  return t.mm.peek(addr, n);
}

/**
 * Calls a handler with raw argument values (strings are copied in as C strings). A call that
 * sleeps is woken at its sleep's deadline and run again, as the scheduler would; one that would
 * sleep for ever is an error.
 */
export function call(t: Task, def: SyscallDef, ...args: (number | bigint | string)[]): number {
  const raw = new BigInt64Array(6);
  args.forEach((v, i) => (raw[i] = typeof v === "string" ? BigInt(str(t, v)) : BigInt.asIntN(64, BigInt(v))));
  const values = raw.slice();
  const site = { nr: -1, name: def.name, origin: "test", def };
  const oopses = t.kernel.oopsCount;
  const r = runToEnd(t, site, new SyscallArgs(raw), () => raw.set(values), () => {
    throw new Error(`${def.name} would sleep for ever`);
  });
  if (t.kernel.oopsCount !== oopses) throw new Error(`${def.name} oopsed: ${t.kernel.printk.records().map((x) => x.text).join("\n")}`);
  return r;
}

/** Another process in t's kernel (its own files and memory), for locks and /proc/<pid>. */
export function sibling(t: Task): Task {
  const mm = new MM();
  mm.mapFixed(SCRATCH, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
  const u = t.kernel.spawn(mm, new KernelThreadRegs(), new FileTable(), { ...t.fs }, { ...t.cred, groups: [...t.cred.groups] });
  u.comm = "sibling";
  return u;
}
