// Delivering signals (the kernel's get_signal/handle_signal and arch/riscv/kernel/signal.c):
// on every return to user mode, a task takes its pending signals: default actions stop the
// process or end it; a handler gets a frame on the stack (the alternate one with SA_ONSTACK)
// and returns through the vDSO's __vdso_rt_sigreturn. An interrupted system call restarts or
// fails with EINTR here, by the handler's SA_RESTART.

import { EINTR, ENOMEM, EINVAL, EPERM } from "../errno.ts";
import { exitGroup, isOrphanedPgrp, notifyParentStopCont } from "../proc/exit.ts";
import { encodeSiginfo } from "./siginfo.ts";
import {
  CLD_STOPPED, defaultAction, nextSignal, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SIG_DFL,
  SIG_IGN, sigbit, SIGKILL, SIGSTOP, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK, UNBLOCKABLE, noAltStack,
  type AltStack, type SigAction, type SigInfo,
} from "./signal.ts";
import { forceSigsegv } from "./sigsend.ts";
import { ERESTART_RESTARTBLOCK, ERESTARTNOHAND, ERESTARTSYS, justReturn } from "../sysret.ts";
import type { Task } from "../proc/task.ts";

import { SA_RESTORER } from "../../../syscalls/abi/linux.ts";

/** Whether t has anything for deliverSignals to do (a cheap test on every return to user mode). */
export function hasSignalWork(t: Task): boolean {
  const g = t.group;
  // comparisons only: a BigInt operation would allocate on every system call
  return t.pending.signal !== 0n || g.shared.signal !== 0n || t.restart !== 0 || t.savedSigmask !== null || g.groupExit !== null || g.stopSig !== 0;
}

/** do_signal: acts on t's deliverable signals, then settles an interrupted system call. */
export function deliverSignals(t: Task): void {
  const g = t.group;
  const k = t.kernel;
  for (;;) {
    if (t.state !== "running") return;
    if (g.groupExit !== null) {
      const sig = g.groupExit & 0x7f;
      if (sig) {
        k.strace?.killed(t, sig);
        k.reportKilled(g, sig, null);
      }
      exitGroup(t, g.groupExit);
      return;
    }
    if (g.stopSig !== 0) {
      stopTask(t);
      return;
    }
    const info = dequeue(t);
    if (info === null) break;
    const sig = info.signo;
    const act = t.sighand.actions[sig]!;
    if (act.handler === SIG_IGN && sig !== SIGKILL && sig !== SIGSTOP) continue;
    if (t.retryTrace) {
      // the call woke to run again and the signal came first: it ends here, interrupted
      t.retryTrace.exit(t.restart);
      t.retryTrace = null;
    }
    k.strace?.signalDelivered(t, info);
    if (act.handler !== SIG_DFL && sig !== SIGKILL && sig !== SIGSTOP) {
      handleSignal(t, sig, info, act);
      continue;
    }
    const action = defaultAction(sig);
    if (action === "ign" || action === "cont") continue;
    if (action === "stop") {
      if (sig !== SIGSTOP && isOrphanedPgrp(k, t.pgid)) continue; // nobody could continue it
      groupStop(t, sig);
      return;
    }
    k.strace?.killed(t, sig);
    k.reportKilled(g, sig, info);
    exitGroup(t, sig);
    return;
  }
  if (t.restart !== 0) restartWithoutHandler(t);
  restoreSigmask(t);
}

/** dequeue_signal: the next signal t does not block, its own before its process's. */
function dequeue(t: Task): SigInfo | null {
  const own = nextSignal(t.pending.signal & ~t.blocked);
  if (own) return t.pending.take(own);
  const shared = nextSignal(t.group.shared.signal & ~t.blocked);
  return shared ? t.group.shared.take(shared) : null;
}

/** A stopped call with no handler to run restarts: pc is still on its ecall, a0 untouched. */
function restartWithoutHandler(t: Task): void {
  const r = t.restart;
  t.restart = 0;
  if (r === -ERESTART_RESTARTBLOCK) t.regs.syscallRestartBlock?.();
}

/** Puts back the mask sigsuspend or ppoll replaced for their wait (restore_saved_sigmask). */
export function restoreSigmask(t: Task): void {
  if (t.savedSigmask === null) return;
  t.blocked = t.savedSigmask;
  t.savedSigmask = null;
}

/** Sets t's mask for the length of a wait; the old one comes back at return to user mode. */
export function setRestoreSigmask(t: Task, mask: bigint): void {
  if (t.savedSigmask === null) t.savedSigmask = t.blocked;
  t.blocked = mask & ~UNBLOCKABLE;
}

/** Stops t (the group stop reached it); SIGCONT puts it back on the run queue. */
function stopTask(t: Task): void {
  t.state = "stopped";
  t.kernel.sched.remove(t);
}

