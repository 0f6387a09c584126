// The structs whose layout differs between architectures are the same fields at other offsets
// and widths: each architecture's ABI object describes its layout here as data, and these
// builders make the encoders and decoders, so that no field is written twice.

import type { KStat } from "../../src/kernel/fs/stat.ts";
import type { KSigaction } from "./types.ts";
import { floorDiv, NS } from "./lp64.ts";

/** A field's byte offset, and its width where architectures disagree on it. */
type Wide = readonly [offset: number, width: 4 | 8];

export interface StatLayout {
  readonly size: number;
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly nlink: Wide;
  readonly uid: number;
  readonly gid: number;
  readonly rdev: number;
  readonly fsize: number;
  readonly blksize: Wide;
  readonly blocks: number;
  /** st_atim; st_mtim and st_ctim follow, 16 bytes each. */
  readonly atim: number;
}

function setWide(v: DataView, [off, width]: Wide, x: number): void {
  if (width === 8) v.setBigInt64(off, BigInt(x), true);
  else v.setInt32(off, x, true);
}

export function statCodec(l: StatLayout) {
  return {
    SIZEOF_STAT: l.size,
    encodeStat(st: KStat): Uint8Array {
      const b = new Uint8Array(l.size);
      const v = new DataView(b.buffer);
      v.setBigUint64(l.dev, st.dev, true);
      v.setBigUint64(l.ino, st.ino, true);
      v.setUint32(l.mode, st.mode, true);
      setWide(v, l.nlink, st.nlink);
      v.setUint32(l.uid, st.uid, true);
      v.setUint32(l.gid, st.gid, true);
      v.setBigUint64(l.rdev, st.rdev, true);
      v.setBigInt64(l.fsize, st.size, true);
      setWide(v, l.blksize, st.blksize);
      v.setBigInt64(l.blocks, st.blocks, true);
      const times = [st.atimeNs, st.mtimeNs, st.ctimeNs];
      for (let i = 0; i < 3; i++) {
        const sec = floorDiv(times[i]!, NS);
        v.setBigInt64(l.atim + i * 16, sec, true);
        v.setBigUint64(l.atim + i * 16 + 8, times[i]! - sec * NS, true);
      }
      return b;
    },
    /** What strace shows of an encoded struct stat. */
    decodeStat(b: Uint8Array): { mode: number; size: bigint; rdev: bigint } {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return { mode: v.getUint32(l.mode, true), size: v.getBigInt64(l.fsize, true), rdev: v.getBigUint64(l.rdev, true) };
    },
  };
}

/**
 * The kernel's struct sigaction: handler, flags, then sa_restorer where the architecture has
 * one (SA_RESTORER), then the mask.
 */
export function sigactionCodec(hasRestorer: boolean) {
  const mask = hasRestorer ? 24 : 16;
  const size = mask + 8;
  return {
    SIZEOF_SIGACTION: size,
    decodeSigaction(b: Uint8Array): KSigaction {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return {
        handler: v.getBigUint64(0, true),
        flags: v.getBigUint64(8, true),
        restorer: hasRestorer ? v.getBigUint64(16, true) : 0n,
        mask: v.getBigUint64(mask, true),
      };
    },
    encodeSigaction(a: KSigaction): Uint8Array {
      const b = new Uint8Array(size);
      const v = new DataView(b.buffer);
      v.setBigUint64(0, a.handler, true);
      v.setBigUint64(8, a.flags, true);
      if (hasRestorer) v.setBigUint64(16, a.restorer, true);
      v.setBigUint64(mask, a.mask, true);
      return b;
    },
  };
}

/** struct epoll_event: u32 events, then u64 data at 4 (packed) or at 8 (natural alignment). */
export function epollEventCodec(packed: boolean) {
  const data = packed ? 4 : 8;
  const size = data + 8;
  return {
    SIZEOF_EPOLL_EVENT: size,
    /** Event i of a struct epoll_event[] buffer. */
    decodeEpollEvent(b: Uint8Array, i: number): { events: number; data: bigint } {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return { events: v.getUint32(i * size, true), data: v.getBigUint64(i * size + data, true) };
    },
    encodeEpollEvent(b: Uint8Array, i: number, events: number, d: bigint): void {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      v.setUint32(i * size, events, true);
      if (!packed) v.setUint32(i * size + 4, 0, true);
      v.setBigUint64(i * size + data, d, true);
    },
  };
}
