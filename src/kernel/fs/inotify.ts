// inotify (fs/notify/inotify/): a descriptor whose reads return struct inotify_event records for
// the watches added to it. Each watch has a descriptor number (wd), a mask, and an inode; an
// event the mask selects is queued (merged with the last one when identical), IN_ONESHOT
// removes the watch after its first event, and a watch that goes away queues IN_IGNORED.

import { EAGAIN, EINVAL } from "../errno.ts";
import { OpenFile, O_NONBLOCK, O_RDONLY, type FileOps } from "./file.ts";
import { anonInodeStat } from "./eventfd.ts";
import { addWatcher, IN_DELETE_SELF, removeWatcher, type Watcher } from "./fsnotify.ts";
import { sleepOn, WaitQueue } from "../proc/sched.ts";
import type { Task } from "../proc/task.ts";
import { ERESTARTSYS, RETRY } from "../sysret.ts";
import { encodeName } from "../vfs/filename.ts";
import { POLLIN, POLLRDNORM } from "../vfs/pollbits.ts";
import { copy_to_user } from "../../mm/uaccess.ts";

export const IN_UNMOUNT = 0x2000, IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000;
export const IN_ONLYDIR = 0x01000000, IN_DONT_FOLLOW = 0x02000000, IN_EXCL_UNLINK = 0x04000000;
export const IN_MASK_CREATE = 0x10000000, IN_MASK_ADD = 0x20000000, IN_ONESHOT = 0x80000000;
export const IN_ALL_EVENTS = 0xfff;
/** fs.inotify.max_queued_events */
const MAX_QUEUED = 16384;
const FIONREAD = 0x541b;

interface Event {
  wd: number;
  mask: number;
  cookie: number;
  name: string | null;
}

class Watch implements Watcher {
  constructor(readonly group: InotifyGroup, readonly wd: number, public mask: number, readonly key: string) {}

  event(mask: number, cookie: number, name: string | null): void {
    const g = this.group;
    if (mask & IN_DELETE_SELF) {
      if (this.mask & IN_DELETE_SELF) g.queue({ wd: this.wd, mask: mask & ~0x40000000, cookie, name });
      g.remove(this); // the inode is gone: IN_IGNORED follows
      return;
    }
    const selected = mask & this.mask & IN_ALL_EVENTS;
    if (!selected) return;
    g.queue({ wd: this.wd, mask: selected | (mask & 0x40000000), cookie, name });
    if (this.mask & IN_ONESHOT) g.remove(this);
  }
}

/** struct fsnotify_group of an inotify descriptor. */
export class InotifyGroup {
  readonly events: Event[] = [];
  readonly watches = new Map<number, Watch>();
  readonly byKey = new Map<string, Watch>();
  private lastWd = 0;
  readonly wait = new WaitQueue();
  /** `encode` lays out one struct inotify_event (the ABI's, from the system call side). */
  constructor(private readonly pollWait: WaitQueue, readonly owner: { uid: number; gid: number }, readonly encode: EventEncoder) {}

  queue(e: Event): void {
    const last = this.events[this.events.length - 1];
    // fsnotify merges an event identical to the last one queued
    if (last && last.wd === e.wd && last.mask === e.mask && last.cookie === e.cookie && last.name === e.name) return;
    if (this.events.length >= MAX_QUEUED) {
      if (last?.mask !== IN_Q_OVERFLOW) this.events.push({ wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: null });
    } else this.events.push(e);
    this.wait.wake();
    this.pollWait.wake();
  }

  /** inotify_update_watch / inotify_new_watch: the wd, or -errno. */
  addWatch(key: string, mask: number): number {
    const old = this.byKey.get(key);
    if (old) {
      if (mask & IN_MASK_CREATE) return -17; // EEXIST
      old.mask = mask & IN_MASK_ADD ? old.mask | mask : mask;
      return old.wd;
    }
    const w = new Watch(this, ++this.lastWd, mask, key);
    this.watches.set(w.wd, w);
    this.byKey.set(key, w);
    addWatcher(key, w);
    return w.wd;
  }

  /** The watch goes: IN_IGNORED is queued for it. */
  remove(w: Watch): void {
    if (this.watches.get(w.wd) !== w) return;
    this.watches.delete(w.wd);
    this.byKey.delete(w.key);
    removeWatcher(w.key, w);
    this.queue({ wd: w.wd, mask: IN_IGNORED, cookie: 0, name: null });
  }

  rmWatch(wd: number): number {
    const w = this.watches.get(wd);
    if (!w) return -EINVAL;
    this.remove(w);
    return 0;
  }

  release(): void {
    for (const w of this.watches.values()) removeWatcher(w.key, w);
    this.watches.clear();
    this.byKey.clear();
  }

  bytes(): number {
    return this.events.reduce((n, e) => n + this.encoded(e).length, 0);
  }

  encoded(e: Event): Uint8Array {
    return this.encode(e.wd, e.mask, e.cookie, e.name === null ? null : encodeName(e.name));
  }
}

export type EventEncoder = (wd: number, mask: number, cookie: number, name: Uint8Array | null) => Uint8Array;

export function inotifyOf(f: OpenFile | null | undefined): InotifyGroup | null {
  return f && f.ops === inotifyFileOps ? (f.data as InotifyGroup) : null;
}

/** inotify_read: whole events that fit; EINVAL when not even the first one does. */
function inotifyRead(f: OpenFile, t: Task, dst: Uint8Array): number {
  const g = f.data as InotifyGroup;
  if (g.events.length === 0) {
    if (f.flags & O_NONBLOCK) return -EAGAIN;
    return sleepOn(t, { what: "inotify_read", queues: [g.wait], resume: (why) => (why === "signal" ? -ERESTARTSYS : RETRY) });
  }
  let n = 0;
  while (g.events.length > 0) {
    const b = g.encoded(g.events[0]!);
    if (n + b.length > dst.length) break;
    dst.set(b, n);
    n += b.length;
    g.events.shift();
  }
  return n === 0 ? -EINVAL : n;
}

export const inotifyFileOps: FileOps = {
  read: (f, t, dst) => inotifyRead(f, t, dst),
  poll: (f) => ((f.data as InotifyGroup).events.length > 0 ? POLLIN | POLLRDNORM : 0),
  ioctl(f, t, req, arg) {
    if (req !== FIONREAD) return -25; // ENOTTY
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, (f.data as InotifyGroup).bytes(), true);
    return copy_to_user(t.mm, arg, b) ? -14 : 0;
  },
  stat: (f) => anonInodeStat((f.data as InotifyGroup).owner),
  release: (f) => (f.data as InotifyGroup).release(),
};

/** inotify_init1: a new inotify descriptor's file. */
export function inotifyFile(t: Task, flags: number, encode: EventEncoder): OpenFile {
  const g = new InotifyGroup(t.kernel.pollWait, { uid: t.cred.fsuid, gid: t.cred.fsgid }, encode);
  return new OpenFile(inotifyFileOps, O_RDONLY | (flags & O_NONBLOCK), "anon_inode:inotify", g);
}
