// The scheduler: a round-robin run queue of tasks, wait queues that blocking calls sleep on,
// and timers on CLOCK_MONOTONIC. One CPU, so "running" means "runnable": the kernel's run loop
// (kernel.ts) takes the task at the head, runs it for a slice, and puts it at the tail.
//
// How a handler blocks: it returns sleepOn(t, {...}) (sysret.ts's PARK, all the way up: a wait
// deep in the VFS returns it through its callers too). The dispatcher commits the sleep: the
// task leaves the run queue with its pc still on the ecall and a0 untouched. A wake-up (wake_up on a queue, the timeout, a signal) calls the sleep's resume(),
// whose result completes the call like a handler's would, or is RETRY: run the call again, its
// condition re-checked (wait4, pipe reads). Handlers must therefore have no side effect before
// they decide to sleep, or keep their progress in t.blockState.

import { ETIMEDOUT } from "../errno.ts";
import type { TraceCall } from "../strace/index.ts";
import { ERESTARTNOHAND, ERESTARTSYS, finishSyscall, PARK, RETRY, type SysRet } from "../sysret.ts";
import { SIGKILL, sigbit } from "../signal/signal.ts";
import type { Task } from "./task.ts";

export type WakeReason = "wake" | "timeout" | "signal";

/** What a sleeping task waits for, and how its call ends when it wakes. */
export interface Sleep {
  /** A word for reports and /proc/pid/wchan: "wait4", "futex", "pipe_read" ... */
  what: string;
  queues: WaitQueue[];
  /** CLOCK_MONOTONIC ns, or null for no timeout. */
  deadline: bigint | null;
  /** Only a fatal signal ends the sleep early (TASK_KILLABLE): vfork's wait. */
  killable: boolean;
  /** The call's result: a number, an ERESTART* code, or RETRY. */
  resume(why: WakeReason, value: number): number;
  timer: Timer | null;
  trace: TraceCall | null;
  /** The sleep looks again at host descriptors every HOST_POLL_NS: never counted as a deadlock. */
  hostPoll?: boolean;
  /**
   * After a RETRY wake, the call is as good as interrupted until it runs again: a signal handler
   * that comes first settles it by this ERESTART* code (EINTR, or a restart by SA_RESTART).
   */
  retryRestart: number;
}

export interface SleepSpec {
  what: string;
  queues?: WaitQueue[];
  deadline?: bigint | null;
  killable?: boolean;
  /** Default: wake → RETRY, timeout → -ETIMEDOUT, signal → -ERESTARTSYS. */
  resume?(why: WakeReason, value: number): number;
  /** How a handler running before a RETRY'd call runs again settles it (default -ERESTARTSYS). */
  retryRestart?: number;
}

function defaultResume(why: WakeReason): number {
  return why === "wake" ? RETRY : why === "timeout" ? -ETIMEDOUT : -ERESTARTSYS;
}

/** Asks for t to sleep; a handler returns what this returns (PARK), through every caller. */
export function sleepOn(t: Task, spec: SleepSpec): SysRet {
  t.sleepRequest = {
    what: spec.what,
    queues: spec.queues ?? [],
    deadline: spec.deadline ?? null,
    killable: spec.killable ?? false,
    resume: spec.resume ?? defaultResume,
    timer: null,
    trace: null,
    retryRestart: spec.retryRestart ?? -ERESTARTSYS,
  };
  return PARK;
}

/** wait_queue_head_t: tasks sleeping until something happens to an object. */
export class WaitQueue {
  readonly sleepers: Task[] = [];

  add(t: Task): void {
    this.sleepers.push(t);
  }
  remove(t: Task): void {
    const i = this.sleepers.indexOf(t);
    if (i >= 0) this.sleepers.splice(i, 1);
  }
  /** Wakes up to n sleepers, oldest first, with `value` for their resume(); returns how many. */
  wake(n = Infinity, value = 0): number {
    let woken = 0;
    while (woken < n && this.sleepers.length > 0) {
      const t = this.sleepers[0]!;
      if (t.kernel.sched.wake(t, "wake", value)) woken++;
      else this.sleepers.shift(); // not asleep any more: a stale entry
    }
    return woken;
  }
}

/** A one-shot timer on CLOCK_MONOTONIC. */
export class Timer {
  active = true;
  constructor(readonly at: bigint, readonly fire: () => void) {}
}

/** Whether t has a signal it does not block, or its process is being killed (signal_pending). */
export function signalPending(t: Task): boolean {
  return ((t.pending.signal | t.group.shared.signal) & ~t.blocked) !== 0n || t.group.groupExit !== null;
}

/** Whether t is being killed (fatal_signal_pending). */
export function fatalSignalPending(t: Task): boolean {
  return t.group.groupExit !== null || ((t.pending.signal | t.group.shared.signal) & sigbit(SIGKILL)) !== 0n;
}

export class Scheduler {
  private readonly queue: Task[] = [];
  private readonly queued = new Set<Task>();
  /** Pending timers, soonest first. */
  readonly timers: Timer[] = [];
  /** Set by sched_yield: end the current slice early. */
  needResched = false;
  /** The task on the CPU (inside its slice), or null. */
  current: Task | null = null;

