// How tasks and processes end (the kernel's kernel/exit.c): a thread exits, the last one turns
// its process into a zombie that keeps its pid and status until the parent reaps it; children
// are handed to init (or a subreaper); the parent hears of it by SIGCHLD and wait4 wakes up.

import { put_user_u32 } from "../../mm/uaccess.ts";
import { exitRobustList, futexWake } from "./futex.ts";
import { exitSem } from "../ipc/sem.ts";
import { cancelItimers } from "../time/itimer.ts";
import { exitTimers } from "../time/posix-timers.ts";
import {
  CLD_EXITED, CLD_KILLED, SA_NOCLDSTOP, SA_NOCLDWAIT, SI_KERNEL, SIG_IGN, SIGCHLD, SIGCONT, SIGHUP,
  type SigInfo,
} from "../signal/signal.ts";
import { sendSignal, signalPgrp } from "../signal/sigsend.ts";
import type { Task, ThreadGroup } from "./task.ts";
import { sessionLeaderExit } from "../fs/tty.ts";
import type { MM } from "../../mm/mm.ts";

function alive(t: Task): boolean {
  return t.state !== "zombie" && t.state !== "dead";
}

/** USER_HZ clock ticks for a number of instructions at the nominal 1 GHz. */
export function insnsToTicks(insns: number): bigint {
  return BigInt(Math.floor(insns / 10_000_000));
}

/** mm_release: the thread's last words to user space (clear_child_tid, robust futexes, vfork). */
function mmRelease(t: Task): void {
  const k = t.kernel;
  if (t.clearChildTid) {
    const addr = t.clearChildTid;
    t.clearChildTid = 0;
    if (k.mmUsers(t.mm) > 1) {
      put_user_u32(t.mm, addr, 0);
      futexWake(t, addr, 1, 0xffffffff);
    }
  }
  exitRobustList(t);
  releaseVforkParent(t);
}

/** Lets a vfork parent go on: the child has exec'ed or exited. */
export function releaseVforkParent(t: Task): void {
  const p = t.vforkParent;
  t.vforkParent = null;
  if (p) t.kernel.sched.wake(p, "wake", 0);
}

/** do_exit for one thread, with its wait status; the last thread makes the process a zombie. */
export function exitThread(t: Task, status: number): void {
  if (!alive(t)) return;
  const k = t.kernel;
  const g = t.group;
  t.exitCode = status;
  k.sched.remove(t);
  mmRelease(t);
  t.regs.release?.();
  g.deadInsns += t.cpuInsns;
  k.putMm(t.mm);
  k.putFiles(t.files);
  if (t === g.leader) {
    t.state = "zombie"; // the leader's pid stays while the process exists
  } else {
    t.state = "dead";
    k.tasks.delete(t.tid);
    g.threads.splice(g.threads.indexOf(t), 1);
  }
  if (g.liveThreads().length === 0) processDied(g);
}

/** do_group_exit: every thread of t's process exits with `status` (t, the caller, last). */
export function exitGroup(t: Task, status: number): void {
  const g = t.group;
  if (g.groupExit === null) g.groupExit = status;
  const code = g.groupExit;
  for (const th of [...g.threads]) {
    if (th === t || !alive(th)) continue;
    if ((code & 0x7f) === 0) t.kernel.strace?.exited(th, (code >> 8) & 0xff);
    exitThread(th, code);
  }
  exitThread(t, code);
}

/** A process dies of a signal now: strace's line, the embedder's report (unless not `report`), every thread gone. */
export function exitProcessNow(g: ThreadGroup, sig: number, info: SigInfo | null, by: Task = g.leader, report = true): void {
  if (g.life !== "alive") return;
  g.groupExit = sig;
  const k = by.kernel;
  if (info && sig !== 9) k.strace?.signalDelivered(by, info); // a tracer never sees SIGKILL itself
  k.strace?.killed(by, sig);
  if (report) k.reportKilled(g, sig, info);
  for (const th of [...g.threads]) exitThread(th, sig);
}

/** The last thread is gone: the process becomes a zombie and its relatives are told. */
/** What an address space the process is leaving cost it, kept for getrusage (setmax_mm_hiwater_rss). */
export function foldMmUsage(g: ThreadGroup, mm: MM): void {
  g.maxrssPages = Math.max(g.maxrssPages, mm.rss().peak);
  g.minflt += mm.minflt;
}

function processDied(g: ThreadGroup): void {
  const k = g.leader.kernel;
  g.exitCode = g.groupExit ?? g.leader.exitCode;
  g.life = "zombie";
  foldMmUsage(g, g.leader.mm);
  cancelItimers(g);
  exitTimers(g);
  exitSem(g); // SEM_UNDO adjustments: the undo list is the process's, so its last thread applies them
  if (g.pid === g.sid) sessionLeaderExit(g);
  killOrphanedPgrp(g, g.parent, g);
  forgetOriginalParent(g);
  k.processExited(g);
  doNotifyParent(g);
}

/** The nearest living subreaper above g, else init (find_new_reaper). */
function findReaper(g: ThreadGroup): ThreadGroup {
  const init = g.leader.kernel.init.group;
  for (let p = g.parent; p && p !== init; p = p.parent) if (p.subreaper && p.life === "alive") return p;
  return init;
}

