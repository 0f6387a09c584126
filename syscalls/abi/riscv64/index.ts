// riscv64's ABI object: the asm-generic layouts riscv uses as they are (struct stat of
// include/uapi/asm-generic/stat.h, struct sigaction without sa_restorer, struct epoll_event
// padded to 16 bytes) and CONFIG_CLONE_BACKWARDS's clone argument order. Everything else is
// the shared LP64 layout (../lp64*.ts).

import type { KStat } from "../../../src/kernel/fs/stat.ts";
import * as lp64 from "../lp64.ts";
import * as lp64fs from "../lp64-fs.ts";
import * as lp64net from "../lp64-net.ts";
import type { Abi, KSigaction } from "../types.ts";
import { cpuinfoText } from "./cpuinfo.ts";
import { floorDiv, NS } from "../lp64.ts";

const SIZEOF_STAT = 128;
const SIZEOF_SIGACTION = 24;
const SIZEOF_EPOLL_EVENT = 16;

/** struct stat (asm-generic): dev, ino, mode, nlink, uid, gid, rdev, pad, size, blksize (int), pad, blocks, times. */
function encodeStat(st: KStat): Uint8Array {
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
  for (let i = 0; i < 3; i++) {
    const ns = times[i]!;
    v.setBigInt64(72 + i * 16, floorDiv(ns, NS), true);
    v.setBigUint64(80 + i * 16, ns - floorDiv(ns, NS) * NS, true);
  }
  return b;
}

function decodeStat(b: Uint8Array): { mode: number; size: bigint; rdev: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { mode: v.getUint32(16, true), size: v.getBigInt64(48, true), rdev: v.getBigUint64(32, true) };
}

/** The kernel's struct sigaction on riscv: handler, flags, mask (no sa_restorer). */
function decodeSigaction(b: Uint8Array): KSigaction {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { handler: v.getBigUint64(0, true), flags: v.getBigUint64(8, true), restorer: 0n, mask: v.getBigUint64(16, true) };
}

function encodeSigaction(a: KSigaction): Uint8Array {
  const b = new Uint8Array(SIZEOF_SIGACTION);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, a.handler, true);
  v.setBigUint64(8, a.flags, true);
  v.setBigUint64(16, a.mask, true);
  return b;
}

/** struct epoll_event: u32 events, 4 bytes of padding, u64 data. */
function decodeEpollEvent(b: Uint8Array, i: number): { events: number; data: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { events: v.getUint32(i * SIZEOF_EPOLL_EVENT, true), data: v.getBigUint64(i * SIZEOF_EPOLL_EVENT + 8, true) };
}

function encodeEpollEvent(b: Uint8Array, i: number, events: number, data: bigint): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setUint32(i * SIZEOF_EPOLL_EVENT, events, true);
  v.setUint32(i * SIZEOF_EPOLL_EVENT + 4, 0, true);
  v.setBigUint64(i * SIZEOF_EPOLL_EVENT + 8, data, true);
}

export const riscv64Abi: Abi = {
  ...lp64, ...lp64fs, ...lp64net,
  machine: "riscv64",
  cpuinfo: cpuinfoText,
  SIZEOF_STAT, encodeStat, decodeStat,
  SIZEOF_SIGACTION, decodeSigaction, encodeSigaction,
  SIZEOF_EPOLL_EVENT, decodeEpollEvent, encodeEpollEvent,
  cloneTlsArg: 3, cloneChildTidArg: 4,
  MINSIGSTKSZ: 2048,
  SHMLBA: 4096, // riscv has no shmparam.h of its own: asm-generic's, one page
};
