// File system calls on paths and descriptors (the kernel's fs/open.c, fs/stat.c, fs/readdir.c,
// fs/d_path.c): open, close, stat, getdents, the working directory. Arguments are decoded here;
// the work is src/kernel/vfs's. Namespace changes are in namei.ts, attributes in attr.ts,
// descriptor control in fcntl.ts.

import { EBADF, EFAULT, EINVAL, ENAMETOOLONG, ENOENT, ENOTDIR, ERANGE } from "../src/kernel/errno.ts";
import * as O from "../src/kernel/fs/file.ts";
import type { OpenFile } from "../src/kernel/fs/file.ts";
import type { KStat } from "../src/kernel/fs/stat.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { vfsAccess } from "../src/kernel/vfs/attr.ts";
import type { Dentry } from "../src/kernel/vfs/dentry.ts";
import { dirEntries } from "../src/kernel/vfs/dirfile.ts";
import { releaseFileLocks } from "../src/kernel/vfs/flock.ts";
import { AT_FDCWD, cwdOf, cwdPath, isDir, lookupAt, PATH_MAX, setCwd } from "../src/kernel/vfs/namei.ts";
import { decodeName, encodeName } from "../src/kernel/vfs/filename.ts";
import { vfsOpen } from "../src/kernel/vfs/open.ts";
import { fileDentry } from "../src/kernel/vfs/pwd.ts";
import { inodePermission, MAY_EXEC } from "../src/kernel/vfs/perm.ts";
import { copy_to_user, strncpy_from_user } from "../src/mm/uaccess.ts";
import { argsOf, type SyscallArgs } from "./args.ts";
import { defineSyscall } from "./types.ts";

export const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400;
export const AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000, AT_EACCESS = 0x200;
const AT_STATX_SYNC_TYPE = 0x6000;
const STATX__RESERVED = 0x80000000;

/** getname(): a path string from user memory, or -EFAULT/-ENAMETOOLONG. */
export function getname(t: Task, p: number): string | number {
  const buf = new Uint8Array(PATH_MAX);
  const n = strncpy_from_user(t.mm, buf, p, PATH_MAX);
  if (n < 0) return n;
  if (n === PATH_MAX) return -ENAMETOOLONG;
  return decodeName(buf.subarray(0, n));
}

/** An open file for calls that do I/O: EBADF for a bad fd or an O_PATH one (fdget). */
export function fdFile(t: Task, fd: number): OpenFile | number {
  const f = t.files.get(fd);
  return f && (f.flags & O.O_PATH) === 0 ? f : -EBADF;
}

/**
 * What a *at call names: the dentry of `path` relative to dirfd, or with AT_EMPTY_PATH and ""
 * the descriptor itself (which may be a pipe, with no dentry: then `file` alone).
 */
export function atTarget(t: Task, dirfd: number, path: string, flags: number, follow: boolean): { d: Dentry | null; file: OpenFile | null } | number {
  if (path === "") {
    if (!(flags & AT_EMPTY_PATH)) return -ENOENT;
    if (dirfd === AT_FDCWD) {
      const d = cwdOf(t);
      return typeof d === "number" ? d : { d, file: null };
    }
    const f = t.files.get(dirfd);
    return f ? { d: f.dentry, file: f } : -EBADF;
  }
  const d = lookupAt(t, dirfd, path, follow);
  return typeof d === "number" ? d : { d, file: null };
}

/** openat(2) */
export const sys_openat = defineSyscall({
  name: "openat", args: ["dirfd", "path", "oflags", "mode"], ret: "fd",
  fn: (t, a) => {
    const path = getname(t, a.ptr(1));
    if (typeof path === "number") return path;
    const flags = a.int(2);
    const f = vfsOpen(t, a.fd(0), path, flags, a.uint(3));
    if (typeof f === "number") return f;
    f.flags = (f.flags & ~(O.O_CREAT | O.O_EXCL | O.O_NOCTTY | O.O_TRUNC | O.O_CLOEXEC)) | O.O_LARGEFILE;
    const fd = t.files.install(f, (flags & O.O_CLOEXEC) !== 0);
    if (fd < 0) f.get().put();
    return fd;
  },
});

/** close(2): also drops the process's record locks on the file, as POSIX requires. */
export const sys_close = defineSyscall({
  name: "close", args: ["fd"],
  fn: (t, a) => {
    const f = t.files.get(a.fd(0));
    if (!f) return -EBADF;
    releaseFileLocks(t, f);
    return t.files.close(a.fd(0));
  },
});

const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

