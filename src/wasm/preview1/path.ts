// WASI's path calls (path_*): a path is always relative to a directory descriptor the guest
// holds, and may not leave it. The path is checked here (absolute paths and `..` above the
// directory are ENOTCAPABLE, as WASI requires), then handed unchanged to the Linux *at() call on
// the same descriptor, so the kernel's path walk, --sysroot and VFS do the rest: `..` is walked
// as Linux walks it, after what precedes it (`missing/../x` is ENOENT, `file/../x` ENOTDIR).
//
// The check counts names and `..`s; it cannot see symbolic links. One met on the way is
// followed by the kernel and may point outside the directory (and a `..` after it climbs from
// where it points); with `/` preopened (fd 3) that reaches nothing the guest could not open anyway.

import { O_APPEND, O_CREAT, O_DIRECTORY, O_DSYNC, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR, O_SYNC, O_TRUNC, O_WRONLY } from "../../kernel/fs/file.ts";
import { EINVAL as LINUX_EINVAL } from "../../kernel/errno.ts";
import { AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW } from "../bridge.ts";
import {
  EFAULT, EILSEQ, EINVAL, ENAMETOOLONG, ENOTCAPABLE, ESUCCESS, FDFLAGS, LOOKUP_SYMLINK_FOLLOW, OFLAGS, RIGHT,
  encodeFilestat, wasiErrno,
} from "./abi.ts";
import type { WasiContext } from "./context.ts";
import { defineWasi, inMemory, putU32, readGuest, writeGuest } from "./defs.ts";
import { toFilestat, utimes } from "./fd.ts";

const PATH_MAX = 4096;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A guest path made safe for the kernel: where it starts and the staged C string. */
interface Resolved {
  dirfd: number;
  path: number;
}

/**
 * `path`, relative to its directory, for the kernel to walk as it is (the empty path is the
 * directory itself); ENOTCAPABLE when it is absolute or a `..` would climb above the directory.
 */
export function normalizeRelative(path: string): string | number {
  if (path.startsWith("/")) return ENOTCAPABLE;
  let depth = 0;
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p !== "..") depth++;
    else if (--depth < 0) return ENOTCAPABLE;
  }
  return path === "" ? "." : path;
}

/** Checks dirfd's rights and the guest path at (p, len); the kernel-side path, or a WASI errno. */
export function resolve(c: WasiContext, dirfd: number, p: number, len: number, need: bigint): Resolved | number {
  const err = c.check(dirfd, need);
  if (err) return err;
  if (len > PATH_MAX) return ENAMETOOLONG;
  const raw = readGuest(c, p, len);
  if (!raw) return EFAULT;
  if (raw.includes(0)) return EINVAL;
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return EILSEQ;
  }
  const norm = normalizeRelative(text);
  if (typeof norm === "number") return norm;
  return { dirfd, path: c.k.str(norm) };
}

/** Runs a Linux *at call on a resolved path; ESUCCESS or the WASI errno. */
function onPath(c: WasiContext, fd: number, p: number, len: number, need: bigint, call: (r: Resolved) => number): number {
  const r = resolve(c, fd, p, len, need);
  if (typeof r === "number") return r;
  const ret = call(r);
  return ret < 0 ? wasiErrno(ret) : ESUCCESS;
}

export const path_create_directory = defineWasi({
  params: ["fd", "path", "len"],
  fn: (c, a) => onPath(c, a.u32(0), a.u32(1), a.u32(2), RIGHT.PATH_CREATE_DIRECTORY, (r) => c.k.sys("mkdirat", r.dirfd, r.path, 0o777)),
});

export const path_remove_directory = defineWasi({
  params: ["fd", "path", "len"],
  fn: (c, a) => onPath(c, a.u32(0), a.u32(1), a.u32(2), RIGHT.PATH_REMOVE_DIRECTORY, (r) => c.k.sys("unlinkat", r.dirfd, r.path, AT_REMOVEDIR)),
});

export const path_unlink_file = defineWasi({
  params: ["fd", "path", "len"],
  fn: (c, a) => onPath(c, a.u32(0), a.u32(1), a.u32(2), RIGHT.PATH_UNLINK_FILE, (r) => c.k.sys("unlinkat", r.dirfd, r.path, 0)),
});

export const path_filestat_get = defineWasi({
  params: ["fd", "lookupflags", "path", "len", "out_filestat"],
  fn: (c, a) => {
    const r = resolve(c, a.u32(0), a.u32(2), a.u32(3), RIGHT.PATH_FILESTAT_GET);
    if (typeof r === "number") return r;
    if (!inMemory(c, a.u32(4), 64)) return EFAULT;
    const st = c.k.statAtAddr(r.dirfd, r.path, a.u32(1) & LOOKUP_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW);
    if (typeof st === "number") return wasiErrno(st);
    return writeGuest(c, a.u32(4), encodeFilestat(toFilestat(st)));
  },
});

export const path_filestat_set_times = defineWasi({
  params: ["fd", "lookupflags", "path", "len", "timestamp", "timestamp", "fstflags"],
  fn: (c, a) =>
    onPath(c, a.u32(0), a.u32(2), a.u32(3), RIGHT.PATH_FILESTAT_SET_TIMES, (r) => {
      const times = utimes(c, a.u64(4), a.u64(5), a.u32(6));
      if (times < 0) return -LINUX_EINVAL;
      return c.k.sys("utimensat", r.dirfd, r.path, times, a.u32(1) & LOOKUP_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW);
    }),
});

