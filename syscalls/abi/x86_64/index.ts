// x86-64's ABI object. What differs from riscv64: struct stat (arch/x86/include/uapi/asm/stat.h:
// nlink before mode, a 64-bit blksize, 144 bytes), struct sigaction (sa_restorer between flags
// and mask, 32 bytes: glibc always sets it with SA_RESTORER), struct epoll_event (packed under
// __x86_64__ in include/uapi/linux/eventpoll.h: data at offset 4, 12 bytes) and clone's argument
// order (no CONFIG_CLONE_BACKWARDS: tls last). statfs, statx, timespec, timeval, utsname,
// rlimit, iovec, stack_t, flock, pollfd, msghdr are the shared LP64 layouts (../lp64*.ts).

import type { KStat } from "../../../src/kernel/fs/stat.ts";
import * as lp64 from "../lp64.ts";
import * as lp64fs from "../lp64-fs.ts";
import * as lp64net from "../lp64-net.ts";
import type { Abi, KSigaction } from "../types.ts";
import { cpuinfoText } from "./cpuinfo.ts";
import { floorDiv, NS } from "../lp64.ts";

const SIZEOF_STAT = 144;
const SIZEOF_SIGACTION = 32;
const SIZEOF_EPOLL_EVENT = 12;

/**
 * struct stat: st_dev 0, st_ino 8, st_nlink 16 (8 bytes), st_mode 24, st_uid 28, st_gid 32,
 * pad 36, st_rdev 40, st_size 48, st_blksize 56 (8 bytes), st_blocks 64, then st_atime/nsec,
 * st_mtime/nsec, st_ctime/nsec at 72, 88, 104, and 24 reserved bytes.
 */
function encodeStat(st: KStat): Uint8Array {
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
  const times = [st.atimeNs, st.mtimeNs, st.ctimeNs];
  for (let i = 0; i < 3; i++) {
    const ns = times[i]!;
    v.setBigInt64(72 + i * 16, floorDiv(ns, NS), true);
    v.setBigUint64(80 + i * 16, ns - floorDiv(ns, NS) * NS, true);
  }
  return b;
}

function decodeStat(b: Uint8Array): { mode: number; size: bigint; rdev: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { mode: v.getUint32(24, true), size: v.getBigInt64(48, true), rdev: v.getBigUint64(40, true) };
}

/** The kernel's struct sigaction on x86-64: handler, flags, restorer, mask. */
function decodeSigaction(b: Uint8Array): KSigaction {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { handler: v.getBigUint64(0, true), flags: v.getBigUint64(8, true), restorer: v.getBigUint64(16, true), mask: v.getBigUint64(24, true) };
}

function encodeSigaction(a: KSigaction): Uint8Array {
  const b = new Uint8Array(SIZEOF_SIGACTION);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, a.handler, true);
  v.setBigUint64(8, a.flags, true);
  v.setBigUint64(16, a.restorer, true);
  v.setBigUint64(24, a.mask, true);
  return b;
}

/** struct epoll_event, packed: u32 events, u64 data at 4. */
function decodeEpollEvent(b: Uint8Array, i: number): { events: number; data: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { events: v.getUint32(i * SIZEOF_EPOLL_EVENT, true), data: v.getBigUint64(i * SIZEOF_EPOLL_EVENT + 4, true) };
}

function encodeEpollEvent(b: Uint8Array, i: number, events: number, data: bigint): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setUint32(i * SIZEOF_EPOLL_EVENT, events, true);
  v.setBigUint64(i * SIZEOF_EPOLL_EVENT + 4, data, true);
}

export const x86_64Abi: Abi = {
  ...lp64, ...lp64fs, ...lp64net,
  machine: "x86_64",
  cpuinfo: cpuinfoText,
  SIZEOF_STAT, encodeStat, decodeStat,
  SIZEOF_SIGACTION, decodeSigaction, encodeSigaction,
  SIZEOF_EPOLL_EVENT, decodeEpollEvent, encodeEpollEvent,
  cloneTlsArg: 4, cloneChildTidArg: 3,
  MINSIGSTKSZ: 2048,
  SHMLBA: 4096, // arch/x86/include/asm/shmparam.h: PAGE_SIZE
};