/**
 * close_range(2): closes (or, with CLOSE_RANGE_CLOEXEC, marks close-on-exec) every descriptor
 * from first to last. UNSHARE is accepted: the table is this task's own unless CLONE_FILES
 * shares it, and then Linux's unshared copy and ours differ only for the other sharers.
 */
export const sys_close_range = defineSyscall({
  name: "close_range", args: ["uint", "uint", "int"],
  fn: (t, a) => {
    const [first, last, flags] = [a.uint(0), a.uint(1), a.int(2)];
    if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return -EINVAL;
    for (const [fd, f] of t.files.entries()) {
      if (fd < first || fd > last) continue;
      if (flags & CLOSE_RANGE_CLOEXEC) {
        t.files.setCloexec(fd, true);
      } else {
        releaseFileLocks(t, f);
        t.files.close(fd);
      }
    }
    return 0;
  },
});

function statOf(target: { d: Dentry | null; file: OpenFile | null }): KStat | number {
  if (target.file) return target.file.ops.stat(target.file);
  return target.d!.inode.getattr();
}

function putStat(t: Task, p: number, st: KStat | number, encode: (s: KStat) => Uint8Array = t.abi.encodeStat): number {
  if (typeof st === "number") return st;
  return copy_to_user(t.mm, p, encode(st)) ? -EFAULT : 0;
}

/** fstat(2); works on O_PATH descriptors too. */
export const sys_fstat = defineSyscall({
  name: "fstat", args: ["fd", "stat_out"],
  fn: (t, a) => {
    const f = t.files.get(a.fd(0));
    return f ? putStat(t, a.ptr(1), f.ops.stat(f)) : -EBADF;
  },
});

function statAt(t: Task, a: SyscallArgs, flagsArg: number, allowed: number): KStat | number {
  const flags = a.int(flagsArg);
  if (flags & ~allowed) return -EINVAL;
  const name = getname(t, a.ptr(1));
  if (typeof name === "number") return name;
  const target = atTarget(t, a.fd(0), name, flags, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  return typeof target === "number" ? target : statOf(target);
}

/** newfstatat(2), which glibc's stat/lstat/fstatat use */
export const sys_newfstatat = defineSyscall({
  name: "newfstatat", args: ["dirfd", "path", "stat_out", "atflags"],
  fn: (t, a) => putStat(t, a.ptr(2), statAt(t, a, 3, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)),
});

/** statx(2) */
export const sys_statx = defineSyscall({
  name: "statx", args: ["dirfd", "path", "statx_flags", "statx_mask", "statx_result_out"],
  fn: (t, a) => {
    const flags = a.int(2);
    if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || a.uint(3) & STATX__RESERVED) return -EINVAL;
    const st = statAt(t, a, 2, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE);
    return putStat(t, a.ptr(4), st, (s) => t.abi.encodeStatx(s, a.uint(3)));
  },
});

function access(t: Task, a: SyscallArgs, flags: number): number {
  const mode = a.int(2);
  if (mode & ~7 || flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH)) return -EINVAL;
  const name = getname(t, a.ptr(1));
  if (typeof name === "number") return name;
  const target = atTarget(t, a.fd(0), name, flags, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  if (typeof target === "number") return target;
  if (!target.d) return 0; // a pipe by AT_EMPTY_PATH: its owner may do anything
  return vfsAccess(t, target.d, mode, (flags & AT_EACCESS) !== 0);
}

/** faccessat(2) */
export const sys_faccessat = defineSyscall({ name: "faccessat", args: ["dirfd", "path", "access_mode"], fn: (t, a) => access(t, a, 0) });

/** faccessat2(2) */
export const sys_faccessat2 = defineSyscall({ name: "faccessat2", args: ["dirfd", "path", "access_mode", "atflags"], fn: (t, a) => access(t, a, a.int(3)) });

/** getdents64(2): struct linux_dirent64 records; d_off cookies stay valid for lseek. */
export const sys_getdents64 = defineSyscall({
  name: "getdents64", args: ["fd", "dirent_out", "size"],
  fn: (t, a) => readDir(t, a, t.abi.encodeDirent64),
});

/**
 * getdents(2), which x86-64 keeps: struct linux_dirent (d_ino, d_off, d_reclen, d_name, then a
 * NUL and d_type in the record's last byte), records 8-aligned as fs/readdir.c's filldir pads them.
 */
export const sys_getdents = defineSyscall({
  name: "getdents", args: ["fd", "dirent_out", "size"],
  fn: (t, a) => readDir(t, a, encodeDirent),
});

