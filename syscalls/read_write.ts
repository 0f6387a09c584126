// read(2), write(2) and friends (the kernel's fs/read_write.c): copying between user buffers
// and open files, page by page through uaccess.

import { EBADF, EFAULT, EFBIG, EINVAL, ESPIPE } from "../src/kernel/errno.ts";
import { O_APPEND, O_PATH, type OpenFile } from "../src/kernel/fs/file.ts";
import { pipeOf, pipeWriteRoom } from "../src/kernel/fs/pipe.ts";
import { SI_USER, SIGXFSZ } from "../src/kernel/signal/signal.ts";
import { sendSignal } from "../src/kernel/signal/sigsend.ts";
import { S_IFMT, S_IFREG } from "../src/kernel/fs/stat.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { access_ok, copy_from_user, copy_to_user } from "../src/mm/uaccess.ts";
import type { SyscallArgs } from "./args.ts";
import { RLIM_INFINITY, rlimit, RLIMIT_FSIZE } from "./rlimit.ts";
import { defineSyscall } from "./types.ts";
import { fsnotifyInode, IN_ACCESS, IN_MODIFY } from "../src/kernel/fs/fsnotify.ts";

/** MAX_RW_COUNT: one call moves at most INT_MAX rounded down to a page. */
const MAX_RW_COUNT = 0x7ffff000;
/** How much we stage per host call: big enough to be fast, small enough not to hog memory. */
const CHUNK = 1 << 20;
const UIO_MAXIOV = 1024;

// One staging buffer for the calls that give it back before they return: a file's read fills it
// and copy_to_user empties it; a write whose file says writeCopies (a pipe, a host file) copies it. A fresh buffer per call
// (cat reads 128 KiB at a time; a pipeline makes a million small calls) was mostly garbage
// collection. A call made while the buffer is in use (none is today) gets its own.
const staging = new Uint8Array(CHUNK);
let stagingBusy = false;
function stage(n: number): Uint8Array {
  if (stagingBusy) return new Uint8Array(n);
  stagingBusy = true;
  return staging.subarray(0, n);
}
function unstage(chunk: Uint8Array): void {
  if (chunk.buffer === staging.buffer) stagingBusy = false;
}

/** Reads up to `count` bytes from f into user memory at buf; bytes read or -errno. */
export function vfsRead(t: Task, f: OpenFile, buf: number, count: number, pos: number | null): number {
  if (!f.readable || !f.ops.read) return -EBADF;
  count = Math.min(count, MAX_RW_COUNT);
  if (!access_ok(t.mm, buf, count)) return -EFAULT;
  const chunk = stage(Math.min(CHUNK, count));
  try {
    return readInto(t, f, buf, count, pos, chunk);
  } finally {
    unstage(chunk);
  }
}

function readInto(t: Task, f: OpenFile, buf: number, count: number, pos: number | null, staged: Uint8Array): number {
  let done = 0;
  while (done < count) {
    const chunk = staged.subarray(0, Math.min(staged.length, count - done));
    const n = f.ops.read!(f, t, chunk, pos === null ? null : pos + done);
    if (n < 0) return done > 0 ? done : n;
    if (n === 0) break;
    if (copy_to_user(t.mm, buf + done, chunk, n) !== 0) return done > 0 ? done : -EFAULT;
    done += n;
    if (n < chunk.length) break; // a short read (terminal line, pipe) ends the call, as in Linux
  }
  if (done > 0 && f.dentry) fsnotifyInode(f.dentry, f.dentry.inode, IN_ACCESS);
  return done;
}

/**
 * generic_write_check_limits: RLIMIT_FSIZE cuts a write to a regular file short at the limit,
 * and one starting at or past it fails with EFBIG after SIGXFSZ (send_sig: SI_USER from the
 * writer itself). The count the write may move, or -EFBIG.
 */
function fsizeCheck(t: Task, f: OpenFile, pos: number | null, count: number): number {
  const limit = rlimit(t, RLIMIT_FSIZE).cur;
  if (limit === RLIM_INFINITY || count === 0) return count;
  const st = f.ops.stat(f);
  if (typeof st === "number" || (st.mode & S_IFMT) !== S_IFREG) return count;
  const at = BigInt(pos ?? (f.flags & O_APPEND ? Number(st.size) : f.pos));
  if (at >= limit) {
    sendSignal(t, { signo: SIGXFSZ, code: SI_USER, pid: t.tgid, uid: t.cred.uid }, true);
    return -EFBIG;
  }
  return limit - at < BigInt(count) ? Number(limit - at) : count;
}

/** Writes `count` bytes from user memory at buf to f; bytes written or -errno. */
export function vfsWrite(t: Task, f: OpenFile, buf: number, count: number, pos: number | null): number {
  if (!f.writable || !f.ops.write) return -EBADF;
  count = fsizeCheck(t, f, pos, Math.min(count, MAX_RW_COUNT));
  if (count < 0) return count;
  if (!access_ok(t.mm, buf, count)) return -EFAULT;
  // other files' writes may keep what they are given (a socket queues it): those get their own
  const staged = f.ops.writeCopies === true ? stage(Math.min(CHUNK, count)) : null;
  try {
    return writeFrom(t, f, buf, count, pos, staged);
  } finally {
    if (staged !== null) unstage(staged);
  }
}

