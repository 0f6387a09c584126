// Time system calls (the kernel's kernel/time/). Every clock comes from src/kernel/clock.ts,
// the same source the vDSO reads, so both paths agree.

import { EFAULT, EINVAL } from "../src/kernel/errno.ts";
import { sleepMs } from "../src/kernel/hostfile.ts";
import type { Task } from "../src/kernel/task.ts";
import { copy_from_user, copy_to_user } from "../src/mm/uaccess.ts";
import { decodeTimespec, encodeTimespec, encodeTimeval } from "./abi/riscv64.ts";
import { defineSyscall } from "./types.ts";

const CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;
const TIMER_ABSTIME = 1;

/** CPU time of the task, from its retired instructions at a nominal 1 GHz, 1 IPC machine. */
function cpuTimeNs(t: Task): bigint {
  return BigInt(Math.floor(t.regs.instret));
}

function clockNow(t: Task, id: number): bigint | null {
  if (id === CLOCK_PROCESS_CPUTIME_ID || id === CLOCK_THREAD_CPUTIME_ID) return cpuTimeNs(t);
  return t.kernel.clock.now(id);
}

/** clock_gettime(2) */
export const sys_clock_gettime = defineSyscall({
  name: "clock_gettime", args: ["clockid", "timespec_out"],
  fn: (t, a) => {
    const ns = clockNow(t, a.int(0));
    if (ns === null) return -EINVAL;
    return copy_to_user(t.mm, a.ptr(1), encodeTimespec(ns)) ? -EFAULT : 0;
  },
});

/** clock_getres(2) */
export const sys_clock_getres = defineSyscall({
  name: "clock_getres", args: ["clockid", "timespec_out"],
  fn: (t, a) => {
    const res = t.kernel.clock.resolution(a.int(0));
    if (res === null) return -EINVAL;
    if (a.ptr(1) && copy_to_user(t.mm, a.ptr(1), encodeTimespec(res))) return -EFAULT;
    return 0;
  },
});

/** gettimeofday(2); the timezone, when asked for, is UTC (what the kernel keeps by default). */
export const sys_gettimeofday = defineSyscall({
  name: "gettimeofday", args: ["timeval_out", "ptr"],
  fn: (t, a) => {
    if (a.ptr(0) && copy_to_user(t.mm, a.ptr(0), encodeTimeval(t.kernel.clock.now(0)!))) return -EFAULT;
    if (a.ptr(1) && copy_to_user(t.mm, a.ptr(1), new Uint8Array(8))) return -EFAULT;
    return 0;
  },
});

function readTimespec(t: Task, p: number): { sec: bigint; nsec: bigint } | number {
  const raw = new Uint8Array(16);
  if (copy_from_user(t.mm, raw, p, 16)) return -EFAULT;
  const ts = decodeTimespec(raw);
  if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= 1_000_000_000n) return -EINVAL;
  return ts;
}

/** Sleeps until clock `id` reaches `until` (ns). One task for now: the whole emulator waits. */
function sleepUntil(t: Task, id: number, until: bigint): void {
  for (;;) {
    const now = t.kernel.clock.now(id)!;
    if (now >= until) return;
    sleepMs(Math.min(Number((until - now) / 1_000_000n) + 1, 1000));
  }
}

/** nanosleep(2) */
export const sys_nanosleep = defineSyscall({
  name: "nanosleep", args: ["timespec", "ptr"],
  fn: (t, a) => {
    const ts = readTimespec(t, a.ptr(0));
    if (typeof ts === "number") return ts;
    sleepUntil(t, 1, t.kernel.clock.now(1)! + ts.sec * 1_000_000_000n + ts.nsec);
    return 0;
  },
});

/** clock_nanosleep(2) */
export const sys_clock_nanosleep = defineSyscall({
  name: "clock_nanosleep", args: ["clockid", "int", "timespec", "ptr"],
  fn: (t, a) => {
    const id = a.int(0);
    if (t.kernel.clock.now(id) === null || id === CLOCK_THREAD_CPUTIME_ID) return EINVAL; // positive: clock_nanosleep returns the error
    const ts = readTimespec(t, a.ptr(2));
    if (typeof ts === "number") return -ts;
    const ns = ts.sec * 1_000_000_000n + ts.nsec;
    sleepUntil(t, id, a.int(1) & TIMER_ABSTIME ? ns : t.kernel.clock.now(id)! + ns);
    return 0;
  },
});
