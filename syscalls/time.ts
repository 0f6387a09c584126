// Time system calls (the kernel's kernel/time/). Every clock comes from src/kernel/time/clock.ts,
// the same source the vDSO reads, so both paths agree. Sleeping parks the task: others run.

import { CLOCK_MONOTONIC, CLOCK_REALTIME } from "../src/kernel/time/clock.ts";
import { EFAULT, EINVAL, EOPNOTSUPP } from "../src/kernel/errno.ts";
import { getItimer, processCpuNs, setItimer } from "../src/kernel/time/itimer.ts";
import { sleepOn } from "../src/kernel/proc/sched.ts";
import { ERESTARTNOHAND, restartBlock, RETRY } from "../src/kernel/sysret.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { copy_from_user, copy_to_user } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

const CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;
const TIMER_ABSTIME = 1;
const NS = 1_000_000_000n;

function clockNow(t: Task, id: number): bigint | null {
  if (id === CLOCK_PROCESS_CPUTIME_ID) return processCpuNs(t.group);
  if (id === CLOCK_THREAD_CPUTIME_ID) return BigInt(t.cpuInsns);
  if (id < 0) return cpuClockNow(t, id);
  return t.kernel.clock.now(id);
}

const CPUCLOCK_PERTHREAD = 4, CPUCLOCK_SCHED = 2;

/**
 * A CPU-time clock of a given process or thread, as clock_getcpuclockid encodes it:
 * ((~pid) << 3) | per-thread bit | kind (posix-cpu-timers.c); pid 0 is the caller's own.
 * Profiling, virtual and scheduler time are one here (all of it is user time). null: EINVAL.
 */
function cpuClockNow(t: Task, id: number): bigint | null {
  const kind = id & 3;
  if (kind > CPUCLOCK_SCHED) return null;
  const pid = ~(id >> 3);
  if (id & CPUCLOCK_PERTHREAD) {
    const th = pid === 0 ? t : t.kernel.tasks.get(pid);
    return th && th.group === t.group ? BigInt(th.cpuInsns) : null;
  }
  const p = pid === 0 ? t : t.kernel.tasks.get(pid);
  return p && p.group.leader === p && p.group.life === "alive" ? processCpuNs(p.group) : null;
}

/** clock_gettime(2) */
export const sys_clock_gettime = defineSyscall({
  name: "clock_gettime", args: ["clockid", "timespec_out"],
  fn: (t, a) => {
    const ns = clockNow(t, a.int(0));
    if (ns === null) return -EINVAL;
    return copy_to_user(t.mm, a.ptr(1), t.abi.encodeTimespec(ns)) ? -EFAULT : 0;
  },
});

/** clock_getres(2) */
export const sys_clock_getres = defineSyscall({
  name: "clock_getres", args: ["clockid", "timespec_out"],
  fn: (t, a) => {
    const id = a.int(0);
    const res = id < 0 ? (cpuClockNow(t, id) === null ? null : 1n) : t.kernel.clock.resolution(id);
    if (res === null) return -EINVAL;
    if (a.ptr(1) && copy_to_user(t.mm, a.ptr(1), t.abi.encodeTimespec(res))) return -EFAULT;
    return 0;
  },
});

/** gettimeofday(2); the timezone, when asked for, is UTC (what the kernel keeps by default). */
export const sys_gettimeofday = defineSyscall({
  name: "gettimeofday", args: ["timeval_out", "ptr"],
  fn: (t, a) => {
    if (a.ptr(0) && copy_to_user(t.mm, a.ptr(0), t.abi.encodeTimeval(t.kernel.clock.now(0)!))) return -EFAULT;
    if (a.ptr(1) && copy_to_user(t.mm, a.ptr(1), new Uint8Array(8))) return -EFAULT;
    return 0;
  },
});

function readTimespec(t: Task, p: number): bigint | number {
  const raw = new Uint8Array(16);
  if (copy_from_user(t.mm, raw, p, 16)) return -EFAULT;
  const ts = t.abi.decodeTimespec(raw);
  if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= NS) return -EINVAL;
  return ts.sec * NS + ts.nsec;
}