function writeFrom(t: Task, f: OpenFile, buf: number, count: number, pos: number | null, staged: Uint8Array | null): number {
  let done = 0;
  while (done < count) {
    const n0 = Math.min(CHUNK, count - done);
    const chunk = staged !== null ? staged.subarray(0, n0) : new Uint8Array(n0);
    const missing = copy_from_user(t.mm, chunk, buf + done, chunk.length);
    const avail = chunk.length - missing;
    if (avail === 0) return done > 0 ? done : -EFAULT;
    const n = f.ops.write!(f, t, chunk.subarray(0, avail), pos === null ? null : pos + done);
    if (n < 0) return done > 0 ? done : n;
    done += n;
    if (n < avail || missing) break;
  }
  if (done > 0 && f.dentry) fsnotifyInode(f.dentry, f.dentry.inode, IN_MODIFY);
  return done;
}

/** The open file for I/O on fd: EBADF for a closed or O_PATH descriptor. */
function fileOf(t: Task, fd: number): OpenFile | number {
  const f = t.files.get(fd);
  return f && (f.flags & O_PATH) === 0 ? f : -EBADF;
}

/** read(2) */
export const sys_read = defineSyscall({
  name: "read", args: ["fd", "buf_out", "size"],
  fn: (t, a) => {
    const f = fileOf(t, a.fd(0));
    return typeof f === "number" ? f : vfsRead(t, f, a.ptr(1), a.size(2), null);
  },
});

/** write(2) */
export const sys_write = defineSyscall({
  name: "write", args: ["fd", "buf_in", "size"],
  fn: (t, a) => {
    const f = fileOf(t, a.fd(0));
    return typeof f === "number" ? f : vfsWrite(t, f, a.ptr(1), a.size(2), null);
  },
});

function positional(t: Task, a: SyscallArgs, rw: typeof vfsRead): number {
  const f = fileOf(t, a.fd(0));
  if (typeof f === "number") return f;
  const pos = a.long(3);
  if (pos < 0n) return -EINVAL;
  if (!f.ops.llseek) return -ESPIPE;
  return rw(t, f, a.ptr(1), a.size(2), Number(pos));
}

/** pread64(2) */
export const sys_pread64 = defineSyscall({ name: "pread64", args: ["fd", "buf_out", "size", "long"], fn: (t, a) => positional(t, a, vfsRead) });

/** pwrite64(2) */
export const sys_pwrite64 = defineSyscall({ name: "pwrite64", args: ["fd", "buf_in", "size", "long"], fn: (t, a) => positional(t, a, vfsWrite) });

function vectored(t: Task, a: SyscallArgs, rw: typeof vfsRead, positioned: boolean): number {
  const f = fileOf(t, a.fd(0));
  if (typeof f === "number") return f;
  const count = a.int(2);
  if (count < 0 || count > UIO_MAXIOV) return -EINVAL;
  let pos: number | null = null;
  if (positioned) {
    if (a.long(3) < 0n) return -EINVAL;
    if (!f.ops.llseek) return -ESPIPE;
    pos = Number(a.long(3));
  }
  const raw = new Uint8Array(count * t.abi.SIZEOF_IOVEC);
  if (copy_from_user(t.mm, raw, a.ptr(1), raw.length) !== 0) return -EFAULT;
  const iovs = t.abi.decodeIovecs(raw, count);
  let total = 0;
  for (const iov of iovs) {
    if (iov.len > MAX_RW_COUNT) return -EINVAL;
    if (!access_ok(t.mm, iov.base, iov.len)) return -EFAULT;
  }
  for (const iov of iovs) {
    if (iov.len === 0) continue;
    const n = rw(t, f, iov.base, iov.len, pos === null ? null : pos + total);
    if (n < 0) return total > 0 ? total : n;
    total += n;
    if (n < iov.len) break;
  }
  return total;
}

/** readv(2) */
export const sys_readv = defineSyscall({ name: "readv", args: ["fd", "iovec_out", "int"], fn: (t, a) => vectored(t, a, vfsRead, false) });

/** writev(2) */
export const sys_writev = defineSyscall({ name: "writev", args: ["fd", "iovec_in", "int"], fn: (t, a) => vectored(t, a, vfsWrite, false) });

/** preadv(2): pos_l is the whole 64-bit offset on a 64-bit kernel */
export const sys_preadv = defineSyscall({ name: "preadv", args: ["fd", "iovec_out", "int", "long"], fn: (t, a) => vectored(t, a, vfsRead, true) });

/** pwritev(2) */
export const sys_pwritev = defineSyscall({ name: "pwritev", args: ["fd", "iovec_in", "int", "long"], fn: (t, a) => vectored(t, a, vfsWrite, true) });

