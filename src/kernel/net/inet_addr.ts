// AF_INET names and ports (net/ipv4/af_inet.c inet_bind, inet_connection_sock.c
// inet_csk_get_port / inet_csk_bind_conflict, udp.c udp_lib_get_port / __udp4_lib_lookup).
// sysemu has one network interface, the loopback: every 127.x.y.z address is local (as the
// kernel's "local 127.0.0.0/8 dev lo" route makes it), INADDR_ANY means "every local address",
// and no other address is reachable. Each kernel has its own port tables, one for TCP and one
// for UDP; nothing here touches the host's network stack.

import { EACCES, EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EINVAL } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import { capable, type Task } from "../proc/task.ts";
import type { UnixSock } from "./unix.ts";

export const AF_INET = 2, AF_INET6 = 10;
export const IPPROTO_IP = 0, IPPROTO_TCP = 6, IPPROTO_UDP = 17;
export const SIZEOF_SOCKADDR_IN = 16;
export const INADDR_ANY = 0, INADDR_LOOPBACK = 0x7f000001;
/** net.ipv4.ip_local_port_range */
export const EPHEMERAL_LOW = 32768, EPHEMERAL_HIGH = 60999;
/** net.ipv4.ip_unprivileged_port_start */
const PROT_SOCK = 1024;
const CAP_NET_BIND_SERVICE = 10;

/** A parsed sockaddr_in: family as given, address and port in host order. */
export interface InetName {
  family: number;
  ip: number;
  port: number;
}

/** What an AF_INET sock needs from its sk for the tables: the bound name and its options. */
export interface InetEndpoint extends UnixSock {
  /** inet_rcv_saddr and inet_num (0: unbound). */
  laddr: number;
  lport: number;
  /** The owner's uid at bind (SO_REUSEPORT only shares a port within one user). */
  uid: number;
}

/** 127.0.0.0/8: the loopback network, all of it local. */
export function isLoopback(ip: number): boolean {
  return ip >>> 24 === 127;
}

/** inet_addr_type() == RTN_LOCAL for sysemu's one interface. */
export function isLocal(ip: number): boolean {
  return ip === INADDR_ANY || isLoopback(ip);
}

/** The sockaddr_in in `raw` (as move_addr_to_kernel copied it), or -EINVAL when it is too short. */
export function inetMkname(raw: Uint8Array): InetName | number {
  if (raw.length < SIZEOF_SOCKADDR_IN) return -EINVAL;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return { family: v.getUint16(0, true), port: v.getUint16(2, false), ip: v.getUint32(4, false) };
}

/** struct sockaddr_in for (ip, port), as getsockname and recvfrom report it. */
export function sockaddrIn(ip: number, port: number): Uint8Array {
  const b = new Uint8Array(SIZEOF_SOCKADDR_IN);
  const v = new DataView(b.buffer);
  v.setUint16(0, AF_INET, true);
  v.setUint16(2, port, false);
  v.setUint32(4, ip >>> 0, false);
  return b;
}

/** The source address the loopback route picks for a socket bound to `laddr` (0: 127.0.0.1). */
export function sourceAddr(laddr: number): number {
  return laddr === INADDR_ANY ? INADDR_LOOPBACK : laddr;
}

/** A destination as routing sees it: INADDR_ANY is this host; anything off 127/8 has no route. */
export function routeDest(ip: number, laddr: number): number | null {
  if (ip === INADDR_ANY) return sourceAddr(laddr);
  return isLoopback(ip) ? ip : null;
}

const SO_REUSEADDR = 2, SO_REUSEPORT = 15;

/** The bound socks of one protocol by port (inet_hashinfo's bhash, udp_table). */
type Ports = Map<number, Set<InetEndpoint>>;

export class InetTables {
  readonly tcp: Ports = new Map();
  readonly udp: Ports = new Map();
  /** Where the next ephemeral port search starts (the kernel's random offset). */
  hint = -1;
}

function table(k: Kernel): InetTables {
  return (k.inet ??= new InetTables());
}

function ports(k: Kernel, sk: InetEndpoint): Ports {
  return sk.protocol === 17 ? table(k).udp : table(k).tcp;
}

/** The socks bound to `port` for sk's protocol, live ones only. */
export function portOwners(k: Kernel, proto: number, port: number): InetEndpoint[] {
  const p = proto === 17 ? table(k).udp : table(k).tcp;
  return [...(p.get(port) ?? [])].filter((s) => !s.dead);
}

const reuse = (sk: UnixSock, opt: number): boolean => (sk.opts.get(opt) ?? 0) !== 0;

