// ppoll(2) and pselect6(2) (fs/select.c): readiness of descriptors from each file's poll
// operation, a wait until one is ready, the timeout or a signal, and the time left written back.

import { CLOCK_MONOTONIC } from "../src/kernel/time/clock.ts";
import { EBADF, EFAULT, EINVAL } from "../src/kernel/errno.ts";
import { O_PATH } from "../src/kernel/fs/file.ts";
import { callDeadline } from "../src/kernel/proc/sched.ts";
import { setRestoreSigmask } from "../src/kernel/signal/sigdeliver.ts";
import { ERESTARTNOHAND, PARK } from "../src/kernel/sysret.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { filePoll, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDBAND, POLLRDNORM, POLLWRBAND, POLLWRNORM } from "../src/kernel/vfs/pollbits.ts";
import { waitEvent } from "../src/kernel/vfs/wait.ts";
import { copy_from_user, copy_to_user, get_user_u64 } from "../src/mm/uaccess.ts";
import type { SyscallArgs } from "./args.ts";
import { defineSyscall } from "./types.ts";

/** A timeout argument: its length in ns (null: wait forever), or -EINVAL/-EFAULT. */
function readTimeout(t: Task, p: number): bigint | null | number {
  if (p === 0) return null;
  const raw = new Uint8Array(t.abi.SIZEOF_TIMESPEC);
  if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
  const { sec, nsec } = t.abi.decodeTimespec(raw);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -EINVAL;
  return sec * 1_000_000_000n + nsec;
}

/** Writes the time left back into the caller's timespec, as ppoll and pselect6 do. */
function writeLeft(t: Task, p: number, deadline: bigint | null): void {
  if (p === 0 || deadline === null) return;
  const left = deadline - t.kernel.clock.now(CLOCK_MONOTONIC)!;
  copy_to_user(t.mm, p, t.abi.encodeTimespec(left > 0n ? left : 0n));
}

/**
 * Runs `check` (the count of ready fds) until it is non-zero, the deadline passes (0) or a
 * signal comes (ERESTARTNOHAND: EINTR if a handler runs); the task sleeps in between.
 */
function pollLoop(t: Task, check: () => number, deadline: bigint | null): number {
  let n = 0;
  const why = waitEvent(t, () => (n = check()) !== 0, deadline);
  return why === "sleep" ? PARK : why === "signal" ? -ERESTARTNOHAND : why === "timeout" ? 0 : n;
}

/** The temporary signal mask of ppoll/pselect6, in force until the return to user mode. */
function applySigmask(t: Task, p: number, size: number): number {
  if (p === 0) return 0;
  if (size !== 8) return -EINVAL;
  const mask = get_user_u64(t.mm, p);
  if (mask === null) return -EFAULT;
  setRestoreSigmask(t, mask);
  return 0;
}

/** ppoll(2) */
export const sys_ppoll = defineSyscall({
  name: "ppoll", args: ["pollfd", "uint", "timespec", "sigset", "size"],
  fn: (t, a) => {
    const timeout = readTimeout(t, a.ptr(2));
    if (typeof timeout === "number") return timeout;
    return doPoll(t, a.ptr(0), a.uint(1), timeout, () => applySigmask(t, a.ptr(3), a.size(4)), (d) => writeLeft(t, a.ptr(2), d));
  },
});

/** poll(2), which x86-64 keeps: a timeout in milliseconds (negative: none), no mask. */
export const sys_poll = defineSyscall({
  name: "poll", args: ["pollfd", "uint", "int"],
  fn: (t, a) => {
    const ms = a.int(2);
    return doPoll(t, a.ptr(0), a.uint(1), ms < 0 ? null : BigInt(ms) * 1_000_000n, () => 0, () => {});
  },
});

