// AF_INET sockets on the loopback (net/ipv4/af_inet.c, tcp.c, udp.c as programs see them).
// A TCP connection is an AF_UNIX stream pair underneath: the same receive queues, send-buffer
// accounting, backlog, accept, EOF and wake-ups (unix.ts); what differs is how the peer is
// found (a port, not a path), the names (sockaddr_in), and a few TCP rules layered on top here:
// connect on an unbound sock picks an ephemeral port, non-blocking connect says EINPROGRESS,
// send on an unconnected sock is EPIPE, a half-close only travels one way, and the first write
// after the peer closed still "succeeds" (it draws the RST; the next one is EPIPE). UDP sends
// look the receiver up per datagram and queue it with the sender's name; nobody listening
// means the datagram is lost (a connected sender learns ECONNREFUSED, as from ICMP).

import { EADDRINUSE, EAFNOSUPPORT, EALREADY, ECONNREFUSED, EDESTADDRREQ, EINPROGRESS, EINVAL, EISCONN, EMSGSIZE, ENETUNREACH, ENOPROTOOPT, ENOTCONN, EOPNOTSUPP, EPIPE, EFAULT } from "../errno.ts";
import { copy_from_user, copy_to_user, get_user_u32, put_user_u32 } from "../../mm/uaccess.ts";
import type { WaitQueue } from "../proc/sched.ts";
import type { Task } from "../proc/task.ts";
import {
  AF_INET, hashSock, inetAutobind, inetMkname, INADDR_ANY, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, portFree, portOwners, rehash, routeDest,
  sockaddrIn, sourceAddr, type InetEndpoint, type InetName,
} from "./inet_addr.ts";
import {
  currentCred, MSG_DONTWAIT, pipeErr, queueDgram, RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK, SOCK_DGRAM, SOCK_STREAM, streamConnect, unixListen, unixRecvmsg,
  unixSendmsg, UnixSock, type RecvMeta,
} from "./unix.ts";

/** The largest UDP payload over IPv4 (65535 - 20 - 8). */
const UDP_MAX = 65507;

/** struct inet_sock (with tcp_sock's and udp_sock's few fields that matter here). */
export class InetSock extends UnixSock implements InetEndpoint {
  laddr = INADDR_ANY;
  lport = 0;
  uid = 0;
  /** UDP's connected peer (inet_daddr/inet_dport): a name, looked up at every send. */
  peerName: InetName | null = null;
  /** A non-blocking connect answered EINPROGRESS; the next connect reports how it went. */
  connecting = false;
  /** IPPROTO_TCP and IPPROTO_IP options as set (TCP_NODELAY, IP_TTL ...). */
  readonly protoOpts = new Map<string, number>();

  constructor(type: number, pollWait: WaitQueue) {
    super(type, pollWait);
  }

  override get family(): number {
    return AF_INET;
  }

  override get protocol(): number {
    return this.type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  }

  /** inet_csk_clone_lock: the accepted sock starts as a copy of the connector's kind. */
  override sibling(): InetSock {
    return new InetSock(this.type, this.pollWait);
  }
}

/** sock_error: the pending error, once. */
function sockError(sk: UnixSock): number {
  const e = sk.err;
  sk.err = 0;
  return e ? -e : 0;
}

/** getsockname: the bound name, or 0.0.0.0:0 before bind. */
export function inetGetname(sk: InetSock): Uint8Array {
  return sk.addr ?? sockaddrIn(INADDR_ANY, 0);
}

/** getpeername: the connected peer's name, or -ENOTCONN. */
export function inetGetpeer(sk: InetSock): Uint8Array | number {
  if (sk.type === SOCK_DGRAM) return sk.peerName ? sockaddrIn(sk.peerName.ip, sk.peerName.port) : -ENOTCONN;
  if (sk.state !== "established" || !sk.peer?.addr) return -ENOTCONN;
  return sk.peer.addr;
}

/** inet_listen: an unbound sock gets an ephemeral port; the port must still be free to listen on. */
export function inetListen(t: Task, sk: InetSock, backlog: number): number {
  if (sk.type !== SOCK_STREAM) return -EOPNOTSUPP;
  if (sk.state !== "close" && sk.state !== "listen") return -EINVAL;
  if (sk.state === "close") {
    const e = inetAutobind(t, sk, INADDR_ANY);
    if (e < 0) return e;
    // sockets that shared the port under SO_REUSEADDR while nobody listened may not now
    const was = sk.state;
    sk.state = "listen";
    const free = portFree(t.kernel, sk, sk.laddr, sk.lport);
    sk.state = was;
    if (!free) return -EADDRINUSE;
  }
  return unixListen(t, sk, backlog);
}