function encodeDirent(ino: bigint, off: number, type: number, name: Uint8Array): Uint8Array {
  const reclen = (18 + name.length + 2 + 7) & ~7;
  const b = new Uint8Array(reclen);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, ino, true);
  v.setBigInt64(8, BigInt(off), true);
  v.setUint16(16, reclen, true);
  b.set(name, 18);
  b[reclen - 1] = type;
  return b;
}

/** The directory records of fd from its position on, as many as fit in the buffer. */
function readDir(t: Task, a: SyscallArgs, encode: (ino: bigint, off: number, type: number, name: Uint8Array) => Uint8Array): number {
  const f = fdFile(t, a.fd(0));
  if (typeof f === "number") return f;
  if (!f.dentry || !isDir(f.dentry)) return -ENOTDIR;
  const entries = dirEntries(t, f);
  if (typeof entries === "number") return entries;
  const out = new Uint8Array(Math.min(a.size(2), 1 << 20));
  let used = 0, pos = f.pos;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const next = entries[i + 1]?.pos ?? e.pos + 1;
    const rec = encode(e.ino, next, e.type, encodeName(e.name));
    if (used + rec.length > out.length) {
      if (used === 0) return -EINVAL;
      break;
    }
    out.set(rec, used);
    used += rec.length;
    pos = next;
  }
  if (copy_to_user(t.mm, a.ptr(1), out, used)) return -EFAULT;
  f.pos = pos;
  return used;
}

// The old path calls x86-64 keeps, as the kernel defines them: the *at call at AT_FDCWD.

/** open(2) = openat(AT_FDCWD, path, flags, mode) (force_o_largefile: always O_LARGEFILE on 64-bit). */
export const sys_open = defineSyscall({
  name: "open", args: ["path", "oflags", "mode"], ret: "fd",
  fn: (t, a, k) => sys_openat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!, a.raw[2]!), k),
});

/** creat(2) = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode) */
export const sys_creat = defineSyscall({
  name: "creat", args: ["path", "mode"], ret: "fd",
  fn: (t, a, k) => sys_openat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, O.O_CREAT | O.O_WRONLY | O.O_TRUNC, a.raw[1]!), k),
});

/** stat(2) = newfstatat(AT_FDCWD, path, buf, 0) */
export const sys_stat = defineSyscall({
  name: "stat", args: ["path", "stat_out"],
  fn: (t, a, k) => sys_newfstatat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!, 0), k),
});

/** lstat(2) = newfstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW) */
export const sys_lstat = defineSyscall({
  name: "lstat", args: ["path", "stat_out"],
  fn: (t, a, k) => sys_newfstatat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!, AT_SYMLINK_NOFOLLOW), k),
});

/** access(2) = faccessat(AT_FDCWD, path, mode) */
export const sys_access = defineSyscall({
  name: "access", args: ["path", "access_mode"],
  fn: (t, a, k) => sys_faccessat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!), k),
});

/** getcwd(2): the length including the NUL, or -ERANGE when buf is too small. */
export const sys_getcwd = defineSyscall({
  name: "getcwd", args: ["buf_out", "size"],
  fn: (t, a) => {
    const cwd = cwdPath(t);
    if (typeof cwd === "number") return cwd;
    if (cwd.deleted) return -ENOENT; // an unlinked cwd has no path to give
    const bytes = encodeName(cwd.path + "\0");
    if (bytes.length > a.size(1)) return -ERANGE;
    return copy_to_user(t.mm, a.ptr(0), bytes) ? -EFAULT : bytes.length;
  },
});

function changeDir(t: Task, d: Dentry): number {
  if (!isDir(d)) return -ENOTDIR;
  const perm = inodePermission(t.cred, d.inode, MAY_EXEC);
  if (perm < 0) return perm;
  setCwd(t, d);
  return 0;
}

/** chdir(2) */
export const sys_chdir = defineSyscall({
  name: "chdir", args: ["path"],
  fn: (t, a) => {
    const name = getname(t, a.ptr(0));
    if (typeof name === "number") return name;
    const d = lookupAt(t, AT_FDCWD, name, true);
    return typeof d === "number" ? d : changeDir(t, d);
  },
});

/** fchdir(2) */
export const sys_fchdir = defineSyscall({
  name: "fchdir", args: ["fd"],
  fn: (t, a) => {
    const f = t.files.get(a.fd(0));
    if (!f) return -EBADF;
    const d = fileDentry(f);
    return d ? changeDir(t, d) : -ENOTDIR;
  },
});

/** umask(2): returns the previous mask. */
export const sys_umask = defineSyscall({
  name: "umask", args: ["mode"],
  fn: (t, a) => {
    const old = t.fs.umask;
    t.fs.umask = a.uint(0) & 0o777;
    return old;
  },
});
