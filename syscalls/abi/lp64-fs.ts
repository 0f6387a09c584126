// The LP64 layouts of the file system calls' structs, the same on riscv64 and x86-64: struct flock
// (asm-generic), struct pollfd, struct linux_dirent64 and fd_set. Handlers encode and decode
// through here; nothing else knows an offset.

export const SIZEOF_FLOCK = 32;
export const SIZEOF_POLLFD = 8;
/** Bits per fd_set word (unsigned long). */
export const NFDBITS = 64;

/** struct flock: l_type, l_whence, l_start, l_len, l_pid. */
export function decodeFlock(b: Uint8Array): { type: number; whence: number; start: number; len: number; pid: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { type: v.getInt16(0, true), whence: v.getInt16(2, true), start: Number(v.getBigInt64(8, true)), len: Number(v.getBigInt64(16, true)), pid: v.getInt32(24, true) };
}

export function encodeFlock(l: { type: number; whence: number; start: number; len: number; pid: number }): Uint8Array {
  const b = new Uint8Array(SIZEOF_FLOCK);
  const v = new DataView(b.buffer);
  v.setInt16(0, l.type, true);
  v.setInt16(2, l.whence, true);
  v.setBigInt64(8, BigInt(l.start), true);
  v.setBigInt64(16, BigInt(l.len), true);
  v.setInt32(24, l.pid, true);
  return b;
}

/** struct pollfd[n] → fd and events of each. */
export function decodePollfds(b: Uint8Array, n: number): { fd: number; events: number }[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: n }, (_, i) => ({ fd: v.getInt32(i * 8, true), events: v.getUint16(i * 8 + 4, true) }));
}

/** Sets revents of pollfd i in a struct pollfd[] buffer. */
export function setRevents(b: Uint8Array, i: number, revents: number): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint16(i * 8 + 6, revents, true);
}

/** One struct linux_dirent64 record (d_ino, d_off, d_reclen, d_type, d_name NUL-padded to 8). */
export function encodeDirent64(ino: bigint, off: number, type: number, name: Uint8Array): Uint8Array {
  const reclen = (19 + name.length + 1 + 7) & ~7;
  const b = new Uint8Array(reclen);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, ino, true);
  v.setBigInt64(8, BigInt(off), true);
  v.setUint16(16, reclen, true);
  v.setUint8(18, type);
  b.set(name, 19);
  return b;
}

/** The fds set in an fd_set of nfds bits. */
export function fdSetMembers(b: Uint8Array, nfds: number): number[] {
  const out: number[] = [];
  for (let fd = 0; fd < nfds; fd++) if (b[fd >> 3]! & (1 << (fd & 7))) out.push(fd);
  return out;
}

/** An fd_set of nfds bits (whole words) with the given fds set. */
export function encodeFdSet(fds: number[], nfds: number): Uint8Array {
  const b = new Uint8Array(fdSetBytes(nfds));
  for (const fd of fds) b[fd >> 3]! |= 1 << (fd & 7);
  return b;
}

/** Bytes the kernel copies for an fd_set of nfds bits (whole unsigned longs). */
export function fdSetBytes(nfds: number): number {
  return Math.ceil(nfds / NFDBITS) * (NFDBITS / 8);
}