/** The TCP listener for (ip, port): an exact address beats INADDR_ANY (__inet_lookup_listener). */
function lookupListener(t: Task, ip: number, port: number): InetSock | null {
  let best: InetSock | null = null;
  for (const s of portOwners(t.kernel, IPPROTO_TCP, port)) {
    if (s.state !== "listen" || !(s instanceof InetSock)) continue;
    if (s.laddr === ip) return s;
    if (s.laddr === INADDR_ANY) best ??= s;
  }
  return best;
}

/** The UDP sock a datagram from `src` to (ip, port) is for (__udp4_lib_lookup's best score). */
function lookupUdp(t: Task, ip: number, port: number, src: InetName): InetSock | null {
  let best: InetSock | null = null, bestScore = -1;
  for (const s of portOwners(t.kernel, IPPROTO_UDP, port)) {
    if (!(s instanceof InetSock) || (s.laddr !== INADDR_ANY && s.laddr !== ip)) continue;
    let score = s.laddr === ip ? 4 : 0;
    if (s.peerName) {
      if (s.peerName.ip !== src.ip || s.peerName.port !== src.port) continue; // a connected sock hears only its peer
      score += 8;
    }
    if (score > bestScore) [best, bestScore] = [s, score];
  }
  return best;
}

/** inet_stream_connect + tcp_v4_connect on the loopback. */
function tcpConnect(t: Task, sk: InetSock, raw: Uint8Array, nb: boolean): number {
  const name = inetMkname(raw);
  if (typeof name === "number") return name;
  if (name.family === 0) return 0; // AF_UNSPEC: disconnect; an unconnected sock stays as it is
  if (sk.connecting) {
    // the answer to an earlier EINPROGRESS: established (0), refused (the error), or still going
    sk.connecting = false;
    if (sk.state === "established") return 0;
    const e = sockError(sk);
    if (e) return e;
    return -EALREADY;
  }
  if (sk.state === "established") return -EISCONN;
  if (sk.state === "listen") return -EISCONN;
  if (name.family !== AF_INET) return -EAFNOSUPPORT;
  const ip = routeDest(name.ip, sk.laddr);
  if (ip === null) return -ENETUNREACH;
  const listener = lookupListener(t, ip, name.port);
  if (!listener || listener.dead) {
    if (!nb) return -ECONNREFUSED;
    // the SYN went out and the RST comes back after connect returned
    sk.err = ECONNREFUSED;
    sk.connecting = true;
    sk.changed();
    return -EINPROGRESS;
  }
  if (sk.lport === 0) {
    const e = inetAutobind(t, sk, sourceAddr(INADDR_ANY));
    if (e < 0) return e;
  } else if (sk.laddr === INADDR_ANY) {
    rehash(sk, sourceAddr(INADDR_ANY));
  }
  const r = streamConnect(t, sk, listener, nb);
  if (r !== 0) return r;
  // the new sock on the listener's backlog: its local name is the address the client dialled,
  // and it holds the listener's port (inet_inherit_port) with the listener's reuse options
  const child = sk.peer as InetSock;
  child.uid = listener.uid;
  for (const o of [2, 15]) if (listener.opts.has(o)) child.opts.set(o, listener.opts.get(o)!);
  hashSock(t.kernel, child, ip, listener.lport);
  if (nb) {
    sk.connecting = true;
    return -EINPROGRESS;
  }
  return 0;
}

/** ip4_datagram_connect: a default peer for send and a filter for receive (AF_UNSPEC: none). */
function udpConnect(t: Task, sk: InetSock, raw: Uint8Array): number {
  if (raw.length >= 2 && (raw[0]! | (raw[1]! << 8)) === 0) {
    sk.peerName = null;
    return 0;
  }
  const name = inetMkname(raw);
  if (typeof name === "number") return name;
  if (name.family !== AF_INET) return -EAFNOSUPPORT;
  const ip = routeDest(name.ip, sk.laddr);
  if (ip === null) return -ENETUNREACH;
  const e = inetAutobind(t, sk, INADDR_ANY);
  if (e < 0) return e;
  if (sk.laddr === INADDR_ANY) rehash(sk, sourceAddr(INADDR_ANY));
  sk.peerName = { family: AF_INET, ip, port: name.port };
  sk.err = 0;
  return 0;
}

