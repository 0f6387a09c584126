// struct inode and struct super_block as sysemu's file systems (hostfs, tmpfs, proc, devfs)
// implement them. An inode is the file itself; dentries (dentry.ts) name it. Operations a file
// system lacks fail the way Linux fails them when the inode_operations slot is empty.

import type { KStat } from "../fs/stat.ts";
import type { OpenFile } from "../fs/file.ts";
import type { Cred, Task } from "../proc/task.ts";
import type { Dentry } from "./dentry.ts";

/** struct super_block: one mounted instance of a file system. */
export interface SuperBlock {
  /** The type name /proc/mounts shows: "hostfs", "tmpfs", "proc", "devtmpfs". */
  readonly type: string;
  /** The device number its inodes report as st_dev (0 for hostfs: it reports the host's). */
  readonly dev: bigint;
  /** Mounted read-only (--ro): every modification fails with EROFS. */
  readonly readOnly: boolean;
  /** True when the host kernel checks permissions for this cred (hostfs run as its owner). */
  hostDecides(cred: Cred): boolean;
}

/** One directory entry as getdents64 reports it; `off` is a cookie stable across changes. */
export interface DirEntry {
  name: string;
  ino: bigint;
  /** DT_* type (the S_IFMT bits >> 12). */
  type: number;
  off?: number;
}

/** Timestamps for setattr: nanoseconds since the epoch, "now", or undefined to leave it. */
export type TimeSpec = bigint | "now" | undefined;

/** struct iattr: what chmod, chown, truncate and utimensat change. */
export interface SetAttr {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: TimeSpec;
  mtime?: TimeSpec;
}

/** Ownership and mode of a new inode. */
export interface NewInode {
  mode: number;
  uid: number;
  gid: number;
}

/** struct inode with its inode_operations; absent operations mean "not supported here". */
export interface Inode {
  readonly sb: SuperBlock;
  /** The S_IFMT type and permission bits as of the lookup that produced this inode. */
  readonly mode: number;
  /** Fresh attributes (stat), or -errno. */
  getattr(): KStat | number;
  /** Finds `name` in this directory: the child, or -ENOENT. */
  lookup?(name: string, t: Task): Inode | number;
  /** The entries of this directory, without "." and "..". */
  readdir?(t: Task): DirEntry[] | number;
  /** A symbolic link's target. */
  readlink?(t: Task): string | number;
  /** Magic links (/proc/<pid>/fd/N, exe, cwd) lead straight to a dentry instead of a path. */
  getLink?(t: Task): Dentry | number;
  /** Opens this inode; O_TRUNC (already permitted) is the file system's to apply. */
  open(t: Task, d: Dentry, flags: number): OpenFile | number;
  /** Creates and opens a regular file in one step (Linux's ->atomic_open), or -errno. */
  atomicOpen?(t: Task, dir: Dentry, name: string, flags: number, attr: NewInode): OpenFile | number;
  create?(name: string, attr: NewInode): Inode | number;
  mkdir?(name: string, attr: NewInode): Inode | number;
  symlink?(name: string, target: string, attr: NewInode): Inode | number;
  /** A FIFO, socket or device node (attr.mode holds the type); regular files go to create. */
  mknod?(name: string, attr: NewInode, rdev: bigint): Inode | number;
  link?(name: string, old: Inode): number;
  unlink?(name: string): number;
  rmdir?(name: string): number;
  /** Renames `oldName` here to `newName` in `newDir` (same super block); flags as renameat2. */
  rename?(oldName: string, newDir: Inode, newName: string, flags: number): number;
  setattr?(attr: SetAttr): number;
}

// DT_* values: the file type bits shifted down, as fs_umode_to_dtype() computes them
export const DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;

/** The DT_* type of a mode. */
export function dtype(mode: number): number {
  return (mode >> 12) & 15;
}
