// System V message queues (the kernel's ipc/msg.c): struct msg_queue, msgsnd's wait for room
// and msgrcv's search by type and wait for a message.
//
// As with semaphores, a blocked sender or receiver sleeps on the queue and runs its call again
// when the queue changes (RETRY) instead of being handed a message by the other side
// (pipelined_send); IPC_RMID wakes them to EIDRM.

import { E2BIG, EACCES, EAGAIN, EINVAL, ENOSPC } from "../errno.ts";
import { sleepOn, WaitQueue } from "../proc/sched.ts";
import { ERESTARTNOHAND, RETRY } from "../sysret.ts";
import type { Task } from "../proc/task.ts";
import { ipcNs, MSGMNB, type IpcNamespace } from "./namespace.ts";
import { EIDRM, ENOMSG, ipcget, ipcperms, IPC_NOWAIT, KernIpcPerm, realSeconds, S_IRUGO, S_IWUGO, type IpcObject } from "./util.ts";

export const MSG_NOERROR = 0o10000, MSG_EXCEPT = 0o20000, MSG_COPY = 0o40000;
export const MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;

/** struct msg_msg */
export interface MsgMsg {
  type: bigint;
  text: Uint8Array;
}

/** struct msg_queue */
export class MsgQueue implements IpcObject {
  readonly perm: KernIpcPerm;
  stime = 0;
  rtime = 0;
  ctime: number;
  lspid = 0;
  lrpid = 0;
  cbytes = 0;
  qbytes = MSGMNB;
  readonly messages: MsgMsg[] = [];
  /** Senders waiting for room and receivers waiting for a message. */
  readonly senders = new WaitQueue();
  readonly receivers = new WaitQueue();

  constructor(key: number, flags: number, t: Task) {
    this.perm = new KernIpcPerm(key, flags, t.cred);
    this.ctime = realSeconds(t);
  }

  get qnum(): number {
    return this.messages.length;
  }
}

/** msgget(2) */
export function msgget(t: Task, key: number, flags: number): number {
  const ns = ipcNs(t.kernel);
  return ipcget(ns.msg, t.cred, key, flags, {
    getnew: (k, f) => (ns.msg.inUse >= ns.msg.max ? -ENOSPC : new MsgQueue(k, f, t)),
  });
}

const park = (t: Task, msq: MsgQueue, q: WaitQueue, what: string): number =>
  sleepOn(t, {
    what,
    queues: [q],
    resume: (why) => (why === "signal" ? -ERESTARTNOHAND : msq.perm.deleted ? -EIDRM : RETRY),
    retryRestart: -ERESTARTNOHAND,
  });

/** do_msgsnd after the message is copied in (size and type already checked): 0 or -errno, or a wait for room. */
export function doMsgsnd(t: Task, msqid: number, msg: MsgMsg, flags: number): number {
  const ns = ipcNs(t.kernel);
  const msq = ns.msg.find(msqid);
  if (!msq) return -EINVAL;
  if (ipcperms(t.cred, msq.perm, S_IWUGO)) return -EACCES;
  const len = msg.text.length;
  // msg_fits_inqueue: room for the bytes, and for one more message header
  if (msq.cbytes + len > msq.qbytes || msq.qnum + 1 > msq.qbytes) {
    return flags & IPC_NOWAIT ? -EAGAIN : park(t, msq, msq.senders, "msgsnd");
  }
  msq.messages.push(msg);
  msq.cbytes += len;
  msq.lspid = t.tgid;
  msq.stime = realSeconds(t);
  ns.msgHdrs++;
  ns.msgBytes += len;
  msq.receivers.wake();
  return 0;
}

/** find_msg: the message msgrcv's type and mode select, or null. */
export function findMsg(msq: MsgQueue, msgtyp: bigint, flags: number): number {
  if (flags & MSG_COPY) return msgtyp >= 0n && msgtyp < BigInt(msq.qnum) ? Number(msgtyp) : -1;
  if (msgtyp === 0n) return msq.qnum > 0 ? 0 : -1;
  if (msgtyp < 0n) {
    // the lowest type <= |msgtyp|, the first of them
    const limit = msgtyp === -(1n << 63n) ? (1n << 63n) - 1n : -msgtyp;
    let best = -1;
    msq.messages.forEach((m, i) => {
      if (m.type <= limit && (best < 0 || m.type < msq.messages[best]!.type)) best = i;
    });
    return best;
  }
  const except = (flags & MSG_EXCEPT) !== 0;
  return msq.messages.findIndex((m) => (m.type === msgtyp) !== except);
}

/** do_msgrcv: the message taken off the queue (a copy with MSG_COPY), -errno, or a wait. */
export function doMsgrcv(t: Task, msqid: number, bufsz: number, msgtyp: bigint, flags: number): MsgMsg | number {
  const ns = ipcNs(t.kernel);
  const msq = ns.msg.find(msqid);
  if (!msq) return -EINVAL;
  if (ipcperms(t.cred, msq.perm, S_IRUGO)) return -EACCES;
  const i = findMsg(msq, msgtyp, flags);
  if (i < 0) return flags & IPC_NOWAIT ? -ENOMSG : park(t, msq, msq.receivers, "msgrcv");
  const msg = msq.messages[i]!;
  if (bufsz < msg.text.length && !(flags & MSG_NOERROR)) return -E2BIG;
  if (flags & MSG_COPY) return { type: msg.type, text: msg.text };
  msq.messages.splice(i, 1);
  msq.cbytes -= msg.text.length;
  msq.lrpid = t.tgid;
  msq.rtime = realSeconds(t);
  ns.msgHdrs--;
  ns.msgBytes -= msg.text.length;
  msq.senders.wake();
  return msg;
}

/** freeque (IPC_RMID): the messages go; senders and receivers wake to EIDRM. */
export function msgRmid(ns: IpcNamespace, msq: MsgQueue): void {
  ns.msg.remove(msq);
  for (const m of msq.messages) ns.msgBytes -= m.text.length;
  ns.msgHdrs -= msq.qnum;
  msq.messages.length = 0;
  msq.cbytes = 0;
  msq.senders.wake();
  msq.receivers.wake();
}

/** IPC_SET's msg_qbytes: raising it above MSGMNB takes CAP_SYS_RESOURCE; senders may now fit. */
export function msgSetQbytes(msq: MsgQueue, qbytes: number): void {
  msq.qbytes = qbytes;
  msq.senders.wake();
}