/** connect(2) on an AF_INET socket. */
export function inetConnect(t: Task, sk: InetSock, raw: Uint8Array, nb: boolean): number {
  if (raw.length < 2) return -EINVAL;
  return sk.type === SOCK_STREAM ? tcpConnect(t, sk, raw, nb) : udpConnect(t, sk, raw);
}

/** udp_sendmsg: one datagram to `dest` or the connected peer; lost if nobody is bound there. */
function udpSend(t: Task, sk: InetSock, src: Uint8Array, dest: InetName | null): number {
  if (dest) {
    if (dest.family !== AF_INET && dest.family !== 0) return -EAFNOSUPPORT;
  } else if (!sk.peerName) {
    return -EDESTADDRREQ;
  }
  const to = dest ?? sk.peerName!;
  if (src.length > UDP_MAX) return -EMSGSIZE;
  if (sk.shutdown & SEND_SHUTDOWN) return -EPIPE;
  const e = sockError(sk); // an ICMP error a connected sock got (sock_alloc_send_skb)
  if (e) return e;
  if (to.port === 0) return -EINVAL;
  const ip = routeDest(to.ip, sk.laddr);
  if (ip === null) return -ENETUNREACH;
  const b = inetAutobind(t, sk, INADDR_ANY);
  if (b < 0) return b;
  const from: InetName = { family: AF_INET, ip: sourceAddr(sk.laddr), port: sk.lport };
  const rx = lookupUdp(t, ip, to.port, from);
  if (!rx) {
    // port unreachable: only a sock connected to that peer hears of it (__udp4_lib_err)
    const p = sk.peerName;
    if (p && p.ip === ip && p.port === to.port) {
      sk.err = ECONNREFUSED;
      sk.changed();
    }
    return src.length;
  }
  if (rx.shutdown & RCV_SHUTDOWN || rx.queued + src.length > rx.rcvbuf) return src.length; // dropped, as a full socket drops
  queueDgram(rx, src.slice(), sockaddrIn(from.ip, from.port), currentCred(t));
  return src.length;
}

/** tcp_sendmsg's view of the connection, then the shared stream send. */
function tcpSend(t: Task, sk: InetSock, src: Uint8Array, flags: number, nb: boolean): number {
  if (sk.state !== "established") {
    const e = sockError(sk);
    return e || pipeErr(t, flags); // sk_stream_wait_connect: not connected is EPIPE
  }
  const e = sockError(sk); // ECONNRESET: the peer closed with our bytes unread
  if (e) return e;
  const peer = sk.peer;
  if (!(sk.shutdown & SEND_SHUTDOWN) && (!peer || peer.dead)) {
    // the bytes reach a closed socket, which answers with a RST: the connection is over
    // (tcp_reset in CLOSE_WAIT), and the next send is EPIPE
    sk.shutdown = SHUTDOWN_MASK;
    sk.changed();
    return src.length;
  }
  return unixSendmsg(t, sk, src, flags, nb, null, null);
}

/**
 * sendmsg on an AF_INET socket: bytes sent or -errno. `dest` is the raw sockaddr given with
 * sendto/sendmsg (TCP ignores it, as tcp_sendmsg does).
 */
export function inetSendmsg(t: Task, sk: InetSock, src: Uint8Array, flags: number, nb: boolean, dest: Uint8Array | null): number {
  nb ||= (flags & MSG_DONTWAIT) !== 0;
  if (sk.type === SOCK_STREAM) return tcpSend(t, sk, src, flags, nb);
  let name: InetName | null = null;
  if (dest) {
    const n = inetMkname(dest);
    if (typeof n === "number") return n;
    name = n;
  }
  return udpSend(t, sk, src, name);
}

/** recvmsg on an AF_INET socket: TCP reports no sender name; unconnected TCP is ENOTCONN. */
export function inetRecvmsg(t: Task, sk: InetSock, dst: Uint8Array, flags: number, nb: boolean, meta: RecvMeta): number {
  if (sk.type === SOCK_STREAM && sk.state !== "established") return -ENOTCONN;
  const n = unixRecvmsg(t, sk, dst, flags, nb, meta);
  if (sk.type === SOCK_STREAM) meta.addr = null;
  return n;
}

