// signalfd (fs/signalfd.c): the reading task's pending signals of a mask, as a file. A read
// dequeues them as struct signalfd_siginfo records, so they are never delivered to a handler
// (programs block them first); it sleeps while none is pending. Readiness is the reader's own:
// poll asks about the signals pending for the task that polls.

import { anonInodeStat } from "../fs/eventfd.ts";
import { EAGAIN, EINVAL } from "../errno.ts";
import { OpenFile, O_NONBLOCK, O_RDWR, type FileOps } from "../fs/file.ts";
import { sleepOn } from "../proc/sched.ts";
import { dequeueSignal, type SigInfo } from "./signal.ts";
import { ERESTARTSYS, RETRY } from "../sysret.ts";
import type { Task } from "../proc/task.ts";
import { POLLIN, POLLRDNORM } from "../vfs/pollbits.ts";

export const SIZEOF_SIGNALFD_SIGINFO = 128;

export class SignalfdCtx {
  constructor(public mask: bigint, readonly owner: { uid: number; gid: number }, readonly kernel: Task["kernel"]) {
    kernel.signalfds++;
  }
}

function ctx(f: OpenFile): SignalfdCtx {
  return f.data as SignalfdCtx;
}

/** The signalfd context behind f, or null when f is not a signalfd. */
export function signalfdCtx(f: OpenFile): SignalfdCtx | null {
  return f.ops === signalfdFileOps ? ctx(f) : null;
}

/** struct signalfd_siginfo (include/uapi/linux/signalfd.h). */
function encode(info: SigInfo): Uint8Array {
  const b = new Uint8Array(SIZEOF_SIGNALFD_SIGINFO);
  const v = new DataView(b.buffer);
  v.setUint32(0, info.signo, true);
  v.setInt32(4, info.errno ?? 0, true);
  v.setInt32(8, info.code, true);
  v.setUint32(12, info.pid ?? 0, true);
  v.setUint32(16, info.uid ?? 0, true);
  v.setInt32(20, info.fd ?? 0, true);
  v.setUint32(24, info.tid ?? 0, true); // ssi_tid: the POSIX timer's id
  v.setUint32(28, Number(info.band ?? 0n) >>> 0, true);
  v.setUint32(32, info.overrun ?? 0, true);
  v.setInt32(40, info.status ?? 0, true);
  v.setInt32(44, Number(BigInt.asIntN(32, info.value ?? 0n)), true); // ssi_int
  v.setBigUint64(48, BigInt.asUintN(64, info.value ?? 0n), true); // ssi_ptr
  v.setBigUint64(56, info.utime ?? 0n, true);
  v.setBigUint64(64, info.stime ?? 0n, true);
  v.setBigUint64(72, info.addr ?? 0n, true);
  return b;
}

/** signalfd_read: as many records as fit and are pending; sleeps for the first one. */
function signalfdRead(f: OpenFile, t: Task, dst: Uint8Array): number {
  const c = ctx(f);
  if (dst.length < SIZEOF_SIGNALFD_SIGINFO) return -EINVAL;
  let n = 0;
  while (n + SIZEOF_SIGNALFD_SIGINFO <= dst.length) {
    const info = dequeueSignal(t, c.mask);
    if (!info) break;
    dst.set(encode(info), n);
    n += SIZEOF_SIGNALFD_SIGINFO;
  }
  if (n > 0) return n;
  if (f.flags & O_NONBLOCK) return -EAGAIN;
  // woken by any signal sent in this kernel (sigsend.ts wakes the poll queue); RETRY looks again
  return sleepOn(t, { what: "signalfd_read", queues: [t.kernel.pollWait], resume: (why) => (why === "signal" ? -ERESTARTSYS : RETRY) });
}

export const signalfdFileOps: FileOps = {
  read: signalfdRead,
  poll: (f, t) => (((t.pending.signal | t.group.shared.signal) & ctx(f).mask) !== 0n ? POLLIN | POLLRDNORM : 0),
  stat: (f) => anonInodeStat(ctx(f).owner),
  release: (f) => void ctx(f).kernel.signalfds--,
};

/** signalfd4 with fd -1: a new signalfd for mask, O_NONBLOCK from flags. */
export function signalfdFile(t: Task, mask: bigint, flags: number): OpenFile {
  return new OpenFile(signalfdFileOps, O_RDWR | (flags & O_NONBLOCK), "anon_inode:[signalfd]", new SignalfdCtx(mask, { uid: t.cred.fsuid, gid: t.cred.fsgid }, t.kernel));
}
