// System calls that change or report a file's attributes (fs/open.c, fs/utimes.c, fs/sync.c,
// fs/statfs.c): chmod, chown, truncate, utimensat, fsync, statfs, on paths and descriptors.

import { statfsSync } from "node:fs";
import { EBADF, EFAULT, EINVAL, EISDIR, ENODEV, EOPNOTSUPP, ESPIPE } from "../src/kernel/errno.ts";
import type { OpenFile } from "../src/kernel/fs/file.ts";
import { S_IFDIR, S_IFIFO, S_IFMT, S_IFREG } from "../src/kernel/fs/stat.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { dentryTarget, fileTarget, vfsChmod, vfsChown, vfsTruncate, vfsUtimes, type Target } from "../src/kernel/vfs/attr.ts";
import type { Dentry } from "../src/kernel/vfs/dentry.ts";
import { hostCall, HostInode } from "../src/kernel/vfs/hostfs.ts";
import type { TimeSpec } from "../src/kernel/vfs/inode.ts";
import { AT_FDCWD, lookupAt } from "../src/kernel/vfs/namei.ts";
import { copy_from_user, copy_to_user } from "../src/mm/uaccess.ts";
import { argsOf, type SyscallArgs } from "./args.ts";
import { atTarget, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, fdFile, getname } from "./fs.ts";
import { defineSyscall } from "./types.ts";

/** The target of a *at attribute call: a dentry, or the descriptor itself with AT_EMPTY_PATH. */
function pathTarget(t: Task, a: SyscallArgs, flags: number): Target | number {
  const name = getname(t, a.ptr(1));
  if (typeof name === "number") return name;
  const r = atTarget(t, a.fd(0), name, flags, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  if (typeof r === "number") return r;
  return r.file ? fileTarget(r.file) : dentryTarget(r.d!);
}

function fdTarget(t: Task, fd: number): Target | number {
  const f = fdFile(t, fd);
  return typeof f === "number" ? f : fileTarget(f);
}

function chmodAt(t: Task, a: SyscallArgs, flags: number): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const target = pathTarget(t, a, flags);
  return typeof target === "number" ? target : vfsChmod(t, target, a.uint(2));
}

/** fchmodat(2) */
export const sys_fchmodat = defineSyscall({ name: "fchmodat", args: ["dirfd", "path", "mode"], fn: (t, a) => chmodAt(t, a, 0) });

/** fchmodat2(2): fchmodat with flags (AT_SYMLINK_NOFOLLOW on a link is EOPNOTSUPP) */
export const sys_fchmodat2 = defineSyscall({ name: "fchmodat2", args: ["dirfd", "path", "mode", "atflags"], fn: (t, a) => chmodAt(t, a, a.int(3)) });

/** fchmod(2) */
export const sys_fchmod = defineSyscall({
  name: "fchmod", args: ["fd", "mode"],
  fn: (t, a) => {
    const target = fdTarget(t, a.fd(0));
    return typeof target === "number" ? target : vfsChmod(t, target, a.uint(1));
  },
});

/** fchownat(2); -1 leaves the uid or gid as it is */
export const sys_fchownat = defineSyscall({
  name: "fchownat", args: ["dirfd", "path", "int", "int", "atflags"],
  fn: (t, a) => {
    const flags = a.int(4);
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    const target = pathTarget(t, a, flags);
    return typeof target === "number" ? target : vfsChown(t, target, a.int(2), a.int(3));
  },
});

/** fchown(2) */
export const sys_fchown = defineSyscall({
  name: "fchown", args: ["fd", "int", "int"],
  fn: (t, a) => {
    const target = fdTarget(t, a.fd(0));
    return typeof target === "number" ? target : vfsChown(t, target, a.int(1), a.int(2));
  },
});

/** truncate(2) */
export const sys_truncate = defineSyscall({
  name: "truncate", args: ["path", "long"],
  fn: (t, a) => {
    const name = getname(t, a.ptr(0));
    if (typeof name === "number") return name;
    if (a.long(1) < 0n) return -EINVAL;
    const d = lookupAt(t, AT_FDCWD, name, true);
    return typeof d === "number" ? d : vfsTruncate(t, dentryTarget(d), Number(a.long(1)), true);
  },
});

/** ftruncate(2): the descriptor must be open for writing (EINVAL otherwise, as Linux says) */
export const sys_ftruncate = defineSyscall({
  name: "ftruncate", args: ["fd", "long"],
  fn: (t, a) => {
    const f = fdFile(t, a.fd(0));
    if (typeof f === "number") return f;
    if (a.long(1) < 0n || !f.writable || !f.dentry) return -EINVAL;
    return vfsTruncate(t, fileTarget(f) as Target, Number(a.long(1)), false);
  },
});

const UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;

/** The two times of utimensat, or -EINVAL/-EFAULT. */
function readTimes(t: Task, p: number): [TimeSpec, TimeSpec] | number {
  if (p === 0) return ["now", "now"];
  const raw = new Uint8Array(2 * t.abi.SIZEOF_TIMESPEC);
  if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
  const out: TimeSpec[] = [];
  for (let i = 0; i < 2; i++) {
    const { sec, nsec } = t.abi.decodeTimespec(raw.subarray(i * t.abi.SIZEOF_TIMESPEC));
    if (nsec === BigInt(UTIME_NOW)) out.push("now");
    else if (nsec === BigInt(UTIME_OMIT)) out.push(undefined);
    else if (nsec < 0n || nsec >= 1_000_000_000n) return -EINVAL;
    else out.push(sec * 1_000_000_000n + nsec);
  }
  return [out[0], out[1]];
}

/** utimensat(2), and futimens when the path is NULL */
export const sys_utimensat = defineSyscall({
  name: "utimensat", args: ["dirfd", "path", "utimes", "atflags"],
  fn: (t, a) => {
    const flags = a.int(3);
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    const times = readTimes(t, a.ptr(2));
    if (typeof times === "number") return times;
    let target: Target | number;
    if (a.ptr(1) === 0) target = a.fd(0) === AT_FDCWD ? -EFAULT : (t.files.get(a.fd(0)) ? fileTarget(t.files.get(a.fd(0))!) : -EBADF);
    else target = pathTarget(t, a, flags);
    return typeof target === "number" ? target : vfsUtimes(t, target, times[0], times[1]);
  },
});

function sync(t: Task, fd: number, datasync: boolean): number {
  const f = fdFile(t, fd);
  if (typeof f === "number") return f;
  return f.ops.fsync ? f.ops.fsync(f, datasync) : -EINVAL;
}

/** fsync(2) */
export const sys_fsync = defineSyscall({ name: "fsync", args: ["fd"], fn: (t, a) => sync(t, a.fd(0), false) });

/** fdatasync(2) */
export const sys_fdatasync = defineSyscall({ name: "fdatasync", args: ["fd"], fn: (t, a) => sync(t, a.fd(0), true) });

/** sync(2): file data goes to the host as it is written; nothing waits. */
export const sys_sync = defineSyscall({ name: "sync", args: [], fn: () => 0 });

/** syncfs(2) */
export const sys_syncfs = defineSyscall({
  name: "syncfs", args: ["fd"],
  fn: (t, a) => {
    const f = fdFile(t, a.fd(0));
    return typeof f === "number" ? f : 0;
  },
});

const FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2, FALLOC_FL_ZERO_RANGE = 0x10;

/**
 * fallocate(2): mode 0 makes the file at least offset+len long (the space is the host's to
 * find); KEEP_SIZE has nothing to reserve; PUNCH_HOLE (with KEEP_SIZE) and ZERO_RANGE write
 * zeros where the range meets the file, which is what a reader of a hole sees; collapsing and
 * inserting ranges are EOPNOTSUPP.
 */
export const sys_fallocate = defineSyscall({
  name: "fallocate", args: ["fd", "int", "long", "long"],
  support: "partial", note: "FALLOC_FL_COLLAPSE_RANGE and INSERT_RANGE are EOPNOTSUPP",
  fn: (t, a) => {
    const [mode, off, len] = [a.int(1), a.long(2), a.long(3)];
    const f = fdFile(t, a.fd(0));
    if (typeof f === "number") return f;
    if (off < 0n || len <= 0n) return -EINVAL;
    if (!f.writable) return -EBADF;
    const st = f.ops.stat(f);
    if (typeof st === "number") return st;
    if ((st.mode & S_IFMT) === S_IFIFO) return -ESPIPE;
    if ((st.mode & S_IFMT) === S_IFDIR) return -EISDIR;
    if ((st.mode & S_IFMT) !== S_IFREG || !f.dentry) return -ENODEV;
    if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) return -EOPNOTSUPP;
    if (mode & FALLOC_FL_PUNCH_HOLE && (!(mode & FALLOC_FL_KEEP_SIZE) || mode & FALLOC_FL_ZERO_RANGE)) return -EINVAL;
    if (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) {
      const end = Number(off + len < st.size ? off + len : st.size);
      const zeros = new Uint8Array(Math.min(1 << 20, Math.max(0, end - Number(off))));
      for (let at = Number(off); at < end; at += zeros.length) {
        const n = f.ops.write!(f, t, zeros.subarray(0, Math.min(zeros.length, end - at)), at);
        if (n < 0) return n;
      }
      if (mode & FALLOC_FL_PUNCH_HOLE || mode & FALLOC_FL_KEEP_SIZE || st.size >= off + len) return 0;
    }
    if (mode & FALLOC_FL_KEEP_SIZE || st.size >= off + len) return 0;
    return vfsTruncate(t, fileTarget(f) as Target, Number(off + len), false);
  },
});

