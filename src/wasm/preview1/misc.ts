// WASI's process-level calls: arguments and environment, clocks, randomness, poll_oneoff,
// exit, yield, and the socket calls sysemu does not offer. Clocks and randomness come from the
// kernel (clock_gettime, getrandom), so --seed makes random_get reproducible.

import { EBADF, EFAULT, EINVAL, EIO, ENOTSUP, ESUCCESS, EVENTTYPE, RIGHT, SIZEOF_EVENT, SIZEOF_SUBSCRIPTION, SUBCLOCK_ABSTIME, wasiErrno } from "./abi.ts";
import { exitGuest } from "../wait.ts";
import type { WasiContext } from "./context.ts";
import { defineWasi, inMemory, putU32, putU64, readGuest, writeGuest } from "./defs.ts";

const enc = new TextEncoder();
const CLOCK_MONOTONIC = 1;
const NS = 1_000_000_000n;

/** *_sizes_get: the count and the bytes the NUL-terminated strings take. */
function sizes(c: WasiContext, list: readonly string[], countPtr: number, sizePtr: number): number {
  const bytes = list.reduce((n, s) => n + enc.encode(s).length + 1, 0);
  return putU32(c, countPtr, list.length) || putU32(c, sizePtr, bytes);
}

/** args_get/environ_get: the pointer array at ptrs, the strings at buf. */
function strings(c: WasiContext, list: readonly string[], ptrs: number, buf: number): number {
  const blob = enc.encode(list.map((s) => s + "\0").join(""));
  const table = new Uint8Array(list.length * 4);
  const v = new DataView(table.buffer);
  let off = 0;
  list.forEach((s, i) => {
    v.setUint32(i * 4, (buf + off) >>> 0, true);
    off += enc.encode(s).length + 1;
  });
  if (!inMemory(c, ptrs, table.length) || !inMemory(c, buf, blob.length)) return EFAULT;
  return writeGuest(c, ptrs, table) || writeGuest(c, buf, blob);
}

export const args_sizes_get = defineWasi({ params: ["out_u32", "out_u32"], fn: (c, a) => sizes(c, c.argv, a.u32(0), a.u32(1)) });
export const args_get = defineWasi({ params: ["ptr", "ptr"], fn: (c, a) => strings(c, c.argv, a.u32(0), a.u32(1)) });
export const environ_sizes_get = defineWasi({ params: ["out_u32", "out_u32"], fn: (c, a) => sizes(c, c.env, a.u32(0), a.u32(1)) });
export const environ_get = defineWasi({ params: ["ptr", "ptr"], fn: (c, a) => strings(c, c.env, a.u32(0), a.u32(1)) });

/** A clock query through the kernel: ns, or a WASI errno as a negative number. WASI's ids 0-3 are Linux's. */
function clockCall(c: WasiContext, call: "clock_gettime" | "clock_getres", id: number): bigint | number {
  if (id > 3) return -EINVAL;
  const ts = c.k.alloc(16);
  const r = c.k.sys(call, id, ts);
  if (r < 0) return -wasiErrno(r);
  const v = new DataView(c.k.view(ts, 16).buffer, c.k.view(ts, 0).byteOffset);
  return v.getBigInt64(0, true) * NS + v.getBigInt64(8, true);
}

function clockResult(c: WasiContext, v: bigint | number, out: number): number {
  return typeof v === "number" ? -v : putU64(c, out, v);
}

export const clock_res_get = defineWasi({ params: ["clockid", "out_u64"], fn: (c, a) => clockResult(c, clockCall(c, "clock_getres", a.u32(0)), a.u32(1)) });
export const clock_time_get = defineWasi({
  params: ["clockid", "timestamp", "out_u64"],
  fn: (c, a) => clockResult(c, clockCall(c, "clock_gettime", a.u32(0)), a.u32(2)),
});

const GETRANDOM_MAX = 1 << 25;

export const random_get = defineWasi({
  params: ["buf_out", "len"],
  fn: (c, a) => {
    const [buf, len] = [a.u32(0), a.u32(1)];
    if (!inMemory(c, buf, len)) return EFAULT;
    for (let done = 0; done < len; ) {
      const n = c.k.sys("getrandom", buf + done, Math.min(len - done, GETRANDOM_MAX), 0);
      if (n < 0) return wasiErrno(n);
      done += n;
    }
    return ESUCCESS;
  },
});

