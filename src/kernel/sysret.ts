// Kernel-internal system call results that never reach the guest as such (Linux's
// include/linux/errno.h ERESTART* family, plus sysemu's way of saying "the task went to sleep").
// The dispatcher (syscall.ts) and signal delivery (sigdeliver.ts) turn them into a restart, an
// EINTR, or nothing at all.

import { ERESTARTSYS } from "./errno.ts";

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

/** Whether ret is one of the ERESTART* codes. */
export function isRestart(ret: number): boolean {
  return ret === -ERESTARTSYS || ret === -ERESTARTNOINTR || ret === -ERESTARTNOHAND || ret === -ERESTART_RESTARTBLOCK;
}
