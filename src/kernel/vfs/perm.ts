// Permission checks (fs/namei.c generic_permission, inode_permission, may_delete) by the
// task's fsuid/fsgid. Host files are checked by the host kernel when the guest runs as the
// host user; with --uid/--gid naming someone else, the host's mode bits are checked here first
// against the guest's credentials (and the host still has the last word).

import { EACCES, EPERM, EROFS } from "../errno.ts";
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "../fs/stat.ts";
import type { Cred } from "../proc/task.ts";
import type { Inode } from "./inode.ts";

export const MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4;
export const S_ISVTX = 0o1000, S_ISGID = 0o2000, S_ISUID = 0o4000;

/** Whether `cred` is in group `gid` (fsgid or a supplementary group). */
export function inGroup(cred: Cred, gid: number): boolean {
  return cred.fsgid === gid || cred.groups.includes(gid);
}

/** generic_permission: 0 or -EACCES for a mode/uid/gid triple. */
export function modePermission(cred: Cred, mode: number, uid: number, gid: number, mask: number): number {
  if (cred.fsuid === 0) {
    // CAP_DAC_OVERRIDE: everything, except executing a file nobody may execute
    if (mask & MAY_EXEC && (mode & S_IFMT) !== S_IFDIR && (mode & 0o111) === 0) return -EACCES;
    return 0;
  }
  const bits = cred.fsuid === uid ? (mode >> 6) & 7 : inGroup(cred, gid) ? (mode >> 3) & 7 : mode & 7;
  return (mask & 7 & ~bits) === 0 ? 0 : -EACCES;
}

/** inode_permission: EROFS for writes to a read-only mount, then the mode bits. */
export function inodePermission(cred: Cred, inode: Inode, mask: number): number {
  const type = inode.mode & S_IFMT;
  if (mask & MAY_WRITE && inode.sb.readOnly && (type === S_IFREG || type === S_IFDIR || type === S_IFLNK)) return -EROFS;
  if (inode.sb.hostDecides(cred)) return 0;
  const st = inode.getattr();
  if (typeof st === "number") return st;
  return modePermission(cred, st.mode, st.uid, st.gid, mask);
}

/** may_delete's sticky-directory rule: in a +t directory only the owners (or root) may remove. */
export function stickyCheck(cred: Cred, dir: Inode, victim: Inode): number {
  if (cred.fsuid === 0 || dir.sb.hostDecides(cred)) return 0;
  const ds = dir.getattr();
  const vs = victim.getattr();
  if (typeof ds === "number" || typeof vs === "number") return 0;
  if ((ds.mode & S_ISVTX) === 0 || vs.uid === cred.fsuid || ds.uid === cred.fsuid) return 0;
  return -EPERM;
}
