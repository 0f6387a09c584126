// The struct layouts every LP64 little-endian architecture sysemu runs (riscv64, x86-64) shares:
// timespec, timeval, utsname, rlimit, statx, iovec, stack_t. The architectures' Abi objects
// (./riscv64, ./x86_64) take these and add what differs; handlers reach them through t.abi.

import { u64_to_user_ptr } from "../args.ts";
import type { KStat } from "../../src/kernel/fs/stat.ts";
import type { AltStack } from "../../src/kernel/signal/signal.ts";

export const SIZEOF_TIMESPEC = 16;
export const SIZEOF_TIMEVAL = 16;
export const SIZEOF_UTSNAME = 6 * 65;
export const SIZEOF_RLIMIT = 16;
export const SIZEOF_STATX = 256;
export const SIZEOF_IOVEC = 16;
export const SIZEOF_STACK_T = 24;

export const NS = 1_000_000_000n;

/** struct statx (include/uapi/linux/stat.h) with the basic stats and btime. */
export function encodeStatx(st: KStat, mask: number): Uint8Array {
  const b = new Uint8Array(SIZEOF_STATX);
  const v = new DataView(b.buffer);
  const STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;
  v.setUint32(0, STATX_BASIC_STATS | (st.btimeNs !== undefined ? STATX_BTIME : 0), true); // stx_mask
  v.setUint32(4, st.blksize, true);
  v.setBigUint64(8, 0n, true); // stx_attributes
  v.setUint32(16, st.nlink, true);
  v.setUint32(20, st.uid, true);
  v.setUint32(24, st.gid, true);
  v.setUint16(28, st.mode, true);
  v.setBigUint64(32, st.ino, true);
  v.setBigUint64(40, st.size, true);
  v.setBigUint64(48, st.blocks, true);
  const ts = (off: number, ns: bigint) => {
    v.setBigInt64(off, floorDiv(ns, NS), true);
    v.setUint32(off + 8, Number(ns - floorDiv(ns, NS) * NS), true);
  };
  ts(64, st.atimeNs);
  ts(80, st.btimeNs ?? 0n);
  ts(96, st.ctimeNs);
  ts(112, st.mtimeNs);
  const [rma, rmi] = splitDev(st.rdev);
  const [dma, dmi] = splitDev(st.dev);
  v.setUint32(128, rma, true);
  v.setUint32(132, rmi, true);
  v.setUint32(136, dma, true);
  v.setUint32(140, dmi, true);
  void mask;
  return b;
}

/** major/minor of a dev_t in glibc's 64-bit encoding. */
export function splitDev(dev: bigint): [number, number] {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return [Number(major & 0xffffffffn), Number(minor & 0xffffffffn)];
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** struct timespec from nanoseconds. */
export function encodeTimespec(ns: bigint): Uint8Array {
  const b = new Uint8Array(SIZEOF_TIMESPEC);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, floorDiv(ns, NS), true);
  v.setBigInt64(8, ns - floorDiv(ns, NS) * NS, true);
  return b;
}

/** struct timespec → { sec, nsec } (validation is the caller's). */
export function decodeTimespec(b: Uint8Array): { sec: bigint; nsec: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { sec: v.getBigInt64(0, true), nsec: v.getBigInt64(8, true) };
}

/** struct timeval from nanoseconds. */
export function encodeTimeval(ns: bigint): Uint8Array {
  const b = new Uint8Array(SIZEOF_TIMEVAL);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, floorDiv(ns, NS), true);
  v.setBigInt64(8, (ns - floorDiv(ns, NS) * NS) / 1000n, true);
  return b;
}

/** struct new_utsname: six NUL-padded 65-byte fields. */
export function encodeUtsname(fields: readonly string[]): Uint8Array {
  const b = new Uint8Array(SIZEOF_UTSNAME);
  const enc = new TextEncoder();
  fields.forEach((f, i) => b.set(enc.encode(f).subarray(0, 64), i * 65));
  return b;
}

