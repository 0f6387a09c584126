// Struct layouts of the newer families (message queues, inotify, AF_INET6), the same on riscv64
// and x86-64 (LP64, little-endian, no architecture-specific padding): struct mq_attr, struct
// sigevent's head, struct inotify_event, struct sockaddr_in6.

/** struct mq_attr: mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs (longs), then 4 reserved. */
export const SIZEOF_MQ_ATTR = 64;

export interface MqAttr {
  flags: bigint;
  maxmsg: bigint;
  msgsize: bigint;
  curmsgs: bigint;
}

export function decodeMqAttr(b: Uint8Array): MqAttr {
  const v = new DataView(b.buffer, b.byteOffset, SIZEOF_MQ_ATTR);
  return { flags: v.getBigInt64(0, true), maxmsg: v.getBigInt64(8, true), msgsize: v.getBigInt64(16, true), curmsgs: v.getBigInt64(24, true) };
}

export function encodeMqAttr(a: MqAttr): Uint8Array {
  const b = new Uint8Array(SIZEOF_MQ_ATTR);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, a.flags, true);
  v.setBigInt64(8, a.maxmsg, true);
  v.setBigInt64(16, a.msgsize, true);
  v.setBigInt64(24, a.curmsgs, true);
  return b;
}

/** struct sigevent (64 bytes): sigev_value at 0, sigev_signo at 8, sigev_notify at 12. */
export const SIZEOF_SIGEVENT = 64;

export function decodeSigeventHead(b: Uint8Array): { value: bigint; signo: number; notify: number } {
  const v = new DataView(b.buffer, b.byteOffset, 16);
  return { value: v.getBigInt64(0, true), signo: v.getInt32(8, true), notify: v.getInt32(12, true) };
}

/** struct inotify_event: wd, mask, cookie, len, then the name padded with NULs to len bytes. */
export const SIZEOF_INOTIFY_EVENT = 16;

export function encodeInotifyEvent(wd: number, mask: number, cookie: number, name: Uint8Array | null): Uint8Array {
  // the name is NUL-terminated and padded so that the next event is aligned (round_event_name_len)
  const len = name ? Math.ceil((name.length + 1) / SIZEOF_INOTIFY_EVENT) * SIZEOF_INOTIFY_EVENT : 0;
  const b = new Uint8Array(SIZEOF_INOTIFY_EVENT + len);
  const v = new DataView(b.buffer);
  v.setInt32(0, wd, true);
  v.setUint32(4, mask >>> 0, true);
  v.setUint32(8, cookie >>> 0, true);
  v.setUint32(12, len, true);
  if (name) b.set(name, SIZEOF_INOTIFY_EVENT);
  return b;
}

/** struct sockaddr_in6: family, port (big-endian), flowinfo, 16-byte address, scope id. */
export const SIZEOF_SOCKADDR_IN6 = 28;

export interface SockaddrIn6 {
  port: number;
  flowinfo: number;
  addr: Uint8Array;
  scopeId: number;
}

export function decodeSockaddrIn6(b: Uint8Array): SockaddrIn6 {
  const v = new DataView(b.buffer, b.byteOffset, SIZEOF_SOCKADDR_IN6);
  return { port: v.getUint16(2, false), flowinfo: v.getUint32(4, false), addr: b.slice(8, 24), scopeId: v.getUint32(24, true) };
}

export function encodeSockaddrIn6(family: number, a: SockaddrIn6): Uint8Array {
  const b = new Uint8Array(SIZEOF_SOCKADDR_IN6);
  const v = new DataView(b.buffer);
  v.setUint16(0, family, true);
  v.setUint16(2, a.port, false);
  v.setUint32(4, a.flowinfo, false);
  b.set(a.addr, 8);
  v.setUint32(24, a.scopeId, true);
  return b;
}
