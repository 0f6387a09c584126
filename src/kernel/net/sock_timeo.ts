// SO_RCVTIMEO and SO_SNDTIMEO (net/core/sock.c sock_set_timeout, sock_get_timeout; the waits of
// sock_rcvtimeo/sock_sndtimeo). Linux keeps them in jiffies: a timeval is rounded up to a tick
// (HZ 250, Debian's), and getsockopt gives back the tick count as a timeval. A wait that times
// out ends with -EAGAIN (or what it has done so far), and a signal during a wait with a timeout
// is EINTR, never a restart (sock_intr_errno).

import { EINTR, EINVAL } from "../errno.ts";
import type { Task } from "../proc/task.ts";
import { ERESTARTSYS } from "../sysret.ts";

const EDOM = 33;
/** CONFIG_HZ */
export const HZ = 250;
/** MAX_SCHEDULE_TIMEOUT: no timeout. */
export const NO_TIMEOUT = Number.MAX_SAFE_INTEGER;
const USEC_PER_SEC = 1_000_000;
const NS_PER_JIFFY = 1_000_000_000n / BigInt(HZ);
const LONG_MAX_SECS = 2n ** 63n / BigInt(HZ) - 1n;

/** sock_set_timeout: a struct timeval (16 bytes) as jiffies, or -errno. */
export function timevalToTimeo(raw: Uint8Array, optlen: number): number {
  if (optlen < 16) return -EINVAL;
  const v = new DataView(raw.buffer, raw.byteOffset, 16);
  const sec = v.getBigInt64(0, true), usec = v.getBigInt64(8, true);
  if (usec < 0n || usec >= BigInt(USEC_PER_SEC)) return -EDOM;
  if (sec < 0n) return 0; // Linux warns and makes the socket as good as non-blocking
  if (sec === 0n && usec === 0n) return NO_TIMEOUT;
  if (sec >= LONG_MAX_SECS) return NO_TIMEOUT;
  const j = sec * BigInt(HZ) + (usec + BigInt(USEC_PER_SEC / HZ) - 1n) / BigInt(USEC_PER_SEC / HZ);
  return j > BigInt(Number.MAX_SAFE_INTEGER) ? NO_TIMEOUT : Number(j);
}

/** sock_get_timeout: jiffies as a struct timeval; no timeout is {0, 0}. */
export function timeoToTimeval(timeo: number): Uint8Array {
  const b = new Uint8Array(16);
  if (timeo === NO_TIMEOUT) return b;
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(Math.floor(timeo / HZ)), true);
  v.setBigInt64(8, BigInt(Math.floor(((timeo % HZ) * USEC_PER_SEC) / HZ)), true);
  return b;
}

/**
 * The deadline (CLOCK_MONOTONIC ns) of a socket wait with `timeo` jiffies, fixed at the first
 * run of the call and kept across its RETRY runs; null for no timeout.
 */
export function sockDeadline(t: Task, timeo: number): bigint | null {
  if (timeo === NO_TIMEOUT) return null;
  const st = t.blockState;
  if (st && st.deadline !== undefined && st.deadline !== null) return st.deadline;
  const d = t.kernel.clock.now(1)! + BigInt(timeo) * NS_PER_JIFFY;
  if (st) st.deadline = d;
  else t.blockState = { deadline: d };
  return d;
}

/** Whether a wait with this deadline is already over. */
export function timedOut(t: Task, deadline: bigint | null): boolean {
  return deadline !== null && t.kernel.clock.now(1)! >= deadline;
}

/** sock_intr_errno: a signal ends a wait with a timeout by EINTR, one without by a restart. */
export function sockIntrErrno(timeo: number): number {
  return timeo === NO_TIMEOUT ? -ERESTARTSYS : -EINTR;
}
