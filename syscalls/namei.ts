// System calls that add, remove and rename names (fs/namei.c): mkdirat, mknodat, unlinkat,
// renameat2, symlinkat, linkat, readlinkat. They decode their arguments and call src/kernel/vfs/ops.ts.

import { EFAULT, EINVAL, ENOENT } from "../src/kernel/errno.ts";
import { vfsLink, vfsMkdir, vfsReadlink, vfsRename, vfsRmdir, vfsSymlink, vfsUnlink } from "../src/kernel/vfs/ops.ts";
import { vfsMknod } from "../src/kernel/vfs/mknod.ts";
import { encodeName } from "../src/kernel/vfs/filename.ts";
import { copy_to_user } from "../src/mm/uaccess.ts";
import { atTarget, AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, getname } from "./fs.ts";
import { argsOf } from "./args.ts";
import { AT_FDCWD } from "../src/kernel/vfs/namei.ts";
import { defineSyscall } from "./types.ts";

/** mkdirat(2) */
export const sys_mkdirat = defineSyscall({
  name: "mkdirat", args: ["dirfd", "path", "mode"],
  fn: (t, a) => {
    const path = getname(t, a.ptr(1));
    return typeof path === "number" ? path : vfsMkdir(t, a.fd(0), path, a.uint(2));
  },
});

/** mknodat(2): FIFOs, sockets and regular files; device nodes EPERM (even for root) */
export const sys_mknodat = defineSyscall({
  name: "mknodat", args: ["dirfd", "path", "mode", "hex"],
  fn: (t, a) => {
    const path = getname(t, a.ptr(1));
    return typeof path === "number" ? path : vfsMknod(t, a.fd(0), path, a.uint(2), a.uint(3));
  },
});

/** unlinkat(2): unlink, or rmdir with AT_REMOVEDIR */
export const sys_unlinkat = defineSyscall({
  name: "unlinkat", args: ["dirfd", "path", "atflags"],
  fn: (t, a) => {
    const flags = a.int(2);
    if (flags & ~AT_REMOVEDIR) return -EINVAL;
    const path = getname(t, a.ptr(1));
    if (typeof path === "number") return path;
    return flags & AT_REMOVEDIR ? vfsRmdir(t, a.fd(0), path) : vfsUnlink(t, a.fd(0), path);
  },
});

/** renameat2(2): RENAME_NOREPLACE and RENAME_EXCHANGE (not atomic on host directories) */
export const sys_renameat2 = defineSyscall({
  name: "renameat2", args: ["dirfd", "path", "dirfd", "path", "rename_flags"],
  fn: (t, a) => {
    const from = getname(t, a.ptr(1));
    if (typeof from === "number") return from;
    const to = getname(t, a.ptr(3));
    if (typeof to === "number") return to;
    return vfsRename(t, a.fd(0), from, a.fd(2), to, a.uint(4));
  },
});

/** symlinkat(2): the target is stored as given and resolved only inside the guest's view */
export const sys_symlinkat = defineSyscall({
  name: "symlinkat", args: ["str", "dirfd", "path"],
  fn: (t, a) => {
    const target = getname(t, a.ptr(0));
    if (typeof target === "number") return target;
    const path = getname(t, a.ptr(2));
    return typeof path === "number" ? path : vfsSymlink(t, target, a.fd(1), path);
  },
});

/** linkat(2) */
export const sys_linkat = defineSyscall({
  name: "linkat", args: ["dirfd", "path", "dirfd", "path", "atflags"],
  fn: (t, a) => {
    const flags = a.int(4);
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    const from = getname(t, a.ptr(1));
    if (typeof from === "number") return from;
    const to = getname(t, a.ptr(3));
    if (typeof to === "number") return to;
    const old = atTarget(t, a.fd(0), from, flags, (flags & AT_SYMLINK_FOLLOW) !== 0);
    if (typeof old === "number") return old;
    if (!old.d) return -ENOENT; // a pipe has no name to link to
    return vfsLink(t, old.d, a.fd(2), to);
  },
});

