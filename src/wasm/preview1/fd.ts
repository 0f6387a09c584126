// WASI's descriptor calls (fd_*), each a Linux call or two on the task's own descriptors:
// fd_read is read(2) per iovec, fd_seek is lseek(2), fd_readdir is lseek + getdents64, and so
// on. Rights are checked first; out-pointers are checked before anything with a side effect.

import { O_APPEND, O_DSYNC, O_NONBLOCK, O_SYNC } from "../../kernel/fs/file.ts";
import { F_GETFL, F_SETFL, type LinuxStat } from "../bridge.ts";
import {
  EBADF, EFAULT, EINVAL, ENOSYS, ENOTCAPABLE, ENOTSUP, ESUCCESS, FDFLAGS, FSTFLAGS, PREOPENTYPE_DIR, RIGHT,
  SIZEOF_DIRENT, SIZEOF_FDSTAT, SIZEOF_PRESTAT, encodeFilestat, filetypeOfDtype, filetypeOfMode, wasiErrno, WASI_ERRNO_NAMES, type Filestat,
} from "./abi.ts";
import type { WasiContext } from "./context.ts";
import { defineWasi, inMemory, putU32, putU64, readIovecs, writeGuest, type WasiArgs } from "./defs.ts";

const ENOBUFS = WASI_ERRNO_NAMES.indexOf("ENOBUFS");
const enc = new TextEncoder();

/** read/write/pread64/pwrite64 over WASI iovecs; the byte count goes to *out. */
function transfer(c: WasiContext, a: WasiArgs, call: "read" | "write" | "pread64" | "pwrite64", need: bigint, out: number, pos: bigint | null): number {
  const fd = a.u32(0);
  const err = c.check(fd, need);
  if (err) return err;
  const iovs = readIovecs(c, a.u32(1), a.u32(2));
  if (typeof iovs === "number") return iovs;
  if (!inMemory(c, out, 4)) return EFAULT;
  let total = 0;
  for (const iov of iovs) {
    if (iov.len === 0) continue;
    const n = pos === null ? c.k.sys(call, fd, iov.buf, iov.len) : c.k.sys(call, fd, iov.buf, iov.len, pos + BigInt(total));
    if (n < 0) {
      if (total === 0) return wasiErrno(n);
      break;
    }
    total += n;
    if (n < iov.len) break;
  }
  return putU32(c, out, total);
}

export const fd_read = defineWasi({ params: ["fd", "iovs_out", "len", "out_u32"], fn: (c, a) => transfer(c, a, "read", RIGHT.FD_READ, a.u32(3), null) });
export const fd_write = defineWasi({ params: ["fd", "iovs", "len", "out_u32"], fn: (c, a) => transfer(c, a, "write", RIGHT.FD_WRITE, a.u32(3), null) });
export const fd_pread = defineWasi({
  params: ["fd", "iovs_out", "len", "u64", "out_u32"],
  fn: (c, a) => transfer(c, a, "pread64", RIGHT.FD_READ | RIGHT.FD_SEEK, a.u32(4), a.u64(3)),
});
export const fd_pwrite = defineWasi({
  params: ["fd", "iovs", "len", "u64", "out_u32"],
  fn: (c, a) => transfer(c, a, "pwrite64", RIGHT.FD_WRITE | RIGHT.FD_SEEK, a.u32(4), a.u64(3)),
});

export const fd_seek = defineWasi({
  params: ["fd", "s64", "whence", "out_u64"],
  fn: (c, a) => {
    const [fd, off, whence, out] = [a.u32(0), a.s64(1), a.u32(2), a.u32(3)];
    const err = c.check(fd, off === 0n && whence === 1 ? RIGHT.FD_TELL : RIGHT.FD_SEEK);
    if (err) return err;
    if (whence > 2) return EINVAL;
    if (!inMemory(c, out, 8)) return EFAULT;
    const r = c.k.sys("lseek", fd, off, whence);
    return r < 0 ? wasiErrno(r) : putU64(c, out, BigInt(r));
  },
});

