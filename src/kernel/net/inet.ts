// AF_INET and AF_INET6 sockets on the loopback (net/ipv4/af_inet.c, tcp.c, udp.c and their
// net/ipv6 twins as programs see them). A TCP connection is an AF_UNIX stream pair underneath:
// the same receive queues, send-buffer accounting, backlog, accept, EOF and wake-ups (unix.ts);
// what differs is how the peer is found (a port, not a path), the names (sockaddr_in or
// sockaddr_in6), and a few TCP rules layered on top here: connect on an unbound sock picks an
// ephemeral port, non-blocking connect says EINPROGRESS, send on an unconnected sock is EPIPE,
// a half-close only travels one way, and the first write after the peer closed still
// "succeeds" (it draws the RST; the next one is EPIPE). UDP sends look the receiver up per
// datagram and queue it with the sender's name; nobody listening means the datagram is lost (a
// connected sender learns ECONNREFUSED, as from ICMP). Addresses travel in one form for both
// families (in6_addr.ts): a v6 sock that is not IPV6_V6ONLY also takes IPv4 traffic, and sees
// its peers as ::ffff:a.b.c.d, as Linux's dual stack does.

import { EADDRINUSE, EAFNOSUPPORT, EALREADY, ECONNREFUSED, EDESTADDRREQ, EINPROGRESS, EINVAL, EISCONN, EMSGSIZE, ENETUNREACH, ENOPROTOOPT, ENOTCONN, EOPNOTSUPP, EPIPE, EFAULT } from "../errno.ts";
import { copy_from_user, copy_to_user, get_user_u32, put_user_u32 } from "../../mm/uaccess.ts";
import type { WaitQueue } from "../proc/sched.ts";
import type { Task } from "../proc/task.ts";
import { AF_INET6, IN6ADDR_ANY, inet6Mkname, IPPROTO_IPV6, isV4mapped, v4mapped, v4of } from "./in6_addr.ts";
import {
  AF_INET, anyAddr, hashSock, inetAutobind, inetMkname, INADDR_ANY, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, mkname, nameOf, portFree, portOwners, rehash,
  routeDest6, sourceAddr6, udpDisconnect, type InetDest, type InetEndpoint,
} from "./inet_addr.ts";
import {
  currentCred, MSG_DONTWAIT, pipeErr, queueDgram, RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK, SOCK_DGRAM, SOCK_STREAM, streamConnect, unixListen, unixRecvmsg,
  unixSendmsg, UnixSock, type RecvMeta,
} from "./unix.ts";

/** The largest UDP payload over IPv4 (65535 - 20 - 8) and over IPv6 (65535 - 8: no jumbograms). */
const UDP_MAX = 65507, UDP6_MAX = 65527;

/** struct inet_sock (with ipv6_pinfo's, tcp_sock's and udp_sock's few fields that matter here). */
export class InetSock extends UnixSock implements InetEndpoint {
  laddr = INADDR_ANY;
  lport = 0;
  laddr6: bigint;
  v6only = false;
  addrLocked = false;
  portLocked = false;
  uid = 0;
  /** UDP's connected peer (inet_daddr/inet_dport): a name, looked up at every send. */
  peerName: InetDest | null = null;
  /** A non-blocking connect answered EINPROGRESS; the next connect reports how it went. */
  connecting = false;
  /** IPPROTO_TCP, IPPROTO_IP and IPPROTO_IPV6 options as set (TCP_NODELAY, IP_TTL ...). */
  readonly protoOpts = new Map<string, number>();

  constructor(type: number, pollWait: WaitQueue, public v6 = false) {
    super(type, pollWait);
    this.laddr6 = v6 ? IN6ADDR_ANY : v4mapped(INADDR_ANY);
  }

  override get family(): number {
    return this.v6 ? AF_INET6 : AF_INET;
  }

  override get protocol(): number {
    return this.type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  }

  /** inet_csk_clone_lock: the accepted sock starts as a copy of the connector's kind. */
  override sibling(): InetSock {
    return new InetSock(this.type, this.pollWait, this.v6);
  }
}

