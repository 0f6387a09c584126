// Calls that change the namespace (fs/namei.c): mkdir, symlink, link, unlink, rmdir, rename,
// and readlink. Each does its lookups, then Linux's checks in Linux's order (the errno a program
// sees depends on it), then asks the file system.

import { EBUSY, EEXIST, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, EPERM, EROFS, EXDEV } from "../errno.ts";
import { S_IFDIR } from "../fs/stat.ts";
import type { Task } from "../proc/task.ts";
import { readOnlyAt, type Dentry } from "./dentry.ts";
import { RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT } from "./hostfs.ts";
import { isDir, isSymlink, lookupChild, lookupParent, type ParentPath } from "./namei.ts";
import { mayModifyDir, newInodeAttr } from "./open.ts";
import { inodePermission, MAY_EXEC, MAY_WRITE, stickyCheck } from "./perm.ts";
import { fsnotifyActive, fsnotifyInode, fsnotifyKey, fsnotifyMove, fsnotifyName, IN_ATTRIB, IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_ISDIR, inodeKey } from "../fs/fsnotify.ts";

/** filename_create: the directory and name for a new entry, or EEXIST/ENOENT/EROFS/EACCES. */
export function prepareCreate(t: Task, dirfd: number, path: string, wantDir: boolean): { dir: Dentry; name: string } | number {
  const r = lookupParent(t, dirfd, path);
  if (typeof r === "number") return r;
  const { dir, last, type, trailing } = r.p;
  if (type !== "norm") return -EEXIST;
  if (!isDir(dir)) return -ENOTDIR;
  const search = inodePermission(t.cred, dir.inode, MAY_EXEC);
  if (search < 0) return search;
  const child = lookupChild(t, dir, last);
  if (typeof child !== "number") return -EEXIST;
  if (child !== -ENOENT) return child;
  if (trailing && !wantDir) return -ENOENT;
  const perm = mayModifyDir(t, dir);
  return perm < 0 ? perm : { dir, name: last };
}

/** mkdirat(2) */
export function vfsMkdir(t: Task, dirfd: number, path: string, mode: number): number {
  const c = prepareCreate(t, dirfd, path, true);
  if (typeof c === "number") return c;
  if (!c.dir.inode.mkdir) return -EPERM;
  const r = c.dir.inode.mkdir(c.name, newInodeAttr(t, c.dir, S_IFDIR | (mode & 0o1777 & ~t.fs.umask)));
  if (typeof r === "number") return r;
  fsnotifyName(c.dir, c.name, null, IN_CREATE | IN_ISDIR);
  return 0;
}

/** symlinkat(2) */
export function vfsSymlink(t: Task, target: string, dirfd: number, path: string): number {
  if (target === "") return -ENOENT;
  const c = prepareCreate(t, dirfd, path, false);
  if (typeof c === "number") return c;
  if (!c.dir.inode.symlink) return -EPERM;
  const r = c.dir.inode.symlink(c.name, target, newInodeAttr(t, c.dir, 0o777));
  if (typeof r === "number") return r;
  fsnotifyName(c.dir, c.name, null, IN_CREATE);
  return 0;
}

/** linkat(2), given the existing file's dentry. */
export function vfsLink(t: Task, old: Dentry, dirfd: number, path: string): number {
  const c = prepareCreate(t, dirfd, path, false);
  if (typeof c === "number") return c;
  if (old.mnt !== c.dir.mnt || old.detached) return -EXDEV;
  if (isDir(old)) return -EPERM;
  if (!c.dir.inode.link) return -EPERM;
  const r = c.dir.inode.link(c.name, old.inode);
  if (r === 0) {
    fsnotifyInode(null, old.inode, IN_ATTRIB);
    fsnotifyName(c.dir, c.name, old.inode, IN_CREATE);
  }
  return r;
}

/** may_delete: may t remove `victim` from `dir`, as a directory (rmdir) or not (unlink)? */
function mayDelete(t: Task, dir: Dentry, victim: Dentry, asDir: boolean): number {
  const perm = inodePermission(t.cred, dir.inode, MAY_WRITE | MAY_EXEC);
  if (perm < 0) return perm;
  const sticky = stickyCheck(t.cred, dir.inode, victim.inode);
  if (sticky < 0) return sticky;
  if (asDir && !isDir(victim)) return -ENOTDIR;
  if (!asDir && isDir(victim)) return -EISDIR;
  if (victim.mnt !== dir.mnt) return -EBUSY; // a mount point
  return 0;
}

/** The parent path of a removal, with EROFS checked before the last lookup as Linux does. */
function removalParent(t: Task, dirfd: number, path: string): ParentPath | number {
  const r = lookupParent(t, dirfd, path);
  if (typeof r === "number") return r;
  return r.p;
}

/** unlinkat(2) without AT_REMOVEDIR. */
export function vfsUnlink(t: Task, dirfd: number, path: string): number {
  const p = removalParent(t, dirfd, path);
  if (typeof p === "number") return p;
  if (p.type !== "norm") return -EISDIR;
  if (!isDir(p.dir)) return -ENOTDIR;
  if (readOnlyAt(p.dir)) return -EROFS;
  const victim = lookupChild(t, p.dir, p.last);
  if (typeof victim === "number") return victim;
  if (p.trailing) return isDir(victim) ? -EISDIR : -ENOTDIR;
  const ok = mayDelete(t, p.dir, victim, false);
  if (ok < 0) return ok;
  if (!p.dir.inode.unlink) return -EPERM;
  const key = fsnotifyActive() ? inodeKey(victim.inode) : null;
  const r = p.dir.inode.unlink(p.last);
  if (r === 0 && key !== null) {
    fsnotifyKey(key, IN_ATTRIB);
    fsnotifyName(p.dir, p.last, null, IN_DELETE);
    const st = victim.inode.getattr();
    if (typeof st === "number" || st.nlink === 0) fsnotifyKey(key, IN_DELETE_SELF);
  }
  return r;
}