/**
 * hrtimer_nanosleep: sleeps until clock `id` reads `until`. A signal ends the sleep: a relative
 * one writes the time left to remp and continues through restart_syscall unless a handler ran
 * (then EINTR); an absolute one just restarts (ERESTARTNOHAND).
 */
function sleepUntil(t: Task, id: number, until: bigint, remp: number, absolute: boolean): number {
  const now = t.kernel.clock.now(id)!;
  if (now >= until) return 0;
  const mono = t.kernel.clock.now(CLOCK_MONOTONIC)!;
  return sleepOn(t, {
    what: "nanosleep",
    deadline: mono + (until - now),
    resume: (why) => {
      if (why !== "signal") return 0;
      if (absolute) return -ERESTARTNOHAND;
      if (remp) {
        const left = until - t.kernel.clock.now(id)!;
        if (copy_to_user(t.mm, remp, t.abi.encodeTimespec(left > 0n ? left : 0n))) return -EFAULT;
      }
      return restartBlock(t, () => sleepUntil(t, id, until, remp, false));
    },
  });
}

/** nanosleep(2) */
export const sys_nanosleep = defineSyscall({
  name: "nanosleep", args: ["timespec", "ptr"],
  fn: (t, a) => {
    const ns = readTimespec(t, a.ptr(0));
    if (typeof ns === "number") return ns;
    return sleepUntil(t, CLOCK_MONOTONIC, t.kernel.clock.now(CLOCK_MONOTONIC)! + ns, a.ptr(1), false);
  },
});

/**
 * clock_nanosleep(2): relative or TIMER_ABSTIME, on the wall and monotonic clocks and on CPU-time
 * clocks (k_clock's nsleep: none for CLOCK_THREAD_CPUTIME_ID and posix clock fds, EOPNOTSUPP).
 */
export const sys_clock_nanosleep = defineSyscall({
  name: "clock_nanosleep", args: ["clockid", "int", "timespec", "ptr"],
  fn: (t, a) => {
    const id = a.int(0);
    const cpu = id === CLOCK_PROCESS_CPUTIME_ID || id < 0;
    if (id === CLOCK_THREAD_CPUTIME_ID || (id < 0 && (id & 7) === CLOCKFD)) return -EOPNOTSUPP;
    if (!cpu && t.kernel.clock.now(id) === null) return -EINVAL;
    const ns = readTimespec(t, a.ptr(2));
    if (typeof ns === "number") return ns;
    const absolute = (a.int(1) & TIMER_ABSTIME) !== 0;
    if (cpu) return cpuNanosleep(t, id === CLOCK_PROCESS_CPUTIME_ID ? PROCESS_CLOCK : id, ns, absolute, a.ptr(3));
    const until = absolute ? ns : t.kernel.clock.now(id)! + ns;
    return sleepUntil(t, id === CLOCK_REALTIME ? CLOCK_REALTIME : id, until, absolute ? 0 : a.ptr(3), absolute);
  },
});

/** MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED): the caller's process; CLOCKFD: a posix clock fd. */
const PROCESS_CLOCK = -6, CLOCKFD = 3;
/** How often a sleeper on a CPU clock looks at it again (CPU time advances no faster than wall time). */
const CPU_SLEEP_POLL_NS = 2_000_000n;

/**
 * posix_cpu_nsleep: sleeps until CPU clock `id` reads the target (TIMER_ABSTIME) or has moved by
 * `ns`. Its own thread's clock is EINVAL (it would never move); a clock nobody has is EINVAL.
 * The target is kept across the wake-ups that look at the clock again (t.blockState).
 */
function cpuNanosleep(t: Task, id: number, ns: bigint, absolute: boolean, remp: number): number {
  const pid = ~(id >> 3);
  if (id & CPUCLOCK_PERTHREAD && (pid === 0 || pid === t.tid)) return -EINVAL;
  const now = cpuClockNow(t, id);
  if (now === null) return -EINVAL;
  const kept = t.blockState?.cpuUntil as bigint | undefined;
  return cpuSleepUntil(t, id, kept ?? (absolute ? ns : now + ns), remp, absolute);
}

