// AF_INET names and ports (net/ipv4/af_inet.c inet_bind, inet_connection_sock.c
// inet_csk_get_port / inet_csk_bind_conflict, udp.c udp_lib_get_port / __udp4_lib_lookup).
// sysemu has one network interface, the loopback: every 127.x.y.z address is local (as the
// kernel's "local 127.0.0.0/8 dev lo" route makes it), INADDR_ANY means "every local address",
// and no other address is reachable. Each kernel has its own port tables, one for TCP and one
// for UDP, shared by AF_INET and AF_INET6 socks as Linux shares them (a dual-stack [::]:P holds
// 0.0.0.0:P too); nothing here touches the host's network stack.

import { EACCES, EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EINVAL } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import { capable, type Task } from "../proc/task.ts";
import { AF_INET6, inet6Mkname, IN6ADDR_ANY, IN6ADDR_LOOPBACK, isV4mapped, LOOPBACK4_IPV6, sockaddrIn6, v4mapped, v4of } from "./in6_addr.ts";
import type { UnixSock } from "./unix.ts";

export const AF_INET = 2;
export { AF_INET6 };
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

/** What an AF_INET or AF_INET6 sock needs from its sk for the tables: the bound name and its options. */
export interface InetEndpoint extends UnixSock {
  /** sk_family == AF_INET6 */
  v6: boolean;
  /** inet_rcv_saddr (a v6 sock's IPv4 view of its address) and inet_num (0: unbound). */
  laddr: number;
  lport: number;
  /** sk_v6_rcv_saddr: the local address as a v6 (or v4-mapped) one, for both families. */
  laddr6: bigint;
  /** sk_ipv6only: IPV6_V6ONLY, or bound to a plain v6 address. */
  v6only: boolean;
  /** SOCK_BINDADDR_LOCK, SOCK_BINDPORT_LOCK: bind chose the address or the port, so a UDP disconnect keeps it. */
  addrLocked: boolean;
  portLocked: boolean;
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

/**
 * A local or remote address as the tables see it: the v6 (or v4-mapped) address and the port,
 * from a sockaddr of sk's family. A v4 socket's sockaddr_in becomes ::ffff:a.b.c.d.
 */
export interface InetDest {
  family: number;
  addr: bigint;
  port: number;
}

/** inetMkname or inet6Mkname as sk's family wants: the name, or -EINVAL when it is too short. */
export function mkname(sk: InetEndpoint, raw: Uint8Array): InetDest | number {
  if (sk.v6) return inet6Mkname(raw);
  const n = inetMkname(raw);
  return typeof n === "number" ? n : { family: n.family, addr: v4mapped(n.ip), port: n.port };
}

/** The sockaddr that sk's family reports for (addr, port): sockaddr_in or sockaddr_in6. */
export function nameOf(sk: InetEndpoint, addr: bigint, port: number): Uint8Array {
  return sk.v6 ? sockaddrIn6(addr, port) : sockaddrIn(v4of(addr), port);
}

/** The IPv4 view of a local address (inet_rcv_saddr): a plain v6 one has none that matches. */
function v4view(sk: InetEndpoint, addr: bigint): number {
  if (!sk.v6 || isV4mapped(addr)) return v4of(addr);
  return addr === IN6ADDR_ANY ? INADDR_ANY : LOOPBACK4_IPV6;
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

/**
 * The destination of a connect or send from sk as routing sees it, in the tables' form: a v4
 * one (mapped) when it goes over IPv4, ::1 for the v6 loopback (and for ::, BSD's "this
 * host"), null when there is no route (every other network).
 */
export function routeDest6(sk: InetEndpoint, addr: bigint): bigint | null {
  if (isV4mapped(addr)) {
    const ip = routeDest(v4of(addr), sk.laddr === LOOPBACK4_IPV6 ? INADDR_ANY : sk.laddr);
    return ip === null ? null : v4mapped(ip);
  }
  if (addr === IN6ADDR_ANY) return isV4mapped(sk.laddr6) ? v4mapped(INADDR_LOOPBACK) : IN6ADDR_LOOPBACK;
  return addr === IN6ADDR_LOOPBACK ? addr : null;
}

/** The source address for a destination `dest` routeDest6 gave: the bound one, or the loopback's. */
export function sourceAddr6(sk: InetEndpoint, dest: bigint): bigint {
  if (isV4mapped(dest)) return v4mapped(sourceAddr(sk.laddr === LOOPBACK4_IPV6 ? INADDR_ANY : sk.laddr));
  return sk.laddr6 === IN6ADDR_ANY || isV4mapped(sk.laddr6) ? IN6ADDR_LOOPBACK : sk.laddr6;
}

const SO_REUSEADDR = 2, SO_REUSEPORT = 15;

/** The bound socks of one protocol by port (inet_hashinfo's bhash, udp_table), both families. */
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

/** A local address as a bind conflict weighs it (the parts of a sock inet_rcv_saddr_equal reads). */
interface Bound {
  v6: boolean;
  laddr: number;
  laddr6: bigint;
  v6only: boolean;
}

/**
 * inet_rcv_saddr_equal with wildcards matching: whether two bound addresses overlap. A v4
 * address meets a v6 sock only through its IPv4 view, and never a v6-only one.
 */
function saddrEqual(a: Bound, b: Bound): boolean {
  if (!a.v6) return !b.v6only && (a.laddr === b.laddr || a.laddr === INADDR_ANY || b.laddr === INADDR_ANY);
  const kindA = a.laddr6 === IN6ADDR_ANY ? "any" : isV4mapped(a.laddr6) ? "mapped" : "v6";
  const kindB = !b.v6 || isV4mapped(b.laddr6) ? "mapped" : b.laddr6 === IN6ADDR_ANY ? "any" : "v6";
  if (kindA === "mapped" && kindB === "mapped") return !b.v6only && (a.laddr === b.laddr || a.laddr === INADDR_ANY || b.laddr === INADDR_ANY);
  if (kindA === "any" && kindB === "any") return true;
  if (kindB === "any" && !(b.v6only && kindA === "mapped")) return true;
  if (kindA === "any" && !(a.v6only && kindB === "mapped")) return true;
  return b.v6 && a.laddr6 === b.laddr6;
}

/** How sk would be bound at `addr`: inet6_bind makes a sock bound to a plain v6 address v6-only. */
function boundAt(sk: InetEndpoint, addr: bigint): Bound {
  const plain6 = sk.v6 && addr !== IN6ADDR_ANY && !isV4mapped(addr);
  return { v6: sk.v6, laddr: v4view(sk, addr), laddr6: addr, v6only: sk.v6only || plain6 };
}

/**
 * inet_csk_bind_conflict / udp_lib_lport_inuse: whether sk may not share the port with sk2
 * when bound as `at`. Both SO_REUSEADDR share unless sk2 listens (TCP); both SO_REUSEPORT of
 * one user share always.
 */
function conflict(sk: InetEndpoint, at: Bound, sk2: InetEndpoint): boolean {
  if (sk2 === sk || sk2.dead) return false;
  if (!saddrEqual(at, sk2)) return false;
  const tcp = sk.protocol === 6;
  if (reuse(sk, SO_REUSEADDR) && reuse(sk2, SO_REUSEADDR) && (!tcp || sk2.state !== "listen")) return false;
  if (reuse(sk, SO_REUSEPORT) && reuse(sk2, SO_REUSEPORT) && sk.uid === sk2.uid) return false;
  return true;
}

/** Whether `addr` (tables' form) and port are free for sk now (inet_csk_get_port; listen asks again). */
export function portFree(k: Kernel, sk: InetEndpoint, addr: bigint, port: number): boolean {
  const at = boundAt(sk, addr);
  for (const sk2 of ports(k, sk).get(port) ?? []) if (conflict(sk, at, sk2)) return false;
  return true;
}

/** Sets sk's local address in both views (inet_rcv_saddr, sk_v6_rcv_saddr) and its name. */
function setLocal(sk: InetEndpoint, addr: bigint): void {
  sk.laddr = v4view(sk, addr);
  sk.laddr6 = addr;
  sk.addr = nameOf(sk, addr, sk.lport);
}

/** Puts sk in its protocol's table at (addr, port); release takes it out (inet_put_port). */
export function hashSock(k: Kernel, sk: InetEndpoint, addr: bigint, port: number): void {
  const p = ports(k, sk);
  let set = p.get(port);
  if (!set) p.set(port, (set = new Set()));
  set.add(sk);
  sk.lport = port;
  setLocal(sk, addr);
  sk.unhash = () => {
    set.delete(sk);
    if (set.size === 0 && p.get(port) === set) p.delete(port);
  };
}

/** Moves sk to another local address on its port (connect picks the source: inet_rcv_saddr). */
export function rehash(sk: InetEndpoint, addr: bigint): void {
  setLocal(sk, addr);
}

/**
 * __udp_disconnect: what bind did not choose goes back: the source address to the wildcard,
 * and an autobound port to the table (the next send or connect picks another).
 */
export function udpDisconnect(sk: InetEndpoint): void {
  if (!sk.addrLocked) setLocal(sk, anyAddr(sk));
  if (!sk.portLocked && sk.lport !== 0) {
    sk.unhash?.();
    sk.unhash = null;
    sk.lport = 0;
    sk.addr = null;
  }
}

/**
 * inet_csk_find_open_port / udp_lib_get_port(0): a free port in the ephemeral range, from a
 * random start as Linux does (the kernel's seeded source keeps --seed runs repeatable).
 */
export function ephemeralPort(t: Task, sk: InetEndpoint): number {
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

/** The wildcard address of sk's family in the tables' form: 0.0.0.0 or ::. */
export function anyAddr(sk: InetEndpoint): bigint {
  return sk.v6 ? IN6ADDR_ANY : v4mapped(INADDR_ANY);
}

/** inet_autobind: an unbound sock gets an ephemeral port at `addr` before it sends or listens. */
export function inetAutobind(t: Task, sk: InetEndpoint, addr: bigint): number {
  if (sk.lport !== 0) return 0;
  const port = ephemeralPort(t, sk);
  if (port < 0) return port;
  sk.uid = t.cred.euid;
  hashSock(t.kernel, sk, addr, port);
  return 0;
}

/** The port, once the address checks passed: an ephemeral one for 0, else a free one. */
function bindPort(t: Task, sk: InetEndpoint, addr: bigint, port: number): number {
  sk.uid = t.cred.euid;
  const locked = port !== 0;
  if (port === 0) {
    port = ephemeralPort(t, sk);
    if (port < 0) return port;
  } else if (!portFree(t.kernel, sk, addr, port)) {
    return -EADDRINUSE;
  }
  sk.v6only = boundAt(sk, addr).v6only;
  sk.addrLocked = addr !== anyAddr(sk);
  sk.portLocked = locked;
  hashSock(t.kernel, sk, addr, port);
  return 0;
}

/** inet_bind (__inet_bind): the checks in Linux's order, then the port. */
export function inetBind(t: Task, sk: InetEndpoint, raw: Uint8Array): number {
  if (sk.v6) return inet6Bind(t, sk, raw);
  const name = inetMkname(raw);
  if (typeof name === "number") return name;
  // the compatibility case Linux keeps: AF_UNSPEC with INADDR_ANY binds as AF_INET
  if (name.family !== AF_INET && !(name.family === 0 && name.ip === INADDR_ANY)) return -EAFNOSUPPORT;
  if (!isLocal(name.ip)) return -EADDRNOTAVAIL;
  if (name.port !== 0 && name.port < PROT_SOCK && !capable(t.cred, CAP_NET_BIND_SERVICE)) return -EACCES;
  if (sk.lport !== 0 || sk.state !== "close") return -EINVAL;
  return bindPort(t, sk, v4mapped(name.ip), name.port);
}

/**
 * inet6_bind (__inet6_bind): family, privilege, a second bind, then the address: ::, ::1, or
 * a v4-mapped local one (not on a v6-only sock). Every other address is on no interface here.
 */
function inet6Bind(t: Task, sk: InetEndpoint, raw: Uint8Array): number {
  const name = inet6Mkname(raw);
  if (typeof name === "number") return name;
  if (name.family !== AF_INET6) return -EAFNOSUPPORT;
  if (name.port !== 0 && name.port < PROT_SOCK && !capable(t.cred, CAP_NET_BIND_SERVICE)) return -EACCES;
  if (sk.lport !== 0 || sk.state !== "close") return -EINVAL;
  if (isV4mapped(name.addr)) {
    if (sk.v6only) return -EINVAL;
    if (!isLocal(v4of(name.addr))) return -EADDRNOTAVAIL;
  } else if (name.addr !== IN6ADDR_ANY && name.addr !== IN6ADDR_LOOPBACK) {
    return -EADDRNOTAVAIL;
  }
  return bindPort(t, sk, name.addr, name.port);
}
