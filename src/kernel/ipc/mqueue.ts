// POSIX message queues (ipc/mqueue.c): named queues of prioritized messages, one namespace per
// kernel (the mqueue filesystem's root). A queue is an inode: mq_open gives a descriptor of it,
// mq_unlink removes the name while open descriptors keep the queue. Messages leave highest
// priority first, FIFO within a priority; a full queue blocks senders and an empty one
// receivers (or EAGAIN under O_NONBLOCK); one process may ask, through mq_notify, for a signal
// when a message reaches the empty queue while nobody is waiting to receive.

import { EAGAIN, EBADF, EINVAL, ETIMEDOUT } from "../errno.ts";
import { OpenFile, O_NONBLOCK, type FileOps } from "../fs/file.ts";
import { S_IFREG, type KStat } from "../fs/stat.ts";
import { sleepOn, WaitQueue } from "../proc/sched.ts";
import type { Task, ThreadGroup } from "../proc/task.ts";
import { SI_MESGQ } from "../signal/signal.ts";
import { sendSignal } from "../signal/sigsend.ts";
import { ERESTARTSYS, RETRY } from "../sysret.ts";
import { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from "../vfs/pollbits.ts";
import { makedev } from "../fs/stat.ts";

/** fs.mqueue defaults and hard limits (DFLT_MSGMAX, HARD_MSGMAX, DFLT_MSGSIZEMAX, HARD_MSGSIZEMAX). */
export const DFLT_MSG = 10, DFLT_MSGMAX = 10, HARD_MSGMAX = 65536, DFLT_MSGSIZE = 8192, DFLT_MSGSIZEMAX = 8192, HARD_MSGSIZEMAX = 16 << 20;
export const MQ_PRIO_MAX = 32768;
export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2;
const MQUEUE_DEV = makedev(0, 19);
let nextIno = 1n;

interface Msg {
  data: Uint8Array;
  prio: number;
}

export interface MqNotify {
  group: ThreadGroup;
  notify: number;
  signo: number;
  value: bigint;
}

/** struct mqueue_inode_info */
export class MqInode {
  readonly ino = nextIno++;
  readonly msgs: Msg[] = [];
  qsize = 0;
  notify: MqNotify | null = null;
  readonly wait = new WaitQueue();
  /** Receivers blocked in mq_timedreceive: a notification is only sent when there are none. */
  receivers = 0;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  constructor(readonly name: string, public mode: number, readonly uid: number, readonly gid: number, readonly maxmsg: number, readonly msgsize: number, private readonly pollWait: WaitQueue, now: bigint) {
    this.atimeNs = this.mtimeNs = this.ctimeNs = now;
  }

  changed(): void {
    this.wait.wake();
    this.pollWait.wake();
  }
}

/** The mqueue namespace of each kernel: name → queue. */
const namespaces = new WeakMap<object, Map<string, MqInode>>();
export function mqNamespace(k: object): Map<string, MqInode> {
  let ns = namespaces.get(k);
  if (!ns) namespaces.set(k, (ns = new Map()));
  return ns;
}

export function mqOf(f: OpenFile | null | undefined): MqInode | null {
  return f && f.ops === mqueueFileOps ? (f.data as MqInode) : null;
}

const realNow = (t: Task) => t.kernel.clock.now(0)!;

/**
 * Waits on the queue until `deadline` (CLOCK_REALTIME ns, or null): a signal restarts the call
 * (SA_RESTART) or is EINTR, the deadline is ETIMEDOUT.
 */
function wqSleep(t: Task, q: MqInode, what: string, deadline: bigint | null, receiving: boolean): number {
  if (deadline !== null && realNow(t) >= deadline) return -ETIMEDOUT;
  if (receiving) q.receivers++;
  const mono = t.kernel.clock.now(1)!;
  return sleepOn(t, {
    what,
    queues: [q.wait],
    deadline: deadline === null ? null : mono + (deadline - realNow(t)),
    resume: (why) => {
      if (receiving) q.receivers--;
      return why === "signal" ? -ERESTARTSYS : why === "timeout" ? -ETIMEDOUT : RETRY;
    },
  });
}

/** do_mq_timedsend, once the arguments are checked. */
export function mqSend(t: Task, f: OpenFile, q: MqInode, data: Uint8Array, prio: number, deadline: bigint | null): number {
  if (q.msgs.length >= q.maxmsg) {
    if (f.flags & O_NONBLOCK) return -EAGAIN;
    return wqSleep(t, q, "mq_timedsend", deadline, false);
  }
  // after the messages of the same or higher priority
  let i = q.msgs.length;
  while (i > 0 && q.msgs[i - 1]!.prio < prio) i--;
  const wasEmpty = q.msgs.length === 0;
  q.msgs.splice(i, 0, { data, prio });
  q.qsize += data.length;
  q.mtimeNs = q.ctimeNs = realNow(t);
  // __do_notify: the empty queue got a message and nobody is waiting in receive
  if (wasEmpty && q.receivers === 0 && q.notify) {
    const n = q.notify;
    q.notify = null;
    if (n.notify === SIGEV_SIGNAL && n.group.life === "alive") {
      sendSignal(n.group.leader, { signo: n.signo, code: SI_MESGQ, pid: t.tgid, uid: t.cred.uid, value: n.value }, true);
    }
  }
  q.changed();
  return 0;
}

/** do_mq_timedreceive: the message's length, its priority in `prio[0]`. */
export function mqReceive(t: Task, f: OpenFile, q: MqInode, dst: Uint8Array, prio: number[], deadline: bigint | null): number {
  const m = q.msgs.shift();
  if (!m) {
    if (f.flags & O_NONBLOCK) return -EAGAIN;
    return wqSleep(t, q, "mq_timedreceive", deadline, true);
  }
  q.qsize -= m.data.length;
  q.atimeNs = q.ctimeNs = realNow(t);
  dst.set(m.data);
  prio[0] = m.prio;
  q.changed();
  return m.data.length;
}

/** mqueue_read_file: what read(2) of the descriptor shows. */
function status(q: MqInode): string {
  const n = q.notify;
  return `QSIZE:${String(q.qsize).padEnd(10)} NOTIFY:${String(n ? n.notify : 0).padEnd(5)} SIGNO:${String(n && n.notify === SIGEV_SIGNAL ? n.signo : 0).padEnd(5)} NOTIFY_PID:${String(n ? n.group.leader.tgid : 0).padEnd(6)}\n`;
}

export const mqueueFileOps: FileOps = {
  read(f, _t, dst, pos) {
    const text = new TextEncoder().encode(status(f.data as MqInode));
    const at = pos ?? f.pos;
    const n = Math.max(0, Math.min(dst.length, text.length - at));
    dst.set(text.subarray(at, at + n));
    if (pos === null) f.pos += n;
    return n;
  },
  write: () => -EBADF,
  llseek: (f, off, whence) => (whence === 0 && off >= 0 ? (f.pos = off) : -EINVAL),
  poll(f) {
    const q = f.data as MqInode;
    let mask = 0;
    if (q.msgs.length > 0) mask |= POLLIN | POLLRDNORM;
    if (q.msgs.length < q.maxmsg) mask |= POLLOUT | POLLWRNORM;
    return mask;
  },
  stat(f): KStat {
    const q = f.data as MqInode;
    return {
      dev: MQUEUE_DEV, ino: q.ino, mode: S_IFREG | q.mode, nlink: 1, uid: q.uid, gid: q.gid, rdev: 0n,
      size: BigInt(q.qsize), blksize: 4096, blocks: 0n, atimeNs: q.atimeNs, mtimeNs: q.mtimeNs, ctimeNs: q.ctimeNs,
    };
  },
  release(f) {
    // the owner's registration goes with its last descriptor of the queue (mqueue_flush_file)
    const q = f.data as MqInode;
    if (q.notify && q.notify.group === (f as OpenFile & { opener?: ThreadGroup }).opener) q.notify = null;
  },
};

/** A new descriptor's open file for queue q. */
export function mqFile(t: Task, q: MqInode, flags: number): OpenFile {
  const f = new OpenFile(mqueueFileOps, flags, `/${q.name}`, q);
  (f as OpenFile & { opener?: ThreadGroup }).opener = t.group;
  return f;
}
