// Scheduling and threads (the kernel's kernel/sched/ and kernel/futex/): yielding, the one CPU
// this machine has, scheduling policies and nice values that have nothing to change on it, and
// futex(2), where threads sleep and wake.

import { CLOCK_MONOTONIC, CLOCK_REALTIME } from "../src/kernel/time/clock.ts";
import { EACCES, EFAULT, EINVAL, ENOSYS, EPERM, ESRCH } from "../src/kernel/errno.ts";
import { futexRequeue, futexWait, futexWake, futexWakeOp, FUTEX_BITSET_MATCH_ANY } from "../src/kernel/proc/futex.ts";
import { CAP_SYS_NICE, capable, type Task } from "../src/kernel/proc/task.ts";
import { copy_from_user, copy_to_user, put_user_u32 } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

/** sched_yield(2): the caller goes to the back of the run queue. */
export const sys_sched_yield = defineSyscall({
  name: "sched_yield", args: [],
  fn: (t) => {
    t.kernel.sched.needResched = true;
    return 0;
  },
});

function target(t: Task, pid: number): Task | null {
  const x = pid === 0 ? t : t.kernel.tasks.get(pid);
  return x && x.state !== "dead" ? x : null; // init (pid 1) too, as /proc/1 and kill(1, 0) see it
}

/** sched_getaffinity(2): CPU 0, the only one; returns the bytes of the mask written. */
export const sys_sched_getaffinity = defineSyscall({
  name: "sched_getaffinity", args: ["int", "size", "cpuset_out"],
  fn: (t, a) => {
    const len = a.size(1);
    if (len < 8 || len % 8 !== 0) return -EINVAL;
    if (!target(t, a.int(0))) return -ESRCH;
    const b = new Uint8Array(8);
    b[0] = 1;
    return copy_to_user(t.mm, a.ptr(2), b) ? -EFAULT : 8;
  },
});

/** sched_setaffinity(2): accepted when the mask includes CPU 0. */
export const sys_sched_setaffinity = defineSyscall({
  name: "sched_setaffinity", args: ["int", "size", "ptr"],
  fn: (t, a) => {
    if (!target(t, a.int(0))) return -ESRCH;
    const b = new Uint8Array(1);
    if (a.size(1) < 1 || copy_from_user(t.mm, b, a.ptr(2), 1)) return -EFAULT;
    return b[0]! & 1 ? 0 : -EINVAL;
  },
});

/** getcpu(2): CPU 0 on node 0. */
export const sys_getcpu = defineSyscall({
  name: "getcpu", args: ["ptr", "ptr", "ptr"],
  fn: (t, a) => {
    if (a.ptr(0) && put_user_u32(t.mm, a.ptr(0), 0)) return -EFAULT;
    if (a.ptr(1) && put_user_u32(t.mm, a.ptr(1), 0)) return -EFAULT;
    return 0;
  },
});

const SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5;

/** sched_getscheduler(2): SCHED_OTHER for everyone. */
export const sys_sched_getscheduler = defineSyscall({
  name: "sched_getscheduler", args: ["int"],
  fn: (t, a) => (target(t, a.int(0)) ? SCHED_OTHER : -ESRCH),
});

/** sched_setscheduler(2): the normal policies are accepted; real-time ones need CAP_SYS_NICE. */
export const sys_sched_setscheduler = defineSyscall({
  name: "sched_setscheduler", args: ["int", "int", "ptr"],
  fn: (t, a) => {
    if (!target(t, a.int(0))) return -ESRCH;
    const policy = a.int(1);
    if (policy === SCHED_FIFO || policy === SCHED_RR) return capable(t.cred, CAP_SYS_NICE) ? 0 : -EPERM;
    return policy === SCHED_OTHER || policy === SCHED_BATCH || policy === SCHED_IDLE ? 0 : -EINVAL;
  },
});

/** sched_getparam(2): priority 0. */
export const sys_sched_getparam = defineSyscall({
  name: "sched_getparam", args: ["int", "ptr"],
  fn: (t, a) => (!target(t, a.int(0)) ? -ESRCH : put_user_u32(t.mm, a.ptr(1), 0) ? -EFAULT : 0),
});

/** sched_setparam(2): priority 0 is all SCHED_OTHER has. */
export const sys_sched_setparam = defineSyscall({
  name: "sched_setparam", args: ["int", "ptr"],
  fn: (t, a) => (target(t, a.int(0)) ? 0 : -ESRCH),
});

/** sched_get_priority_max(2) */
export const sys_sched_get_priority_max = defineSyscall({
  name: "sched_get_priority_max", args: ["int"],
  fn: (_t, a) => ([SCHED_FIFO, SCHED_RR].includes(a.int(0)) ? 99 : [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE].includes(a.int(0)) ? 0 : -EINVAL),
});

/** sched_get_priority_min(2) */
export const sys_sched_get_priority_min = defineSyscall({
  name: "sched_get_priority_min", args: ["int"],
  fn: (_t, a) => ([SCHED_FIFO, SCHED_RR].includes(a.int(0)) ? 1 : [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE].includes(a.int(0)) ? 0 : -EINVAL),
});

