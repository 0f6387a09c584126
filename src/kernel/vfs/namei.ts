// Path lookup in the guest's view (fs/namei.c): a component-by-component walk from the task's
// root or working directory, over sysemu's own dentries. `..` is a step up the dentry chain and
// stops at the root; symlinks are read and followed here (absolute ones from the root,
// relative ones from their directory; 40 in one lookup give ELOOP), so nothing the guest names
// can lead outside the root the walk started from.

import { EBADF, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR } from "../errno.ts";
import { S_IFDIR, S_IFLNK, S_IFMT } from "../fs/stat.ts";
import type { Task } from "../proc/task.ts";
import { childPath, Dentry } from "./dentry.ts";
import { inodePermission, MAY_EXEC } from "./perm.ts";
import { DirRef, fileDentry } from "./pwd.ts";

export const AT_FDCWD = -100;
export const PATH_MAX = 4096, NAME_MAX = 255, MAXSYMLINKS = 40;

/** struct nameidata: one lookup's task, root and count of symlinks followed. */
export interface Walk {
  t: Task;
  root: Dentry;
  links: number;
}

/** The kind of the last component (LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT). */
export type LastType = "norm" | "dot" | "dotdot" | "root";

/** A looked-up parent directory and the last component's name, for calls that create/remove. */
export interface ParentPath {
  dir: Dentry;
  last: string;
  type: LastType;
  /** The path ended in "/": the last component must be (or become) a directory. */
  trailing: boolean;
}

export function isDir(d: Dentry): boolean {
  return (d.inode.mode & S_IFMT) === S_IFDIR;
}

export function isSymlink(d: Dentry): boolean {
  return (d.inode.mode & S_IFMT) === S_IFLNK;
}

/**
 * The task's working directory as a dentry, where the directory is now. FsContext.cwd is the
 * path it was set by; a DirRef made from that path holds the directory itself (vfs/pwd.ts).
 * A cwd assigned as a bare path (start-up, tests) is looked up and pinned on first use.
 */
export function cwdOf(t: Task): Dentry | number {
  const pwd = t.fs.pwd;
  if (pwd && pwd.hint === t.fs.cwd) return pwd.current();
  const root = t.kernel.vfs.root;
  const d = walk({ t, root, links: 0 }, root, t.fs.cwd, true);
  if (typeof d !== "number") t.fs.pwd = new DirRef(d, t.fs.cwd);
  return d;
}

/** set_fs_pwd: makes d the working directory (a reference to it, not to its path). */
export function setCwd(t: Task, d: Dentry): void {
  t.fs.cwd = d.path;
  t.fs.pwd = new DirRef(d, d.path);
}

/** d_path of the working directory: where it is now, and whether it has been removed. */
export function cwdPath(t: Task): { path: string; deleted: boolean } | number {
  const pwd = t.fs.pwd;
  if (pwd && pwd.hint === t.fs.cwd) return pwd.path();
  const d = cwdOf(t);
  return typeof d === "number" ? d : t.fs.pwd!.path();
}

/** Where a relative lookup starts: the cwd, or the directory open at dirfd. */
export function startAt(t: Task, dirfd: number): Dentry | number {
  if (dirfd === AT_FDCWD) return cwdOf(t);
  const f = t.files.get(dirfd);
  if (!f) return -EBADF;
  const d = fileDentry(f);
  if (!d || !isDir(d)) return -ENOTDIR;
  return d;
}

/**
 * The root a lookup of `path` starts from: --sysroot's when the path is absolute and exists
 * below it (qemu-user's -L rule), the task's otherwise.
 */
function rootFor(t: Task, path: string): Dentry {
  const vfs = t.kernel.vfs;
  if (vfs.sysroot && path.startsWith("/")) {
    const sys = vfs.sysroot;
    if (typeof walk({ t, root: sys, links: 0 }, sys, path, false) !== "number") return sys;
  }
  return vfs.root;
}

/** A fresh lookup context and starting dentry for `path` relative to dirfd. */
export function beginWalk(t: Task, dirfd: number, path: string): { nd: Walk; start: Dentry } | number {
  if (path === "") return -ENOENT;
  if (path.length >= PATH_MAX) return -ENAMETOOLONG;
  const root = rootFor(t, path);
  const start = path.startsWith("/") ? root : startAt(t, dirfd);
  if (typeof start === "number") return start;
  return { nd: { t, root, links: 0 }, start };
}

