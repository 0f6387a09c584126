// Attributes (fs/stat.c, fs/open.c, fs/attr.c, fs/utimes.c): stat, access, chmod, chown,
// truncate and utimes, on a dentry or an open file, with their permission rules.

import { accessSync, constants } from "node:fs";
import { EACCES, EINVAL, EISDIR, EOPNOTSUPP, EPERM, EROFS } from "../errno.ts";
import type { OpenFile } from "../fs/file.ts";
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, type KStat } from "../fs/stat.ts";
import type { Cred, Task } from "../proc/task.ts";
import { readOnlyAt, type Dentry } from "./dentry.ts";
import { hostCall, HostInode } from "./hostfs.ts";
import type { Inode, SetAttr, TimeSpec } from "./inode.ts";
import { fsnotifyInode, IN_ATTRIB, IN_MODIFY } from "../fs/fsnotify.ts";
import { inGroup, inodePermission, MAY_WRITE, modePermission, S_ISGID, S_ISUID } from "./perm.ts";

/** What a setattr is applied to: a dentry's inode, or an open file (which may have no dentry). */
export type Target = { inode: Inode; file: OpenFile | null; dentry?: Dentry };

/** Whether a setattr on target fails with EROFS: its file system or the mount it was reached by. */
function targetReadOnly(target: Target): boolean {
  const d = target.dentry ?? target.file?.dentry;
  return target.inode.sb.readOnly || (d !== undefined && d !== null && !d.detached && d.mnt.readOnly);
}

/** The target for a dentry. */
export function dentryTarget(d: Dentry): Target {
  return { inode: d.inode, file: null, dentry: d };
}

/** The target for an open file: its own operations first, its dentry's inode otherwise. */
export function fileTarget(f: OpenFile): Target | number {
  const inode = f.dentry?.inode ?? anonInode(f);
  return { inode, file: f };
}

function anonInode(f: OpenFile): Inode {
  const st = f.ops.stat(f);
  return {
    sb: { type: "anon", dev: 0n, readOnly: false, hostDecides: () => true },
    mode: typeof st === "number" ? 0 : st.mode,
    getattr: () => f.ops.stat(f),
    open: () => f,
  };
}

function attrs(target: Target): KStat | number {
  return target.file ? target.file.ops.stat(target.file) : target.inode.getattr();
}

function apply(target: Target, attr: SetAttr): number {
  if (targetReadOnly(target)) return -EROFS;
  let r: number;
  if (target.file?.ops.setattr) r = target.file.ops.setattr(target.file, attr);
  else r = target.inode.setattr ? target.inode.setattr(attr) : -EPERM;
  // fsnotify_change: a new size is a modification, the rest attributes
  if (r === 0) fsnotifyInode(target.file?.dentry ?? target.dentry ?? null, target.inode, attr.size !== undefined ? IN_MODIFY : IN_ATTRIB);
  return r;
}

function ownerOrCapable(cred: Cred, target: Target): boolean {
  if (cred.fsuid === 0 || target.inode.sb.hostDecides(cred)) return true;
  const st = attrs(target);
  return typeof st !== "number" && st.uid === cred.fsuid;
}

/** chmod: the owner or root; a set-group-ID bit for a group one is not in is dropped. */
export function vfsChmod(t: Task, target: Target, mode: number): number {
  if ((target.inode.mode & S_IFMT) === S_IFLNK) return -EOPNOTSUPP; // fchmodat2(AT_SYMLINK_NOFOLLOW) on a link
  if (targetReadOnly(target)) return -EROFS;
  if (!ownerOrCapable(t.cred, target)) return -EPERM;
  const st = attrs(target);
  if (typeof st === "number") return st;
  let m = mode & 0o7777;
  if (t.cred.fsuid !== 0 && !target.inode.sb.hostDecides(t.cred) && !inGroup(t.cred, st.gid)) m &= ~S_ISGID;
  return apply(target, { mode: m });
}