/** sock_error: the pending error, once. */
function sockError(sk: UnixSock): number {
  const e = sk.err;
  sk.err = 0;
  return e ? -e : 0;
}

/** getsockname: the bound name, or the family's wildcard with port 0 before bind. */
export function inetGetname(sk: InetSock): Uint8Array {
  return sk.addr ?? nameOf(sk, anyAddr(sk), 0);
}

/** getpeername (and accept's name): the connected peer's name in sk's family, or -ENOTCONN. */
export function inetGetpeer(sk: InetSock): Uint8Array | number {
  if (sk.type === SOCK_DGRAM) return sk.peerName ? nameOf(sk, sk.peerName.addr, sk.peerName.port) : -ENOTCONN;
  const peer = sk.peer;
  if (sk.state !== "established" || !(peer instanceof InetSock)) return -ENOTCONN;
  return nameOf(sk, peer.laddr6, peer.lport);
}

/** inet_listen: an unbound sock gets an ephemeral port; the port must still be free to listen on. */
export function inetListen(t: Task, sk: InetSock, backlog: number): number {
  if (sk.type !== SOCK_STREAM) return -EOPNOTSUPP;
  if (sk.state !== "close" && sk.state !== "listen") return -EINVAL;
  if (sk.state === "close") {
    const e = inetAutobind(t, sk, anyAddr(sk));
    if (e < 0) return e;
    // sockets that shared the port under SO_REUSEADDR while nobody listened may not now
    const was = sk.state;
    sk.state = "listen";
    const free = portFree(t.kernel, sk, sk.laddr6, sk.lport);
    sk.state = was;
    if (!free) return -EADDRINUSE;
  }
  return unixListen(t, sk, backlog);
}

/**
 * Whether s hears traffic to `dest` (the tables' form), and how well: IPv4 reaches v4 socks
 * and dual-stack v6 ones through their IPv4 view, IPv6 only v6 socks; an exact address beats
 * the wildcard, and for IPv4 a v4 sock beats a v6 one (compute_score). -1: not at all.
 */
function addrScore(s: InetSock, dest: bigint): number {
  if (isV4mapped(dest)) {
    if (s.v6only) return -1;
    const ip = v4of(dest);
    if (s.laddr !== ip && s.laddr !== INADDR_ANY) return -1;
    return (s.laddr === ip ? 16 : 2) + (s.v6 ? 0 : 1);
  }
  if (!s.v6) return -1;
  if (s.laddr6 === dest) return 16;
  return s.laddr6 === IN6ADDR_ANY ? 2 : -1;
}

/** The TCP listener for (dest, port) (__inet_lookup_listener, inet6_lookup_listener). */
function lookupListener(t: Task, dest: bigint, port: number): InetSock | null {
  let best: InetSock | null = null, bestScore = -1;
  for (const s of portOwners(t.kernel, IPPROTO_TCP, port)) {
    if (s.state !== "listen" || !(s instanceof InetSock)) continue;
    const score = addrScore(s, dest);
    if (score > bestScore) [best, bestScore] = [s, score];
  }
  return best;
}

/** The UDP sock a datagram from `src` to (dest, port) is for (__udp4_lib_lookup's best score). */
function lookupUdp(t: Task, dest: bigint, port: number, src: InetDest): InetSock | null {
  let best: InetSock | null = null, bestScore = -1;
  for (const s of portOwners(t.kernel, IPPROTO_UDP, port)) {
    if (!(s instanceof InetSock)) continue;
    let score = addrScore(s, dest);
    if (score < 0) continue;
    if (s.peerName) {
      if (s.peerName.addr !== src.addr || s.peerName.port !== src.port) continue; // a connected sock hears only its peer
      score += 8;
    }
    if (score > bestScore) [best, bestScore] = [s, score];
  }
  return best;
}

/** Whether sk's local address is the wildcard (inet_rcv_saddr 0, or :: for a v6 sock). */
function boundAny(sk: InetSock): boolean {
  return sk.laddr6 === IN6ADDR_ANY || sk.laddr6 === v4mapped(INADDR_ANY);
}

/** The family of the sockaddr in raw (at least 2 bytes). */
const familyOf = (raw: Uint8Array): number => raw[0]! | (raw[1]! << 8);

