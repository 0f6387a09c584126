// struct kstat: what stat(2) reports, independent of any architecture's struct stat layout.

import { exactTimes } from "./hosttimes.ts";

export interface KStat {
  dev: bigint;
  ino: bigint;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: bigint;
  size: bigint;
  blksize: number;
  blocks: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  btimeNs?: bigint;
}

// S_IF* file types
export const S_IFMT = 0o170000, S_IFSOCK = 0o140000, S_IFLNK = 0o120000, S_IFREG = 0o100000;
export const S_IFBLK = 0o060000, S_IFDIR = 0o040000, S_IFCHR = 0o020000, S_IFIFO = 0o010000;

/** A kstat for host `fs.Stats` read with { bigint: true }. */
export function kstatFromHost(s: import("node:fs").BigIntStats): KStat {
  const t = exactTimes(s);
  return {
    dev: s.dev, ino: s.ino, mode: Number(s.mode), nlink: Number(s.nlink), uid: Number(s.uid), gid: Number(s.gid),
    rdev: s.rdev, size: s.size, blksize: Number(s.blksize), blocks: s.blocks,
    atimeNs: t.atimeNs, mtimeNs: t.mtimeNs, ctimeNs: s.ctimeNs, btimeNs: s.birthtimeNs,
  };
}

/** Linux's makedev() for a kstat (the 64-bit glibc encoding, which the kernel's also decodes). */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major), mi = BigInt(minor);
  return ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
}
