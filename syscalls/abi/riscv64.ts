// riscv64's struct layouts for the system calls (lp64, little-endian): asm-generic stat,
// timespec, timeval, utsname, rlimit, sigaction (no sa_restorer on riscv), statx, iovec.
// Handlers encode and decode through here; nothing else knows an offset.

import { u64_to_user_ptr } from "../args.ts";
import type { KStat } from "../../src/kernel/fs/stat.ts";

export const SIZEOF_STAT = 128;
export const SIZEOF_TIMESPEC = 16;
export const SIZEOF_TIMEVAL = 16;
export const SIZEOF_UTSNAME = 6 * 65;
export const SIZEOF_RLIMIT = 16;
export const SIZEOF_SIGACTION = 24;
export const SIZEOF_STATX = 256;
export const SIZEOF_IOVEC = 16;

const NS = 1_000_000_000n;

/** struct stat (include/uapi/asm-generic/stat.h). */
export function encodeStat(st: KStat): Uint8Array {
  const b = new Uint8Array(SIZEOF_STAT);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, st.dev, true);
  v.setBigUint64(8, st.ino, true);
  v.setUint32(16, st.mode, true);
  v.setUint32(20, st.nlink, true);
  v.setUint32(24, st.uid, true);
  v.setUint32(28, st.gid, true);
  v.setBigUint64(32, st.rdev, true);
  v.setBigInt64(48, st.size, true);
  v.setInt32(56, st.blksize, true);
  v.setBigInt64(64, st.blocks, true);
  const times = [st.atimeNs, st.mtimeNs, st.ctimeNs];
  times.forEach((ns, i) => {
    v.setBigInt64(72 + i * 16, floorDiv(ns, NS), true);
    v.setBigUint64(80 + i * 16, ns - floorDiv(ns, NS) * NS, true);
  });
  return b;
}

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
function splitDev(dev: bigint): [number, number] {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return [Number(major & 0xffffffffn), Number(minor & 0xffffffffn)];
}

function floorDiv(a: bigint, b: bigint): bigint {
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

/** The kernel's struct sigaction on riscv: handler, flags, mask (no restorer). */
export function decodeSigaction(b: Uint8Array): { handler: bigint; flags: bigint; restorer: bigint; mask: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { handler: v.getBigUint64(0, true), flags: v.getBigUint64(8, true), restorer: 0n, mask: v.getBigUint64(16, true) };
}

export function encodeSigaction(a: { handler: bigint; flags: bigint; mask: bigint }): Uint8Array {
  const b = new Uint8Array(SIZEOF_SIGACTION);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, a.handler, true);
  v.setBigUint64(8, a.flags, true);
  v.setBigUint64(16, a.mask, true);
  return b;
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
