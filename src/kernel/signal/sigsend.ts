// Sending signals (the kernel's kernel/signal.c, send side): to a thread or to a process, to a
// process group or to everyone, with kill(2)'s permission rules, SIGCONT's and the stop
// signals' immediate effects, and the choice of which thread wakes up to take a signal.

import { EINVAL, EPERM, ESRCH } from "../errno.ts";
import { exitProcessNow, notifyParentStopCont } from "../proc/exit.ts";
import {
  CLD_CONTINUED, defaultAction, isStopSignal, NSIG, SI_USER, SIG_DFL, SIG_IGN, sigbit, SIGCONT,
  SIGKILL, SIGSEGV, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, type SigInfo,
} from "./signal.ts";
import { CAP_KILL, capable, type Task, type ThreadGroup } from "../proc/task.ts";

const STOP_MASK = sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU);

function alive(t: Task): boolean {
  return t.state !== "zombie" && t.state !== "dead";
}

/** sig_ignored: a signal t ignores and does not block is dropped at once. */
function sigIgnored(t: Task, sig: number): boolean {
  if (t.blocked & sigbit(sig)) return false;
  const h = t.sighand.actions[sig]!.handler;
  return h === SIG_IGN || (h === SIG_DFL && (defaultAction(sig) === "ign" || defaultAction(sig) === "cont"));
}

/** Whether sig, if t takes it, kills the process by its default action (sig_fatal). */
function sigFatal(t: Task, sig: number): boolean {
  if (sig === SIGKILL) return true;
  const a = defaultAction(sig);
  return t.sighand.actions[sig]!.handler === SIG_DFL && (a === "term" || a === "core");
}

/** Drops pending signals in mask from the process and each of its threads. */
function flushGroup(g: ThreadGroup, mask: bigint): void {
  g.shared.flush(mask);
  for (const th of g.threads) th.pending.flush(mask);
}

/** prepare_signal: the effects a signal has when sent, whatever happens to it later; false = drop it. */
function prepareSignal(p: Task, sig: number): boolean {
  const g = p.group;
  if (g.groupExit !== null) return false; // the process is dying: nothing to add
  if (isStopSignal(sig)) {
    flushGroup(g, sigbit(SIGCONT));
  } else if (sig === SIGCONT) {
    flushGroup(g, STOP_MASK);
    resumeStopped(g);
  }
  return !sigIgnored(p, sig);
}

/** SIGCONT's immediate effect: a stopped process runs again and its parent hears of it. */
function resumeStopped(g: ThreadGroup): void {
  const wasStopped = g.stopSig !== 0 || g.threads.some((th) => th.state === "stopped");
  g.stopSig = 0;
  if (!wasStopped) return;
  for (const th of g.threads) {
    if (th.state !== "stopped") continue;
    th.state = "running";
    th.kernel.sched.enqueue(th);
  }
  g.stopReported = true;
  g.continuedUnreported = true;
  notifyParentStopCont(g, CLD_CONTINUED, SIGCONT);
}

/** Whether thread t can take sig now (wants_signal). */
function wantsSignal(sig: number, t: Task): boolean {
  if (!alive(t)) return false;
  if (sig === SIGKILL) return true;
  if (t.blocked & sigbit(sig)) return false;
  return t.state !== "stopped";
}

/** send_signal: queues info for thread p (group=false) or its whole process (group=true). */
export function sendSignal(p: Task, info: SigInfo, group: boolean): void {
  const sig = info.signo;
  // a process whose main thread has exited still takes signals through its other threads
  if (group && !alive(p)) p = p.group.threads.find(alive) ?? p;
  if (!alive(p) || p.isInit) return; // init is SIGNAL_UNKILLABLE and has no handlers
  if (!prepareSignal(p, sig)) {
    // dropped, but strace (a tracer sees ignored signals too) still shows it
    if (sig !== 0 && p.group.groupExit === null && p.kernel.strace) p.straceNotes.push(info);
    return;
  }
  const g = p.group;
  (group ? g.shared : p.pending).add(info);
  if (p.kernel.signalfds > 0) p.kernel.pollWait.wake(); // signalfd readers and pollers (signalfd_notify)
  completeSignal(p, info, group);
}