/** chown: root any; the owner only to a group of its own, keeping its uid. -1 keeps a value. */
export function vfsChown(t: Task, target: Target, uid: number, gid: number): number {
  if (targetReadOnly(target)) return -EROFS;
  const st = attrs(target);
  if (typeof st === "number") return st;
  const attr: SetAttr = {};
  if (uid !== -1) attr.uid = uid;
  if (gid !== -1) attr.gid = gid;
  const c = t.cred;
  if (c.fsuid !== 0 && !target.inode.sb.hostDecides(c)) {
    if (attr.uid !== undefined && attr.uid !== st.uid) return -EPERM;
    if (attr.gid !== undefined && attr.gid !== st.gid && (st.uid !== c.fsuid || !inGroup(c, attr.gid))) return -EPERM;
    if (st.uid !== c.fsuid && (attr.uid !== undefined || attr.gid !== undefined)) return -EPERM;
  }
  // a chown by anyone clears set-user-ID, and set-group-ID with group-execute (should_remove_suid)
  if ((st.mode & S_IFMT) === S_IFREG && st.mode & (S_ISUID | S_ISGID) && (attr.uid !== undefined || attr.gid !== undefined)) {
    const keep = st.mode & S_ISGID && (st.mode & 0o010) === 0 ? S_ISGID : 0;
    attr.mode = (st.mode & 0o7777 & ~(S_ISUID | S_ISGID)) | keep;
  }
  return apply(target, attr);
}

/** truncate/ftruncate: a regular file we may write to; EISDIR for a directory. */
export function vfsTruncate(t: Task, target: Target, length: number, checkWrite: boolean): number {
  if (length < 0) return -EINVAL;
  const type = target.inode.mode & S_IFMT;
  if (type === S_IFDIR) return -EISDIR;
  if (type !== S_IFREG) return -EINVAL;
  if (checkWrite) {
    const perm = inodePermission(t.cred, target.inode, MAY_WRITE);
    if (perm < 0) return perm;
  } else if (targetReadOnly(target)) return -EROFS;
  return apply(target, { size: length });
}

/** utimensat: explicit times need the owner (or root); "now" for both needs write access. */
export function vfsUtimes(t: Task, target: Target, atime: TimeSpec, mtime: TimeSpec): number {
  if (targetReadOnly(target)) return -EROFS;
  if (atime === undefined && mtime === undefined) return 0;
  const explicit = (atime !== undefined && atime !== "now") || (mtime !== undefined && mtime !== "now");
  if (!ownerOrCapable(t.cred, target)) {
    if (explicit) return -EPERM;
    const perm = inodePermission(t.cred, target.inode, MAY_WRITE);
    if (perm < 0) return perm === -EROFS ? perm : -EACCES;
  }
  return apply(target, { atime, mtime });
}

/** faccessat2: checks as the real uid/gid (or the effective ones with AT_EACCESS). */
export function vfsAccess(t: Task, d: Dentry, mode: number, effective: boolean): number {
  if (mode === 0) return 0;
  const c = t.cred;
  const cred: Cred = effective ? c : { ...c, fsuid: c.uid, fsgid: c.gid };
  const type = d.inode.mode & S_IFMT;
  if (mode & MAY_WRITE && readOnlyAt(d) && (type === S_IFREG || type === S_IFDIR || type === S_IFLNK)) return -EROFS;
  if (type === S_IFLNK) return 0;
  if (d.inode instanceof HostInode && d.inode.sb.hostDecides(cred)) {
    const inode = d.inode;
    const C = constants;
    const host = (mode & 4 ? C.R_OK : 0) | (mode & 2 ? C.W_OK : 0) | (mode & 1 ? C.X_OK : 0);
    const r = hostCall(() => accessSync(inode.host, host));
    return typeof r === "number" ? r : 0;
  }
  const st = d.inode.getattr();
  if (typeof st === "number") return st;
  return modePermission(cred, st.mode, st.uid, st.gid, mode);
}