const POSIX_FADV_NOREUSE = 5;

/** fadvise64(2): advice about the page cache, which the host's own cache makes moot. */
export const sys_fadvise64 = defineSyscall({
  name: "fadvise64", args: ["fd", "long", "long", "int"],
  fn: (t, a) => {
    const f = fdFile(t, a.fd(0));
    if (typeof f === "number") return f;
    const st = f.ops.stat(f);
    if (typeof st !== "number" && (st.mode & S_IFMT) === S_IFIFO) return -ESPIPE;
    const advice = a.int(3);
    return advice < 0 || advice > POSIX_FADV_NOREUSE || a.long(2) < 0n ? -EINVAL : 0;
  },
});

const MAGIC: Record<string, number> = { tmpfs: 0x01021994, devtmpfs: 0x01021994, proc: 0x9fa0 };
const ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_RELATIME = 0x1000;

/** struct statfs (asm-generic, 64-bit) for the file system d lives on. */
function statfsOf(d: Dentry): Uint8Array | number {
  const b = new Uint8Array(120);
  const v = new DataView(b.buffer);
  const sb = d.inode.sb;
  let f = { type: MAGIC[sb.type] ?? 0, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0 };
  if (d.inode instanceof HostInode) {
    const inode = d.inode;
    const s = hostCall(() => statfsSync(inode.host));
    if (typeof s === "number") return s;
    f = { type: s.type, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
  }
  const opts = d.mnt.options.split(",");
  const flag = (name: string, bit: number) => (opts.includes(name) ? bit : 0);
  const flags = (sb.readOnly || d.mnt.readOnly ? ST_RDONLY : 0) | flag("nosuid", ST_NOSUID) | flag("nodev", ST_NODEV) | flag("noexec", ST_NOEXEC) | flag("relatime", ST_RELATIME) | 0x20;
  [f.type, f.bsize, f.blocks, f.bfree, f.bavail, f.files, f.ffree].forEach((x, i) => v.setBigInt64(i * 8, BigInt(x), true));
  v.setUint32(56, Number(sb.dev & 0xffffffffn), true); // f_fsid
  v.setBigInt64(64, 255n, true); // f_namelen
  v.setBigInt64(72, BigInt(f.bsize), true); // f_frsize
  v.setBigInt64(80, BigInt(flags), true);
  return b;
}

function putStatfs(t: Task, d: Dentry | null, p: number): number {
  if (!d) return -EINVAL;
  const b = statfsOf(d);
  if (typeof b === "number") return b;
  return copy_to_user(t.mm, p, b) ? -EFAULT : 0;
}

/** statfs(2) */
export const sys_statfs = defineSyscall({
  name: "statfs", args: ["path", "ptr"],
  fn: (t, a) => {
    const name = getname(t, a.ptr(0));
    if (typeof name === "number") return name;
    const d = lookupAt(t, AT_FDCWD, name, true);
    return typeof d === "number" ? d : putStatfs(t, d, a.ptr(1));
  },
});

/** fstatfs(2) */
export const sys_fstatfs = defineSyscall({
  name: "fstatfs", args: ["fd", "ptr"],
  fn: (t, a) => {
    const f: OpenFile | undefined | null = t.files.get(a.fd(0));
    return f ? putStatfs(t, f.dentry, a.ptr(1)) : -EBADF;
  },
});

// The old path calls x86-64 keeps (fs/open.c: the *at call at AT_FDCWD).

/** chmod(2) = fchmodat(AT_FDCWD, path, mode) */
export const sys_chmod = defineSyscall({
  name: "chmod", args: ["path", "mode"],
  fn: (t, a, k) => sys_fchmodat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!), k),
});

/** chown(2) = fchownat(AT_FDCWD, path, uid, gid, 0) */
export const sys_chown = defineSyscall({
  name: "chown", args: ["path", "int", "int"],
  fn: (t, a, k) => sys_fchownat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!, a.raw[2]!, 0), k),
});

/** lchown(2) = fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW) */
export const sys_lchown = defineSyscall({
  name: "lchown", args: ["path", "int", "int"],
  fn: (t, a, k) => sys_fchownat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!, a.raw[2]!, AT_SYMLINK_NOFOLLOW), k),
});
