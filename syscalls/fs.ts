// File system calls on paths and descriptors (the kernel's fs/open.c, fs/stat.c, fs/namei.c,
// fs/fcntl.c, fs/ioctl.c, fs/d_path.c). Paths go through src/kernel/path.ts; files through
// their FileOps.

import * as nodefs from "node:fs";
import { dirname } from "node:path";
import { EBADF, EFAULT, EINVAL, ENAMETOOLONG, ENOTDIR, ENOTTY, ERANGE, hostErrno } from "../src/kernel/errno.ts";
import * as O from "../src/kernel/file.ts";
import { hostOpenFile } from "../src/kernel/hostfile.ts";
import { AT_FDCWD, resolveAt } from "../src/kernel/path.ts";
import { kstatFromHost, S_IFDIR, S_IFMT, type KStat } from "../src/kernel/stat.ts";
import type { Task } from "../src/kernel/task.ts";
import { copy_to_user, strncpy_from_user } from "../src/mm/uaccess.ts";
import { encodeStat, encodeStatx } from "./abi/riscv64.ts";
import { defineSyscall } from "./types.ts";

const PATH_MAX = 4096;
const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;

/** getname(): a path string from user memory, or -EFAULT/-ENAMETOOLONG/-ENOENT. */
export function getname(t: Task, p: number): string | number {
  const buf = new Uint8Array(PATH_MAX);
  const n = strncpy_from_user(t.mm, buf, p, PATH_MAX);
  if (n < 0) return n;
  if (n === PATH_MAX) return -ENAMETOOLONG;
  return Buffer.from(buf.buffer, 0, n).toString("utf8");
}

/** A guest path argument resolved against dirfd to a host path, or -errno. */
function pathAt(t: Task, dirfd: number, p: number, flags = 0): string | number {
  const name = getname(t, p);
  if (typeof name === "number") return name;
  if (name === "" && flags & AT_EMPTY_PATH) {
    const f = t.files.get(dirfd);
    return f ? f.path : dirfd === AT_FDCWD ? t.fs.cwd : -EBADF;
  }
  return resolveAt(t, dirfd, name);
}

// Guest O_* → host open(2) flags, translated one by one (the host's values may differ).
const C = nodefs.constants;
const OPEN_FLAGS: [number, number][] = [
  [O.O_CREAT, C.O_CREAT], [O.O_EXCL, C.O_EXCL], [O.O_NOCTTY, C.O_NOCTTY], [O.O_TRUNC, C.O_TRUNC],
  [O.O_APPEND, C.O_APPEND], [O.O_NONBLOCK, C.O_NONBLOCK], [O.O_DIRECTORY, C.O_DIRECTORY],
  [O.O_NOFOLLOW, C.O_NOFOLLOW], [O.O_SYNC, C.O_SYNC], [O.O_DSYNC, C.O_DSYNC],
];

function hostOpenFlags(flags: number): number {
  let h = [C.O_RDONLY, C.O_WRONLY, C.O_RDWR, C.O_RDWR][flags & O.O_ACCMODE]!;
  for (const [g, hf] of OPEN_FLAGS) if ((flags & g) === g) h |= hf;
  return h;
}

/** openat(2) */
export const sys_openat = defineSyscall({
  name: "openat", args: ["dirfd", "path", "oflags", "mode"], ret: "fd",
  fn: (t, a) => {
    const path = pathAt(t, a.fd(0), a.ptr(1));
    if (typeof path === "number") return path;
    const flags = a.int(2);
    const mode = a.uint(3) & ~t.fs.umask & 0o7777;
    let hostFd: number;
    try {
      hostFd = nodefs.openSync(path, hostOpenFlags(flags) | (flags & O.O_PATH ? C.O_RDONLY : 0), mode);
    } catch (e) {
      return -hostErrno((e as NodeJS.ErrnoException).code);
    }
    const f = hostOpenFile(hostFd, flags & ~(O.O_CREAT | O.O_EXCL | O.O_TRUNC | O.O_CLOEXEC), path, false);
    if (typeof f === "number") return f;
    const fd = t.files.install(f, (flags & O.O_CLOEXEC) !== 0);
    if (fd < 0) f.get().put();
    return fd;
  },
});

/** close(2) */
export const sys_close = defineSyscall({ name: "close", args: ["fd"], fn: (t, a) => t.files.close(a.fd(0)) });

function statPath(path: string, follow: boolean): KStat | number {
  try {
    return kstatFromHost(follow ? nodefs.statSync(path, { bigint: true }) : nodefs.lstatSync(path, { bigint: true }));
  } catch (e) {
    return -hostErrno((e as NodeJS.ErrnoException).code);
  }
}

function fstatFd(t: Task, fd: number): KStat | number {
  const f = t.files.get(fd);
  return f ? f.ops.stat(f) : -EBADF;
}

function putStat(t: Task, p: number, st: KStat | number, encode = encodeStat): number {
  if (typeof st === "number") return st;
  return copy_to_user(t.mm, p, encode(st)) ? -EFAULT : 0;
}

