// x86-64's layouts of the file system calls' structs, with the same names as ./riscv64-fs.ts.
// struct flock, struct pollfd, struct linux_dirent64 and fd_set are the LP64 layouts riscv64
// has too; what differs is struct epoll_event, which x86-64 packs (__attribute__((packed)) in
// include/uapi/linux/eventpoll.h under __x86_64__): u32 events then u64 data at offset 4, 12
// bytes, where riscv64 pads it to 16.

export {
  SIZEOF_FLOCK, SIZEOF_POLLFD, NFDBITS, decodeFlock, encodeFlock, decodePollfds, setRevents,
  encodeDirent64, fdSetMembers, encodeFdSet, fdSetBytes,
} from "./riscv64-fs.ts";

export const SIZEOF_EPOLL_EVENT = 12;

/** struct epoll_event → events and data. */
export function decodeEpollEvent(b: Uint8Array): { events: number; data: bigint } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { events: v.getUint32(0, true), data: v.getBigUint64(4, true) };
}

/** Writes event i of a struct epoll_event[] buffer. */
export function encodeEpollEvent(b: Uint8Array, i: number, events: number, data: bigint): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setUint32(i * SIZEOF_EPOLL_EVENT, events, true);
  v.setBigUint64(i * SIZEOF_EPOLL_EVENT + 4, data, true);
}