/** readlinkat(2): /proc/self/exe and friends answer through procfs like any symlink */
export const sys_readlinkat = defineSyscall({
  name: "readlinkat", args: ["dirfd", "path", "buf_out", "size"],
  fn: (t, a) => {
    const size = a.size(3);
    if (size <= 0 || size > 0x7fffffff) return -EINVAL;
    const name = getname(t, a.ptr(1));
    if (typeof name === "number") return name;
    const target = atTarget(t, a.fd(0), name, AT_EMPTY_PATH, false);
    if (typeof target === "number") return target;
    if (!target.d) return -ENOENT;
    const text = vfsReadlink(t, target.d);
    if (typeof text === "number") return name === "" && text === -EINVAL ? -ENOENT : text;
    const bytes = encodeName(text).subarray(0, size);
    return copy_to_user(t.mm, a.ptr(2), bytes) ? -EFAULT : bytes.length;
  },
});

// The old path calls x86-64 keeps (fs/namei.c defines each as its *at call at AT_FDCWD).

/** mkdir(2) = mkdirat(AT_FDCWD, path, mode) */
export const sys_mkdir = defineSyscall({
  name: "mkdir", args: ["path", "mode"],
  fn: (t, a, k) => sys_mkdirat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!), k),
});

/** mknod(2) = mknodat(AT_FDCWD, path, mode, dev) */
export const sys_mknod = defineSyscall({
  name: "mknod", args: ["path", "mode", "hex"],
  fn: (t, a, k) => sys_mknodat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!, a.raw[2]!), k),
});

/** rmdir(2) = unlinkat(AT_FDCWD, path, AT_REMOVEDIR) */
export const sys_rmdir = defineSyscall({
  name: "rmdir", args: ["path"],
  fn: (t, a, k) => sys_unlinkat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, AT_REMOVEDIR), k),
});

/** unlink(2) = unlinkat(AT_FDCWD, path, 0) */
export const sys_unlink = defineSyscall({
  name: "unlink", args: ["path"],
  fn: (t, a, k) => sys_unlinkat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, 0), k),
});

/** rename(2) = renameat2(AT_FDCWD, old, AT_FDCWD, new, 0) */
export const sys_rename = defineSyscall({
  name: "rename", args: ["path", "path"],
  fn: (t, a, k) => sys_renameat2.fn(t, argsOf(AT_FDCWD, a.raw[0]!, AT_FDCWD, a.raw[1]!, 0), k),
});

/** renameat(2) = renameat2(..., 0) */
export const sys_renameat = defineSyscall({
  name: "renameat", args: ["dirfd", "path", "dirfd", "path"],
  fn: (t, a, k) => sys_renameat2.fn(t, argsOf(a.raw[0]!, a.raw[1]!, a.raw[2]!, a.raw[3]!, 0), k),
});

/** symlink(2) = symlinkat(target, AT_FDCWD, path) */
export const sys_symlink = defineSyscall({
  name: "symlink", args: ["str", "path"],
  fn: (t, a, k) => sys_symlinkat.fn(t, argsOf(a.raw[0]!, AT_FDCWD, a.raw[1]!), k),
});

/** link(2) = linkat(AT_FDCWD, old, AT_FDCWD, new, 0) */
export const sys_link = defineSyscall({
  name: "link", args: ["path", "path"],
  fn: (t, a, k) => sys_linkat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, AT_FDCWD, a.raw[1]!, 0), k),
});

/** readlink(2) = readlinkat(AT_FDCWD, path, buf, size) */
export const sys_readlink = defineSyscall({
  name: "readlink", args: ["path", "buf_out", "size"],
  fn: (t, a, k) => sys_readlinkat.fn(t, argsOf(AT_FDCWD, a.raw[0]!, a.raw[1]!, a.raw[2]!), k),
});
