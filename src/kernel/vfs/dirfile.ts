// Open directories and getdents64 (fs/readdir.c). Every file system's directories open into
// the same kind of file: it lists the inode's entries plus "." and "..", and adds the mount
// points below it that the underlying directory lacks (--root DIR need not contain /proc).
// A position is an entry's cookie: file systems with stable cookies (tmpfs) give their own, and
// the others are listed once per rewind, the position being the index in that snapshot.

import { EINVAL, EISDIR, ENOENT } from "../errno.ts";
import { OpenFile, type FileOps } from "../fs/file.ts";
import type { Task } from "../proc/task.ts";
import { childPath, type Dentry } from "./dentry.ts";
import { DT_DIR, type DirEntry } from "./inode.ts";
import { fileDentry } from "./pwd.ts";

interface DirData {
  snapshot: DirEntry[] | null;
  /** Whether the entries carry their own cookies (then the list is re-read at every call). */
  stable: boolean;
}

/** An entry with the position it starts at. */
export interface PlacedEntry extends DirEntry {
  pos: number;
}

function dentryOf(f: OpenFile): Dentry {
  return fileDentry(f)!; // a directory renamed or removed while open is followed (vfs/pwd.ts)
}

export const dirFileOps: FileOps = {
  read: () => -EISDIR,
  llseek(f, offset, whence) {
    if (whence === 0) return offset < 0 ? -EINVAL : offset;
    if (whence === 1) return f.pos + offset < 0 ? -EINVAL : f.pos + offset;
    return -EINVAL;
  },
  stat: (f) => dentryOf(f).inode.getattr(),
  fsync: () => 0,
};

/** Opens a directory dentry (O_RDONLY; the caller has checked write access is not asked). */
export function openDirectory(d: Dentry, flags: number): OpenFile {
  const f = new OpenFile(dirFileOps, flags, d.path, { snapshot: null, stable: false } satisfies DirData);
  f.dentry = d;
  return f;
}

/** The entries of an open directory from its position on, with positions. */
export function dirEntries(t: Task, f: OpenFile): PlacedEntry[] | number {
  const d = dentryOf(f);
  const data = f.data as DirData;
  if (f.pos === 0 || data.snapshot === null || data.stable) {
    const listed = listDirectory(t, d);
    if (typeof listed === "number") return listed;
    data.snapshot = listed;
    data.stable = listed.length > 2 && listed.slice(2).every((e) => e.off !== undefined);
  }
  const placed = data.snapshot.map((e, i) => ({ ...e, pos: i < 2 ? i : data.stable ? e.off! : i }));
  return placed.filter((e) => e.pos >= f.pos);
}

/** ".", "..", the inode's entries and the mount points below d. */
function listDirectory(t: Task, d: Dentry): DirEntry[] | number {
  if (!d.inode.readdir) return -ENOENT;
  const own = d.inode.readdir(t);
  if (typeof own === "number") return own;
  const self = d.inode.getattr();
  const up = (d.parent ?? d).inode.getattr();
  const ino = (s: typeof self) => (typeof s === "number" ? 0n : s.ino);
  const out: DirEntry[] = [{ name: ".", ino: ino(self), type: DT_DIR }, { name: "..", ino: ino(up), type: DT_DIR }, ...own];
  const names = new Set(own.map((e) => e.name));
  let extra = own.reduce((m, e) => Math.max(m, e.off ?? 0), 2);
  const stable = own.every((e) => e.off !== undefined);
  for (const m of t.kernel.vfs.mounts.values()) {
    const name = m.path.slice(m.path.lastIndexOf("/") + 1);
    if (m.path === "/" || childPath(d.path, name) !== m.path || names.has(name)) continue;
    out.push({ name, ino: ino(m.root.getattr()), type: DT_DIR, ...(stable ? { off: ++extra } : {}) });
  }
  return out;
}