/** complete_signal: picks the thread that takes sig and wakes it; a fatal signal kills at once. */
function completeSignal(p: Task, info: SigInfo, group: boolean): void {
  const sig = info.signo;
  const g = p.group;
  const t = wantsSignal(sig, p) ? p : group ? g.threads.find((th) => wantsSignal(sig, th)) : undefined;
  if (!t) return;
  const sched = p.kernel.sched;
  if (sigFatal(t, sig) && (sig === SIGKILL || !((t.blocked | t.realBlocked) & sigbit(sig)))) {
    // A process other than the caller's dies right away, as if every thread took SIGKILL; the
    // caller's own process dies on its way back to user mode, where strace shows the signal.
    if (sched.current?.group !== g) {
      exitProcessNow(g, sig, info, t);
      return;
    }
    if (sig === SIGKILL) {
      g.groupExit = SIGKILL;
      for (const th of g.threads) wakeToDie(th);
      return;
    }
  }
  sched.signalWake(t, sig === SIGKILL);
}

/** Gets a thread of a dying process back on the CPU so it can exit. */
function wakeToDie(t: Task): void {
  if (t.state === "stopped") {
    t.state = "running";
    t.kernel.sched.enqueue(t);
  } else {
    t.kernel.sched.signalWake(t, true);
  }
}

/** kill_ok_by_cred + the SIGCONT-in-session rule: may `from` signal `to`? */
export function mayKill(from: Task, to: Task, sig: number): boolean {
  const a = from.cred, b = to.cred;
  if (a.euid === b.suid || a.euid === b.uid || a.uid === b.suid || a.uid === b.uid) return true;
  if (capable(a, CAP_KILL)) return true;
  return sig === SIGCONT && from.sid === to.sid;
}

/** The siginfo kill(2) sends: SI_USER from the caller. */
export function userInfo(from: Task, sig: number, code = SI_USER): SigInfo {
  return { signo: sig, code, pid: from.tgid, uid: from.cred.uid };
}

/** Sends sig to process `to` from `from` with permission checks; 0 or -errno (sig 0 only checks). */
export function killProcess(from: Task, to: Task, info: SigInfo): number {
  if (info.signo < 0 || info.signo > NSIG) return -EINVAL;
  if (!mayKill(from, to, info.signo)) return -EPERM;
  if (info.signo !== 0) sendSignal(to.group.leader, info, true);
  return 0;
}

/** The process leaders the kernel knows, in pid order (init included). */
function processes(from: Task): Task[] {
  const out: Task[] = [];
  for (const t of from.kernel.tasks.values()) if (t.group.leader === t && t.group.life === "alive") out.push(t);
  return out;
}

/** kill(2)'s pid argument: a process, 0 (our group), -1 (everyone we may), -pgid. */
export function killSomething(from: Task, pid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const info = userInfo(from, sig);
  if (pid > 0) {
    const t = from.kernel.tasks.get(pid);
    if (!t || t.state === "dead") return -ESRCH;
    if (t.isInit) return mayKill(from, t, sig) ? 0 : -EPERM;
    return killProcess(from, t, info);
  }
  if (pid === -1) {
    // As Linux: EPERM from some processes is not an error of the call; ESRCH when there were none.
    let count = 0, ret = 0;
    for (const p of processes(from)) {
      if (p.isInit || p.group === from.group) continue;
      const r = killProcess(from, p, info);
      count++;
      if (r !== -EPERM) ret = r;
    }
    return count > 0 ? ret : -ESRCH;
  }
  return killPgrp(from, pid === 0 ? from.pgid : -pid, info);
}

/** __kill_pgrp_info: every process of a group; ESRCH when it is empty, EPERM when none allowed. */
export function killPgrp(from: Task, pgid: number, info: SigInfo): number {
  let found = false, ok = false, err = -ESRCH;
  for (const p of processes(from)) {
    if (p.pgid !== pgid || p.isInit) continue;
    found = true;
    const r = killProcess(from, p, info);
    if (r === 0) ok = true;
    else err = r;
  }
  return !found ? -ESRCH : ok ? 0 : err;
}

/** Sends a kernel-made signal to every process of a group, without permission checks. */
export function signalPgrp(from: Task, pgid: number, info: SigInfo): void {
  for (const p of processes(from)) if (p.pgid === pgid && !p.isInit) sendSignal(p, info, true);
}

/** force_sig_info: a fault's signal can be neither blocked nor ignored; it goes to this thread. */
export function forceSignal(t: Task, info: SigInfo): void {
  const sig = info.signo;
  const act = t.sighand.actions[sig]!;
  const blocked = (t.blocked & sigbit(sig)) !== 0n;
  if (blocked || act.handler === SIG_IGN) {
    act.handler = SIG_DFL;
    if (blocked) t.blocked &= ~sigbit(sig);
  }
  t.pending.add(info);
}

/** force_sigsegv: what a task gets when its signal frame cannot be written. */
export function forceSigsegv(t: Task): void {
  forceSignal(t, { signo: SIGSEGV, code: 0x80 /* SI_KERNEL */, pid: 0, uid: 0 });
}
