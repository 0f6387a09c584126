// How WASI reaches the kernel: by calling the Linux system call handlers of the task's table,
// with Linux arguments. WASI's file operations become openat, read, renameat2 ... on the same
// FileTable, path walk, --sysroot and VFS as an ELF guest's, so whatever the kernel enforces
// applies to both. Strings and structs the handlers take by pointer are staged in the wasm
// task's kernel scratch window (memory.ts); guest buffers are passed as they are.
//
// A handler the table lacks gives -ENOSYS, as it would to an ELF guest. The calls made here
// are the kernel's own work for a WASI call: strace shows the WASI call, not these.

import { ENOSYS } from "../kernel/errno.ts";
import type { Task } from "../kernel/proc/task.ts";
import { SyscallArgs } from "../../syscalls/args.ts";
import type { TableEntry } from "../../syscalls/table.ts";
import type { WasmMM } from "./memory.ts";
import { runToEnd } from "../kernel/syscall.ts";

// Linux values the bridge passes (include/uapi/linux/fcntl.h, asm-generic/stat.h).
export const AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
export const F_GETFL = 3, F_SETFL = 4;
export const SIZEOF_LINUX_STAT = 128;

/** The parts of a Linux struct stat the WASI layers use. */
export interface LinuxStat {
  dev: bigint;
  ino: bigint;
  mode: number;
  nlink: number;
  size: bigint;
  atimNs: bigint;
  mtimNs: bigint;
  ctimNs: bigint;
}

const enc = new TextEncoder();

export class KernelBridge {
  private readonly byName = new Map<string, TableEntry>();
  private readonly raw = new BigInt64Array(6);
  private readonly args = new SyscallArgs(this.raw);

  constructor(readonly t: Task, readonly mm: WasmMM) {
    for (const e of t.kernel.table.values()) this.byName.set(e.name, e);
  }

  /** Whether the kernel has a system call (e.g. "renameat2"). */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Calls the handler of `name` with Linux arguments, sleeps waited out: its result or -errno. Inside mm.inKernel only. */
  sys(name: string, ...a: (number | bigint)[]): number {
    const e = this.byName.get(name);
    if (!e) return -ENOSYS;
    const raw = a.map((v) => BigInt.asIntN(64, BigInt(v)));
    return runToEnd(this.t, e, this.args, () => {
      for (let i = 0; i < 6; i++) this.raw[i] = raw[i] ?? 0n;
    });
  }

  /** Stages a NUL-terminated string in the scratch window; its address. */
  str(s: string | Uint8Array): number {
    const bytes = typeof s === "string" ? enc.encode(s) : s;
    const addr = this.mm.scratchAlloc(bytes.length + 1);
    this.mm.scratchView(addr, bytes.length).set(bytes);
    return addr;
  }

  /** Reserves n zeroed scratch bytes; their address. */
  alloc(n: number): number {
    return this.mm.scratchAlloc(n);
  }

  /** The scratch bytes at addr (after a handler filled them). */
  view(addr: number, n: number): Uint8Array {
    return this.mm.scratchView(addr, n);
  }

  /** fstat(fd), or -errno. */
  fstat(fd: number): LinuxStat | number {
    const buf = this.alloc(SIZEOF_LINUX_STAT);
    const r = this.sys("fstat", fd, buf);
    return r < 0 ? r : decodeStat(this.view(buf, SIZEOF_LINUX_STAT));
  }

  /** newfstatat(dirfd, path, flags) with the path already staged at pathAddr, or -errno. */
  statAtAddr(dirfd: number, pathAddr: number, flags: number): LinuxStat | number {
    const buf = this.alloc(SIZEOF_LINUX_STAT);
    const r = this.sys("newfstatat", dirfd, pathAddr, buf, flags);
    return r < 0 ? r : decodeStat(this.view(buf, SIZEOF_LINUX_STAT));
  }

  /** Writes a struct timespec[2] for utimensat; its address. */
  timespecs(times: readonly [sec: bigint, nsec: bigint][]): number {
    const addr = this.alloc(16 * times.length);
    const v = new DataView(this.view(addr, 16 * times.length).buffer, this.view(addr, 0).byteOffset);
    times.forEach(([sec, nsec], i) => {
      v.setBigInt64(i * 16, sec, true);
      v.setBigInt64(i * 16 + 8, nsec, true);
    });
    return addr;
  }
}

/** Decodes a riscv64 (asm-generic) struct stat. */
export function decodeStat(b: Uint8Array): LinuxStat {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ts = (off: number) => v.getBigInt64(off, true) * 1_000_000_000n + v.getBigUint64(off + 8, true);
  return {
    dev: v.getBigUint64(0, true),
    ino: v.getBigUint64(8, true),
    mode: v.getUint32(16, true),
    nlink: v.getUint32(20, true),
    size: v.getBigInt64(48, true),
    atimNs: ts(72),
    mtimNs: ts(88),
    ctimNs: ts(104),
  };
}