interface Sub {
  userdata: bigint;
  type: number;
  fd: number;
  clock: number;
  deadline: bigint;
}

/** The subscriptions at p, each clock's deadline made absolute; a WASI errno on a bad clock. */
function readSubs(c: WasiContext, raw: Uint8Array, n: number): Sub[] {
  const v = new DataView(raw.buffer);
  const subs: Sub[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * SIZEOF_SUBSCRIPTION;
    const s: Sub = { userdata: v.getBigUint64(o, true), type: v.getUint8(o + 8), fd: v.getUint32(o + 16, true), clock: v.getUint32(o + 16, true), deadline: 0n };
    if (s.type === EVENTTYPE.CLOCK) {
      const timeout = v.getBigUint64(o + 24, true);
      const now = clockCall(c, "clock_gettime", s.clock);
      s.deadline = typeof now === "number" ? -1n : v.getUint16(o + 40, true) & SUBCLOCK_ABSTIME ? timeout : now + timeout;
    }
    subs.push(s);
  }
  return subs;
}

function event(s: Sub, error: number, nbytes = 0n, flags = 0): Uint8Array {
  const b = new Uint8Array(SIZEOF_EVENT);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, s.userdata, true);
  v.setUint16(8, error, true);
  v.setUint8(10, s.type);
  v.setBigUint64(16, nbytes, true); // fd_readwrite.nbytes
  v.setUint16(24, flags, true); // fd_readwrite.flags
  return b;
}

// struct pollfd and the revents bits ppoll reports (asm-generic/poll.h).
const POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
const FIONREAD = 0x541b;
const EVENTRWFLAGS_FD_READWRITE_HANGUP = 1;

/**
 * poll_oneoff: the descriptors go to the kernel's ppoll, with the nearest clock deadline as its
 * timeout, so a read subscription on a pipe or stdin waits until data (or the writer's close)
 * arrives, as poll(2) does. Events: every descriptor ppoll found ready (a read's nbytes is what
 * FIONREAD says is waiting), every clock whose deadline has passed; a subscription that cannot
 * be polled (a bad descriptor, missing rights, a bad clock) is an event with its error at once.
 */
export const poll_oneoff = defineWasi({
  params: ["subs", "events", "len", "out_u32"],
  fn: (c, a) => {
    const [inp, out, n, nout] = [a.u32(0), a.u32(1), a.u32(2), a.u32(3)];
    if (n === 0) return EINVAL;
    if (n > 4096) return EINVAL;
    const raw = readGuest(c, inp, n * SIZEOF_SUBSCRIPTION);
    if (!raw || !inMemory(c, out, n * SIZEOF_EVENT) || !inMemory(c, nout, 4)) return EFAULT;
    const subs = readSubs(c, raw, n);
    const events: Uint8Array[] = [];
    const fdSubs: Sub[] = [];
    const clocks: Sub[] = [];
    for (const s of subs) {
      if (s.type === EVENTTYPE.CLOCK) {
        if (s.deadline < 0n) events.push(event(s, EINVAL));
        else clocks.push(s);
      } else if (s.type === EVENTTYPE.FD_READ || s.type === EVENTTYPE.FD_WRITE) {
        const err = c.check(s.fd, RIGHT.POLL_FD_READWRITE);
        if (err !== ESUCCESS) events.push(event(s, err));
        else fdSubs.push(s);
      } else events.push(event(s, EINVAL));
    }
    // Something already to report: look without waiting, as poll(2) with a zero timeout.
    const timeout = events.length > 0 ? 0n : nearestTimeout(c, clocks);
    if (fdSubs.length > 0) {
      const r = pollFds(c, fdSubs, timeout, events);
      if (r !== ESUCCESS) return r;
    } else if (timeout !== 0n && timeout !== null) {
      const ts = c.k.timespecs([[timeout / NS, timeout % NS]]);
      const r = c.k.sys("clock_nanosleep", CLOCK_MONOTONIC, 0, ts, 0);
      if (r < 0) return wasiErrno(r);
    }
    for (const s of clocks) {
      const now = clockCall(c, "clock_gettime", s.clock);
      if (typeof now === "bigint" && now >= s.deadline) events.push(event(s, ESUCCESS));
    }
    events.forEach((e, i) => writeGuest(c, out + i * SIZEOF_EVENT, e));
    return putU32(c, nout, events.length);
  },
});