/** sched_rr_get_interval(2): the 100 ms round-robin quantum Linux reports. */
export const sys_sched_rr_get_interval = defineSyscall({
  name: "sched_rr_get_interval", args: ["int", "timespec_out"],
  fn: (t, a) => (!target(t, a.int(0)) ? -ESRCH : copy_to_user(t.mm, a.ptr(1), t.abi.encodeTimespec(100_000_000n)) ? -EFAULT : 0),
});

const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

function priorityTargets(t: Task, which: number, who: number): Task[] | number {
  const all = [...t.kernel.tasks.values()].filter((x) => !x.isInit && x.state !== "dead");
  if (which === PRIO_PROCESS) return all.filter((x) => x.tid === (who || t.tid));
  if (which === PRIO_PGRP) return all.filter((x) => x.pgid === (who || t.pgid));
  if (which === PRIO_USER) return all.filter((x) => x.cred.uid === (who || t.cred.uid));
  return -EINVAL;
}

/** getpriority(2): 20 - nice of the best of the targets (the kernel's encoding, glibc undoes it). */
export const sys_getpriority = defineSyscall({
  name: "getpriority", args: ["int", "int"],
  fn: (t, a) => {
    const ts = priorityTargets(t, a.int(0), a.int(1));
    if (typeof ts === "number") return ts;
    if (ts.length === 0) return -ESRCH;
    return 20 - Math.min(...ts.map((x) => x.nice));
  },
});

/** setpriority(2): raising priority (a lower nice) needs CAP_SYS_NICE. */
export const sys_setpriority = defineSyscall({
  name: "setpriority", args: ["int", "int", "int"],
  fn: (t, a) => {
    const ts = priorityTargets(t, a.int(0), a.int(1));
    if (typeof ts === "number") return ts;
    if (ts.length === 0) return -ESRCH;
    const nice = Math.max(-20, Math.min(19, a.int(2)));
    for (const x of ts) {
      if (x.cred.uid !== t.cred.euid && x.cred.euid !== t.cred.euid && !capable(t.cred, CAP_SYS_NICE)) return -EPERM;
      if (nice < x.nice && !capable(t.cred, CAP_SYS_NICE)) return -EACCES;
    }
    for (const x of ts) x.nice = nice;
    return 0;
  },
});

const MEMBARRIER_CMD_QUERY = 0;
/** The commands a one-CPU machine satisfies by doing nothing: every barrier is already there. */
const MEMBARRIER_SUPPORTED = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40;

/** membarrier(2) */
export const sys_membarrier = defineSyscall({
  name: "membarrier", args: ["int", "uint", "int"],
  fn: (_t, a) => {
    const cmd = a.int(0);
    if (cmd === MEMBARRIER_CMD_QUERY) return a.uint(1) ? -EINVAL : MEMBARRIER_SUPPORTED;
    return (cmd & MEMBARRIER_SUPPORTED) === cmd && (cmd & (cmd - 1)) === 0 ? 0 : -EINVAL;
  },
});

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

/** A futex timeout: relative for FUTEX_WAIT, absolute on its clock for WAIT_BITSET; as a monotonic deadline. */
function futexDeadline(t: Task, p: number, absolute: boolean, realtime: boolean): bigint | null | number {
  if (p === 0) return null;
  const raw = new Uint8Array(16);
  if (copy_from_user(t.mm, raw, p, 16)) return -EFAULT;
  const { sec, nsec } = t.abi.decodeTimespec(raw);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -EINVAL;
  const ns = sec * 1_000_000_000n + nsec;
  const mono = t.kernel.clock.now(CLOCK_MONOTONIC)!;
  if (!absolute) return mono + ns;
  return realtime ? ns - (t.kernel.clock.now(CLOCK_REALTIME)! - mono) : ns;
}

/** futex(2): WAIT/WAKE (with bitsets), REQUEUE, CMP_REQUEUE and WAKE_OP; the PI operations are not here. */
export const sys_futex = defineSyscall({
  name: "futex", args: ["ptr", "futex_op", "uint", "futex_rest", "futex_rest", "futex_rest"], support: "partial", note: "no priority-inheritance operations (ENOSYS)",
  fn: (t, a) => {
    const op = a.int(1);
    const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    const rt = (op & FUTEX_CLOCK_REALTIME) !== 0;
    if (rt && cmd !== FUTEX_WAIT && cmd !== FUTEX_WAIT_BITSET) return -ENOSYS;
    const [addr, val] = [a.ptr(0), a.uint(2)];
    switch (cmd) {
      case FUTEX_WAIT:
      case FUTEX_WAIT_BITSET: {
        const deadline = futexDeadline(t, a.ptr(3), cmd === FUTEX_WAIT_BITSET, rt);
        if (typeof deadline === "number") return deadline;
        return futexWait(t, addr, val, deadline, cmd === FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : a.uint(5));
      }
      case FUTEX_WAKE: return futexWake(t, addr, val, FUTEX_BITSET_MATCH_ANY);
      case FUTEX_WAKE_BITSET: return futexWake(t, addr, val, a.uint(5));
      case FUTEX_REQUEUE: return futexRequeue(t, addr, a.ptr(4), val, a.uint(3), null);
      case FUTEX_CMP_REQUEUE: return futexRequeue(t, addr, a.ptr(4), val, a.uint(3), a.uint(5));
      case FUTEX_WAKE_OP: return futexWakeOp(t, addr, a.ptr(4), val, a.uint(3), a.uint(5));
      default: return -ENOSYS;
    }
  },
});
