// System V semaphores (the kernel's ipc/sem.c): struct sem_array, semop's all-or-nothing
// application of an array of operations, its sleep, and the SEM_UNDO adjustments a process
// leaves behind at exit.
//
// Linux queues a blocked semop and lets the task that changes the set finish it
// (update_queue). Here a blocked task sleeps on the set's wait queue and, whenever any value
// of the set changes, runs its call again from the start (RETRY): the same all-or-nothing
// attempt, so the outcome is one Linux could have produced. What each sleeper waits for is
// kept for GETNCNT and GETZCNT.

import { EACCES, EAGAIN, EFBIG, EINTR, EINVAL, ENOSPC, ERANGE } from "../errno.ts";
import { callDeadline, sleepOn, WaitQueue } from "../proc/sched.ts";
import { ERESTARTNOHAND, RETRY } from "../sysret.ts";
import type { Task, ThreadGroup } from "../proc/task.ts";
import { ipcNs, SEMAEM, SEMMNS, SEMMSL, SEMVMX, type IpcNamespace } from "./namespace.ts";
import { EIDRM, ipcget, ipcperms, KernIpcPerm, realSeconds, S_IRUGO, S_IWUGO, IPC_NOWAIT, type IpcObject } from "./util.ts";

export const SEM_UNDO = 0x1000;
export const GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16, SETALL = 17;
export const SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20;

/** struct sembuf */
export interface Sembuf {
  num: number;
  op: number;
  flg: number;
}

/** struct sem: one semaphore's value and the process that last changed it. */
interface Sem {
  semval: number;
  sempid: number;
}

/** struct sem_undo: one process's pending adjustments to one set. */
export class SemUndo {
  readonly semadj: Int32Array;
  constructor(nsems: number) {
    this.semadj = new Int32Array(nsems);
  }
}

/** struct sem_array */
export class SemArray implements IpcObject {
  readonly perm: KernIpcPerm;
  otime = 0;
  ctime: number;
  readonly sems: Sem[];
  /** Blocked semops sleep here and run again when the set changes. */
  readonly wait = new WaitQueue();
  /** The operation each sleeper is blocked on (sem_queue's `blocking`). */
  readonly blocking = new Map<Task, Sembuf>();
  /** Every process's undo record for this set (list_id), cleared by SETVAL and SETALL. */
  readonly undos = new Set<SemUndo>();

  constructor(key: number, flags: number, t: Task, readonly nsems: number) {
    this.perm = new KernIpcPerm(key, flags, t.cred);
    this.ctime = realSeconds(t);
    this.sems = Array.from({ length: nsems }, () => ({ semval: 0, sempid: 0 }));
  }

  /** Values changed: every sleeper tries again (do_smart_update). */
  changed(): void {
    this.wait.wake();
  }
}

/** semget(2) */
export function semget(t: Task, key: number, nsems: number, flags: number): number {
  if (nsems < 0 || nsems > SEMMSL) return -EINVAL;
  const ns = ipcNs(t.kernel);
  return ipcget(ns.sem, t.cred, key, flags, {
    getnew: (k, f) => newary(t, ns, k, f, nsems),
    moreChecks: (sma) => (nsems > sma.nsems ? -EINVAL : 0),
  });
}

function newary(t: Task, ns: IpcNamespace, key: number, flags: number, nsems: number): SemArray | number {
  if (nsems === 0) return -EINVAL;
  if (ns.usedSems + nsems > SEMMNS || ns.sem.inUse >= ns.sem.max) return -ENOSPC;
  ns.usedSems += nsems;
  return new SemArray(key, flags, t, nsems);
}

/** find_alloc_undo: t's process's undo record for the set, made on first use. */
function findAllocUndo(g: ThreadGroup, sma: SemArray): SemUndo {
  const list = (g.semUndo ??= new Map());
  let un = list.get(sma);
  if (!un) {
    un = new SemUndo(sma.nsems);
    list.set(sma, un);
    sma.undos.add(un);
  }
  return un;
}

/**
 * perform_atomic_semop_slow: applies the operations in order, or none of them. 0 on success,
 * -ERANGE, -EAGAIN (would block under IPC_NOWAIT), or the index of the blocking operation + 1.
 */
