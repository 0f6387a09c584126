// Socket structures as LP64 (riscv64, x86-64) lays them out: struct msghdr and struct cmsghdr
// (include/linux/socket.h), with CMSG_ALIGN to 8 bytes.

import { EINVAL } from "../../src/kernel/errno.ts";


/** struct user_msghdr: field offsets and size. */
export const MSGHDR = { name: 0, namelen: 8, iov: 16, iovlen: 24, control: 32, controllen: 40, flags: 48, size: 56 } as const;

/** sizeof(struct cmsghdr): cmsg_len (size_t), cmsg_level, cmsg_type. */
const CMSG_HDR = 16;
const align = (n: number): number => (n + 7) & ~7;

export interface Cmsg {
  level: number;
  type: number;
  data: Uint8Array;
}

/** The control messages of a msg_control buffer (__CMSG_FIRSTHDR/NXTHDR), or -EINVAL. */
export function decodeCmsgs(raw: Uint8Array): Cmsg[] | number {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: Cmsg[] = [];
  for (let off = 0; off + CMSG_HDR <= raw.length; ) {
    const len = Number(v.getBigUint64(off, true));
    if (len < CMSG_HDR || off + len > raw.length) return -EINVAL;
    out.push({ level: v.getInt32(off + 8, true), type: v.getInt32(off + 12, true), data: raw.subarray(off + CMSG_HDR, off + len) });
    off += align(len);
  }
  return out;
}

/** Control messages laid out for msg_control, each CMSG_SPACE long. */
export function encodeCmsgs(msgs: readonly Cmsg[]): Uint8Array {
  const size = msgs.reduce((n, m) => n + align(CMSG_HDR + m.data.length), 0);
  const raw = new Uint8Array(size);
  const v = new DataView(raw.buffer);
  let off = 0;
  for (const m of msgs) {
    v.setBigUint64(off, BigInt(CMSG_HDR + m.data.length), true);
    v.setInt32(off + 8, m.level, true);
    v.setInt32(off + 12, m.type, true);
    raw.set(m.data, off + CMSG_HDR);
    off += align(CMSG_HDR + m.data.length);
  }
  return raw;
}