export const fd_tell = defineWasi({
  params: ["fd", "out_u64"],
  fn: (c, a) => {
    const err = c.check(a.u32(0), RIGHT.FD_TELL);
    if (err) return err;
    if (!inMemory(c, a.u32(1), 8)) return EFAULT;
    const r = c.k.sys("lseek", a.u32(0), 0, 1);
    return r < 0 ? wasiErrno(r) : putU64(c, a.u32(1), BigInt(r));
  },
});

export const fd_close = defineWasi({
  params: ["fd"],
  fn: (c, a) => {
    const r = c.k.sys("close", a.u32(0));
    return r < 0 ? wasiErrno(r) : ESUCCESS;
  },
});

/** A call that needs one right and maps to one Linux call of the fd. */
function simple(c: WasiContext, fd: number, right: bigint, call: string, ...rest: (number | bigint)[]): number {
  const err = c.check(fd, right);
  if (err) return err;
  const r = c.k.sys(call, fd, ...rest);
  return r < 0 ? wasiErrno(r) : ESUCCESS;
}

export const fd_sync = defineWasi({ params: ["fd"], fn: (c, a) => simple(c, a.u32(0), RIGHT.FD_SYNC, "fsync") });
export const fd_datasync = defineWasi({ params: ["fd"], fn: (c, a) => simple(c, a.u32(0), RIGHT.FD_DATASYNC, "fdatasync") });
export const fd_allocate = defineWasi({ params: ["fd", "u64", "u64"], fn: (c, a) => simple(c, a.u32(0), RIGHT.FD_ALLOCATE, "fallocate", 0, a.u64(1), a.u64(2)) });
export const fd_filestat_set_size = defineWasi({ params: ["fd", "u64"], fn: (c, a) => simple(c, a.u32(0), RIGHT.FD_FILESTAT_SET_SIZE, "ftruncate", a.u64(1)) });

/** WASI advice → POSIX_FADV_* (sequential and random are swapped between the two). */
const ADVICE_TO_LINUX = [0, 2, 1, 3, 4, 5];

export const fd_advise = defineWasi({
  params: ["fd", "u64", "u64", "advice"],
  fn: (c, a) => {
    const advice = ADVICE_TO_LINUX[a.u32(3)];
    if (advice === undefined) return EINVAL;
    const r = simple(c, a.u32(0), RIGHT.FD_ADVISE, "fadvise64", a.u64(1), a.u64(2), advice);
    return r === ENOSYS ? ESUCCESS : r; // advice is only a hint: a kernel without fadvise64 ignores it
  },
});

export const fd_fdstat_get = defineWasi({
  params: ["fd", "out_fdstat"],
  fn: (c, a) => {
    const fd = a.u32(0);
    const rights = c.rightsOf(fd);
    if (!rights) return EBADF;
    const st = c.k.fstat(fd);
    if (typeof st === "number") return wasiErrno(st);
    const fl = c.k.sys("fcntl", fd, F_GETFL);
    const b = new Uint8Array(SIZEOF_FDSTAT);
    const v = new DataView(b.buffer);
    v.setUint8(0, filetypeOfMode(st.mode));
    v.setUint16(2, fl < 0 ? 0 : fdflagsOf(fl), true);
    v.setBigUint64(8, rights.base, true);
    v.setBigUint64(16, rights.inheriting, true);
    return writeGuest(c, a.u32(1), b);
  },
});

function fdflagsOf(linux: number): number {
  let f = 0;
  if (linux & O_APPEND) f |= FDFLAGS.APPEND;
  if (linux & O_NONBLOCK) f |= FDFLAGS.NONBLOCK;
  if ((linux & O_SYNC) === O_SYNC) f |= FDFLAGS.SYNC | FDFLAGS.RSYNC;
  else if (linux & O_DSYNC) f |= FDFLAGS.DSYNC;
  return f;
}