/** fstat(2) */
export const sys_fstat = defineSyscall({ name: "fstat", args: ["fd", "stat_out"], fn: (t, a) => putStat(t, a.ptr(1), fstatFd(t, a.fd(0))) });

/** newfstatat(2), which glibc's stat/lstat/fstatat use */
export const sys_newfstatat = defineSyscall({
  name: "newfstatat", args: ["dirfd", "path", "stat_out", "atflags"],
  fn: (t, a) => {
    const flags = a.int(3);
    const name = getname(t, a.ptr(1));
    if (typeof name === "number") return name;
    if (name === "" && flags & AT_EMPTY_PATH) return putStat(t, a.ptr(2), a.fd(0) === AT_FDCWD ? statPath(t.fs.cwd, true) : fstatFd(t, a.fd(0)));
    const path = resolveAt(t, a.fd(0), name);
    if (typeof path === "number") return path;
    return putStat(t, a.ptr(2), statPath(path, (flags & AT_SYMLINK_NOFOLLOW) === 0));
  },
});

/** statx(2) */
export const sys_statx = defineSyscall({
  name: "statx", args: ["dirfd", "path", "atflags", "uint", "statx_out"],
  fn: (t, a) => {
    const flags = a.int(2);
    const name = getname(t, a.ptr(1));
    if (typeof name === "number") return name;
    let st: KStat | number;
    if (name === "" && flags & AT_EMPTY_PATH) st = a.fd(0) === AT_FDCWD ? statPath(t.fs.cwd, true) : fstatFd(t, a.fd(0));
    else {
      const path = resolveAt(t, a.fd(0), name);
      st = typeof path === "number" ? path : statPath(path, (flags & AT_SYMLINK_NOFOLLOW) === 0);
    }
    return putStat(t, a.ptr(4), st, (s) => encodeStatx(s, a.uint(3)));
  },
});

/** readlinkat(2); /proc/self/exe and /proc/<pid>/exe name the running program. */
export const sys_readlinkat = defineSyscall({
  name: "readlinkat", args: ["dirfd", "path", "buf_out", "size"],
  fn: (t, a) => {
    const name = getname(t, a.ptr(1));
    if (typeof name === "number") return name;
    const size = a.size(3);
    if (size <= 0 || size > 0x7fffffff) return -EINVAL;
    let target: string;
    if (name === "/proc/self/exe" || name === `/proc/${t.pid}/exe`) target = t.exe;
    else {
      const path = resolveAt(t, a.fd(0), name);
      if (typeof path === "number") return path;
      try {
        target = nodefs.readlinkSync(path);
      } catch (e) {
        return -hostErrno((e as NodeJS.ErrnoException).code);
      }
    }
    const bytes = Buffer.from(target, "utf8").subarray(0, size);
    return copy_to_user(t.mm, a.ptr(2), bytes) ? -EFAULT : bytes.length;
  },
});

function access(t: Task, a: import("./args.ts").SyscallArgs, flags: number): number {
  const path = pathAt(t, a.fd(0), a.ptr(1), flags);
  if (typeof path === "number") return path;
  const mode = a.int(2);
  if (mode & ~7) return -EINVAL;
  try {
    nodefs.accessSync(path, mode);
    return 0;
  } catch (e) {
    return -hostErrno((e as NodeJS.ErrnoException).code);
  }
}

/** faccessat(2) */
export const sys_faccessat = defineSyscall({ name: "faccessat", args: ["dirfd", "path", "access_mode"], fn: (t, a) => access(t, a, 0) });

/** faccessat2(2) */
export const sys_faccessat2 = defineSyscall({ name: "faccessat2", args: ["dirfd", "path", "access_mode", "atflags"], fn: (t, a) => access(t, a, a.int(3)) });

/** getcwd(2): the length including the NUL, or -ERANGE when buf is too small. */
export const sys_getcwd = defineSyscall({
  name: "getcwd", args: ["buf_out", "size"],
  fn: (t, a) => {
    const bytes = Buffer.from(t.fs.cwd + "\0", "utf8");
    if (bytes.length > a.size(1)) return -ERANGE;
    return copy_to_user(t.mm, a.ptr(0), bytes) ? -EFAULT : bytes.length;
  },
});