/** struct rlimit (two rlim_t; RLIM_INFINITY is all ones). */
export function encodeRlimit(cur: bigint, max: bigint): Uint8Array {
  const b = new Uint8Array(SIZEOF_RLIMIT);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, cur, true);
  v.setBigUint64(8, max, true);
  return b;
}

export function decodeRlimit(b: Uint8Array): { cur: bigint; max: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { cur: v.getBigUint64(0, true), max: v.getBigUint64(8, true) };
}

/** struct iovec array → [base, len] pairs. */
export function decodeIovecs(b: Uint8Array, count: number): { base: number; len: number }[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: { base: number; len: number }[] = [];
  for (let i = 0; i < count; i++) {
    const base = v.getBigUint64(i * 16, true);
    const len = v.getBigUint64(i * 16 + 8, true);
    out.push({ base: u64_to_user_ptr(base), len: len > 0x7fff_ffffn ? Number.MAX_SAFE_INTEGER : Number(len) });
  }
  return out;
}

/** stack_t (sigaltstack): ss_sp, ss_flags (int, then padding), ss_size. */
export function decodeStack(b: Uint8Array): AltStack {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { sp: v.getBigUint64(0, true), flags: v.getInt32(8, true), size: v.getBigUint64(16, true) };
}

export function encodeStack(s: AltStack, b: Uint8Array = new Uint8Array(SIZEOF_STACK_T), off = 0): Uint8Array {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setBigUint64(off, s.sp, true);
  v.setInt32(off + 8, s.flags, true);
  v.setUint32(off + 12, 0, true);
  v.setBigUint64(off + 16, s.size, true);
  return b;
}

/** A sigset_t as the kernel copies it (one unsigned long: _NSIG 64). */
export const SIZEOF_SIGSET = 8;

export const SIZEOF_ITIMERSPEC = 32;
export const SIZEOF_ITIMERVAL = 32;

/** struct itimerspec: it_interval, then it_value, each a timespec. */
export function encodeItimerspec(s: { value: bigint; interval: bigint }): Uint8Array {
  const b = new Uint8Array(SIZEOF_ITIMERSPEC);
  b.set(encodeTimespec(s.interval), 0);
  b.set(encodeTimespec(s.value), 16);
  return b;
}

/** struct itimerval: it_interval, then it_value, each a timeval. */
export function encodeItimerval(value: bigint, interval: bigint): Uint8Array {
  const b = new Uint8Array(SIZEOF_ITIMERVAL);
  b.set(encodeTimeval(interval), 0);
  b.set(encodeTimeval(value), 16);
  return b;
}

/** struct timeval → { sec, usec } (validation is the caller's). */
export function decodeTimeval(b: Uint8Array, off = 0): { sec: bigint; usec: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { sec: v.getBigInt64(off, true), usec: v.getBigInt64(off + 8, true) };
}

/** The kernel's struct termios (TCGETS/TCSETS; asm-generic termbits.h): four flag words, c_line, c_cc[19]. */
export const SIZEOF_TERMIOS = 36;
export const NCCS = 19;

export interface KTermios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  line: number;
  cc: readonly number[];
}

export function encodeTermios(k: KTermios): Uint8Array {
  const b = new Uint8Array(SIZEOF_TERMIOS);
  const v = new DataView(b.buffer);
  v.setUint32(0, k.iflag, true);
  v.setUint32(4, k.oflag, true);
  v.setUint32(8, k.cflag, true);
  v.setUint32(12, k.lflag, true);
  b[16] = k.line;
  b.set(k.cc.slice(0, NCCS), 17);
  return b;
}

export function decodeTermios(b: Uint8Array): KTermios {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { iflag: v.getUint32(0, true), oflag: v.getUint32(4, true), cflag: v.getUint32(8, true), lflag: v.getUint32(12, true), line: b[16]!, cc: [...b.subarray(17, 17 + NCCS)] };
}

/** struct winsize (TIOCGWINSZ): ws_row, ws_col, ws_xpixel, ws_ypixel. */
export function encodeWinsize(rows: number, cols: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint16(0, rows, true);
  v.setUint16(2, cols, true);
  return b;
}