export const fd_fdstat_set_flags = defineWasi({
  params: ["fd", "fdflags"],
  fn: (c, a) => {
    const [fd, flags] = [a.u32(0), a.u32(1)];
    const err = c.check(fd, RIGHT.FD_FDSTAT_SET_FLAGS);
    if (err) return err;
    if (flags & (FDFLAGS.DSYNC | FDFLAGS.RSYNC | FDFLAGS.SYNC)) return ENOTSUP; // Linux's F_SETFL cannot change them either
    const cur = c.k.sys("fcntl", fd, F_GETFL);
    if (cur < 0) return wasiErrno(cur);
    const next = (cur & ~(O_APPEND | O_NONBLOCK)) | (flags & FDFLAGS.APPEND ? O_APPEND : 0) | (flags & FDFLAGS.NONBLOCK ? O_NONBLOCK : 0);
    const r = c.k.sys("fcntl", fd, F_SETFL, next);
    return r < 0 ? wasiErrno(r) : ESUCCESS;
  },
});

export const fd_fdstat_set_rights = defineWasi({
  params: ["fd", "rights", "rights"],
  fn: (c, a) => {
    const fd = a.u32(0);
    const cur = c.rightsOf(fd);
    if (!cur) return EBADF;
    const [base, inheriting] = [a.u64(1), a.u64(2)];
    if ((base & ~cur.base) !== 0n || (inheriting & ~cur.inheriting) !== 0n) return ENOTCAPABLE; // rights only shrink
    c.setRights(fd, { base, inheriting });
    return ESUCCESS;
  },
});

export const fd_filestat_get = defineWasi({
  params: ["fd", "out_filestat"],
  fn: (c, a) => {
    const fd = a.u32(0);
    const err = c.check(fd, RIGHT.FD_FILESTAT_GET);
    if (err) return err;
    const st = c.k.fstat(fd);
    if (typeof st === "number") return wasiErrno(st);
    return writeGuest(c, a.u32(1), encodeFilestat(toFilestat(st)));
  },
});

/** A Linux stat as WASI's filestat. */
export function toFilestat(st: LinuxStat): Filestat {
  return { dev: st.dev, ino: st.ino, filetype: filetypeOfMode(st.mode), nlink: BigInt(st.nlink), size: BigInt.asUintN(64, st.size), atim: st.atimNs, mtim: st.mtimNs, ctim: st.ctimNs };
}

const UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;

/** struct timespec[2] for utimensat from WASI's (atim, mtim, fstflags); -1 for invalid flags. */
export function utimes(c: WasiContext, atim: bigint, mtim: bigint, fst: number): number {
  if ((fst & FSTFLAGS.ATIM && fst & FSTFLAGS.ATIM_NOW) || (fst & FSTFLAGS.MTIM && fst & FSTFLAGS.MTIM_NOW) || fst & ~15) return -1;
  const one = (t: bigint, set: number, now: number): [bigint, bigint] =>
    fst & now ? [0n, BigInt(UTIME_NOW)] : fst & set ? [t / 1_000_000_000n, t % 1_000_000_000n] : [0n, BigInt(UTIME_OMIT)];
  return c.k.timespecs([one(atim, FSTFLAGS.ATIM, FSTFLAGS.ATIM_NOW), one(mtim, FSTFLAGS.MTIM, FSTFLAGS.MTIM_NOW)]);
}

export const fd_filestat_set_times = defineWasi({
  params: ["fd", "timestamp", "timestamp", "fstflags"],
  fn: (c, a) => {
    const fd = a.u32(0);
    const err = c.check(fd, RIGHT.FD_FILESTAT_SET_TIMES);
    if (err) return err;
    const times = utimes(c, a.u64(1), a.u64(2), a.u32(3));
    if (times < 0) return EINVAL;
    const r = c.k.sys("utimensat", fd, 0, times, 0); // a NULL path: the descriptor itself
    return r < 0 ? wasiErrno(r) : ESUCCESS;
  },
});