/** forget_original_parent: g's children get a new parent; zombies among them are reaped by it. */
function forgetOriginalParent(g: ThreadGroup): void {
  if (g.children.length === 0) return;
  const reaper = findReaper(g);
  for (const c of [...g.children]) {
    g.children.splice(g.children.indexOf(c), 1);
    c.parent = reaper;
    c.exitSignal = SIGCHLD; // "we don't want people slaying init" (reparent_leader)
    reaper.children.push(c);
    for (const th of c.threads) if (alive(th) && th.pdeathSig) sendSignal(th, { signo: th.pdeathSig, code: SI_KERNEL }, true);
    if (c.life === "zombie") doNotifyParent(c);
    else killOrphanedPgrp(c, g, null);
  }
}

/** Whether process group pgid has no member with a parent outside it in the same session. */
function willBeOrphaned(k: Task["kernel"], pgid: number, ignore: ThreadGroup | null): boolean {
  for (const t of k.tasks.values()) {
    const p = t.group;
    if (p.leader !== t || p.pgid !== pgid || p === ignore || p.life !== "alive") continue;
    const parent = p.parent;
    // init does not count (is_global_init), except as the shell that started the first program
    if (!parent || (parent === k.init.group && !p.startedByShell)) continue;
    if (parent.pgid !== pgid && parent.sid === p.sid) return false;
  }
  return true;
}

/**
 * kill_orphaned_pgrp: when an exit leaves a process group orphaned (nobody outside it in the
 * session could continue it) and it has stopped members, they get SIGHUP and SIGCONT.
 */
function killOrphanedPgrp(member: ThreadGroup, parent: ThreadGroup | null, ignore: ThreadGroup | null): void {
  const k = member.leader.kernel;
  const pgid = member.pgid;
  if (!parent || parent.pgid === pgid || parent.sid !== member.sid) return;
  if (!willBeOrphaned(k, pgid, ignore)) return;
  const stopped = [...k.tasks.values()].some((t) => t.group.pgid === pgid && t.state === "stopped");
  if (!stopped) return;
  signalPgrp(member.leader, pgid, { signo: SIGHUP, code: SI_KERNEL });
  signalPgrp(member.leader, pgid, { signo: SIGCONT, code: SI_KERNEL });
}

/** Whether process group pgid is orphaned (is_current_pgrp_orphaned), e.g. for SIGTSTP. */
export function isOrphanedPgrp(k: Task["kernel"], pgid: number): boolean {
  return willBeOrphaned(k, pgid, null);
}

/** The SIGCHLD siginfo for a zombie or a stop/continue. */
function childInfo(g: ThreadGroup, sig: number, code: number, status: number): SigInfo {
  return {
    signo: sig, code, pid: g.pid, uid: g.leader.cred.uid, status,
    utime: insnsToTicks(g.deadInsns + g.liveThreads().reduce((n, t) => n + t.cpuInsns, 0)), stime: 0n,
  };
}

/** do_notify_parent: SIGCHLD (or clone's exit signal) and a wake-up for a zombie's parent. */
function doNotifyParent(g: ThreadGroup): void {
  const parent = g.parent!;
  const k = g.leader.kernel;
  const st = g.exitCode;
  const info = childInfo(g, g.exitSignal, st & 0x7f ? CLD_KILLED : CLD_EXITED, st & 0x7f ? st & 0x7f : (st >> 8) & 0xff);
  let sig = g.exitSignal;
  let autoreap = parent === k.init.group;
  const act = parent.leader.sighand.actions[SIGCHLD]!;
  if (sig === SIGCHLD && (act.handler === SIG_IGN || (act.flags & BigInt(SA_NOCLDWAIT)) !== 0n)) {
    autoreap = true;
    if (act.handler === SIG_IGN) sig = 0;
  }
  if (sig > 0 && parent.life === "alive") sendSignal(parent.leader, { ...info, signo: sig }, true);
  parent.childWait.wake();
  // init reaps at once, except the first program, whose zombie --ptree shows at the end
  if (autoreap && !(parent === k.init.group && k.isFirst(g))) reap(g);
}

/** do_notify_parent_cldstop: the parent learns a child stopped or continued. */
export function notifyParentStopCont(g: ThreadGroup, why: number, sig: number): void {
  const parent = g.parent;
  if (!parent || parent.life !== "alive") return;
  const act = parent.leader.sighand.actions[SIGCHLD]!;
  if (act.handler !== SIG_IGN && (act.flags & BigInt(SA_NOCLDSTOP)) === 0n && !parent.leader.isInit) {
    sendSignal(parent.leader, childInfo(g, SIGCHLD, why, sig), true);
  }
  parent.childWait.wake();
}

/** release_task: a reaped zombie's pid is free again; its CPU time goes to the parent. */
export function reap(g: ThreadGroup): void {
  if (g.life !== "zombie") return;
  const k = g.leader.kernel;
  g.life = "reaped";
  for (const th of g.threads) {
    th.state = "dead";
    k.tasks.delete(th.tid);
  }
  const parent = g.parent;
  if (parent) {
    parent.children.splice(parent.children.indexOf(g), 1);
    parent.childInsns += g.deadInsns + g.childInsns;
    parent.childMaxrssPages = Math.max(parent.childMaxrssPages, g.maxrssPages, g.childMaxrssPages);
    parent.childMinflt += g.minflt + g.childMinflt;
  }
}