/** lseek(2) */
export const sys_lseek = defineSyscall({
  name: "lseek", args: ["fd", "long", "whence"],
  fn: (t, a) => {
    const f = fileOf(t, a.fd(0));
    if (typeof f === "number") return f;
    if (!f.ops.llseek) return -ESPIPE;
    const pos = f.ops.llseek(f, Number(a.long(1)), a.int(2));
    if (pos >= 0) f.pos = pos;
    return pos;
  },
});

/**
 * The kernel-side copy of sendfile and copy_file_range: from `fin` at inPos (or its offset) to
 * `fout` at outPos (or its offset), in chunks, without user memory in between. Bytes copied,
 * or -errno (a wait, PARK, only before the first byte, so a rerun starts afresh).
 */
function copyBetween(t: Task, fin: OpenFile, fout: OpenFile, inPos: number | null, outPos: number | null, count: number): number {
  if (!fin.readable || !fin.ops.read || !fout.writable || !fout.ops.write) return -EBADF;
  count = fsizeCheck(t, fout, outPos, Math.min(count, MAX_RW_COUNT));
  if (count < 0) return count;
  let done = 0;
  const pipe = pipeOf(fout);
  while (done < count) {
    // into a pipe, no more than it takes now: what a wait made us drop would be lost from the source
    const room = pipe ? pipeWriteRoom(fout, t, count - done) : count - done;
    if (room < 0) return done > 0 ? done : room;
    const chunk = new Uint8Array(Math.min(CHUNK, room));
    const n = fin.ops.read(fin, t, chunk, inPos === null ? null : inPos + done);
    if (n < 0) return done > 0 ? done : n;
    if (n === 0) break;
    const m = fout.ops.write(fout, t, chunk.subarray(0, n), outPos === null ? null : outPos + done);
    if (m < 0) return done > 0 ? done : m;
    done += m;
    if (m < n || n < chunk.length) break;
  }
  return done;
}

/** An in/out offset argument: its value (EFAULT, EINVAL for a negative one), or null for none. */
function readOffset(t: Task, p: number): number | null | { err: number } {
  if (p === 0) return null;
  const raw = new Uint8Array(8);
  if (copy_from_user(t.mm, raw, p, 8)) return { err: -EFAULT };
  const v = new DataView(raw.buffer).getBigInt64(0, true);
  return v < 0n ? { err: -EINVAL } : Number(v);
}

function writeOffset(t: Task, p: number, v: number): number {
  const raw = new Uint8Array(8);
  new DataView(raw.buffer).setBigInt64(0, BigInt(v), true);
  return copy_to_user(t.mm, p, raw) ? -EFAULT : 0;
}

/** sendfile(2): a file's bytes to another descriptor; *offset, when given, moves instead of in's offset. */
export const sys_sendfile = defineSyscall({
  name: "sendfile", args: ["fd", "fd", "ptr", "size"],
  fn: (t, a) => {
    const out = fileOf(t, a.fd(0)), fin = fileOf(t, a.fd(1));
    if (typeof out === "number") return out;
    if (typeof fin === "number") return fin;
    const off = readOffset(t, a.ptr(2));
    if (off !== null && typeof off === "object") return off.err;
    if (off !== null && !fin.ops.llseek) return -ESPIPE;
    const n = copyBetween(t, fin, out, off, null, a.size(3));
    if (n > 0 && off !== null) return writeOffset(t, a.ptr(2), off + n) || n;
    return n;
  },
});

/** copy_file_range(2): between two regular files, at given offsets or their own. */
export const sys_copy_file_range = defineSyscall({
  name: "copy_file_range", args: ["fd", "ptr", "fd", "ptr", "size", "uint"],
  fn: (t, a) => {
    const fin = fileOf(t, a.fd(0)), out = fileOf(t, a.fd(2));
    if (a.uint(5) !== 0) return -EINVAL;
    if (typeof fin === "number") return fin;
    if (typeof out === "number") return out;
    for (const f of [fin, out]) {
      const st = f.ops.stat(f);
      if (typeof st === "number") return st;
      if ((st.mode & S_IFMT) !== S_IFREG) return -EINVAL;
    }
    if (out.flags & O_APPEND) return -EBADF;
    const offIn = readOffset(t, a.ptr(1)), offOut = readOffset(t, a.ptr(3));
    if (offIn !== null && typeof offIn === "object") return offIn.err;
    if (offOut !== null && typeof offOut === "object") return offOut.err;
    // without an offset the file's own position is used and moved by the read or write itself,
    // as read(2) and write(2) do: a borrowed host file's offset then moves too
    const n = copyBetween(t, fin, out, offIn, offOut, a.size(4));
    if (n <= 0) return n;
    if (offIn !== null && writeOffset(t, a.ptr(1), offIn + n)) return -EFAULT;
    if (offOut !== null && writeOffset(t, a.ptr(3), offOut + n)) return -EFAULT;
    return n;
  },
});