/** user_path_at: the dentry `path` names, following a final symlink when `follow`. */
export function lookupAt(t: Task, dirfd: number, path: string, follow: boolean): Dentry | number {
  const b = beginWalk(t, dirfd, path);
  if (typeof b === "number") return b;
  return walk(b.nd, b.start, path, follow);
}

/** The parent directory of `path` and its last component (filename_parentat). */
export function lookupParent(t: Task, dirfd: number, path: string): { nd: Walk; p: ParentPath } | number {
  const b = beginWalk(t, dirfd, path);
  if (typeof b === "number") return b;
  const p = walkParent(b.nd, b.start, path);
  return typeof p === "number" ? p : { nd: b.nd, p };
}

/** Walks `path` from `start`; the final symlink is followed when `follow` (or a "/" ends it). */
export function walk(nd: Walk, start: Dentry, path: string, follow: boolean): Dentry | number {
  const p = walkParent(nd, start, path);
  return typeof p === "number" ? p : lastStep(nd, p, follow);
}

/** Resolves every component but the last. */
export function walkParent(nd: Walk, start: Dentry, path: string): ParentPath | number {
  if (path === "") return -ENOENT;
  let cur = path.startsWith("/") ? nd.root : start;
  const names = path.split("/").filter((c) => c !== "");
  if (names.length === 0) return { dir: cur, last: "", type: "root", trailing: false };
  for (let i = 0; i < names.length - 1; i++) {
    const next = step(nd, cur, names[i]!, true);
    if (typeof next === "number") return next;
    cur = next;
  }
  // link_path_walk ends on the last component's parent: it must be a searchable directory
  if (!isDir(cur)) return -ENOTDIR;
  const perm = inodePermission(nd.t.cred, cur.inode, MAY_EXEC);
  if (perm < 0) return perm;
  const last = names[names.length - 1]!;
  const type: LastType = last === "." ? "dot" : last === ".." ? "dotdot" : "norm";
  return { dir: cur, last, type, trailing: path.endsWith("/") };
}

/** The dentry of a parent path's last component. */
export function lastStep(nd: Walk, p: ParentPath, follow: boolean): Dentry | number {
  if (p.type === "root") return p.dir;
  const d = step(nd, p.dir, p.last, follow || p.trailing);
  if (typeof d === "number") return d;
  if (p.trailing && !isDir(d)) return -ENOTDIR;
  return d;
}

/** One component: search permission on dir, then ".", "..", or a name (following symlinks). */
function step(nd: Walk, dir: Dentry, name: string, follow: boolean): Dentry | number {
  if (!isDir(dir)) return -ENOTDIR;
  const perm = inodePermission(nd.t.cred, dir.inode, MAY_EXEC);
  if (perm < 0) return perm;
  if (name === ".") return dir;
  if (name === "..") return dir.parent === null || dir.path === nd.root.path ? dir : dir.parent;
  const child = lookupChild(nd.t, dir, name);
  if (typeof child === "number" || !follow || !isSymlink(child)) return child;
  return followLink(nd, dir, child);
}

/** The child `name` of dir, or the root of a file system mounted there. */
export function lookupChild(t: Task, dir: Dentry, name: string): Dentry | number {
  if (name.length > NAME_MAX) return -ENAMETOOLONG;
  const m = t.kernel.vfs.mounts.get(childPath(dir.path, name));
  if (m && m.path !== "/") return new Dentry(name, dir, m.root, m);
  if (!dir.inode.lookup) return -ENOTDIR;
  const inode = dir.inode.lookup(name, t);
  if (typeof inode === "number") return inode;
  return new Dentry(name, dir, inode, dir.mnt);
}

/** Follows the symlink `link` found in `dir`. */
export function followLink(nd: Walk, dir: Dentry, link: Dentry): Dentry | number {
  if (++nd.links > MAXSYMLINKS) return -ELOOP;
  if (link.inode.getLink) return link.inode.getLink(nd.t);
  if (!link.inode.readlink) return -ELOOP;
  const target = link.inode.readlink(nd.t);
  if (typeof target === "number") return target;
  if (target === "") return -ENOENT;
  return walk(nd, dir, target, true);
}
