// POSIX timers (the kernel's kernel/time/posix-timers.c): timer_create, timer_settime,
// timer_gettime, timer_getoverrun, timer_delete. The timers themselves live in
// src/kernel/time/posix-timers.ts; here are the argument rules.

import { EFAULT, EINVAL, EPERM } from "../src/kernel/errno.ts";
import { createTimer, deleteTimer, findTimer, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD_ID, timerGet, timerSet } from "../src/kernel/time/posix-timers.ts";
import { NSIG, SIGALRM } from "../src/kernel/signal/signal.ts";
import { capable, type Task } from "../src/kernel/proc/task.ts";
import { copy_from_user, copy_to_user, put_user_u32 } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9;
const TIMER_ABSTIME = 1;
const CAP_WAKE_ALARM = 35;
const NS = 1_000_000_000n;
/** struct sigevent (64 bytes): sigev_value at 0, sigev_signo at 8, sigev_notify at 12, _tid at 16. */
const SIZEOF_SIGEVENT = 64;

/** timer_create(2): wall clocks; the CPU-time clocks are not offered (EINVAL). */
export const sys_timer_create = defineSyscall({
  name: "timer_create", args: ["clockid", "ptr", "ptr"],
  support: "partial", note: "CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID timers are EINVAL",
  fn: (t, a) => {
    let clock = a.int(0);
    if (clock === CLOCK_REALTIME_ALARM || clock === CLOCK_BOOTTIME_ALARM) {
      if (!capable(t.cred, CAP_WAKE_ALARM)) return -EPERM;
      clock = clock === CLOCK_REALTIME_ALARM ? CLOCK_REALTIME : CLOCK_BOOTTIME;
    }
    if (clock !== CLOCK_REALTIME && clock !== CLOCK_MONOTONIC && clock !== CLOCK_BOOTTIME) return -EINVAL;
    let notify = SIGEV_SIGNAL, signo = SIGALRM, value: bigint | null = null, target = t;
    if (a.ptr(1)) {
      const raw = new Uint8Array(SIZEOF_SIGEVENT);
      if (copy_from_user(t.mm, raw, a.ptr(1), raw.length)) return -EFAULT;
      const v = new DataView(raw.buffer);
      value = v.getBigInt64(0, true);
      signo = v.getInt32(8, true);
      notify = v.getInt32(12, true);
      // good_sigevent: a thread of this process, a valid signal, or no notification at all
      if (notify === SIGEV_THREAD_ID) {
        const th = t.kernel.tasks.get(v.getInt32(16, true));
        if (!th || th.group !== t.group) return -EINVAL;
        target = th;
      } else if (notify !== SIGEV_SIGNAL && notify !== SIGEV_NONE) return -EINVAL;
      if (notify !== SIGEV_NONE && (signo <= 0 || signo > NSIG)) return -EINVAL;
    }
    const id = createTimer(t, clock, notify, signo, value, target);
    if (put_user_u32(t.mm, a.ptr(2), id)) {
      deleteTimer(t.group, id);
      return -EFAULT;
    }
    return 0;
  },
});

/** timer_settime(2) */
export const sys_timer_settime = defineSyscall({
  name: "timer_settime", args: ["int", "int", "ptr", "ptr"],
  fn: (t, a) => {
    const kt = findTimer(t, a.int(0));
    if (!kt) return -EINVAL;
    const raw = new Uint8Array(t.abi.SIZEOF_ITIMERSPEC);
    if (copy_from_user(t.mm, raw, a.ptr(2), raw.length)) return -EFAULT;
    const spec: bigint[] = [];
    for (const off of [0, t.abi.SIZEOF_TIMESPEC]) {
      const { sec, nsec } = t.abi.decodeTimespec(raw.subarray(off));
      if (sec < 0n || nsec < 0n || nsec >= NS) return -EINVAL;
      spec.push(sec * NS + nsec);
    }
    if (a.ptr(3) && putItimerspec(t, a.ptr(3), timerGet(t, kt))) return -EFAULT;
    timerSet(t, kt, spec[1]!, spec[0]!, (a.int(1) & TIMER_ABSTIME) !== 0);
    return 0;
  },
});

/** timer_gettime(2) */
export const sys_timer_gettime = defineSyscall({
  name: "timer_gettime", args: ["int", "ptr"],
  fn: (t, a) => {
    const kt = findTimer(t, a.int(0));
    if (!kt) return -EINVAL;
    return putItimerspec(t, a.ptr(1), timerGet(t, kt)) ? -EFAULT : 0;
  },
});

/** timer_getoverrun(2): expiries that came while the last one's signal was still pending. */
export const sys_timer_getoverrun = defineSyscall({
  name: "timer_getoverrun", args: ["int"],
  fn: (t, a) => {
    const kt = findTimer(t, a.int(0));
    return kt ? kt.overrun : -EINVAL;
  },
});

/** timer_delete(2) */
export const sys_timer_delete = defineSyscall({
  name: "timer_delete", args: ["int"],
  fn: (t, a) => (deleteTimer(t.group, a.int(0)) ? 0 : -EINVAL),
});

function putItimerspec(t: Task, addr: number, s: { value: bigint; interval: bigint }): boolean {
  return copy_to_user(t.mm, addr, t.abi.encodeItimerspec(s)) !== 0;
}