/** inet_shutdown: a TCP half-close reaches the peer as EOF only (SHUT_RD is ours alone). */
export function inetShutdown(sk: InetSock, how: number): number {
  if (how < 0 || how > 2) return -EINVAL;
  const mode = how + 1;
  if (sk.type === SOCK_DGRAM) {
    // UDP: ENOTCONN when unconnected, but the flags are set (and sleepers woken) anyway
    sk.shutdown |= mode;
    sk.changed();
    return sk.peerName ? 0 : -ENOTCONN;
  }
  if (sk.state === "listen") return 0;
  if (sk.state !== "established") return -ENOTCONN;
  sk.shutdown |= mode;
  sk.changed();
  const other = sk.peer;
  if (other && mode & SEND_SHUTDOWN) {
    other.shutdown |= RCV_SHUTDOWN;
    other.changed();
  }
  return 0;
}

// IPPROTO_TCP and IPPROTO_IP options (do_tcp_setsockopt, do_ip_setsockopt): stored and read back
const TCP_DEFAULTS: Record<number, number> = {
  1 /* TCP_NODELAY */: 0, 2 /* TCP_MAXSEG */: 536, 3 /* TCP_CORK */: 0, 4 /* TCP_KEEPIDLE */: 7200, 5 /* TCP_KEEPINTVL */: 75,
  6 /* TCP_KEEPCNT */: 9, 7 /* TCP_SYNCNT */: 6, 8 /* TCP_LINGER2 */: 60, 9 /* TCP_DEFER_ACCEPT */: 0, 10 /* TCP_WINDOW_CLAMP */: 0,
  12 /* TCP_QUICKACK */: 1, 18 /* TCP_USER_TIMEOUT */: 0, 23 /* TCP_FASTOPEN */: 0,
};
const TCP_BOOLEAN = new Set([1, 3, 12]);
const IP_DEFAULTS: Record<number, number> = { 1 /* IP_TOS */: 0, 2 /* IP_TTL */: 64, 11 /* IP_RECVERR */: 0, 8 /* IP_RECVTOS */: 0 };

function protoOptDefaults(sk: InetSock, level: number): Record<number, number> | null {
  if (level === IPPROTO_TCP) return sk.type === SOCK_STREAM ? TCP_DEFAULTS : null;
  return level === IPPROTO_IP ? IP_DEFAULTS : null;
}

/** setsockopt at SOL_TCP / SOL_IP. */
export function inetSetsockopt(t: Task, sk: InetSock, level: number, name: number, optval: number, optlen: number): number {
  const defs = protoOptDefaults(sk, level);
  if (!defs || !(name in defs)) return -ENOPROTOOPT;
  if (optlen < 4) return -EINVAL;
  const raw = new Uint8Array(4);
  if (copy_from_user(t.mm, raw, optval, 4)) return -EFAULT;
  let val = new DataView(raw.buffer).getInt32(0, true);
  if (level === IPPROTO_TCP) {
    if ((name === 4 || name === 5) && (val < 1 || val > 32767)) return -EINVAL; // MAX_TCP_KEEPIDLE/KEEPINTVL
    if (name === 6 && (val < 1 || val > 127)) return -EINVAL; // MAX_TCP_KEEPCNT
    if (TCP_BOOLEAN.has(name)) val = val ? 1 : 0;
  }
  if (level === IPPROTO_IP && name === 2 && (val < -1 || val === 0 || val > 255)) return -EINVAL;
  if (level === IPPROTO_IP && name === 2 && val === -1) val = 64;
  sk.protoOpts.set(`${level}:${name}`, val);
  return 0;
}

/** getsockopt at SOL_TCP / SOL_IP. */
export function inetGetsockopt(t: Task, sk: InetSock, level: number, name: number, optval: number, optlen: number): number {
  const defs = protoOptDefaults(sk, level);
  if (!defs || !(name in defs)) return -ENOPROTOOPT;
  const len = get_user_u32(t.mm, optlen);
  if (len === null) return -EFAULT;
  if (len > 0x7fffffff) return -EINVAL;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, sk.protoOpts.get(`${level}:${name}`) ?? defs[name]!, true);
  const n = Math.min(len, 4);
  if (copy_to_user(t.mm, optval, b, n)) return -EFAULT;
  return put_user_u32(t.mm, optlen, n) ? -EFAULT : 0;
}