/** do_signal_stop: every thread of the process stops; the parent hears CLD_STOPPED. */
function groupStop(t: Task, sig: number): void {
  const g = t.group;
  g.stopSig = sig;
  g.stopReported = false;
  g.continuedUnreported = false;
  for (const th of g.threads) {
    if (th === t) continue;
    if (th.state === "running") stopTask(th);
    else if (th.state === "sleeping") t.kernel.sched.signalWake(th, false); // stops on its way out
  }
  stopTask(t);
  notifyParentStopCont(g, CLD_STOPPED, sig);
}

/** handle_signal: settles the interrupted call by SA_RESTART, builds the frame, blocks sa_mask. */
function handleSignal(t: Task, sig: number, info: SigInfo, act: SigAction): void {
  const flags = Number(act.flags & 0xffffffffn);
  const a = { ...act };
  if (flags & SA_RESETHAND) act.handler = SIG_DFL;
  if (t.restart !== 0) {
    const r = t.restart;
    t.restart = 0;
    const eintr = r === -ERESTART_RESTARTBLOCK || r === -ERESTARTNOHAND || (r === -ERESTARTSYS && !(flags & SA_RESTART));
    if (eintr) t.regs.syscallReturn(BigInt(-EINTR));
  }
  const mask = t.savedSigmask ?? t.blocked;
  t.savedSigmask = null;
  if (!setupFrame(t, sig, info, a, mask, flags)) {
    forceSigsegv(t);
    return;
  }
  t.blocked = (t.blocked | a.mask | (flags & SA_NODEFER ? 0n : sigbit(sig))) & ~UNBLOCKABLE;
}

/** on_sig_stack: whether sp is inside t's alternate stack. */
export function onSigStack(t: Task, sp: bigint): boolean {
  if (t.sas.flags & SS_AUTODISARM) return false;
  return t.sas.size !== 0n && sp > t.sas.sp && sp - t.sas.sp <= t.sas.size;
}

/** sas_ss_flags: SS_DISABLE without an alternate stack, SS_ONSTACK while on it, else 0. */
export function sasSsFlags(t: Task, sp: bigint): number {
  if (t.sas.size === 0n) return SS_DISABLE;
  return onSigStack(t, sp) ? SS_ONSTACK : 0;
}

// get_sigframe + setup_rt_frame
function setupFrame(t: Task, sig: number, info: SigInfo, act: SigAction, mask: bigint, flags: number): boolean {
  const regs = t.regs;
  if (!regs.setupRtFrame || !regs.sigframeSize) return false;
  const sp0 = BigInt.asUintN(64, regs.sp);
  const size = BigInt(regs.sigframeSize);
  if (onSigStack(t, sp0) && !onSigStack(t, sp0 - size)) return false; // the alternate stack overflowed
  let sp = sp0 - BigInt(regs.redZone ?? 0);
  if (flags & SA_ONSTACK && sasSsFlags(t, sp0) === 0) sp = t.sas.sp + t.sas.size;
  sp = regs.sigframeAddress ? regs.sigframeAddress(sp) : (sp - size) & ~15n;
  if (sp < 0n || sp > BigInt(Number.MAX_SAFE_INTEGER)) return false;
  const ucStack: AltStack = { sp: t.sas.sp, size: t.sas.size, flags: sasSsFlags(t, sp0) };
  // sa_restorer counts only with SA_RESTORER (an Abi without the field decodes it as 0)
  const restorer = act.flags & BigInt(SA_RESTORER) ? act.restorer : undefined;
  const ok = regs.setupRtFrame(t.mm, Number(sp), { sig, handler: act.handler, restorer, vdsoBase: t.vdsoBase, siginfo: encodeSiginfo(info), mask, ucStack });
  if (ok && t.sas.flags & SS_AUTODISARM) t.sas = noAltStack();
  return ok;
}

/** rt_sigreturn(2): registers, mask and alternate stack back from the frame at sp. */
export function sigreturn(t: Task): number {
  t.restartBlock = null;
  const r = t.regs.restoreRtFrame?.(t.mm) ?? null;
  if (r === null) {
    forceSigsegv(t);
    return 0;
  }
  t.blocked = r.mask & ~UNBLOCKABLE;
  doSigaltstack(t, r.stack, BigInt.asUintN(64, t.regs.sp));
  return justReturn(t, Number(BigInt.asIntN(64, t.regs.returnValue?.() ?? 0n)));
}

/** do_sigaltstack: installs `ss` (when given) unless t runs on its alternate stack; the old one or -errno. */
export function doSigaltstack(t: Task, ss: AltStack | null, sp: bigint): AltStack | number {
  const old: AltStack = { sp: t.sas.sp, size: t.sas.size, flags: sasSsFlags(t, sp) | (t.sas.flags & SS_AUTODISARM) };
  if (ss === null) return old;
  if (onSigStack(t, sp)) return -EPERM;
  const mode = ss.flags & ~SS_AUTODISARM;
  if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -EINVAL;
  if (mode === SS_DISABLE) {
    t.sas = noAltStack();
  } else {
    if (ss.size < BigInt(t.abi.MINSIGSTKSZ)) return -ENOMEM;
    t.sas = { sp: ss.sp, size: ss.size, flags: ss.flags & SS_AUTODISARM };
  }
  return old;
}
