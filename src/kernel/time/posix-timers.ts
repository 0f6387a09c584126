// POSIX per-process timers (kernel/time/posix-timers.c): timer_create's sigevent says what an
// expiry does: a signal to the process (SIGEV_SIGNAL), to one of its threads (SIGEV_THREAD_ID,
// which glibc's SIGEV_THREAD is built on), or nothing (SIGEV_NONE: only timer_gettime sees it).
// Expiries are scheduler timers on CLOCK_MONOTONIC; a CLOCK_REALTIME timer is converted when it
// is armed. While an expiry's signal is still queued, later expiries only count as overruns,
// as Linux keeps one preallocated sigqueue per timer.

import type { Timer } from "../proc/sched.ts";
import { SI_TIMER, type SigInfo } from "../signal/signal.ts";
import { sendSignal } from "../signal/sigsend.ts";
import type { Task, ThreadGroup } from "../proc/task.ts";

export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;
/** Linux caps a timer's overrun count at DELAYTIMER_MAX (INT_MAX). */
const DELAYTIMER_MAX = 0x7fffffff;

export interface KTimer {
  readonly id: number;
  readonly clock: number;
  readonly notify: number;
  readonly signo: number;
  readonly value: bigint;
  /** The thread SIGEV_THREAD_ID names; otherwise the process (its leader) gets the signal. */
  readonly target: Task;
  /** The next expiry on CLOCK_MONOTONIC, in ns (0: disarmed). */
  expires: bigint;
  interval: bigint;
  overrun: number;
  armed: Timer | null;
  /** The siginfo of the last expiry, while it may still be queued. */
  info: SigInfo | null;
}

function table(g: ThreadGroup): Map<number, KTimer> {
  return (g.posixTimers ??= new Map());
}

/** Creates a timer of t's process; its id (the lowest free, from 0, as Linux hands them out). */
export function createTimer(t: Task, clock: number, notify: number, signo: number, value: bigint | null, target: Task): number {
  const m = table(t.group);
  let id = 0;
  while (m.has(id)) id++;
  m.set(id, { id, clock, notify, signo, value: value ?? BigInt(id), target, expires: 0n, interval: 0n, overrun: 0, armed: null, info: null });
  return id;
}

export function findTimer(t: Task, id: number): KTimer | null {
  return t.group.posixTimers?.get(id) ?? null;
}

function monoNow(t: Task): bigint {
  return t.kernel.clock.now(CLOCK_MONOTONIC)!;
}

/** timer_gettime: ns to the next expiry (0: disarmed) and the interval. */
export function timerGet(t: Task, kt: KTimer): { value: bigint; interval: bigint } {
  if (kt.expires === 0n) return { value: 0n, interval: kt.interval };
  const left = kt.expires - monoNow(t);
  return { value: left > 0n ? left : 0n, interval: kt.interval };
}

/** timer_settime: value is relative, or absolute on the timer's clock; 0 disarms. */
export function timerSet(t: Task, kt: KTimer, value: bigint, interval: bigint, absolute: boolean): void {
  disarm(kt);
  kt.interval = interval;
  if (value === 0n) return;
  const now = monoNow(t);
  let at = now + value;
  if (absolute) at = kt.clock === CLOCK_REALTIME ? value - (t.kernel.clock.now(CLOCK_REALTIME)! - now) : value;
  arm(t, kt, at > now ? at : now);
}

/** timer_delete, and every timer of a process at exec and exit (exit_itimers). */
export function deleteTimer(g: ThreadGroup, id: number): boolean {
  const m = g.posixTimers;
  const kt = m?.get(id);
  if (!m || !kt) return false;
  disarm(kt);
  m.delete(id);
  return true;
}

export function exitTimers(g: ThreadGroup): void {
  for (const id of [...(g.posixTimers?.keys() ?? [])]) deleteTimer(g, id);
}

function disarm(kt: KTimer): void {
  if (kt.armed) kt.armed.active = false;
  kt.armed = null;
  kt.expires = 0n;
}

function arm(t: Task, kt: KTimer, at: bigint): void {
  kt.expires = at;
  kt.armed = t.kernel.sched.addTimer(at, () => fire(t, kt));
}

// posix_timer_fn: send (or count an overrun), then reload a periodic timer.
function fire(t: Task, kt: KTimer): void {
  kt.armed = null;
  const g = kt.target.group;
  if (g.life !== "alive") return;
  if (kt.notify !== SIGEV_NONE) {
    if (kt.info && stillQueued(kt)) {
      kt.overrun = Math.min(DELAYTIMER_MAX, kt.overrun + 1);
      kt.info.overrun = kt.overrun;
    } else {
      kt.overrun = 0;
      kt.info = { signo: kt.signo, code: SI_TIMER, tid: kt.id, overrun: 0, value: kt.value };
      const thread = kt.notify === SIGEV_THREAD_ID && kt.target.state !== "dead" && kt.target.state !== "zombie";
      sendSignal(thread ? kt.target : g.leader, kt.info, !thread);
    }
  }
  if (kt.interval === 0n) {
    kt.expires = 0n;
    return;
  }
  // expiries missed while sysemu was busy are overruns too (posix_timer_forward)
  const now = monoNow(t);
  let next = kt.expires + kt.interval;
  if (next <= now) {
    const missed = (now - next) / kt.interval + 1n;
    next += missed * kt.interval;
    if (kt.info) kt.info.overrun = kt.overrun = Math.min(DELAYTIMER_MAX, kt.overrun + Number(missed));
  }
  arm(t, kt, next);
}

function stillQueued(kt: KTimer): boolean {
  const info = kt.info!;
  return kt.target.group.shared.queue.includes(info) || kt.target.pending.queue.includes(info);
}
