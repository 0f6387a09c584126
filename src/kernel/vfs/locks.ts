// POSIX record locks (fs/locks.c): fcntl F_GETLK/F_SETLK/F_SETLKW and the open-file-description
// variants, kept per file (st_dev:st_ino) inside one sysemu. A process lock belongs to a thread
// group and goes when that process closes any descriptor of the file or dies; an OFD lock
// belongs to the open file and goes with its last descriptor.

export const F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;

/** Who holds a lock: a process (its tgid) or an open file description. */
export type LockOwner = number | object;

export interface FileLock {
  owner: LockOwner;
  type: number;
  start: number;
  /** Last byte, inclusive; Infinity for "to the end of the file, however long". */
  end: number;
}

/** A task sleeping in F_SETLKW (the kernel's blocked_hash entry): what it asks for, on which file. */
export interface LockWaiter {
  key: string;
  req: FileLock;
}

/** posix_locks_deadlock gives up after this many hops (MAX_DEADLK_ITERATIONS). */
const MAX_DEADLK_ITERATIONS = 10;

export class LockTable {
  private readonly byFile = new Map<string, FileLock[]>();
  /** Waiters of F_SETLKW; `live` tells one still sleeping in that call from a stale one. */
  private readonly blocked = new Set<{ w: LockWaiter; live: () => boolean }>();

  /** Registers a waiter while its F_SETLKW sleeps; returns the function that removes it. */
  block(w: LockWaiter, live: () => boolean): () => void {
    const entry = { w, live };
    for (const e of this.blocked) if (!e.live()) this.blocked.delete(e);
    this.blocked.add(entry);
    return () => this.blocked.delete(entry);
  }

  /**
   * posix_locks_deadlock: would `req`, blocked by `blocker`, close a cycle? The owner of the
   * blocking lock may itself be waiting for a lock whose owner waits ... back to req's owner.
   * OFD locks are not checked (their owner is an open file, which can be shared by anyone).
   */
  deadlock(req: FileLock, blocker: FileLock, alive: (owner: LockOwner) => boolean): boolean {
    if (typeof req.owner !== "number") return false;
    let b: FileLock | null = blocker;
    for (let i = 0; b && i <= MAX_DEADLK_ITERATIONS; i++) {
      const w = this.waitingOf(b.owner);
      if (!w) return false;
      b = this.conflict(w.key, w.req, alive);
      if (b && b.owner === req.owner) return true;
    }
    return false;
  }

  /** what_owner_is_waiting_for: the request a (process) owner sleeps on, if any. */
  private waitingOf(owner: LockOwner): LockWaiter | null {
    if (typeof owner !== "number") return null;
    for (const e of this.blocked) {
      if (!e.live()) this.blocked.delete(e);
      else if (e.w.req.owner === owner) return e.w;
    }
    return null;
  }

  /** The first lock of another owner that conflicts with the request, or null. */
  conflict(key: string, want: FileLock, alive: (owner: LockOwner) => boolean): FileLock | null {
    for (const l of this.live(key, alive)) {
      if (l.owner === want.owner || l.end < want.start || l.start > want.end) continue;
      if (l.type === F_WRLCK || want.type === F_WRLCK) return l;
    }
    return null;
  }

  /** Applies a lock or unlock of `req.owner`: its own locks in the range are replaced. */
  set(key: string, req: FileLock): void {
    const kept: FileLock[] = [];
    for (const l of this.byFile.get(key) ?? []) {
      if (l.owner !== req.owner || l.end < req.start || l.start > req.end) {
        kept.push(l);
        continue;
      }
      if (l.start < req.start) kept.push({ ...l, end: req.start - 1 });
      if (l.end > req.end) kept.push({ ...l, start: req.end + 1 });
    }
    if (req.type !== F_UNLCK) kept.push({ ...req });
    this.store(key, merge(kept));
  }

  /** Drops every lock `owner` holds on the file (close(2) of any of its descriptors). */
  release(key: string, owner: LockOwner): void {
    const list = this.byFile.get(key);
    if (list) this.store(key, list.filter((l) => l.owner !== owner));
  }

  /** The locks on a file, for tests and /proc/locks. */
  list(key: string): readonly FileLock[] {
    return this.byFile.get(key) ?? [];
  }

  private live(key: string, alive: (owner: LockOwner) => boolean): FileLock[] {
    const list = this.byFile.get(key) ?? [];
    const kept = list.filter((l) => alive(l.owner));
    if (kept.length !== list.length) this.store(key, kept);
    return kept;
  }

  private store(key: string, list: FileLock[]): void {
    if (list.length) this.byFile.set(key, list);
    else this.byFile.delete(key);
  }
}

/** Joins an owner's touching or overlapping locks of the same type, as Linux coalesces them. */
function merge(list: FileLock[]): FileLock[] {
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const out: FileLock[] = [];
  for (const l of sorted) {
    const prev = [...out].reverse().find((p) => p.owner === l.owner && p.type === l.type && p.end + 1 >= l.start);
    if (prev) prev.end = Math.max(prev.end, l.end);
    else out.push({ ...l });
  }
  return out;
}
