// epoll_create1(2), epoll_ctl(2) and epoll_pwait(2) (fs/eventpoll.c); the sets themselves are
// src/kernel/fs/eventpoll.ts.

import { EBADF, EFAULT, EINTR, EINVAL } from "../src/kernel/errno.ts";
import { eventpollFile, epollOf, EPOLL_CTL_DEL } from "../src/kernel/fs/eventpoll.ts";
import { O_CLOEXEC } from "../src/kernel/fs/file.ts";
import { callDeadline } from "../src/kernel/proc/sched.ts";
import { setRestoreSigmask } from "../src/kernel/signal/sigdeliver.ts";
import { waitEvent } from "../src/kernel/vfs/wait.ts";
import { PARK } from "../src/kernel/sysret.ts";
import { access_ok, copy_from_user, copy_to_user, get_user_u64 } from "../src/mm/uaccess.ts";
import { argsOf } from "./args.ts";
import { defineSyscall } from "./types.ts";


/** epoll_create1(2) */
export const sys_epoll_create1 = defineSyscall({
  name: "epoll_create1", args: ["epoll_flags"], ret: "fd",
  fn: (t, a) => {
    const flags = a.int(0);
    if (flags & ~O_CLOEXEC) return -EINVAL;
    const f = eventpollFile(t);
    const fd = t.files.install(f, flags !== 0);
    if (fd < 0) f.get().put();
    return fd;
  },
});

/** epoll_ctl(2) */
export const sys_epoll_ctl = defineSyscall({
  name: "epoll_ctl", args: ["fd", "epoll_op", "fd", "epoll_event"],
  fn: (t, a) => {
    const op = a.int(1);
    let events = 0, data = 0n;
    if (op !== EPOLL_CTL_DEL) {
      const raw = new Uint8Array(t.abi.SIZEOF_EPOLL_EVENT);
      if (copy_from_user(t.mm, raw, a.ptr(3), raw.length)) return -EFAULT;
      ({ events, data } = t.abi.decodeEpollEvent(raw, 0));
    }
    const epf = t.files.get(a.fd(0)), f = t.files.get(a.fd(2));
    if (!epf || !f) return -EBADF;
    const ep = epollOf(epf);
    if (!ep) return -EINVAL;
    return ep.ctl(t, op, a.fd(2), f, events, data);
  },
});

/** epoll_pwait(2): timeout in ms (-1: none); a signal ends it with EINTR, never a restart. */
export const sys_epoll_pwait = defineSyscall({
  name: "epoll_pwait", args: ["fd", "ptr", "int", "int", "sigset", "size"],
  fn: (t, a) => {
    const max = a.int(2), timeout = a.int(3);
    const size = t.abi.SIZEOF_EPOLL_EVENT;
    if (max <= 0 || max > 0x7fffffff / size) return -EINVAL; // EP_MAX_EVENTS
    const epf = t.files.get(a.fd(0));
    if (!epf) return -EBADF;
    const ep = epollOf(epf);
    if (!ep) return -EINVAL;
    const out = new Uint8Array(max * size);
    if (!access_ok(t.mm, a.ptr(1), out.length)) return -EFAULT;
    if (a.ptr(4) !== 0) {
      if (a.size(5) !== 8) return -EINVAL;
      const mask = get_user_u64(t.mm, a.ptr(4));
      if (mask === null) return -EFAULT;
      setRestoreSigmask(t, mask);
    }
    const deadline = callDeadline(t, timeout < 0 ? null : BigInt(timeout) * 1_000_000n);
    let got: { events: number; data: bigint }[] = [];
    const why = waitEvent(t, () => (got = ep.ready(t, max, true)).length > 0, deadline);
    if (why === "sleep") return PARK;
    if (why === "signal") return -EINTR;
    if (why === "timeout") return 0;
    got.forEach((e, i) => t.abi.encodeEpollEvent(out, i, e.events, e.data));
    return copy_to_user(t.mm, a.ptr(1), out, got.length * size) ? -EFAULT : got.length;
  },
});

/** epoll_create(2), which x86-64 keeps: size must be positive and is otherwise ignored. */
export const sys_epoll_create = defineSyscall({
  name: "epoll_create", args: ["int"], ret: "fd",
  fn: (t, a, k) => (a.int(0) <= 0 ? -EINVAL : sys_epoll_create1.fn(t, argsOf(0), k)),
});

/** epoll_wait(2), which x86-64 keeps: epoll_pwait without a mask. */
export const sys_epoll_wait = defineSyscall({
  name: "epoll_wait", args: ["fd", "ptr", "int", "int"],
  fn: (t, a, k) => sys_epoll_pwait.fn(t, argsOf(a.raw[0]!, a.raw[1]!, a.raw[2]!, a.raw[3]!, 0, 8), k),
});
