// open(2) (fs/namei.c path_openat, do_open, may_open): the lookup of the last component with
// O_CREAT/O_EXCL/O_NOFOLLOW, creation, the checks on what was found, and O_PATH/O_TMPFILE.

import { EACCES, EEXIST, EINVAL, EISDIR, ELOOP, ENOENT, ENOTDIR, EOPNOTSUPP, EROFS } from "../errno.ts";
import * as O from "../fs/file.ts";
import { OpenFile, type FileOps } from "../fs/file.ts";
import { S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from "../fs/stat.ts";
import type { Task } from "../proc/task.ts";
import { Dentry, readOnlyAt } from "./dentry.ts";
import type { NewInode } from "./inode.ts";
import { isDir, isSymlink, lastStep, lookupAt, lookupChild, lookupParent, MAXSYMLINKS, walkParent, type ParentPath, type Walk } from "./namei.ts";
import { inodePermission, MAY_EXEC, MAY_READ, MAY_WRITE, S_ISGID } from "./perm.ts";
import { pinOpenDir } from "./pwd.ts";
import { fsnotifyInode, fsnotifyName, IN_CREATE, IN_OPEN } from "../fs/fsnotify.ts";

/** The MAY_* access an open asks for (ACC_MODE, plus write for O_TRUNC). */
function accMode(flags: number): number {
  const acc = [MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE, MAY_READ | MAY_WRITE][flags & O.O_ACCMODE]!;
  return flags & O.O_TRUNC ? acc | MAY_WRITE : acc;
}

/** do_filp_open: opens `path` relative to dirfd; the new open file or -errno. */
export function vfsOpen(t: Task, dirfd: number, path: string, flags: number, mode: number): OpenFile | number {
  if ((flags & O.O_TMPFILE) === O.O_TMPFILE) return openTmpfile(t, dirfd, path, flags, mode);
  if (flags & O.O_PATH) return openPath(t, dirfd, path, flags);
  if (flags & O.O_CREAT && flags & O.O_DIRECTORY) return -EINVAL;
  const r = lookupParent(t, dirfd, path);
  if (typeof r === "number") return r;
  let f: OpenFile | number;
  if (!(flags & O.O_CREAT)) {
    const d = lastStep(r.nd, r.p, (flags & O.O_NOFOLLOW) === 0);
    f = typeof d === "number" ? d : openDentry(t, d, flags);
  } else f = openCreate(t, r.nd, r.p, flags, mode);
  if (typeof f !== "number" && f.dentry) fsnotifyInode(f.dentry, f.dentry.inode, IN_OPEN);
  return f;
}

/** The O_CREAT side of open_last_lookups: create, or follow symlinks to what exists. */
function openCreate(t: Task, nd: Walk, p: ParentPath, flags: number, mode: number): OpenFile | number {
  for (;;) {
    if (p.type !== "norm") {
      const d = lastStep(nd, p, true);
      return typeof d === "number" ? d : isDir(d) ? -EISDIR : openDentry(t, d, flags);
    }
    if (p.trailing) return -EISDIR;
    const dir = p.dir;
    if (!isDir(dir)) return -ENOTDIR;
    const search = inodePermission(t.cred, dir.inode, MAY_EXEC);
    if (search < 0) return search;
    const child = lookupChild(t, dir, p.last);
    if (child === -ENOENT) return createFile(t, dir, p.last, flags, mode);
    if (typeof child === "number") return child;
    if (flags & O.O_EXCL) return -EEXIST;
    if (!isSymlink(child)) return openDentry(t, child, flags);
    if (flags & O.O_NOFOLLOW) return -ELOOP;
    if (++nd.links > MAXSYMLINKS) return -ELOOP;
    if (child.inode.getLink) {
      const d = child.inode.getLink(t);
      return typeof d === "number" ? d : openDentry(t, d, flags);
    }
    const target = child.inode.readlink?.(t) ?? -EINVAL;
    if (typeof target === "number") return target;
    if (target === "") return -ENOENT;
    const next = walkParent(nd, dir, target);
    if (typeof next === "number") return next;
    p = next;
  }
}

/** Owner, group and mode of a new inode in dir (a set-group-ID directory passes its group on). */
export function newInodeAttr(t: Task, dir: Dentry, mode: number): NewInode {
  const st = dir.inode.getattr();
  const sgid = typeof st !== "number" && (st.mode & S_ISGID) !== 0;
  return { mode, uid: t.cred.fsuid, gid: sgid && typeof st !== "number" ? st.gid : t.cred.fsgid };
}

/** Permission to add or remove names in dir: EROFS, then write and search on the directory. */
export function mayModifyDir(t: Task, dir: Dentry): number {
  if (readOnlyAt(dir)) return -EROFS;
  return inodePermission(t.cred, dir.inode, MAY_WRITE | MAY_EXEC);
}

function createFile(t: Task, dir: Dentry, name: string, flags: number, mode: number): OpenFile | number {
  const perm = mayModifyDir(t, dir);
  if (perm < 0) return perm;
  const attr = newInodeAttr(t, dir, S_IFREG | (mode & 0o7777 & ~t.fs.umask));
  const opening = flags & ~O.O_TRUNC;
  let f: OpenFile | number;
  if (dir.inode.atomicOpen) f = dir.inode.atomicOpen(t, dir, name, opening, attr);
  else if (dir.inode.create) {
    const inode = dir.inode.create(name, attr);
    if (typeof inode === "number") return inode;
    f = inode.open(t, new Dentry(name, dir, inode, dir.mnt), opening);
  } else return -EACCES;
  if (typeof f === "number") return f;
  if (!f.dentry) {
    const d = lookupChild(t, dir, name);
    if (typeof d !== "number") f.dentry = d;
  }
  fsnotifyName(dir, name, null, IN_CREATE);
  return f;
}

/** do_open + may_open: checks what the lookup found, then opens it. */
export function openDentry(t: Task, d: Dentry, flags: number): OpenFile | number {
  const type = d.inode.mode & S_IFMT;
  if (flags & O.O_CREAT && type === S_IFDIR) return -EISDIR;
  if (flags & O.O_DIRECTORY && type !== S_IFDIR) return -ENOTDIR;
  let acc = accMode(flags);
  switch (type) {
    case S_IFLNK: return -ELOOP;
    case S_IFDIR: if (acc & MAY_WRITE) return -EISDIR; break;
    case S_IFCHR: case S_IFIFO: case S_IFSOCK: flags &= ~O.O_TRUNC; acc = accMode(flags); break;
  }
  // mnt_want_write: a read-only mount refuses what its file system would allow
  if (acc & MAY_WRITE && (type === S_IFREG || type === S_IFDIR || type === S_IFLNK) && !d.detached && d.mnt.readOnly) return -EROFS;
  const perm = inodePermission(t.cred, d.inode, acc);
  if (perm < 0) return perm;
  const f = d.inode.open(t, d, flags);
  if (typeof f === "number") return f;
  if (!f.dentry && !d.detached) f.dentry = d;
  if (type === S_IFDIR && f.dentry === d) pinOpenDir(f, d);
  return f;
}

const pathOps: FileOps = {
  stat: (f) => f.dentry!.inode.getattr(),
};

/** O_PATH: a descriptor that names a place (for *at calls, fstat, fchdir) and opens nothing. */
function openPath(t: Task, dirfd: number, path: string, flags: number): OpenFile | number {
  const d = lookupAt(t, dirfd, path, (flags & O.O_NOFOLLOW) === 0);
  if (typeof d === "number") return d;
  if (flags & O.O_DIRECTORY && !isDir(d)) return -ENOTDIR;
  const f = new OpenFile(pathOps, flags & (O.O_PATH | O.O_DIRECTORY | O.O_NOFOLLOW), d.path);
  f.dentry = d;
  return f;
}

/** O_TMPFILE: an unnamed regular file in the directory `path`. */
function openTmpfile(t: Task, dirfd: number, path: string, flags: number, mode: number): OpenFile | number {
  if ((flags & O.O_ACCMODE) === O.O_RDONLY) return -EINVAL;
  const dir = lookupAt(t, dirfd, path, true);
  if (typeof dir === "number") return dir;
  if (!isDir(dir)) return -ENOTDIR;
  const perm = mayModifyDir(t, dir);
  if (perm < 0) return perm;
  const name = `.#sysemu-tmpfile-${process.pid}-${tmpSeq++}`;
  const f = createFile(t, dir, name, (flags & ~O.O_TMPFILE) | O.O_CREAT | O.O_EXCL, mode);
  if (typeof f === "number") return f === -EACCES ? -EOPNOTSUPP : f;
  dir.inode.unlink?.(name);
  const st = f.ops.stat(f);
  f.dentry = new Dentry(`#${typeof st === "number" ? 0 : st.ino}`, dir, f.dentry?.inode ?? dir.inode, dir.mnt);
  return f;
}

let tmpSeq = 0;
