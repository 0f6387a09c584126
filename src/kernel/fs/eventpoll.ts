// epoll (fs/eventpoll.c): an interest list of (fd, file) items, each asked for its readiness
// through the file's poll operation when the caller waits. Every readiness change in this
// kernel wakes the poll queue, so a waiting epoll_pwait sleeps there, like poll and select.
// Differences from Linux, kept on purpose: an item leaves the set when its fd no longer names
// the file it was added with (Linux keeps it until the file itself is released), and EPOLLET
// reports an item again only when a ready bit is new since its last report.

import { EEXIST, EINVAL, ENOENT, EPERM, ELOOP } from "../errno.ts";
import { OpenFile, O_RDONLY, type FileOps } from "./file.ts";
import { anonInodeStat } from "./eventfd.ts";
import type { Task } from "../proc/task.ts";
import { filePoll, POLLERR, POLLHUP, POLLIN, POLLRDNORM } from "../vfs/pollbits.ts";

export const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
export const EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 0x80000000;
/** The bits that are not events: cleared by a EPOLLONESHOT report. */
const EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;

/** struct epitem */
interface Epitem {
  fd: number;
  file: OpenFile;
  events: number;
  data: bigint;
  /** The ready bits last reported (EPOLLET). */
  last: number;
}

/** struct eventpoll */
export class Eventpoll {
  readonly items: Epitem[] = [];
  constructor(readonly owner: { uid: number; gid: number }) {}

  private find(fd: number, file: OpenFile): number {
    return this.items.findIndex((e) => e.fd === fd && e.file === file);
  }

  /** epoll_ctl on an open file `file` at descriptor fd. */
  ctl(t: Task, op: number, fd: number, file: OpenFile, events: number, data: bigint): number {
    if (!file.ops.poll) return -EPERM;
    const self = epollOf(file);
    if (self === this) return -EINVAL;
    if (self && op === EPOLL_CTL_ADD && self.watches(this, 0)) return -ELOOP;
    const i = this.find(fd, file);
    switch (op) {
      case EPOLL_CTL_ADD:
        if (i >= 0) return -EEXIST;
        this.items.push({ fd, file, events: events | POLLERR | POLLHUP, data, last: 0 });
        t.kernel.pollWait.wake(); // someone already waiting may have something now
        return 0;
      case EPOLL_CTL_DEL:
        if (i < 0) return -ENOENT;
        this.items.splice(i, 1);
        return 0;
      case EPOLL_CTL_MOD:
        if (i < 0) return -ENOENT;
        if (events & EPOLLEXCLUSIVE) return -EINVAL;
        Object.assign(this.items[i]!, { events: events | POLLERR | POLLHUP, data, last: 0 });
        t.kernel.pollWait.wake();
        return 0;
      default:
        return -EINVAL;
    }
  }

  /** Whether this set reaches `other` through nested epoll files (a loop would). */
  watches(other: Eventpoll, depth: number): boolean {
    if (depth > 4) return true;
    return this.items.some((e) => {
      const ep = epollOf(e.file);
      return ep !== null && (ep === other || ep.watches(other, depth + 1));
    });
  }

  /** The items ready now, at most max; `consume` applies EPOLLONESHOT and EPOLLET's memory. */
  ready(t: Task, max: number, consume: boolean): { events: number; data: bigint }[] {
    const out: { events: number; data: bigint }[] = [];
    for (let i = 0; i < this.items.length && out.length < max; i++) {
      const e = this.items[i]!;
      if (t.files.get(e.fd) !== e.file) {
        this.items.splice(i--, 1); // closed: gone from the set
        continue;
      }
      const mask = e.events & ~EP_PRIVATE_BITS ? filePoll(e.file, t) & e.events : 0;
      if (e.events & EPOLLET) {
        const fresh = mask & ~e.last;
        if (consume) e.last = mask;
        if (!fresh) continue;
      }
      if (!mask) continue;
      out.push({ events: mask, data: e.data });
      if (consume && e.events & EPOLLONESHOT) e.events &= EP_PRIVATE_BITS;
    }
    return out;
  }
}

export const eventpollFileOps: FileOps = {
  poll: (f, t) => ((f.data as Eventpoll).ready(t, 1, false).length > 0 ? POLLIN | POLLRDNORM : 0),
  stat: (f) => anonInodeStat((f.data as Eventpoll).owner),
};

export function epollOf(f: OpenFile): Eventpoll | null {
  return f.ops === eventpollFileOps ? (f.data as Eventpoll) : null;
}

/** epoll_create1: an empty set. */
export function eventpollFile(t: Task): OpenFile {
  return new OpenFile(eventpollFileOps, O_RDONLY, "anon_inode:[eventpoll]", new Eventpoll({ uid: t.cred.fsuid, gid: t.cred.fsgid }));
}
