// Record locks on open files (fs/locks.c fcntl_getlk/fcntl_setlk, flock(2)): ranges resolved
// against the file, owners chosen (the process, or the open file for OFD and flock locks), the
// lock table asked, and a blocking request waiting until the conflict is gone.

import { EAGAIN, EBADF, EDEADLK, EINTR, EINVAL } from "../errno.ts";
import type { OpenFile } from "../fs/file.ts";
import type { Task } from "../proc/task.ts";
import { F_RDLCK, F_UNLCK, F_WRLCK, type FileLock, type LockOwner } from "./locks.ts";
import { waitEvent } from "./wait.ts";
import { PARK } from "../sysret.ts";

/** struct flock as the guest passes it (l_start/l_len relative to l_whence). */
export interface FlockArg {
  type: number;
  whence: number;
  start: number;
  len: number;
  pid: number;
}

/** The lock table's key for a file: its device and inode. */
export function lockKey(f: OpenFile): string | null {
  const st = f.ops.stat(f);
  return typeof st === "number" ? null : `${st.dev}:${st.ino}`;
}

function alive(t: Task): (owner: LockOwner) => boolean {
  return (owner) => {
    if (typeof owner !== "number") return true;
    for (const task of t.kernel.tasks.values()) if (task.pid === owner && task.state !== "zombie" && task.state !== "dead") return true;
    return false;
  };
}

/** The byte range [start, end] a struct flock names, or -EINVAL. */
function range(f: OpenFile, arg: FlockArg): [number, number] | number {
  let base: number;
  if (arg.whence === 0) base = 0;
  else if (arg.whence === 1) base = f.pos;
  else if (arg.whence === 2) {
    const st = f.ops.stat(f);
    if (typeof st === "number") return st;
    base = Number(st.size);
  } else return -EINVAL;
  let start = base + arg.start;
  let end = arg.len === 0 ? Infinity : start + arg.len - 1;
  if (arg.len < 0) {
    end = start - 1;
    start += arg.len;
  }
  return start < 0 || end < start ? -EINVAL : [start, end];
}

/** F_GETLK / F_OFD_GETLK: the conflicting lock as a struct flock, or l_type F_UNLCK. */
export function getLock(t: Task, f: OpenFile, arg: FlockArg, ofd: boolean): FlockArg | number {
  if (arg.type !== F_RDLCK && arg.type !== F_WRLCK) return -EINVAL;
  const key = lockKey(f);
  const r = range(f, arg);
  if (typeof r === "number" || key === null) return typeof r === "number" ? r : -EBADF;
  const hit = t.kernel.vfs.locks.conflict(key, { owner: ofd ? f : t.pid, type: arg.type, start: r[0], end: r[1] }, alive(t));
  if (!hit) return { ...arg, type: F_UNLCK };
  return { type: hit.type, whence: 0, start: hit.start, len: hit.end === Infinity ? 0 : hit.end - hit.start + 1, pid: typeof hit.owner === "number" ? hit.owner : -1 };
}

/** F_SETLK(W) / F_OFD_SETLK(W): 0, -EAGAIN on a conflict without wait, -EBADF for the wrong access. */
export function setLock(t: Task, f: OpenFile, arg: FlockArg, ofd: boolean, wait: boolean): number {
  if (arg.type === F_RDLCK && !f.readable) return -EBADF;
  if (arg.type === F_WRLCK && !f.writable) return -EBADF;
  if (arg.type !== F_RDLCK && arg.type !== F_WRLCK && arg.type !== F_UNLCK) return -EINVAL;
  const key = lockKey(f);
  const r = range(f, arg);
  if (typeof r === "number" || key === null) return typeof r === "number" ? r : -EBADF;
  const req: FileLock = { owner: ofd ? f : t.pid, type: arg.type, start: r[0], end: r[1] };
  const ok = acquire(t, key, req, wait);
  if (ok === 0 && ofd) releaseOnLastClose(t, f, key);
  return ok;
}

function acquire(t: Task, key: string, req: FileLock, wait: boolean): number {
  const table = t.kernel.vfs.locks;
  const isAlive = alive(t);
  const blocker = req.type === F_UNLCK ? null : table.conflict(key, req, isAlive);
  if (blocker) {
    if (!wait) return -EAGAIN;
    // checked at every run of the call, as posix_lock_inode does each time the waiter wakes
    if (table.deadlock(req, blocker, isAlive)) return -EDEADLK;
    const marker = {};
    // a waiter counts while its call is still this sleep: blockState goes when the call ends
    const unblock = table.block({ key, req }, () => (t.blockState as LockWaitState | null)?.lockWait === marker && t.state !== "zombie" && t.state !== "dead");
    t.blockState = { ...t.blockState, lockWait: marker };
    const why = waitEvent(t, () => table.conflict(key, req, isAlive) === null, null);
    if (why === "sleep") return PARK; // still a waiter while its call sleeps (see block() above)
    if (why === "signal") {
      unblock();
      return -EINTR;
    }
    unblock();
  }
  table.set(key, req);
  return 0;
}

interface LockWaitState {
  lockWait?: object;
}

/** flock(2): a whole-file lock owned by the open file. */
export function flockFile(t: Task, f: OpenFile, op: number): number {
  const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
  const kind = op & ~LOCK_NB;
  const type = kind === LOCK_SH ? F_RDLCK : kind === LOCK_EX ? F_WRLCK : kind === LOCK_UN ? F_UNLCK : -1;
  if (type < 0) return -EINVAL;
  const key = lockKey(f);
  if (key === null) return -EBADF;
  const ok = acquire(t, `flock:${key}`, { owner: f, type, start: 0, end: Infinity }, (op & LOCK_NB) === 0);
  if (ok === 0) releaseOnLastClose(t, f, `flock:${key}`);
  return ok;
}

const ownKeys = new WeakMap<OpenFile, Set<string>>();

/** OFD and flock locks go when the open file's last descriptor does. */
function releaseOnLastClose(t: Task, f: OpenFile, key: string): void {
  let keys = ownKeys.get(f);
  if (!keys) {
    const held = (keys = new Set());
    ownKeys.set(f, held);
    const table = t.kernel.vfs.locks;
    const before = f.onLastClose;
    f.onLastClose = () => {
      for (const k of held) table.release(k, f);
      before?.();
    };
  }
  keys.add(key);
}

/** close(2) of any descriptor of a file drops the closing process's record locks on it. */
export function releaseFileLocks(t: Task, f: OpenFile): void {
  const key = lockKey(f);
  if (key !== null) t.kernel.vfs.locks.release(key, t.pid);
}