export const fd_prestat_get = defineWasi({
  params: ["fd", "out_prestat"],
  fn: (c, a) => {
    const name = c.preopenName(a.u32(0));
    if (name === null) return EBADF; // how wasi-libc learns where the preopens end
    const b = new Uint8Array(SIZEOF_PRESTAT);
    new DataView(b.buffer).setUint8(0, PREOPENTYPE_DIR);
    new DataView(b.buffer).setUint32(4, enc.encode(name).length, true);
    return writeGuest(c, a.u32(1), b);
  },
});

export const fd_prestat_dir_name = defineWasi({
  params: ["fd", "out_name", "len"],
  fn: (c, a) => {
    const name = c.preopenName(a.u32(0));
    if (name === null) return EBADF;
    const bytes = enc.encode(name);
    if (a.u32(2) < bytes.length) return ENOBUFS;
    return writeGuest(c, a.u32(1), bytes);
  },
});

export const fd_renumber = defineWasi({
  params: ["fd", "fd"],
  fn: (c, a) => {
    const [from, to] = [a.u32(0), a.u32(1)];
    if (!c.t.files.get(from) || !c.t.files.get(to)) return EBADF;
    if (from === to) return ESUCCESS;
    const r = c.k.sys("dup3", from, to, 0);
    if (r < 0) return wasiErrno(r);
    c.k.sys("close", from);
    c.moved(from, to);
    return ESUCCESS;
  },
});

const GETDENTS_CHUNK = 32 * 1024;

export const fd_readdir = defineWasi({
  params: ["fd", "buf_out", "len", "u64", "out_u32"],
  fn: (c, a) => {
    const [fd, buf, len, cookie, out] = [a.u32(0), a.u32(1), a.u32(2), a.u64(3), a.u32(4)];
    const err = c.check(fd, RIGHT.FD_READDIR);
    if (err) return err;
    if (!inMemory(c, buf, len) || !inMemory(c, out, 4)) return EFAULT;
    // The cookie is the kernel's d_off: seeking to it resumes the listing there, as telldir/seekdir do.
    const pos = c.k.sys("lseek", fd, cookie, 0);
    if (pos < 0) return wasiErrno(pos);
    const dst = new Uint8Array(len);
    const used = fillDirents(c, fd, dst);
    if (used < 0) return wasiErrno(used);
    const w = writeGuest(c, buf, dst.subarray(0, used));
    return w || putU32(c, out, used);
  },
});

/** Fills dst with WASI dirents read through getdents64; bytes used (== dst.length: maybe more) or -errno. */
function fillDirents(c: WasiContext, fd: number, dst: Uint8Array): number {
  const chunk = c.k.alloc(GETDENTS_CHUNK);
  let used = 0;
  while (used < dst.length) {
    const n = c.k.sys("getdents64", fd, chunk, GETDENTS_CHUNK);
    if (n < 0) return used > 0 ? used : n;
    if (n === 0) break;
    const recs = c.k.view(chunk, n);
    const v = new DataView(recs.buffer, recs.byteOffset, n);
    for (let off = 0; off < n && used < dst.length; ) {
      const reclen = v.getUint16(off + 16, true);
      const nameEnd = recs.indexOf(0, off + 19);
      const name = recs.subarray(off + 19, nameEnd < 0 || nameEnd > off + reclen ? off + reclen : nameEnd);
      const ent = new Uint8Array(SIZEOF_DIRENT + name.length);
      const e = new DataView(ent.buffer);
      e.setBigUint64(0, v.getBigUint64(off + 8, true), true); // d_next = d_off
      e.setBigUint64(8, v.getBigUint64(off, true), true);
      e.setUint32(16, name.length, true);
      e.setUint8(20, filetypeOfDtype(v.getUint8(off + 18)));
      ent.set(name, SIZEOF_DIRENT);
      // WASI lets the last entry be cut short: a full buffer tells the caller to read on
      const k = Math.min(ent.length, dst.length - used);
      dst.set(ent.subarray(0, k), used);
      used += k;
      off += reclen || n; // a zero reclen would loop forever: treat it as the end
    }
  }
  return used;
}