/**
 * The routed destination of a connect from sk (tcp_v4_connect, tcp_v6_connect): the tables'
 * form, or -errno. A v4-mapped one goes over IPv4, which a v6-only sock cannot.
 */
function connectDest(sk: InetSock, raw: Uint8Array): InetDest | number {
  const name = mkname(sk, raw);
  if (typeof name === "number") return name;
  if (name.family !== (sk.v6 ? AF_INET6 : AF_INET)) return -EAFNOSUPPORT;
  if (sk.v6 && sk.v6only && isV4mapped(name.addr)) return -ENETUNREACH;
  const addr = routeDest6(sk, name.addr);
  if (addr === null || (sk.v6only && isV4mapped(addr))) return -ENETUNREACH;
  return { family: name.family, addr, port: name.port };
}

/** inet_stream_connect + tcp_v4_connect / tcp_v6_connect on the loopback. */
function tcpConnect(t: Task, sk: InetSock, raw: Uint8Array, nb: boolean): number {
  if (familyOf(raw) === 0) return 0; // AF_UNSPEC: disconnect; an unconnected sock stays as it is
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
  const dest = connectDest(sk, raw);
  if (typeof dest === "number") return dest;
  const listener = lookupListener(t, dest.addr, dest.port);
  if (!listener || listener.dead) {
    if (!nb) return -ECONNREFUSED;
    // the SYN went out and the RST comes back after connect returned
    sk.err = ECONNREFUSED;
    sk.connecting = true;
    sk.changed();
    return -EINPROGRESS;
  }
  if (sk.lport === 0) {
    const e = inetAutobind(t, sk, sourceAddr6(sk, dest.addr));
    if (e < 0) return e;
  } else if (boundAny(sk)) {
    rehash(sk, sourceAddr6(sk, dest.addr));
  }
  const r = streamConnect(t, sk, listener, nb);
  if (r !== 0) return r;
  // the new sock on the listener's backlog: of the listener's family, its local name is the
  // address the client dialled, and it holds the listener's port (inet_inherit_port) with the
  // listener's reuse options
  const child = sk.peer as InetSock;
  child.v6 = listener.v6;
  child.v6only = listener.v6only;
  child.uid = listener.uid;
  for (const o of [2, 15]) if (listener.opts.has(o)) child.opts.set(o, listener.opts.get(o)!);
  hashSock(t.kernel, child, dest.addr, listener.lport);
  if (nb) {
    sk.connecting = true;
    return -EINPROGRESS;
  }
  return 0;
}

/**
 * A UDP destination as sendto or connect gives it, in the tables' form (null: none, AF_UNSPEC).
 * A v6 sock also takes a sockaddr_in (udpv6_sendmsg's "goto do_udp_sendmsg").
 */
function udpName(sk: InetSock, raw: Uint8Array, connect: boolean): InetDest | null | number {
  if (!sk.v6) {
    const n = inetMkname(raw);
    if (typeof n === "number") return n;
    if (n.family !== AF_INET && n.family !== 0) return -EAFNOSUPPORT;
    return { family: AF_INET, addr: v4mapped(n.ip), port: n.port };
  }
  if (raw.length < 2) return -EINVAL;
  const fam = familyOf(raw);
  if (fam === AF_INET) {
    if (sk.v6only) return connect ? -EAFNOSUPPORT : -ENETUNREACH;
    const n = inetMkname(raw);
    return typeof n === "number" ? n : { family: AF_INET, addr: v4mapped(n.ip), port: n.port };
  }
  if (fam === 0 && !connect) return null;
  const n = inet6Mkname(raw);
  if (typeof n === "number") return n;
  if (fam !== AF_INET6) return connect ? -EAFNOSUPPORT : -EINVAL;
  if (sk.v6only && isV4mapped(n.addr)) return -ENETUNREACH;
  return n;
}

