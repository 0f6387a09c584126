// x86-64's struct layouts for the system calls (LP64, little-endian), with the same names as
// ./riscv64.ts so that the architecture-neutral ABI can take either. What differs from riscv64:
// struct stat (arch/x86/include/uapi/asm/stat.h: nlink before mode, a 64-bit blksize, 144
// bytes) and struct sigaction (sa_restorer between flags and mask, 32 bytes: glibc always sets
// it with SA_RESTORER). timespec, timeval, utsname, rlimit, statx and iovec are the same LP64
// layouts and come from ./riscv64.ts unchanged; so is struct statfs (x86-64 uses
// asm-generic/statfs.h: 120 bytes, as on riscv64).

import type { KStat } from "../../src/kernel/fs/stat.ts";

export {
  SIZEOF_TIMESPEC, SIZEOF_TIMEVAL, SIZEOF_UTSNAME, SIZEOF_RLIMIT, SIZEOF_STATX, SIZEOF_IOVEC,
  encodeStatx, encodeTimespec, decodeTimespec, encodeTimeval, encodeUtsname, encodeRlimit,
  decodeRlimit, decodeIovecs,
} from "./riscv64.ts";

export const SIZEOF_STAT = 144;
export const SIZEOF_SIGACTION = 32;

const NS = 1_000_000_000n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/**
 * struct stat: st_dev 0, st_ino 8, st_nlink 16 (8 bytes), st_mode 24, st_uid 28, st_gid 32,
 * pad 36, st_rdev 40, st_size 48, st_blksize 56 (8 bytes), st_blocks 64, then st_atime/nsec,
 * st_mtime/nsec, st_ctime/nsec at 72, 88, 104, and 24 reserved bytes.
 */
export function encodeStat(st: KStat): Uint8Array {
  const b = new Uint8Array(SIZEOF_STAT);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, st.dev, true);
  v.setBigUint64(8, st.ino, true);
  v.setBigUint64(16, BigInt(st.nlink), true);
  v.setUint32(24, st.mode, true);
  v.setUint32(28, st.uid, true);
  v.setUint32(32, st.gid, true);
  v.setBigUint64(40, st.rdev, true);
  v.setBigInt64(48, st.size, true);
  v.setBigInt64(56, BigInt(st.blksize), true);
  v.setBigInt64(64, st.blocks, true);
  [st.atimeNs, st.mtimeNs, st.ctimeNs].forEach((ns, i) => {
    v.setBigInt64(72 + i * 16, floorDiv(ns, NS), true);
    v.setBigUint64(80 + i * 16, ns - floorDiv(ns, NS) * NS, true);
  });
  return b;
}

/** The kernel's struct sigaction on x86-64: handler, flags, restorer, mask. */
export function decodeSigaction(b: Uint8Array): { handler: bigint; flags: bigint; restorer: bigint; mask: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { handler: v.getBigUint64(0, true), flags: v.getBigUint64(8, true), restorer: v.getBigUint64(16, true), mask: v.getBigUint64(24, true) };
}

export function encodeSigaction(a: { handler: bigint; flags: bigint; restorer?: bigint; mask: bigint }): Uint8Array {
  const b = new Uint8Array(SIZEOF_SIGACTION);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, a.handler, true);
  v.setBigUint64(8, a.flags, true);
  v.setBigUint64(16, a.restorer ?? 0n, true);
  v.setBigUint64(24, a.mask, true);
  return b;
}