export function performAtomicSemop(sma: SemArray, sops: readonly Sembuf[], un: SemUndo | null, pid: number): number {
  const saved = sma.sems.map((s) => s.semval);
  const savedAdj = un ? un.semadj.slice() : null;
  let result = 0;
  for (let i = 0; i < sops.length && result === 0; i++) {
    const sop = sops[i]!;
    const cur = sma.sems[sop.num]!;
    const v = cur.semval + sop.op;
    if ((sop.op === 0 && cur.semval !== 0) || v < 0) {
      result = sop.flg & IPC_NOWAIT ? -EAGAIN : i + 1;
    } else if (v > SEMVMX) {
      result = -ERANGE;
    } else {
      if (sop.flg & SEM_UNDO) {
        const adj = un!.semadj[sop.num]! - sop.op;
        if (adj < -SEMAEM - 1 || adj > SEMAEM) {
          result = -ERANGE;
          break;
        }
        un!.semadj[sop.num] = adj;
      }
      cur.semval = v;
    }
  }
  if (result !== 0) {
    saved.forEach((v, i) => (sma.sems[i]!.semval = v));
    if (un) un.semadj.set(savedAdj!);
    return result;
  }
  for (const sop of sops) sma.sems[sop.num]!.sempid = pid;
  return 0;
}

/**
 * do_semtimedop after the arguments are copied in: 0, -errno, or a sleep that runs the call
 * again when the set changes. A signal ends it with EINTR (never restarted, as on Linux), the
 * timeout with EAGAIN, the set's removal with EIDRM.
 */
export function semtimedop(t: Task, semid: number, sops: readonly Sembuf[], timeoutNs: bigint | null): number {
  let max = 0, undos = false, alter = false;
  for (const sop of sops) {
    max = Math.max(max, sop.num);
    if (sop.flg & SEM_UNDO) undos = true;
    if (sop.op !== 0) alter = true;
  }
  const sma = ipcNs(t.kernel).sem.find(semid);
  if (!sma) return -EINVAL;
  if (max >= sma.nsems) return -EFBIG;
  if (ipcperms(t.cred, sma.perm, alter ? S_IWUGO : S_IRUGO)) return -EACCES;
  const un = undos ? findAllocUndo(t.group, sma) : null;
  const r = performAtomicSemop(sma, sops, un, t.tgid);
  if (r === 0) {
    sma.otime = realSeconds(t);
    if (alter) sma.changed();
    return 0;
  }
  if (r < 0) return r;
  const deadline = callDeadline(t, timeoutNs);
  sma.blocking.set(t, sops[r - 1]!);
  return sleepOn(t, {
    what: "semtimedop",
    queues: [sma.wait],
    deadline,
    resume: (why) => {
      sma.blocking.delete(t);
      if (why === "signal") return -EINTR;
      if (sma.perm.deleted) return -EIDRM;
      return why === "timeout" ? -EAGAIN : RETRY;
    },
    retryRestart: -ERESTARTNOHAND,
  });
}

/** count_semcnt: tasks blocked waiting for semaphore semnum to grow (GETNCNT) or reach zero (GETZCNT). */
export function countSemcnt(sma: SemArray, semnum: number, zero: boolean): number {
  let n = 0;
  for (const t of sma.wait.sleepers) {
    const sop = sma.blocking.get(t);
    if (sop && sop.num === semnum && (zero ? sop.op === 0 : sop.op < 0)) n++;
  }
  return n;
}

/** SETVAL: -ERANGE for a value outside 0..SEMVMX; the undo adjustments of that semaphore go. */
export function semSetVal(t: Task, sma: SemArray, semnum: number, val: number): number {
  if (val < 0 || val > SEMVMX) return -ERANGE;
  for (const un of sma.undos) un.semadj[semnum] = 0;
  sma.sems[semnum]!.semval = val;
  sma.sems[semnum]!.sempid = t.tgid;
  sma.ctime = realSeconds(t);
  sma.changed();
  return 0;
}

/** SETALL: every value at once; -ERANGE (nothing changed) when one is above SEMVMX. */
export function semSetAll(t: Task, sma: SemArray, vals: readonly number[]): number {
  if (vals.some((v) => v > SEMVMX)) return -ERANGE;
  for (const un of sma.undos) un.semadj.fill(0);
  vals.forEach((v, i) => {
    sma.sems[i]!.semval = v;
    sma.sems[i]!.sempid = t.tgid;
  });
  sma.ctime = realSeconds(t);
  sma.changed();
  return 0;
}

/** freeary (IPC_RMID): out of the table; sleepers wake to EIDRM. */
export function semRmid(ns: IpcNamespace, sma: SemArray): void {
  ns.sem.remove(sma);
  ns.usedSems -= sma.nsems;
  sma.undos.clear();
  sma.changed();
}

/** exit_sem: a process's SEM_UNDO adjustments are applied, clamped to 0..SEMVMX. */
export function exitSem(g: ThreadGroup): void {
  const list = g.semUndo;
  if (!list) return;
  g.semUndo = null;
  for (const [sma, un] of list) {
    sma.undos.delete(un);
    if (sma.perm.deleted) continue;
    let touched = false;
    un.semadj.forEach((adj, i) => {
      if (adj === 0) return;
      const s = sma.sems[i]!;
      s.semval = Math.min(SEMVMX, Math.max(0, s.semval + adj));
      s.sempid = g.pid;
      touched = true;
    });
    if (touched) sma.changed();
  }
}