/** ip4_datagram_connect / ip6_datagram_connect: a default peer for send and a filter for receive (AF_UNSPEC: none). */
function udpConnect(t: Task, sk: InetSock, raw: Uint8Array): number {
  if (familyOf(raw) === 0) {
    sk.peerName = null;
    udpDisconnect(sk);
    return 0;
  }
  const name = udpName(sk, raw, true);
  if (typeof name === "number") return name;
  const addr = routeDest6(sk, name!.addr);
  if (addr === null) return -ENETUNREACH;
  const e = inetAutobind(t, sk, anyAddr(sk));
  if (e < 0) return e;
  if (boundAny(sk)) rehash(sk, sourceAddr6(sk, addr));
  sk.peerName = { family: name!.family, addr, port: name!.port };
  sk.err = 0;
  return 0;
}

/** connect(2) on an AF_INET or AF_INET6 socket. */
export function inetConnect(t: Task, sk: InetSock, raw: Uint8Array, nb: boolean): number {
  if (raw.length < 2) return -EINVAL;
  return sk.type === SOCK_STREAM ? tcpConnect(t, sk, raw, nb) : udpConnect(t, sk, raw);
}

/** udp_sendmsg / udpv6_sendmsg: one datagram to `dest` or the connected peer; lost if nobody is bound there. */
function udpSend(t: Task, sk: InetSock, src: Uint8Array, dest: InetDest | null): number {
  if (!dest && !sk.peerName) return -EDESTADDRREQ;
  const to = dest ?? sk.peerName!;
  if (src.length > (isV4mapped(to.addr) ? UDP_MAX : UDP6_MAX)) return -EMSGSIZE;
  if (sk.shutdown & SEND_SHUTDOWN) return -EPIPE;
  const e = sockError(sk); // an ICMP error a connected sock got (sock_alloc_send_skb)
  if (e) return e;
  if (to.port === 0) return -EINVAL;
  const addr = routeDest6(sk, to.addr);
  if (addr === null) return -ENETUNREACH;
  const b = inetAutobind(t, sk, anyAddr(sk));
  if (b < 0) return b;
  const from: InetDest = { family: sk.family, addr: boundAny(sk) ? sourceAddr6(sk, addr) : sk.laddr6, port: sk.lport };
  if (isV4mapped(addr) !== isV4mapped(from.addr)) return -ENETUNREACH; // a v4-mapped source cannot send IPv6
  const rx = lookupUdp(t, addr, to.port, from);
  if (!rx) {
    // port unreachable: only a sock connected to that peer hears of it (__udp4_lib_err)
    const p = sk.peerName;
    if (p && p.addr === addr && p.port === to.port) {
      sk.err = ECONNREFUSED;
      sk.changed();
    }
    return src.length;
  }
  if (rx.shutdown & RCV_SHUTDOWN || rx.queued + src.length > rx.rcvbuf) return src.length; // dropped, as a full socket drops
  queueDgram(rx, src.slice(), nameOf(rx, from.addr, from.port), currentCred(t));
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
 * sendmsg on an AF_INET or AF_INET6 socket: bytes sent or -errno. `dest` is the raw sockaddr
 * given with sendto/sendmsg (TCP ignores it, as tcp_sendmsg does).
 */
export function inetSendmsg(t: Task, sk: InetSock, src: Uint8Array, flags: number, nb: boolean, dest: Uint8Array | null): number {
  nb ||= (flags & MSG_DONTWAIT) !== 0;
  if (sk.type === SOCK_STREAM) return tcpSend(t, sk, src, flags, nb);
  const name = dest ? udpName(sk, dest, false) : null;
  if (typeof name === "number") return name;
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

// IPPROTO_TCP, IPPROTO_IP and IPPROTO_IPV6 options (do_tcp_setsockopt, do_ip_setsockopt,
// do_ipv6_setsockopt): stored and read back; a v6 sock takes the IPv4 ones too, as Linux's does
const TCP_DEFAULTS: Record<number, number> = {
  1 /* TCP_NODELAY */: 0, 2 /* TCP_MAXSEG */: 536, 3 /* TCP_CORK */: 0, 4 /* TCP_KEEPIDLE */: 7200, 5 /* TCP_KEEPINTVL */: 75,
  6 /* TCP_KEEPCNT */: 9, 7 /* TCP_SYNCNT */: 6, 8 /* TCP_LINGER2 */: 60, 9 /* TCP_DEFER_ACCEPT */: 0, 10 /* TCP_WINDOW_CLAMP */: 0,
  12 /* TCP_QUICKACK */: 1, 18 /* TCP_USER_TIMEOUT */: 0, 23 /* TCP_FASTOPEN */: 0,
};
const TCP_BOOLEAN = new Set([1, 3, 12]);
const IP_DEFAULTS: Record<number, number> = { 1 /* IP_TOS */: 0, 2 /* IP_TTL */: 64, 11 /* IP_RECVERR */: 0, 8 /* IP_RECVTOS */: 0 };
const IPV6_UNICAST_HOPS = 16, IPV6_V6ONLY = 26;
const IPV6_DEFAULTS: Record<number, number> = {
  [IPV6_UNICAST_HOPS]: 64, 25 /* IPV6_RECVERR */: 0, [IPV6_V6ONLY]: 0, 49 /* IPV6_RECVPKTINFO */: 0, 67 /* IPV6_TCLASS */: 0,
};
const IPV6_BOOLEAN = new Set([25, IPV6_V6ONLY, 49]);

function protoOptDefaults(sk: InetSock, level: number): Record<number, number> | null {
  if (level === IPPROTO_TCP) return sk.type === SOCK_STREAM ? TCP_DEFAULTS : null;
  if (level === IPPROTO_IPV6) return sk.v6 ? IPV6_DEFAULTS : null;
  return level === IPPROTO_IP ? IP_DEFAULTS : null;
}

/** The checks do_ip_setsockopt / do_ipv6_setsockopt make of a value: the value to store, or null for EINVAL. */
function checkIpOpt(sk: InetSock, level: number, name: number, val: number): number | null {
  if (level === IPPROTO_IP && name === 2) {
    if (val < -1 || val === 0 || val > 255) return null;
    return val === -1 ? 64 : val;
  }
  if (level !== IPPROTO_IPV6) return val;
  if (name === IPV6_V6ONLY) {
    if (sk.lport !== 0) return null; // the port tables already hold it as it was
    sk.v6only = val !== 0;
  }
  if (name === IPV6_UNICAST_HOPS || name === 67) {
    if (val < -1 || val > 255) return null;
    if (val === -1) return IPV6_DEFAULTS[name]!;
  }
  return IPV6_BOOLEAN.has(name) ? (val ? 1 : 0) : val;
}

/** setsockopt at SOL_TCP / SOL_IP / SOL_IPV6. */
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
  } else {
    const ok = checkIpOpt(sk, level, name, val);
    if (ok === null) return -EINVAL;
    val = ok;
  }
  sk.protoOpts.set(`${level}:${name}`, val);
  return 0;
}