  /** Makes a running task eligible to run (at the tail of the queue). */
  enqueue(t: Task): void {
    if (this.queued.has(t)) return;
    this.queued.add(t);
    this.queue.push(t);
  }

  /** The next runnable task, or null when every task sleeps or is stopped. */
  pickNext(): Task | null {
    while (this.queue.length > 0) {
      const t = this.queue.shift()!;
      this.queued.delete(t);
      if (t.state === "running") return t;
    }
    return null;
  }

  /** How many tasks are waiting for the CPU. */
  get runnable(): number {
    return this.queue.length;
  }

  /** Puts t to sleep as its handler asked (the handler returned PARK). */
  commit(t: Task, trace: TraceCall | null): void {
    const s = t.sleepRequest!;
    t.sleepRequest = null;
    s.trace = trace;
    t.sleep = s;
    t.state = "sleeping";
    for (const q of s.queues) q.add(t);
    if (s.deadline !== null) s.timer = this.addTimer(s.deadline, () => this.wake(t, "timeout", 0));
    if (s.killable ? fatalSignalPending(t) : signalPending(t)) this.wake(t, "signal", 0);
  }

  /** Ends t's sleep for `why`; false when t was not sleeping. */
  wake(t: Task, why: WakeReason, value: number): boolean {
    const s = t.sleep;
    if (s === null || t.state !== "sleeping") return false;
    for (const q of s.queues) q.remove(t);
    if (s.timer) s.timer.active = false;
    t.sleep = null;
    t.state = "running";
    this.enqueue(t);
    const ret = s.resume(why, value);
    if (ret === RETRY) {
      t.restart = s.retryRestart; // the ecall runs again unless a handler says EINTR
      t.retryTrace = s.trace;
    }
    finishSyscall(t, ret, s.trace);
    return true;
  }

  /** signal_wake_up: a signal for t ends an interruptible sleep (a fatal one any sleep). */
  signalWake(t: Task, fatal: boolean): void {
    if (t.state === "sleeping" && t.sleep && (!t.sleep.killable || fatal)) this.wake(t, "signal", 0);
  }

  /** Takes a task off the CPU for good (exit) or until woken (stop). */
  remove(t: Task): void {
    if (t.sleep) {
      for (const q of t.sleep.queues) q.remove(t);
      if (t.sleep.timer) t.sleep.timer.active = false;
      t.sleep = null;
    }
    if (this.queued.delete(t)) this.queue.splice(this.queue.indexOf(t), 1);
  }

  /** Arms a timer. */
  addTimer(at: bigint, fire: () => void): Timer {
    const timer = new Timer(at, fire);
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > at) i--;
    this.timers.splice(i, 0, timer);
    return timer;
  }

  /** Fires every timer due at `now`; returns how many fired. */
  expire(now: bigint): number {
    let n = 0;
    while (this.timers.length > 0 && this.timers[0]!.at <= now) {
      const timer = this.timers.shift()!;
      if (!timer.active) continue;
      timer.active = false;
      timer.fire();
      n++;
    }
    return n;
  }

  /** The soonest active timer's deadline, or null. */
  nextDeadline(): bigint | null {
    while (this.timers.length > 0 && !this.timers[0]!.active) this.timers.shift();
    return this.timers[0]?.at ?? null;
  }
}

/** How often a task waiting for the host (stdin, a terminal) looks again while others run. */
export const HOST_POLL_NS = 10_000_000n;

/**
 * The CLOCK_MONOTONIC deadline of a blocking call that may run several times (RETRY): fixed
 * when the call first runs, `relNs` from then (null: none), kept until the call completes.
 */
export function callDeadline(t: Task, relNs: bigint | null): bigint | null {
  const st = t.blockState;
  if (st && st.deadline !== undefined) return st.deadline;
  const deadline = relNs === null ? null : t.kernel.clock.now(1)! + relNs;
  t.blockState = { ...st, deadline };
  return deadline;
}

/**
 * waitEvent's parking form: "ready", "timeout" (the deadline of the call's first run passed)
 * or "signal" when that can be said now; otherwise "sleep": the task is to sleep on the poll
 * queue, looking again every HOST_POLL_NS (host descriptors change without telling), and the
 * caller returns PARK. A signal ends the call with ERESTARTNOHAND: EINTR when a handler runs.
 */
export function waitOrPark(t: Task, ready: () => boolean, deadlineNs: bigint | null): "ready" | "timeout" | "signal" | "sleep" {
  if (ready()) return "ready";
  if (signalPending(t)) return "signal";
  const st = t.blockState;
  const deadline = st && st.deadline !== undefined ? st.deadline : deadlineNs;
  const now = t.kernel.clock.now(1)!;
  if (deadline !== null && now >= deadline) return "timeout";
  t.blockState = { ...st, deadline };
  const poll = now + HOST_POLL_NS;
  sleepOn(t, {
    what: "poll",
    queues: [t.kernel.pollWait],
    deadline: deadline !== null && deadline < poll ? deadline : poll,
    resume: (why) => (why === "signal" ? -ERESTARTNOHAND : RETRY),
    retryRestart: -ERESTARTNOHAND,
  });
  t.sleepRequest!.hostPoll = true;
  return "sleep";
}
