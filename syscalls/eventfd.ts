// eventfd2(2), the timerfd calls and signalfd4(2) (fs/eventfd.c, fs/timerfd.c, fs/signalfd.c):
// counters, timers and pending signals as descriptors. The objects live in src/kernel/fs/eventfd.ts,
// timerfd.ts and signalfd.ts.

import { CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_REALTIME } from "../src/kernel/time/clock.ts";
import { EBADF, EFAULT, EINVAL } from "../src/kernel/errno.ts";
import { eventfdFile, EFD_SEMAPHORE } from "../src/kernel/fs/eventfd.ts";
import { O_CLOEXEC, O_NONBLOCK, type OpenFile } from "../src/kernel/fs/file.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET, timerfdCtx, timerfdFile } from "../src/kernel/time/timerfd.ts";
import { copy_from_user, copy_to_user } from "../src/mm/uaccess.ts";
import { SIGKILL, SIGSTOP, sigbit } from "../src/kernel/signal/signal.ts";
import { signalfdCtx, signalfdFile } from "../src/kernel/signal/signalfd.ts";
import { argsOf } from "./args.ts";
import { defineSyscall } from "./types.ts";

const NS = 1_000_000_000n;

/** Installs a new file at the lowest free descriptor, dropping it on EMFILE. */
function installNew(t: Task, f: OpenFile, flags: number): number {
  const fd = t.files.install(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) f.get().put();
  return fd;
}

/** eventfd2(2) */
export const sys_eventfd2 = defineSyscall({
  name: "eventfd2", args: ["uint", "efd_flags"], ret: "fd",
  fn: (t, a) => {
    const flags = a.int(1);
    if (flags & ~(EFD_SEMAPHORE | O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
    return installNew(t, eventfdFile(t, a.uint(0), flags), flags);
  },
});

/** timerfd_create(2): the *_ALARM clocks need CAP_WAKE_ALARM, which sysemu's guests lack (EPERM on Linux; EINVAL here). */
export const sys_timerfd_create = defineSyscall({
  name: "timerfd_create", args: ["clockid", "tfd_flags"], ret: "fd",
  fn: (t, a) => {
    const clockid = a.int(0), flags = a.int(1);
    if (flags & ~(O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
    if (clockid !== CLOCK_REALTIME && clockid !== CLOCK_MONOTONIC && clockid !== CLOCK_BOOTTIME) return -EINVAL;
    return installNew(t, timerfdFile(t, clockid, flags), flags);
  },
});

function timerfdOf(t: Task, fd: number) {
  const f = t.files.get(fd);
  if (!f) return -EBADF;
  return timerfdCtx(f) ?? -EINVAL;
}

/** timerfd_settime(2) */
export const sys_timerfd_settime = defineSyscall({
  name: "timerfd_settime", args: ["fd", "tfd_settime_flags", "itimerspec", "ptr"],
  fn: (t, a) => {
    const flags = a.int(1);
    if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -EINVAL;
    const raw = new Uint8Array(32);
    if (copy_from_user(t.mm, raw, a.ptr(2), 32)) return -EFAULT;
    const iv = t.abi.decodeTimespec(raw.subarray(0, 16)), val = t.abi.decodeTimespec(raw.subarray(16, 32));
    for (const ts of [iv, val]) if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= NS) return -EINVAL;
    const c = timerfdOf(t, a.fd(0));
    if (typeof c === "number") return c;
    const old = c.get();
    c.set(val.sec * NS + val.nsec, iv.sec * NS + iv.nsec, (flags & TFD_TIMER_ABSTIME) !== 0);
    if (a.ptr(3) !== 0 && copy_to_user(t.mm, a.ptr(3), t.abi.encodeItimerspec(old))) return -EFAULT;
    return 0;
  },
});

/** timerfd_gettime(2) */
export const sys_timerfd_gettime = defineSyscall({
  name: "timerfd_gettime", args: ["fd", "ptr"],
  fn: (t, a) => {
    const c = timerfdOf(t, a.fd(0));
    if (typeof c === "number") return c;
    return copy_to_user(t.mm, a.ptr(1), t.abi.encodeItimerspec(c.get())) ? -EFAULT : 0;
  },
});

const SFD_NONBLOCK = O_NONBLOCK, SFD_CLOEXEC = O_CLOEXEC;

/** signalfd4(2): a new signalfd (fd -1) or a new mask for an existing one; SIGKILL and SIGSTOP are never taken. */
export const sys_signalfd4 = defineSyscall({
  name: "signalfd4", args: ["int", "sigset", "size", "sfd_flags"], ret: "fd",
  fn: (t, a) => {
    const fd = a.int(0), flags = a.int(3);
    if (flags & ~(SFD_NONBLOCK | SFD_CLOEXEC) || a.size(2) !== 8) return -EINVAL;
    const raw = new Uint8Array(8);
    if (copy_from_user(t.mm, raw, a.ptr(1), 8)) return -EFAULT;
    const mask = new DataView(raw.buffer).getBigUint64(0, true) & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
    if (fd === -1) return installNew(t, signalfdFile(t, mask, flags), flags);
    const f = t.files.get(fd);
    if (!f) return -EBADF;
    const c = signalfdCtx(f);
    if (!c) return -EINVAL;
    c.mask = mask;
    t.kernel.pollWait.wake(); // a poller may now see one of the new mask's signals
    return fd;
  },
});

/** eventfd(2), which x86-64 keeps: eventfd2(count, 0). */
export const sys_eventfd = defineSyscall({
  name: "eventfd", args: ["uint"], ret: "fd",
  fn: (t, a, k) => sys_eventfd2.fn(t, argsOf(a.raw[0]!, 0), k),
});

/** signalfd(2), which x86-64 keeps: signalfd4(fd, mask, size, 0). */
export const sys_signalfd = defineSyscall({
  name: "signalfd", args: ["int", "sigset", "size"], ret: "fd",
  fn: (t, a, k) => sys_signalfd4.fn(t, argsOf(a.raw[0]!, a.raw[1]!, a.raw[2]!, 0), k),
});