export const path_link = defineWasi({
  params: ["fd", "lookupflags", "path", "len", "fd", "path", "len"],
  fn: (c, a) => {
    const from = resolve(c, a.u32(0), a.u32(2), a.u32(3), RIGHT.PATH_LINK_SOURCE);
    if (typeof from === "number") return from;
    return onPath(c, a.u32(4), a.u32(5), a.u32(6), RIGHT.PATH_LINK_TARGET, (to) =>
      c.k.sys("linkat", from.dirfd, from.path, to.dirfd, to.path, a.u32(1) & LOOKUP_SYMLINK_FOLLOW ? AT_SYMLINK_FOLLOW : 0));
  },
});

export const path_rename = defineWasi({
  params: ["fd", "path", "len", "fd", "path", "len"],
  fn: (c, a) => {
    const from = resolve(c, a.u32(0), a.u32(1), a.u32(2), RIGHT.PATH_RENAME_SOURCE);
    if (typeof from === "number") return from;
    return onPath(c, a.u32(3), a.u32(4), a.u32(5), RIGHT.PATH_RENAME_TARGET, (to) => c.k.sys("renameat2", from.dirfd, from.path, to.dirfd, to.path, 0));
  },
});

export const path_symlink = defineWasi({
  params: ["path", "len", "fd", "path", "len"],
  fn: (c, a) => {
    // The link's contents are stored, not resolved (as node:wasi and Linux do).
    const target = readGuest(c, a.u32(0), Math.min(a.u32(1), PATH_MAX + 1));
    if (!target) return EFAULT;
    if (a.u32(1) > PATH_MAX) return ENAMETOOLONG;
    if (target.includes(0)) return EINVAL;
    return onPath(c, a.u32(2), a.u32(3), a.u32(4), RIGHT.PATH_SYMLINK, (to) => c.k.sys("symlinkat", c.k.str(target), to.dirfd, to.path));
  },
});

export const path_readlink = defineWasi({
  params: ["fd", "path", "len", "buf_out", "len", "out_u32"],
  fn: (c, a) => {
    const r = resolve(c, a.u32(0), a.u32(1), a.u32(2), RIGHT.PATH_READLINK);
    if (typeof r === "number") return r;
    const [buf, len, out] = [a.u32(3), a.u32(4), a.u32(5)];
    if (!inMemory(c, buf, len) || !inMemory(c, out, 4)) return EFAULT;
    if (len === 0) return putU32(c, out, 0);
    const n = c.k.sys("readlinkat", r.dirfd, r.path, buf, len);
    return n < 0 ? wasiErrno(n) : putU32(c, out, n);
  },
});

/** Linux open flags for path_open's WASI arguments, or -1 for unknown bits. */
function openFlags(oflags: number, base: bigint, fdflags: number, dirflags: number): number {
  if (oflags & ~15 || fdflags & ~31) return -1;
  const wantsWrite = (base & (RIGHT.FD_WRITE | RIGHT.FD_ALLOCATE | RIGHT.FD_FILESTAT_SET_SIZE)) !== 0n;
  const wantsRead = (base & (RIGHT.FD_READ | RIGHT.FD_READDIR)) !== 0n;
  let f = oflags & OFLAGS.DIRECTORY || !wantsWrite ? O_RDONLY : wantsRead ? O_RDWR : O_WRONLY;
  if (oflags & OFLAGS.CREAT) f |= O_CREAT;
  if (oflags & OFLAGS.DIRECTORY) f |= O_DIRECTORY;
  if (oflags & OFLAGS.EXCL) f |= O_EXCL;
  if (oflags & OFLAGS.TRUNC) f |= O_TRUNC;
  if (fdflags & FDFLAGS.APPEND) f |= O_APPEND;
  if (fdflags & FDFLAGS.NONBLOCK) f |= O_NONBLOCK;
  if (fdflags & (FDFLAGS.SYNC | FDFLAGS.RSYNC)) f |= O_SYNC;
  else if (fdflags & FDFLAGS.DSYNC) f |= O_DSYNC;
  if (!(dirflags & LOOKUP_SYMLINK_FOLLOW)) f |= O_NOFOLLOW;
  return f;
}

export const path_open = defineWasi({
  params: ["fd", "lookupflags", "path", "len", "oflags", "rights", "rights", "fdflags", "out_fd"],
  fn: (c, a) => {
    const [dirfd, dirflags, oflags, base, inheriting, fdflags, out] = [a.u32(0), a.u32(1), a.u32(4), a.u64(5), a.u64(6), a.u32(7), a.u32(8)];
    let need = RIGHT.PATH_OPEN;
    if (oflags & OFLAGS.CREAT) need |= RIGHT.PATH_CREATE_FILE;
    if (oflags & OFLAGS.TRUNC) need |= RIGHT.PATH_FILESTAT_SET_SIZE;
    const r = resolve(c, dirfd, a.u32(2), a.u32(3), need);
    if (typeof r === "number") return r;
    const dir = c.rightsOf(dirfd)!;
    if ((base & ~dir.inheriting) !== 0n || (inheriting & ~dir.inheriting) !== 0n) return ENOTCAPABLE;
    const flags = openFlags(oflags, base, fdflags, dirflags);
    if (flags < 0) return EINVAL;
    if (!inMemory(c, out, 4)) return EFAULT; // before the open: O_CREAT must not happen for nothing
    const fd = c.k.sys("openat", r.dirfd, r.path, flags, 0o666);
    if (fd < 0) return wasiErrno(fd);
    c.setRights(fd, { base, inheriting });
    return putU32(c, out, fd);
  },
});
