// How a system call finishes: the one protocol between a handler and the dispatcher, in the
// spirit of gVisor's (result, control, error). A handler returns a SysRet, a plain number:
//
//   ≥ 0 or -errno          done: the result the guest sees
//   PARK                   sleep: the task sleeps as sleepOn() asked (wait queues, deadline);
//                          its wake-up completes the call or (RETRY) runs it again
//   -ERESTART*             restart: signal delivery settles it (restart, or EINTR);
//                          restartBlock() keeps the rest of a timed wait for restart_syscall(2)
//   JUSTRETURN             just return: the handler set every register (execve, rt_sigreturn)
//   EXITED                 exit: the calling task is gone (exit, exit_group, an oops)
//
// The control codes lie far outside the errno range (-4095..-1), so an ordinary call's result
// stays an untouched number: nothing allocated, nothing thrown. Nothing crosses the boundary
// as an exception; one that does is an oops (syscall.ts runHandler). This module imports no
// runtime code, so the scheduler and the dispatcher can both use it without a cycle.

import { ERESTARTSYS } from "./errno.ts";
import type { TraceCall } from "./strace/index.ts";
import type { Task } from "./proc/task.ts";

/** What a handler returns: a result, a -errno, or one of the control codes of this module. */
export type SysRet = number;

export { ERESTARTSYS };
/** Restart whatever the handler's flags say (e.g. after a stop). */
export const ERESTARTNOINTR = 513;
/** Restart only when no handler runs; EINTR otherwise (pause, sigsuspend, ppoll). */
export const ERESTARTNOHAND = 514;
/** Restart through restart_syscall(2) with the remaining time (nanosleep, futex timeouts). */
export const ERESTART_RESTARTBLOCK = 516;

/** The handler put its task to sleep (sched.ts sleepOn): no result yet, registers untouched. */
export const PARK = -(1 << 24);
/** The handler set the registers itself (execve, rt_sigreturn): write no result. */
export const JUSTRETURN = -(1 << 24) - 1;
/** A sleep's resume() asks for the call to run again from the start (its condition re-checked). */
export const RETRY = -(1 << 24) - 2;
/** The calling task has exited (or was killed by an oops): there is nobody to return to. */
export const EXITED = -(1 << 24) - 3;

/** The kinds of outcome, for readers and tests (the hot path compares the numbers). */
export type Outcome = "done" | "sleep" | "restart" | "justreturn" | "exit" | "retry";

/** Which kind of outcome ret is. */
export function outcomeOf(ret: SysRet): Outcome {
  if (ret === PARK) return "sleep";
  if (ret === JUSTRETURN) return "justreturn";
  if (ret === EXITED) return "exit";
  if (ret === RETRY) return "retry";
  return isRestart(ret) ? "restart" : "done";
}

/** Whether ret is one of the ERESTART* codes. */
export function isRestart(ret: number): boolean {
  return ret === -ERESTARTSYS || ret === -ERESTARTNOINTR || ret === -ERESTARTNOHAND || ret === -ERESTART_RESTARTBLOCK;
}

/**
 * The result of a timed wait a signal interrupted: restart_syscall(2) runs `rest` (the wait
 * with its deadline kept) if the call is restarted, EINTR otherwise.
 */
export function restartBlock(t: Task, rest: () => SysRet): SysRet {
  t.restartBlock = rest;
  return -ERESTART_RESTARTBLOCK;
}

/** The result of a handler that set every register itself; `shown` is what strace prints. */
export function justReturn(t: Task, shown: number): SysRet {
  t.justReturned = shown;
  return JUSTRETURN;
}

/** Completes a call with `ret`: the result register, a pending restart, or (RETRY) nothing. */
export function finishSyscall(t: Task, ret: SysRet, trace: TraceCall | null): void {
  if (ret === RETRY) return; // pc is still on the ecall: the call runs again
  t.blockState = null;
  if (ret === JUSTRETURN) {
    trace?.exit(t.justReturned);
    return;
  }
  trace?.exit(ret === EXITED ? null : ret);
  if (t.state === "zombie" || t.state === "dead" || ret === EXITED) return;
  if (isRestart(ret)) t.restart = ret; // signal delivery decides: restart, or EINTR
  else t.regs.syscallReturn(BigInt(ret));
}
