// Interval timers (kernel/time/itimer.c) and RLIMIT_CPU: ITIMER_REAL counts wall time on
// CLOCK_MONOTONIC and sends SIGALRM; ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU
// time (retired instructions at a nominal 1 GHz) and send SIGVTALRM and SIGPROF.

import { SI_KERNEL, SIGALRM, SIGKILL, SIGPROF, SIGVTALRM, SIGXCPU } from "../signal/signal.ts";
import { sendSignal } from "../signal/sigsend.ts";
import type { ItimerState, Task, ThreadGroup } from "../proc/task.ts";

export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
import { RLIMIT_CPU } from "../../../syscalls/abi/linux.ts";
const NS = 1_000_000_000n;

function now(t: Task): bigint {
  return t.kernel.clock.now(1)!;
}

/** The process's CPU time in ns (instructions at 1 GHz), live threads and dead ones. */
export function processCpuNs(g: ThreadGroup): bigint {
  return BigInt(g.deadInsns + g.liveThreads().reduce((n, t) => n + t.cpuInsns, 0));
}

/** getitimer: ns left (0 when disarmed) and the interval. */
export function getItimer(t: Task, which: number): ItimerState {
  const it = t.group.itimers[which]!;
  if (which !== ITIMER_REAL || it.value === 0n) return { ...it };
  const left = it.value - now(t);
  return { value: left > 0n ? left : 1000n, interval: it.interval }; // a due timer shows 1 µs, as Linux
}

/** setitimer: arms (value > 0) or disarms the timer; returns what getitimer said before. */
export function setItimer(t: Task, which: number, value: bigint, interval: bigint): ItimerState {
  const old = getItimer(t, which);
  const g = t.group;
  const it = g.itimers[which]!;
  it.interval = interval;
  if (which === ITIMER_REAL) {
    if (g.realTimer) g.realTimer.active = false;
    g.realTimer = null;
    it.value = value > 0n ? now(t) + value : 0n;
    if (value > 0n) armReal(t, it.value);
  } else {
    it.value = value;
  }
  return old;
}

function armReal(t: Task, at: bigint): void {
  const g = t.group;
  g.realTimer = t.kernel.sched.addTimer(at, () => fireReal(g));
}

// it_real_fn: SIGALRM to the process, then the reload.
function fireReal(g: ThreadGroup): void {
  g.realTimer = null;
  if (g.life !== "alive") return;
  const it = g.itimers[ITIMER_REAL]!;
  sendSignal(g.leader, { signo: SIGALRM, code: SI_KERNEL, pid: 0, uid: 0 }, true);
  if (it.interval > 0n) {
    it.value += it.interval;
    const t = g.leader;
    if (it.value <= now(t)) it.value = now(t) + it.interval;
    armReal(t, it.value);
  } else {
    it.value = 0n;
  }
}

/** A dead process's timers stop. */
export function cancelItimers(g: ThreadGroup): void {
  if (g.realTimer) g.realTimer.active = false;
  g.realTimer = null;
}

/** Whether the run loop must account CPU time for t's process after a slice (cheap test). */
export function needsCpuAccounting(t: Task): boolean {
  const g = t.group;
  return g.itimers[ITIMER_VIRTUAL]!.value > 0n || g.itimers[ITIMER_PROF]!.value > 0n || g.rlimits.has(RLIMIT_CPU);
}

/** Charges `ns` of CPU time to t's process: virtual/prof timers, and RLIMIT_CPU's SIGXCPU/SIGKILL. */
export function chargeCpu(t: Task, ns: bigint): void {
  const g = t.group;
  for (const [which, sig] of [[ITIMER_VIRTUAL, SIGVTALRM], [ITIMER_PROF, SIGPROF]] as const) {
    const it = g.itimers[which]!;
    if (it.value === 0n) continue;
    it.value -= ns;
    if (it.value > 0n) continue;
    sendSignal(g.leader, { signo: sig, code: SI_KERNEL, pid: 0, uid: 0 }, true);
    it.value = it.interval > 0n ? it.interval : 0n;
  }
  const lim = g.rlimits.get(RLIMIT_CPU);
  if (!lim) return;
  const secs = processCpuNs(g) / NS;
  if (lim.max !== 0xffff_ffff_ffff_ffffn && secs >= lim.max) {
    sendSignal(g.leader, { signo: SIGKILL, code: SI_KERNEL, pid: 0, uid: 0 }, true);
  } else if (secs >= lim.cur && secs >= g.cpuSignalledSecs) {
    // SIGXCPU at the soft limit, then once a second, as Linux's check_process_timers does
    g.cpuSignalledSecs = secs + 1n;
    sendSignal(g.leader, { signo: SIGXCPU, code: SI_KERNEL, pid: 0, uid: 0 }, true);
  }
}
