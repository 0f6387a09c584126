// do_open_execat for execve: the file a path names, checked as exec checks it (a regular file,
// MAY_EXEC for the task), read whole through the VFS, with what exec needs to know of it.

import { EACCES, ELOOP } from "../errno.ts";
import { O_RDONLY } from "../fs/file.ts";
import { S_IFLNK, S_IFMT, S_IFREG } from "../fs/stat.ts";
import type { Task } from "../proc/task.ts";
import { isSymlink, lookupAt } from "./namei.ts";
import { openDentry } from "./open.ts";
import { inodePermission, MAY_EXEC } from "./perm.ts";

/** A program file: its bytes, mode and owner as the guest sees them, and its guest path. */
export interface ExecFile {
  bytes: Uint8Array;
  mode: number;
  uid: number;
  gid: number;
  /** The guest path (for /proc/<pid>/exe). */
  path: string;
}

/**
 * The last programs exec read, as the page cache keeps them: a shell script's every command
 * execs the same 2 MB busybox again, and reading it whole was a tenth of a fork+exec. An entry
 * holds while the file's size, mtime and ctime (any write changes ctime) stay; small files
 * (scripts, which tests rewrite within the same tick) are always read afresh. Nobody writes
 * into ExecFile.bytes: the loader copies segments out of it.
 */
const CACHE_FILES = 8;
const CACHE_MIN = 256 * 1024;
interface Cached {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  bytes: Uint8Array;
}
const caches = new WeakMap<object, Map<string, Cached>>();
function cacheOf(t: Task): Map<string, Cached> {
  let c = caches.get(t.kernel);
  if (!c) caches.set(t.kernel, (c = new Map()));
  return c;
}

/** Reads the file exec would run, or -errno (ENOENT, EACCES, ELOOP with !follow on a link ...). */
export function readExecFile(t: Task, dirfd: number, path: string, follow: boolean): ExecFile | number {
  const d = lookupAt(t, dirfd, path, follow);
  if (typeof d === "number") return d;
  if (isSymlink(d)) return -ELOOP;
  const st = d.inode.getattr();
  if (typeof st === "number") return st;
  if ((st.mode & S_IFMT) !== S_IFREG) return (st.mode & S_IFMT) === S_IFLNK ? -ELOOP : -EACCES;
  const perm = inodePermission(t.cred, d.inode, MAY_EXEC);
  if (perm < 0) return perm;
  if (t.cred.fsuid === 0 && (st.mode & 0o111) === 0) return -EACCES;
  const f = openDentry(t, d, O_RDONLY);
  if (typeof f === "number") return f;
  const key = `${st.dev}:${st.ino}`;
  const cache = cacheOf(t);
  const hit = cache.get(key);
  if (hit && hit.size === st.size && hit.mtimeNs === st.mtimeNs && hit.ctimeNs === st.ctimeNs) {
    f.get();
    f.put(); // opened and closed as for a read: an fanotify-like observer would see the same
    cache.delete(key);
    cache.set(key, hit); // the most recent last
    return { bytes: hit.bytes, mode: st.mode, uid: st.uid, gid: st.gid, path: d.path };
  }
  f.get();
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buf = new Uint8Array(1 << 20);
      const n = f.ops.read ? f.ops.read(f, t, buf, total) : -EACCES;
      if (n < 0) return n;
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    if (total >= CACHE_MIN) {
      cache.set(key, { size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, bytes });
      if (cache.size > CACHE_FILES) cache.delete(cache.keys().next().value!);
    }
    return { bytes, mode: st.mode, uid: st.uid, gid: st.gid, path: d.path };
  } finally {
    f.put();
  }
}