function cpuSleepUntil(t: Task, id: number, until: bigint, remp: number, absolute: boolean): number {
  const now = cpuClockNow(t, id);
  // a clock whose process or thread has gone: its timer was cleaned up, as good as fired
  if (now === null || now >= until) return 0;
  if (t.blockState) t.blockState.cpuUntil = until;
  else t.blockState = { cpuUntil: until };
  const wait = until - now < CPU_SLEEP_POLL_NS ? until - now : CPU_SLEEP_POLL_NS;
  return sleepOn(t, {
    what: "cpu_nanosleep",
    deadline: t.kernel.clock.now(CLOCK_MONOTONIC)! + wait,
    resume: (why) => {
      if (why !== "signal") return RETRY;
      if (absolute) return -ERESTARTNOHAND;
      if (remp) {
        const cur = cpuClockNow(t, id);
        const left = cur === null ? 0n : until - cur;
        if (copy_to_user(t.mm, remp, t.abi.encodeTimespec(left > 0n ? left : 0n))) return -EFAULT;
      }
      return restartBlock(t, () => cpuSleepUntil(t, id, until, remp, false));
    },
    retryRestart: -ERESTARTNOHAND,
  });
}

const ITIMER_MAX = 2;

/** getitimer(2) */
export const sys_getitimer = defineSyscall({
  name: "getitimer", args: ["itimer_which", "itimerval_out"],
  fn: (t, a) => {
    const which = a.int(0);
    if (which < 0 || which > ITIMER_MAX) return -EINVAL;
    const it = getItimer(t, which);
    return copy_to_user(t.mm, a.ptr(1), t.abi.encodeItimerval(it.value, it.interval)) ? -EFAULT : 0;
  },
});

/** setitimer(2): ITIMER_REAL (SIGALRM, what alarm(3) uses), ITIMER_VIRTUAL, ITIMER_PROF. */
export const sys_setitimer = defineSyscall({
  name: "setitimer", args: ["itimer_which", "itimerval", "itimerval_out"],
  fn: (t, a) => {
    const which = a.int(0);
    if (which < 0 || which > ITIMER_MAX) return -EINVAL;
    let value = 0n, interval = 0n;
    if (a.ptr(1)) {
      const raw = new Uint8Array(t.abi.SIZEOF_ITIMERVAL);
      if (copy_from_user(t.mm, raw, a.ptr(1), raw.length)) return -EFAULT;
      const [i, val] = [t.abi.decodeTimeval(raw, 0), t.abi.decodeTimeval(raw, t.abi.SIZEOF_TIMEVAL)];
      for (const x of [i, val]) if (x.sec < 0n || x.usec < 0n || x.usec >= 1_000_000n) return -EINVAL;
      interval = i.sec * NS + i.usec * 1000n;
      value = val.sec * NS + val.usec * 1000n;
    }
    const old = setItimer(t, which, value, interval);
    if (a.ptr(2) && copy_to_user(t.mm, a.ptr(2), t.abi.encodeItimerval(old.value, old.interval))) return -EFAULT;
    return 0;
  },
});

/**
 * alarm(2), which x86-64 keeps (kernel/time/itimer.c, alarm_setitimer): ITIMER_REAL to `seconds`
 * without an interval; returns the seconds left of the old one, rounded to nearest, at least 1.
 */
export const sys_alarm = defineSyscall({
  name: "alarm", args: ["uint"],
  fn: (t, a) => {
    const old = setItimer(t, 0, BigInt(a.uint(0)) * NS, 0n);
    if (old.value === 0n) return 0;
    const secs = Number((old.value + NS / 2n) / NS);
    return secs === 0 ? 1 : secs;
  },
});

/** time(2), which x86-64 keeps: CLOCK_REALTIME's seconds, also stored at tloc when given. */
export const sys_time = defineSyscall({
  name: "time", args: ["ptr"],
  fn: (t, a) => {
    const ns = t.kernel.clock.now(CLOCK_REALTIME)!;
    const secs = ns / NS - (ns % NS < 0n ? 1n : 0n);
    if (a.ptr(0)) {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, secs, true);
      if (copy_to_user(t.mm, a.ptr(0), b)) return -EFAULT;
    }
    return Number(secs);
  },
});