/** The time until the nearest clock deadline in ns (0 if one has passed); null: wait for ever. */
function nearestTimeout(c: WasiContext, clocks: readonly Sub[]): bigint | null {
  let best: bigint | null = null;
  for (const s of clocks) {
    const now = clockCall(c, "clock_gettime", s.clock);
    if (typeof now !== "bigint") continue;
    const left = s.deadline > now ? s.deadline - now : 0n;
    if (best === null || left < best) best = left;
  }
  return best;
}

/** ppoll on the descriptor subscriptions; pushes an event for each one that is ready. */
function pollFds(c: WasiContext, subs: readonly Sub[], timeout: bigint | null, events: Uint8Array[]): number {
  const fds = c.k.alloc(subs.length * 8);
  const pfd = dataView(c, fds, subs.length * 8);
  subs.forEach((s, i) => {
    pfd.setInt32(i * 8, s.fd, true);
    pfd.setInt16(i * 8 + 4, s.type === EVENTTYPE.FD_READ ? POLLIN : POLLOUT, true);
  });
  const ts = timeout === null ? 0 : c.k.timespecs([[timeout / NS, timeout % NS]]);
  const r = c.k.sys("ppoll", fds, subs.length, ts, 0, 8);
  if (r < 0) return wasiErrno(r);
  const after = dataView(c, fds, subs.length * 8);
  subs.forEach((s, i) => {
    const revents = after.getInt16(i * 8 + 6, true);
    if (revents === 0) return;
    if (revents & POLLNVAL) return void events.push(event(s, EBADF));
    const hangup = revents & POLLHUP ? EVENTRWFLAGS_FD_READWRITE_HANGUP : 0;
    if (revents & POLLERR && !(revents & (POLLIN | POLLOUT))) return void events.push(event(s, EIO, 0n, hangup));
    events.push(event(s, ESUCCESS, s.type === EVENTTYPE.FD_READ ? bytesWaiting(c, s.fd) : 0n, hangup));
  });
  return ESUCCESS;
}

/** FIONREAD: how many bytes a read would get now (0 where the file cannot say). */
function bytesWaiting(c: WasiContext, fd: number): bigint {
  const n = c.k.alloc(4);
  if (c.k.sys("ioctl", fd, FIONREAD, n) < 0) return 0n;
  return BigInt(dataView(c, n, 4).getInt32(0, true));
}

function dataView(c: WasiContext, addr: number, len: number): DataView {
  const b = c.k.view(addr, len);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export const proc_exit = defineWasi({
  params: ["u32"],
  noreturn: true,
  fn: (c, a) => {
    exitGuest(c.t, a.u32(0));
    return ESUCCESS;
  },
});

export const proc_raise = defineWasi({ params: ["signal"], fn: () => ENOTSUP });
export const sched_yield = defineWasi({ params: [], fn: (c) => (c.k.sys("sched_yield") < 0 ? ENOTSUP : ESUCCESS) });

/** Sockets: WASI preview1 can only use sockets a runtime hands it, and sysemu hands none. */
function noSockets(c: WasiContext, fd: number): number {
  return c.t.files.get(fd) ? ENOTSUP : EBADF;
}
export const sock_accept = defineWasi({ params: ["fd", "u32", "out_fd"], fn: (c, a) => noSockets(c, a.u32(0)) });
export const sock_recv = defineWasi({ params: ["fd", "iovs_out", "len", "u32", "ptr", "ptr"], fn: (c, a) => noSockets(c, a.u32(0)) });
export const sock_send = defineWasi({ params: ["fd", "iovs", "len", "u32", "ptr"], fn: (c, a) => noSockets(c, a.u32(0)) });
export const sock_shutdown = defineWasi({ params: ["fd", "u32"], fn: (c, a) => noSockets(c, a.u32(0)) });
