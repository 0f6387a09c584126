// fsnotify (fs/notify/): the VFS tells the watchers of an inode what happened to it, and the
// watchers of its directory what happened to the name inside it (with the name). The only
// backend is inotify (src/kernel/fs/inotify.ts). Watches are on inodes, found by (dev, ino);
// while nobody watches anything, every hook returns at its first test.

import type { Dentry } from "../vfs/dentry.ts";
import type { Inode } from "../vfs/inode.ts";
import { fileHooks, O_PATH } from "./file.ts";
import { S_IFDIR, S_IFMT } from "./stat.ts";

export const IN_ACCESS = 0x1, IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8, IN_CLOSE_NOWRITE = 0x10, IN_OPEN = 0x20;
export const IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80, IN_CREATE = 0x100, IN_DELETE = 0x200, IN_DELETE_SELF = 0x400, IN_MOVE_SELF = 0x800;
export const IN_ISDIR = 0x40000000;

/** What a watch does with an event (inotify's handle_inotify_event). */
export interface Watcher {
  /** `name` is null for an event on the watched inode itself. */
  event(mask: number, cookie: number, name: string | null): void;
}

/** Watchers by inode key; `count` is how many there are in all (the hooks' fast path). */
const watchers = new Map<string, Set<Watcher>>();
let count = 0;
let nextCookie = 1;

/** An inode's key, or null when it cannot be stat'ed. */
export function inodeKey(inode: Inode): string | null {
  const st = inode.getattr();
  return typeof st === "number" ? null : `${st.dev}:${st.ino}`;
}

export function addWatcher(key: string, w: Watcher): void {
  let set = watchers.get(key);
  if (!set) watchers.set(key, (set = new Set()));
  if (!set.has(w)) count++;
  set.add(w);
}

export function removeWatcher(key: string, w: Watcher): void {
  const set = watchers.get(key);
  if (!set?.delete(w)) return;
  count--;
  if (set.size === 0) watchers.delete(key);
}

function deliver(inode: Inode | null, mask: number, cookie: number, name: string | null): void {
  if (!inode) return;
  const key = inodeKey(inode);
  const set = key === null ? undefined : watchers.get(key);
  if (set) for (const w of [...set]) w.event(mask, cookie, name);
}

const dirBit = (inode: Inode) => ((inode.mode & S_IFMT) === S_IFDIR ? IN_ISDIR : 0);

/** fsnotify_parent + fsnotify on an inode: its watchers, then its directory's with its name. */
export function fsnotifyInode(d: Dentry | null, inode: Inode | null, mask: number): void {
  if (count === 0 || !inode) return;
  const m = mask | dirBit(inode);
  deliver(inode, m, 0, null);
  if (d && d.parent && !d.detached) deliver(d.parent.inode, m, 0, d.name);
}

/** An event about `name` in directory `dir` (create, delete), `child` the inode it names. */
export function fsnotifyName(dir: Dentry, name: string, child: Inode | null, mask: number): void {
  if (count === 0) return;
  deliver(dir.inode, mask | (child ? dirBit(child) : 0), 0, name);
}

/**
 * fsnotify_move: MOVED_FROM and MOVED_TO with one cookie, then for a replaced target its link
 * count (ATTRIB), MOVE_SELF on what moved, and the target's DELETE_SELF. Keys taken before.
 */
export function fsnotifyMove(oldDir: Dentry, oldName: string, newDir: Dentry, newName: string, dir: boolean, moved: string | null, replaced: string | null): void {
  if (count === 0) return;
  const cookie = nextCookie++;
  const isDir = dir ? IN_ISDIR : 0;
  deliver(oldDir.inode, IN_MOVED_FROM | isDir, cookie, oldName);
  deliver(newDir.inode, IN_MOVED_TO | isDir, cookie, newName);
  if (replaced !== null && !dir) fsnotifyKey(replaced, IN_ATTRIB);
  if (moved !== null) fsnotifyKey(moved, IN_MOVE_SELF | isDir);
  if (replaced !== null) fsnotifyKey(replaced, IN_DELETE_SELF);
}

/** An event on the inode with this key (taken before the inode went away or moved). */
export function fsnotifyKey(key: string, mask: number): void {
  const set = watchers.get(key);
  if (set) for (const w of [...set]) w.event(mask, 0, null);
}

/** The inode went away (its last link, or a removed directory): DELETE_SELF to its watchers. */
export function fsnotifyDeleteSelf(inode: Inode): void {
  if (count === 0) return;
  deliver(inode, IN_DELETE_SELF, 0, null);
}

/** Whether anyone watches anything (for callers that would do work to find the inode). */
export function fsnotifyActive(): boolean {
  return count > 0;
}

// fsnotify_close: the last close of a file opened through the VFS
fileHooks.close = (f) => {
  if (count === 0 || !f.dentry || f.flags & O_PATH) return;
  fsnotifyInode(f.dentry, f.dentry.inode, f.writable ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
};
