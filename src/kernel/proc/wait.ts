// wait4(2) and waitid(2) (the kernel's do_wait in kernel/exit.c): a parent collects a child
// that exited (reaping the zombie), stopped or continued, or sleeps until one does.

import { ECHILD, EINVAL } from "../errno.ts";
import { reap } from "./exit.ts";
import { sleepOn } from "./sched.ts";
import { CLD_CONTINUED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, SIGCHLD, SIGCONT, type SigInfo } from "../signal/signal.ts";
import { ERESTARTSYS, RETRY } from "../sysret.ts";
import type { Task, ThreadGroup } from "./task.ts";

export const WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000;
export const __WNOTHREAD = 0x20000000, __WALL = 0x40000000, __WCLONE = 0x80000000 | 0;
export const P_ALL = 0, P_PID = 1, P_PGID = 2;

/** Which children a wait is for: all, one pid, or one process group. */
export interface WaitSpec {
  which: "all" | "pid" | "pgid";
  id: number;
  options: number;
}

/** A reported child: wait4's status word and waitid's siginfo, plus its CPU time. */
export interface WaitResult {
  pid: number;
  status: number;
  info: SigInfo;
  insns: number;
  /** The child's memory use, with its own reaped children's (wait4's rusage). */
  mem: { maxrssPages: number; minflt: number };
}

/** eligible_child: the wanted id, and clone children only with __WCLONE (all with __WALL). */
function eligible(c: ThreadGroup, w: WaitSpec): boolean {
  if (w.which === "pid" && c.pid !== w.id) return false;
  if (w.which === "pgid" && c.pgid !== w.id) return false;
  if (w.options & __WALL) return true;
  return (c.exitSignal !== SIGCHLD) === ((w.options & __WCLONE) !== 0);
}

function memOf(c: ThreadGroup): { maxrssPages: number; minflt: number } {
  const live = c.life === "alive" ? c.leader.mm : null;
  return {
    maxrssPages: Math.max(c.maxrssPages, c.childMaxrssPages, live ? live.rss().peak : 0),
    minflt: c.minflt + c.childMinflt + (live ? live.minflt : 0),
  };
}

function cpuOf(c: ThreadGroup): number {
  return c.deadInsns + c.childInsns + c.liveThreads().reduce((n, t) => n + t.cpuInsns, 0);
}

/** What child c has to report for w, consuming the report unless WNOWAIT; null for nothing. */
function report(c: ThreadGroup, w: WaitSpec): WaitResult | null {
  const keep = (w.options & WNOWAIT) !== 0;
  const base = { signo: SIGCHLD, pid: c.pid, uid: c.leader.cred.uid };
  if (c.life === "zombie" && w.options & WEXITED) {
    const st = c.exitCode;
    const sig = st & 0x7f;
    const r = { pid: c.pid, status: st, insns: cpuOf(c), mem: memOf(c), info: { ...base, code: sig ? CLD_KILLED : CLD_EXITED, status: sig || (st >> 8) & 0xff } };
    if (!keep) reap(c);
    return r;
  }
  if (c.life !== "alive") return null;
  if (c.stopSig !== 0 && !c.stopReported && w.options & WSTOPPED) {
    if (!keep) c.stopReported = true;
    return { pid: c.pid, status: (c.stopSig << 8) | 0x7f, insns: cpuOf(c), mem: memOf(c), info: { ...base, code: CLD_STOPPED, status: c.stopSig } };
  }
  if (c.continuedUnreported && w.options & WCONTINUED) {
    if (!keep) c.continuedUnreported = false;
    return { pid: c.pid, status: 0xffff, insns: cpuOf(c), mem: memOf(c), info: { ...base, code: CLD_CONTINUED, status: SIGCONT } };
  }
  return null;
}

/**
 * do_wait: a child's report, or 0 with WNOHANG when none is ready, -ECHILD when there is no
 * such child, or the task sleeps until a child changes state (the call then runs again).
 */
export function doWait(t: Task, w: WaitSpec): WaitResult | number {
  if ((w.options & (WEXITED | WSTOPPED | WCONTINUED)) === 0) return -EINVAL;
  const kids = t.group.children.filter((c) => eligible(c, w));
  if (kids.length === 0) return -ECHILD;
  for (const c of kids) {
    const r = report(c, w);
    if (r) return r;
  }
  if (w.options & WNOHANG) return 0;
  return sleepOn(t, { what: "wait4", queues: [t.group.childWait], resume: (why) => (why === "signal" ? -ERESTARTSYS : RETRY) });
}