/**
 * inet_csk_bind_conflict / udp_lib_lport_inuse: whether sk may not share the port with sk2
 * bound at `ip`. Both SO_REUSEADDR share unless sk2 listens (TCP); both SO_REUSEPORT of one
 * user share always.
 */
function conflict(sk: InetEndpoint, ip: number, sk2: InetEndpoint): boolean {
  if (sk2 === sk || sk2.dead) return false;
  if (!(ip === INADDR_ANY || sk2.laddr === INADDR_ANY || ip === sk2.laddr)) return false;
  const tcp = sk.protocol === 6;
  if (reuse(sk, SO_REUSEADDR) && reuse(sk2, SO_REUSEADDR) && (!tcp || sk2.state !== "listen")) return false;
  if (reuse(sk, SO_REUSEPORT) && reuse(sk2, SO_REUSEPORT) && sk.uid === sk2.uid) return false;
  return true;
}

/** Whether (ip, port) is free for sk now (inet_csk_get_port; listen asks again). */
export function portFree(k: Kernel, sk: InetEndpoint, ip: number, port: number): boolean {
  for (const sk2 of ports(k, sk).get(port) ?? []) if (conflict(sk, ip, sk2)) return false;
  return true;
}

/** Puts sk in its protocol's table at (ip, port); release takes it out (inet_put_port). */
export function hashSock(k: Kernel, sk: InetEndpoint, ip: number, port: number): void {
  const p = ports(k, sk);
  let set = p.get(port);
  if (!set) p.set(port, (set = new Set()));
  set.add(sk);
  sk.laddr = ip;
  sk.lport = port;
  sk.addr = sockaddrIn(ip, port);
  sk.unhash = () => {
    set.delete(sk);
    if (set.size === 0 && p.get(port) === set) p.delete(port);
  };
}

/** Moves sk to another local address on its port (connect picks the source: inet_rcv_saddr). */
export function rehash(sk: InetEndpoint, ip: number): void {
  sk.laddr = ip;
  sk.addr = sockaddrIn(ip, sk.lport);
}

/**
 * inet_csk_find_open_port / udp_lib_get_port(0): a free port in the ephemeral range, from a
 * random start as Linux does (the kernel's seeded source keeps --seed runs repeatable).
 */
export function ephemeralPort(t: Task, sk: InetEndpoint, ip: number): number {
  const tb = table(t.kernel);
  const span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
  if (tb.hint < 0) {
    const r = t.kernel.random.bytes(4);
    tb.hint = ((r[0]! | (r[1]! << 8) | (r[2]! << 16)) >>> 0) % span;
  }
  const p = ports(t.kernel, sk);
  for (let i = 0; i < span; i++) {
    const port = EPHEMERAL_LOW + ((tb.hint + i) % span);
    const owners = p.get(port);
    if (owners && [...owners].some((s) => !s.dead)) continue; // a fresh port, shared with nobody
    tb.hint = (tb.hint + i + 1) % span;
    return port;
  }
  return -EADDRINUSE;
}

/** inet_autobind: an unbound sock gets an ephemeral port at `ip` before it sends or listens. */
export function inetAutobind(t: Task, sk: InetEndpoint, ip: number): number {
  if (sk.lport !== 0) return 0;
  const port = ephemeralPort(t, sk, ip);
  if (port < 0) return port;
  sk.uid = t.cred.euid;
  hashSock(t.kernel, sk, ip, port);
  return 0;
}

/** inet_bind (__inet_bind): the checks in Linux's order, then the port. */
export function inetBind(t: Task, sk: InetEndpoint, raw: Uint8Array): number {
  const name = inetMkname(raw);
  if (typeof name === "number") return name;
  // the compatibility case Linux keeps: AF_UNSPEC with INADDR_ANY binds as AF_INET
  if (name.family !== AF_INET && !(name.family === 0 && name.ip === INADDR_ANY)) return -EAFNOSUPPORT;
  if (!isLocal(name.ip)) return -EADDRNOTAVAIL;
  if (name.port !== 0 && name.port < PROT_SOCK && !capable(t.cred, CAP_NET_BIND_SERVICE)) return -EACCES;
  if (sk.lport !== 0 || sk.state !== "close") return -EINVAL;
  sk.uid = t.cred.euid;
  let port = name.port;
  if (port === 0) {
    port = ephemeralPort(t, sk, name.ip);
    if (port < 0) return port;
  } else if (!portFree(t.kernel, sk, name.ip, port)) {
    return -EADDRINUSE;
  }
  hashSock(t.kernel, sk, name.ip, port);
  return 0;
}