/** The option's current value (IPV6_V6ONLY is the sock's, which bind to ::1 also sets). */
function protoOpt(sk: InetSock, level: number, name: number, defs: Record<number, number>): number {
  if (level === IPPROTO_IPV6 && name === IPV6_V6ONLY) return sk.v6only ? 1 : 0;
  return sk.protoOpts.get(`${level}:${name}`) ?? defs[name]!;
}

/** getsockopt at SOL_TCP / SOL_IP / SOL_IPV6. */
export function inetGetsockopt(t: Task, sk: InetSock, level: number, name: number, optval: number, optlen: number): number {
  const defs = protoOptDefaults(sk, level);
  // ip_getsockopt, where a v4 sock's other levels end, knows only SOL_IP; ipv6_getsockopt says ENOPROTOOPT
  if (!defs && !sk.v6 && level !== IPPROTO_IP && !(level === IPPROTO_UDP && sk.type === SOCK_DGRAM)) return -EOPNOTSUPP;
  if (!defs || !(name in defs)) return -ENOPROTOOPT;
  const len = get_user_u32(t.mm, optlen);
  if (len === null) return -EFAULT;
  if (len > 0x7fffffff) return -EINVAL;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, protoOpt(sk, level, name, defs), true);
  const n = Math.min(len, 4);
  if (copy_to_user(t.mm, optval, b, n)) return -EFAULT;
  return put_user_u32(t.mm, optlen, n) ? -EFAULT : 0;
}
