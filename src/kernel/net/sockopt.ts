// getsockopt/setsockopt at SOL_SOCKET (net/core/sock.c sk_getsockopt, sk_setsockopt) for
// AF_UNIX socks and the AF_INET ones built on them. Options sysemu has no use for are remembered
// and reported back.

import { copy_from_user, copy_to_user, get_user_u32, put_user_u32 } from "../../mm/uaccess.ts";
import { EFAULT, EINVAL, ENOPROTOOPT, EOPNOTSUPP } from "../errno.ts";
import type { Task } from "../proc/task.ts";
import { timeoToTimeval, timevalToTimeo } from "./sock_timeo.ts";
import type { UnixSock } from "./unix.ts";

const SOL_SOCKET = 1;
export const SO_DEBUG = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_DONTROUTE = 5, SO_BROADCAST = 6;
export const SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_OOBINLINE = 10, SO_LINGER = 13;
export const SO_REUSEPORT = 15, SO_PASSCRED = 16, SO_PEERCRED = 17, SO_RCVLOWAT = 18, SO_SNDLOWAT = 19;
export const SO_RCVTIMEO = 20, SO_SNDTIMEO = 21, SO_ACCEPTCONN = 30, SO_PASSSEC = 34, SO_PROTOCOL = 38, SO_DOMAIN = 39;
export const SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33;
/** The time64 variants (struct __kernel_sock_timeval: the same 16 bytes on a 64-bit ABI). */
export const SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67;
/** SOCK_MIN_SNDBUF, SOCK_MIN_RCVBUF */
const MIN_SNDBUF = 4608, MIN_RCVBUF = 2304;
/** net.core.wmem_max, rmem_max */
const WMEM_MAX = 212992;

/** Boolean and integer options stored as given (1/0 for the booleans). */
const STORED = new Set([SO_DEBUG, SO_REUSEADDR, SO_DONTROUTE, SO_BROADCAST, SO_KEEPALIVE, SO_OOBINLINE, SO_REUSEPORT, SO_PASSCRED, SO_PASSSEC, SO_RCVLOWAT]);
const BOOLEAN = new Set([SO_DEBUG, SO_REUSEADDR, SO_DONTROUTE, SO_BROADCAST, SO_KEEPALIVE, SO_OOBINLINE, SO_REUSEPORT, SO_PASSCRED, SO_PASSSEC]);

function u32s(...vals: number[]): Uint8Array {
  const b = new Uint8Array(vals.length * 4);
  const v = new DataView(b.buffer);
  vals.forEach((x, i) => v.setInt32(i * 4, x, true));
  return b;
}

/** The option's value as bytes, or -ENOPROTOOPT. */
function optValue(sk: UnixSock, name: number): Uint8Array | number {
  switch (name) {
    case SO_TYPE: return u32s(sk.type);
    case SO_PROTOCOL: return u32s(sk.protocol);
    case SO_DOMAIN: return u32s(sk.family);
    case SO_ERROR: {
      const e = sk.err;
      sk.err = 0;
      return u32s(e);
    }
    case SO_SNDBUF: return u32s(sk.sndbuf);
    case SO_RCVBUF: return u32s(sk.rcvbuf);
    case SO_ACCEPTCONN: return u32s(sk.state === "listen" ? 1 : 0);
    case SO_SNDLOWAT: return u32s(1);
    case SO_LINGER: return u32s(sk.opts.get(SO_LINGER) ?? 0, sk.opts.get(-SO_LINGER) ?? 0);
    case SO_RCVTIMEO: case SO_RCVTIMEO_NEW: return timeoToTimeval(sk.rcvtimeo);
    case SO_SNDTIMEO: case SO_SNDTIMEO_NEW: return timeoToTimeval(sk.sndtimeo);
    case SO_PEERCRED: {
      const c = sk.peerCred ?? { pid: 0, uid: 65534, gid: 65534 }; // overflowuid: nobody connected
      return u32s(c.pid, c.uid, c.gid);
    }
    default:
      if (STORED.has(name)) return u32s(name === SO_RCVLOWAT ? (sk.opts.get(name) ?? 1) : (sk.opts.get(name) ?? 0));
      return -ENOPROTOOPT;
  }
}

/** getsockopt(2) for an AF_UNIX sock. */
export function sockGetsockopt(t: Task, sk: UnixSock, level: number, name: number, optval: number, optlen: number): number {
  if (level !== SOL_SOCKET) return -EOPNOTSUPP;
  const len = get_user_u32(t.mm, optlen);
  if (len === null) return -EFAULT;
  if (len > 0x7fffffff) return -EINVAL;
  const val = optValue(sk, name);
  if (typeof val === "number") return val;
  if (name !== SO_PEERCRED && name !== SO_LINGER && name !== SO_RCVTIMEO && name !== SO_SNDTIMEO && name !== SO_RCVTIMEO_NEW && name !== SO_SNDTIMEO_NEW && len < 4 && len !== 0) return -EINVAL;
  const n = Math.min(len, val.length);
  if (copy_to_user(t.mm, optval, val, n)) return -EFAULT;
  return put_user_u32(t.mm, optlen, n) ? -EFAULT : 0;
}

/** setsockopt(2) for an AF_UNIX sock. */
export function sockSetsockopt(t: Task, sk: UnixSock, level: number, name: number, optval: number, optlen: number): number {
  if (level !== SOL_SOCKET) return -EOPNOTSUPP;
  if (optlen < 4) return -EINVAL;
  const raw = new Uint8Array(Math.min(optlen, 16));
  if (copy_from_user(t.mm, raw, optval, raw.length)) return -EFAULT;
  const v = new DataView(raw.buffer);
  const val = v.getInt32(0, true);
  switch (name) {
    case SO_SNDBUF: case SO_SNDBUFFORCE:
      sk.sndbuf = Math.max(MIN_SNDBUF, Math.min(val, WMEM_MAX) * 2);
      sk.changed();
      return 0;
    case SO_RCVBUF: case SO_RCVBUFFORCE:
      sk.rcvbuf = Math.max(MIN_RCVBUF, Math.min(val, WMEM_MAX) * 2);
      return 0;
    case SO_LINGER:
      if (optlen < 8) return -EINVAL;
      sk.opts.set(SO_LINGER, val ? 1 : 0);
      sk.opts.set(-SO_LINGER, v.getInt32(4, true));
      return 0;
    case SO_RCVTIMEO: case SO_SNDTIMEO: case SO_RCVTIMEO_NEW: case SO_SNDTIMEO_NEW: {
      const timeo = timevalToTimeo(raw, optlen);
      if (timeo < 0) return timeo;
      if (name === SO_RCVTIMEO || name === SO_RCVTIMEO_NEW) sk.rcvtimeo = timeo;
      else sk.sndtimeo = timeo;
      return 0;
    }
    case SO_TYPE: case SO_PROTOCOL: case SO_DOMAIN: case SO_ERROR: case SO_PEERCRED: case SO_ACCEPTCONN:
      return -ENOPROTOOPT;
    default:
      if (!STORED.has(name)) return -ENOPROTOOPT;
      sk.opts.set(name, BOOLEAN.has(name) ? (val ? 1 : 0) : val);
      return 0;
  }
}