/** chdir(2) */
export const sys_chdir = defineSyscall({
  name: "chdir", args: ["path"],
  fn: (t, a) => {
    const path = pathAt(t, AT_FDCWD, a.ptr(0));
    if (typeof path === "number") return path;
    const st = statPath(path, true);
    if (typeof st === "number") return st;
    if ((st.mode & S_IFMT) !== S_IFDIR) return -ENOTDIR;
    t.fs.cwd = path;
    return 0;
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

/** unlinkat(2) */
export const sys_unlinkat = defineSyscall({
  name: "unlinkat", args: ["dirfd", "path", "atflags"],
  fn: (t, a) => {
    const path = pathAt(t, a.fd(0), a.ptr(1));
    if (typeof path === "number") return path;
    try {
      if (a.int(2) & AT_REMOVEDIR) nodefs.rmdirSync(path);
      else nodefs.unlinkSync(path);
      return 0;
    } catch (e) {
      return -hostErrno((e as NodeJS.ErrnoException).code);
    }
  },
});

/** getdents64(2): struct linux_dirent64 records for a directory descriptor. */
export const sys_getdents64 = defineSyscall({
  name: "getdents64", args: ["fd", "ptr", "size"],
  fn: (t, a) => {
    const f = t.files.get(a.fd(0));
    if (!f) return -EBADF;
    const st = f.ops.stat(f);
    if (typeof st === "number") return st;
    if ((st.mode & S_IFMT) !== S_IFDIR) return -ENOTDIR;
    let names: nodefs.Dirent[];
    try {
      names = nodefs.readdirSync(f.path, { withFileTypes: true });
    } catch (e) {
      return -hostErrno((e as NodeJS.ErrnoException).code);
    }
    const entries = [{ name: ".", type: 4 }, { name: "..", type: 4 }, ...names.map((d) => ({ name: d.name, type: direntType(d) }))];
    const out = new Uint8Array(a.size(2));
    let used = 0;
    for (let i = f.pos; i < entries.length; i++) {
      const e = entries[i]!;
      const name = Buffer.from(e.name + "\0", "utf8");
      const reclen = Math.ceil((19 + name.length) / 8) * 8;
      if (used + reclen > out.length) {
        if (used === 0) return -EINVAL;
        break;
      }
      const v = new DataView(out.buffer, used);
      v.setBigUint64(0, inode(f.path, e.name), true);
      v.setBigInt64(8, BigInt(i + 1), true);
      v.setUint16(16, reclen, true);
      v.setUint8(18, e.type);
      out.set(name, used + 19);
      used += reclen;
      f.pos = i + 1;
    }
    return copy_to_user(t.mm, a.ptr(1), out.subarray(0, used)) ? -EFAULT : used;
  },
});

function direntType(d: nodefs.Dirent): number {
  return d.isFIFO() ? 1 : d.isCharacterDevice() ? 2 : d.isDirectory() ? 4 : d.isBlockDevice() ? 6 : d.isFile() ? 8 : d.isSymbolicLink() ? 10 : d.isSocket() ? 12 : 0;
}

function inode(dir: string, name: string): bigint {
  try {
    return nodefs.lstatSync(name === ".." ? dirname(dir) : `${dir}/${name}`, { bigint: true }).ino;
  } catch {
    return 0n;
  }
}

/** dup(2) */
export const sys_dup = defineSyscall({
  name: "dup", args: ["fd"], ret: "fd",
  fn: (t, a) => {
    const f = t.files.get(a.fd(0));
    return f ? t.files.install(f, false) : -EBADF;
  },
});

/** dup3(2) */
export const sys_dup3 = defineSyscall({
  name: "dup3", args: ["fd", "fd", "oflags"], ret: "fd",
  fn: (t, a) => {
    const [oldfd, newfd, flags] = [a.fd(0), a.fd(1), a.int(2)];
    if (flags & ~O.O_CLOEXEC || oldfd === newfd) return -EINVAL;
    const f = t.files.get(oldfd);
    return f ? t.files.installAt(newfd, f, (flags & O.O_CLOEXEC) !== 0) : -EBADF;
  },
});

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;
const F_DUPFD_CLOEXEC = 1030;
const FD_CLOEXEC = 1;
const SETFL_MASK = O.O_APPEND | O.O_NONBLOCK | O.O_DIRECT | O.O_NOATIME;

/** fcntl(2): descriptor duplication, flags; record locks are accepted (single-process for now). */
export const sys_fcntl = defineSyscall({
  name: "fcntl", args: ["fd", "fcntl_cmd", "ulong"], support: "partial", note: "record locks always succeed",
  fn: (t, a) => {
    const fd = a.fd(0);
    const f = t.files.get(fd);
    if (!f) return -EBADF;
    const arg = a.int(2);
    switch (a.int(1)) {
      case F_DUPFD: case F_DUPFD_CLOEXEC:
        if (arg < 0 || arg >= t.files.limit) return -EINVAL;
        return t.files.install(f, a.int(1) === F_DUPFD_CLOEXEC, arg);
      case F_GETFD: return t.files.isCloexec(fd) ? FD_CLOEXEC : 0;
      case F_SETFD: t.files.setCloexec(fd, (arg & FD_CLOEXEC) !== 0); return 0;
      case F_GETFL: return f.flags;
      case F_SETFL: f.flags = (f.flags & ~SETFL_MASK) | (arg & SETFL_MASK); return 0;
      case F_GETLK: case F_SETLK: case F_SETLKW: return 0;
      default: return -EINVAL;
    }
  },
});

/** ioctl(2): dispatched to the file (terminals answer TCGETS/TIOCGWINSZ, files FIONREAD). */
export const sys_ioctl = defineSyscall({
  name: "ioctl", args: ["fd", "ioctl_req", "hex"],
  fn: (t, a) => {
    const f = t.files.get(a.fd(0));
    if (!f) return -EBADF;
    return f.ops.ioctl ? f.ops.ioctl(f, t, a.uint(1), a.ptr(2)) : -ENOTTY;
  },
});

