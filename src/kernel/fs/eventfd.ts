// eventfd (fs/eventfd.c): a 64-bit counter as a file. write adds to it, read takes all of it
// (or one, with EFD_SEMAPHORE) and sleeps while it is zero; a write that would overflow
// ULLONG_MAX - 1 sleeps until a read makes room.

import { EAGAIN, EINVAL } from "../errno.ts";
import { OpenFile, O_NONBLOCK, O_RDWR, type FileOps } from "./file.ts";
import { sleepOn, WaitQueue } from "../proc/sched.ts";
import type { KStat } from "./stat.ts";
import { ERESTARTSYS, RETRY } from "../sysret.ts";
import type { Task } from "../proc/task.ts";
import { POLLERR, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from "../vfs/pollbits.ts";

export const EFD_SEMAPHORE = 1;
const ULLONG_MAX = 0xffff_ffff_ffff_ffffn;
/** anon_inodefs's device; every anonymous inode is the same one, as in Linux. */
export const ANON_INODE_DEV = 0xdn;
export const ANON_INODE_INO = 1n;

/** The fstat of an anon_inode file: one shared inode, mode 0600 without a type. */
export function anonInodeStat(t: { uid: number; gid: number }): KStat {
  return {
    dev: ANON_INODE_DEV, ino: ANON_INODE_INO, mode: 0o600, nlink: 1, uid: t.uid, gid: t.gid, rdev: 0n,
    size: 0n, blksize: 4096, blocks: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n,
  };
}

/** struct eventfd_ctx */
export class EventfdCtx {
  count = 0n;
  readonly wait = new WaitQueue();
  constructor(readonly semaphore: boolean, private readonly pollWait: WaitQueue, readonly owner: { uid: number; gid: number }) {}

  changed(): void {
    this.wait.wake();
    this.pollWait.wake();
  }
}

function ctx(f: OpenFile): EventfdCtx {
  return f.data as EventfdCtx;
}

const park = (t: Task, c: EventfdCtx, what: string): number =>
  sleepOn(t, { what, queues: [c.wait], resume: (why) => (why === "signal" ? -ERESTARTSYS : RETRY) });

/** eventfd_read */
function eventfdRead(f: OpenFile, t: Task, dst: Uint8Array): number {
  const c = ctx(f);
  if (dst.length < 8) return -EINVAL;
  if (c.count === 0n) return f.flags & O_NONBLOCK ? -EAGAIN : park(t, c, "eventfd_read");
  const v = c.semaphore ? 1n : c.count;
  c.count -= v;
  new DataView(dst.buffer, dst.byteOffset).setBigUint64(0, v, true);
  c.changed();
  return 8;
}

/** eventfd_write */
function eventfdWrite(f: OpenFile, t: Task, src: Uint8Array): number {
  const c = ctx(f);
  if (src.length < 8) return -EINVAL;
  const v = new DataView(src.buffer, src.byteOffset).getBigUint64(0, true);
  if (v === ULLONG_MAX) return -EINVAL;
  if (ULLONG_MAX - c.count <= v) return f.flags & O_NONBLOCK ? -EAGAIN : park(t, c, "eventfd_write");
  c.count += v;
  if (v > 0n) c.changed();
  return 8;
}

export const eventfdFileOps: FileOps = {
  read: eventfdRead,
  write: eventfdWrite,
  poll(f) {
    const c = ctx(f);
    let mask = 0;
    if (c.count > 0n) mask |= POLLIN | POLLRDNORM;
    if (c.count === ULLONG_MAX) mask |= POLLERR;
    if (ULLONG_MAX - 1n > c.count) mask |= POLLOUT | POLLWRNORM;
    return mask;
  },
  stat: (f) => anonInodeStat(ctx(f).owner),
};

/** eventfd2: a new eventfd file with `initval`, O_NONBLOCK from flags. */
export function eventfdFile(t: Task, initval: number, flags: number): OpenFile {
  const c = new EventfdCtx((flags & EFD_SEMAPHORE) !== 0, t.kernel.pollWait, { uid: t.cred.fsuid, gid: t.cred.fsgid });
  c.count = BigInt(initval >>> 0);
  return new OpenFile(eventfdFileOps, O_RDWR | (flags & O_NONBLOCK), "anon_inode:[eventfd]", c);
}