/** unlinkat(2) with AT_REMOVEDIR (rmdir). */
export function vfsRmdir(t: Task, dirfd: number, path: string): number {
  const p = removalParent(t, dirfd, path);
  if (typeof p === "number") return p;
  if (p.type === "dotdot") return -ENOTEMPTY;
  if (p.type === "dot") return -EINVAL;
  if (p.type === "root") return -EBUSY;
  if (!isDir(p.dir)) return -ENOTDIR;
  if (readOnlyAt(p.dir)) return -EROFS;
  const victim = lookupChild(t, p.dir, p.last);
  if (typeof victim === "number") return victim;
  const ok = mayDelete(t, p.dir, victim, true);
  if (ok < 0) return ok;
  if (!p.dir.inode.rmdir) return -EPERM;
  const key = fsnotifyActive() ? inodeKey(victim.inode) : null;
  const r = p.dir.inode.rmdir(p.last);
  if (r === 0 && key !== null) {
    fsnotifyName(p.dir, p.last, null, IN_DELETE | IN_ISDIR);
    fsnotifyKey(key, IN_DELETE_SELF);
  }
  return r;
}

/** renameat2(2) */
export function vfsRename(t: Task, olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number): number {
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -EINVAL;
  if (flags & RENAME_EXCHANGE && flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) return -EINVAL;
  if (flags & RENAME_WHITEOUT) return -EINVAL; // no overlay file systems here
  const ro = lookupParent(t, olddirfd, oldpath);
  if (typeof ro === "number") return ro;
  const rn = lookupParent(t, newdirfd, newpath);
  if (typeof rn === "number") return rn;
  const [op, np] = [ro.p, rn.p];
  if (op.dir.mnt !== np.dir.mnt) return -EXDEV;
  if (op.type !== "norm") return -EBUSY;
  if (np.type !== "norm") return flags & RENAME_NOREPLACE ? -EEXIST : -EBUSY;
  if (!isDir(op.dir) || !isDir(np.dir)) return -ENOTDIR;
  if (readOnlyAt(op.dir)) return -EROFS;
  const oldD = lookupChild(t, op.dir, op.last);
  if (typeof oldD === "number") return oldD;
  const newD = lookupChild(t, np.dir, np.last);
  if (typeof newD === "number" && newD !== -ENOENT) return newD;
  const target = typeof newD === "number" ? null : newD;
  if (!target && flags & RENAME_EXCHANGE) return -ENOENT;
  if (target && flags & RENAME_NOREPLACE) return -EEXIST;
  const slashes = trailingError(oldD, target, op.trailing, np.trailing, (flags & RENAME_EXCHANGE) !== 0);
  if (slashes < 0) return slashes;
  if (np.dir.isAtOrBelow(oldD)) return -EINVAL; // into itself
  if (target && op.dir.isAtOrBelow(target)) return flags & RENAME_EXCHANGE ? -EINVAL : -ENOTEMPTY;
  const checks = renameChecks(t, op.dir, oldD, np.dir, target, flags);
  if (checks !== 1) return checks;
  if (!op.dir.inode.rename) return -EPERM;
  const keys = fsnotifyActive() ? [inodeKey(oldD.inode), target ? inodeKey(target.inode) : null] : null;
  const r = op.dir.inode.rename(op.last, np.dir.inode, np.last, flags);
  if (r === 0 && keys) fsnotifyMove(op.dir, op.last, np.dir, np.last, isDir(oldD), keys[0]!, flags & RENAME_EXCHANGE ? null : keys[1]!);
  return r;
}

function trailingError(oldD: Dentry, target: Dentry | null, oldSlash: boolean, newSlash: boolean, exchange: boolean): number {
  if (exchange) {
    if ((oldSlash && !isDir(oldD)) || (newSlash && target && !isDir(target))) return -ENOTDIR;
    return 0;
  }
  if (!isDir(oldD) && (oldSlash || newSlash)) return -ENOTDIR;
  return 0;
}

/** vfs_rename's permission and type checks; 1 to go on, 0 when there is nothing to do. */
function renameChecks(t: Task, oldDir: Dentry, oldD: Dentry, newDir: Dentry, target: Dentry | null, flags: number): number {
  const srcIsDir = isDir(oldD);
  if (target && sameInode(oldD, target)) return 0;
  let r = mayDelete(t, oldDir, oldD, srcIsDir);
  if (r < 0) return r;
  if (target) {
    r = mayDelete(t, newDir, target, flags & RENAME_EXCHANGE ? isDir(target) : srcIsDir);
    if (r < 0) return r;
  } else {
    r = mayModifyDir(t, newDir);
    if (r < 0) return r;
  }
  // a directory moving to another parent rewrites its "..": that needs write access to it
  if (srcIsDir && newDir.path !== oldDir.path) {
    r = inodePermission(t.cred, oldD.inode, MAY_WRITE);
    if (r < 0) return r;
  }
  return 1;
}

function sameInode(a: Dentry, b: Dentry): boolean {
  const x = a.inode.getattr(), y = b.inode.getattr();
  return typeof x !== "number" && typeof y !== "number" && x.dev === y.dev && x.ino === y.ino;
}

/** readlinkat(2) on a dentry: the target text, or EINVAL for something that is not a link. */
export function vfsReadlink(t: Task, d: Dentry): string | number {
  if (!isSymlink(d) || !d.inode.readlink) return -EINVAL;
  return d.inode.readlink(t);
}
