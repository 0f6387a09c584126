// The architecture-neutral ABI: what a handler, strace or the kernel needs to know about how an
// architecture lays out the system calls' structs and which of their constants differ. One
// object per architecture (./riscv64, ./x86_64) implements it; exec sets the task's from the
// binary format it loads (t.abi), fork copies it. Nothing outside those objects knows an offset
// that differs between architectures; the LP64 layouts they share come from ./lp64*.ts.

import type { KStat } from "../../src/kernel/fs/stat.ts";
import type * as lp64 from "./lp64.ts";
import type * as lp64fs from "./lp64-fs.ts";
import type * as lp64net from "./lp64-net.ts";

/** The kernel's struct sigaction, as decoded (restorer 0 where the architecture has none). */
export interface KSigaction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}

/** The LP64 layouts every architecture here shares (timespec, iovec, stack_t, flock, msghdr ...). */
export type Lp64Layouts = typeof lp64 & typeof lp64fs & typeof lp64net;

export interface Abi extends Lp64Layouts {
  /** The machine's name: uname -m, /proc/cpuinfo's and the syscall table's. */
  readonly machine: string;
  /** /proc/cpuinfo in the architecture's format. */
  cpuinfo(): string;
  /** struct stat (stat, fstat, newfstatat). */
  readonly SIZEOF_STAT: number;
  encodeStat(st: KStat): Uint8Array;
  /** What strace shows of an encoded struct stat. */
  decodeStat(b: Uint8Array): { mode: number; size: bigint; rdev: bigint };
  /** The kernel's struct sigaction (rt_sigaction). */
  readonly SIZEOF_SIGACTION: number;
  decodeSigaction(b: Uint8Array): KSigaction;
  encodeSigaction(a: KSigaction): Uint8Array;
  /** struct epoll_event: packed (12 bytes) on x86-64, padded (16) elsewhere. */
  readonly SIZEOF_EPOLL_EVENT: number;
  /** Event i of a struct epoll_event[] buffer. */
  decodeEpollEvent(b: Uint8Array, i: number): { events: number; data: bigint };
  encodeEpollEvent(b: Uint8Array, i: number, events: number, data: bigint): void;
  /**
   * clone(2)'s argument positions of tls and child_tidptr: (flags, newsp, parent_tidptr,
   * child_tidptr, tls) by default, tls before child_tidptr with CONFIG_CLONE_BACKWARDS (riscv).
   */
  readonly cloneTlsArg: number;
  readonly cloneChildTidArg: number;
  /** MINSIGSTKSZ of the architecture's uapi: the smallest alternate stack sigaltstack accepts. */
  readonly MINSIGSTKSZ: number;
  /** SHMLBA (asm/shmparam.h): shmat's attach alignment. */
  readonly SHMLBA: number;
}