function doPoll(t: Task, p: number, nfds: number, timeout: bigint | null, mask: () => number, left: (deadline: bigint | null) => void): number {
  if (nfds > t.files.limit) return -EINVAL;
  const raw = new Uint8Array(nfds * t.abi.SIZEOF_POLLFD);
  if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
  const fds = t.abi.decodePollfds(raw, nfds);
  const masked = mask();
  if (masked < 0) return masked;
  const deadline = callDeadline(t, timeout);
  const check = () => {
    let ready = 0;
    fds.forEach(({ fd, events }, i) => {
      const f = fd < 0 ? null : t.files.get(fd);
      const m = fd < 0 ? 0 : !f || f.flags & O_PATH ? POLLNVAL : filePoll(f, t) & (events | POLLERR | POLLHUP);
      t.abi.setRevents(raw, i, m);
      if (m) ready++;
    });
    return ready;
  };
  const n = pollLoop(t, check, deadline);
  left(deadline);
  if (n >= 0 && copy_to_user(t.mm, p, raw)) return -EFAULT;
  return n;
}

const POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
const POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
const POLLEX_SET = POLLPRI;

/** pselect6(2): select with a timespec and a {sigmask, size} pair */
export const sys_pselect6 = defineSyscall({
  name: "pselect6", args: ["int", "fdset", "fdset", "fdset", "timespec", "pselect_sig"],
  fn: (t, a) => {
    const timeout = () => readTimeout(t, a.ptr(4));
    const mask = () => {
      if (a.ptr(5) === 0) return 0;
      const ss = get_user_u64(t.mm, a.ptr(5)), len = get_user_u64(t.mm, a.ptr(5) + 8);
      if (ss === null || len === null) return -EFAULT;
      return applySigmask(t, Number(ss), Number(len));
    };
    return doSelect(t, a, timeout, mask, (d) => writeLeft(t, a.ptr(4), d));
  },
});

/** select(2), which x86-64 keeps: a struct timeval, the time left written back as one. */
export const sys_select = defineSyscall({
  name: "select", args: ["int", "fdset", "fdset", "fdset", "timeval"],
  fn: (t, a) => {
    const p = a.ptr(4);
    const timeout = (): bigint | null | number => {
      if (p === 0) return null;
      const sec = get_user_u64(t.mm, p), usec = get_user_u64(t.mm, p + 8);
      if (sec === null || usec === null) return -EFAULT;
      const [s, us] = [BigInt.asIntN(64, sec), BigInt.asIntN(64, usec)];
      if (s < 0n || us < 0n) return -EINVAL;
      return s * 1_000_000_000n + us * 1000n; // poll_select_set_timeout normalises usec >= 1e6
    };
    const left = (deadline: bigint | null) => {
      if (p === 0 || deadline === null) return;
      const ns = deadline - t.kernel.clock.now(CLOCK_MONOTONIC)!;
      copy_to_user(t.mm, p, t.abi.encodeTimeval(ns > 0n ? ns : 0n));
    };
    return doSelect(t, a, timeout, () => 0, left);
  },
});

function doSelect(t: Task, a: SyscallArgs, readTo: () => bigint | null | number, mask: () => number, left: (deadline: bigint | null) => void): number {
  const nfds = Math.min(a.int(0), t.files.limit);
  if (a.int(0) < 0) return -EINVAL;
  const ptrs = [a.ptr(1), a.ptr(2), a.ptr(3)];
  const sets: number[][] = [];
  for (const p of ptrs) {
    const raw = new Uint8Array(t.abi.fdSetBytes(nfds));
    if (p !== 0 && copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
    sets.push(p === 0 ? [] : t.abi.fdSetMembers(raw, nfds));
  }
  for (const fd of new Set(sets.flat())) if (!t.files.get(fd)) return -EBADF;
  const timeout = readTo();
  if (typeof timeout === "number") return timeout;
  const masked = mask();
  if (masked < 0) return masked;
  const deadline = callDeadline(t, timeout);
  const wanted = [POLLIN_SET, POLLOUT_SET, POLLEX_SET];
  let result: number[][] = [[], [], []];
  const check = () => {
    result = sets.map((fds, k) => fds.filter((fd) => filePoll(t.files.get(fd)!, t) & wanted[k]!));
    return result.reduce((s, r) => s + r.length, 0);
  };
  const n = pollLoop(t, check, deadline);
  left(deadline);
  if (n < 0) return n;
  for (let k = 0; k < 3; k++) {
    if (ptrs[k] !== 0 && copy_to_user(t.mm, ptrs[k]!, t.abi.encodeFdSet(result[k]!, nfds))) return -EFAULT;
  }
  return n;
}
