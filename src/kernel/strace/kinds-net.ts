// Decoders for the socket and event-descriptor calls' arguments, in strace's words:
// {sa_family=AF_UNIX, sun_path="/tmp/s"}, {sa_family=AF_INET, sin_port=htons(4444),
// sin_addr=inet_addr("127.0.0.1")}, {sa_family=AF_INET6, sin6_port=htons(80),
// sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0},
// SOCK_STREAM|SOCK_CLOEXEC, MSG_NOSIGNAL, EPOLLIN ...

import { copy_from_user, get_user_u32 } from "../../mm/uaccess.ts";
import { in6Ntop, inet6Mkname, SIN6_LEN_RFC2133 } from "../net/in6_addr.ts";
import type { Task } from "../proc/task.ts";
import { hex, quote, readBuf, readBytes, readStruct, type Decoder } from "./decode.ts";
import * as F from "./flags.ts";

const FAMILIES: Record<number, string> = { 0: "AF_UNSPEC", 1: "AF_UNIX", 2: "AF_INET", 10: "AF_INET6", 16: "AF_NETLINK", 17: "AF_PACKET" };
const TYPES: Record<number, string> = { 1: "SOCK_STREAM", 2: "SOCK_DGRAM", 3: "SOCK_RAW", 5: "SOCK_SEQPACKET" };
const SOCK_FLAGS: F.Bits = [[0o2000000, "SOCK_CLOEXEC"], [0o4000, "SOCK_NONBLOCK"]];
const MSG_FLAGS: F.Bits = [
  [0x1, "MSG_OOB"], [0x2, "MSG_PEEK"], [0x4, "MSG_DONTROUTE"], [0x8, "MSG_CTRUNC"], [0x20, "MSG_TRUNC"], [0x40, "MSG_DONTWAIT"],
  [0x80, "MSG_EOR"], [0x100, "MSG_WAITALL"], [0x4000, "MSG_NOSIGNAL"], [0x8000, "MSG_MORE"], [0x40000000, "MSG_CMSG_CLOEXEC"],
];
const SO_NAMES: Record<number, string> = {
  1: "SO_DEBUG", 2: "SO_REUSEADDR", 3: "SO_TYPE", 4: "SO_ERROR", 5: "SO_DONTROUTE", 6: "SO_BROADCAST", 7: "SO_SNDBUF", 8: "SO_RCVBUF",
  9: "SO_KEEPALIVE", 10: "SO_OOBINLINE", 13: "SO_LINGER", 15: "SO_REUSEPORT", 16: "SO_PASSCRED", 17: "SO_PEERCRED", 18: "SO_RCVLOWAT",
  19: "SO_SNDLOWAT", 20: "SO_RCVTIMEO_OLD", 21: "SO_SNDTIMEO_OLD", 30: "SO_ACCEPTCONN", 38: "SO_PROTOCOL", 39: "SO_DOMAIN",
};
const TCP_NAMES: Record<number, string> = {
  1: "TCP_NODELAY", 2: "TCP_MAXSEG", 3: "TCP_CORK", 4: "TCP_KEEPIDLE", 5: "TCP_KEEPINTVL", 6: "TCP_KEEPCNT", 7: "TCP_SYNCNT",
  8: "TCP_LINGER2", 9: "TCP_DEFER_ACCEPT", 10: "TCP_WINDOW_CLAMP", 11: "TCP_INFO", 12: "TCP_QUICKACK", 18: "TCP_USER_TIMEOUT", 23: "TCP_FASTOPEN",
};
const IP_NAMES: Record<number, string> = { 1: "IP_TOS", 2: "IP_TTL", 8: "IP_RECVTOS", 11: "IP_RECVERR" };
const IPV6_NAMES: Record<number, string> = { 16: "IPV6_UNICAST_HOPS", 25: "IPV6_RECVERR", 26: "IPV6_V6ONLY", 49: "IPV6_RECVPKTINFO", 67: "IPV6_TCLASS" };
const LEVELS: Record<number, string> = { 0: "SOL_IP", 1: "SOL_SOCKET", 6: "SOL_TCP", 17: "SOL_UDP", 41: "SOL_IPV6", 270: "SOL_NETLINK" };
const EPOLL_EVENTS: F.Bits = [
  [0x1, "EPOLLIN"], [0x2, "EPOLLPRI"], [0x4, "EPOLLOUT"], [0x8, "EPOLLERR"], [0x10, "EPOLLHUP"], [0x40, "EPOLLRDNORM"], [0x80, "EPOLLRDBAND"],
  [0x100, "EPOLLWRNORM"], [0x200, "EPOLLWRBAND"], [0x2000, "EPOLLRDHUP"], [0x10000000, "EPOLLEXCLUSIVE"], [0x20000000, "EPOLLWAKEUP"],
  [0x40000000, "EPOLLONESHOT"], [0x80000000, "EPOLLET"],
];

function named(table: Record<number, string>, v: number): string {
  return table[v] ?? String(v);
}

function sockType(v: number): string {
  const rest = F.flags(v & ~0xf, SOCK_FLAGS, "");
  return named(TYPES, v & 0xf) + (rest ? "|" + rest : "");
}

/** struct sockaddr as strace shows it; `len` bytes at p. */
function sockaddr(t: Task, p: number, len: number): string {
  if (p === 0) return "NULL";
  if (len < 2 || len > 128) return hex(p);
  const raw = new Uint8Array(len);
  if (copy_from_user(t.mm, raw, p, len)) return hex(p);
  const fam = raw[0]! | (raw[1]! << 8);
  let s = `{sa_family=${named(FAMILIES, fam)}`;
  if (fam === 1 && len > 2) {
    const abstract = raw[2] === 0;
    let path = raw.subarray(abstract ? 3 : 2);
    if (!abstract) {
      const nul = path.indexOf(0);
      if (nul >= 0) path = path.subarray(0, nul);
    }
    s += `, sun_path=${abstract ? "@" : ""}${quote(path, false)}`;
  } else if (fam === 2 && len >= 8) {
    const v = new DataView(raw.buffer);
    s += `, sin_port=htons(${v.getUint16(2, false)}), sin_addr=inet_addr("${raw[4]}.${raw[5]}.${raw[6]}.${raw[7]}")`;
  } else if (fam === 10 && len >= SIN6_LEN_RFC2133) {
    // strace leaves sin6_scope_id out of an RFC 2133 sockaddr_in6, which has none
    const v = new DataView(raw.buffer);
    const n = inet6Mkname(raw) as { port: number; addr: bigint };
    s += `, sin6_port=htons(${n.port}), sin6_flowinfo=htonl(${v.getUint32(4, false)}), inet_pton(AF_INET6, "${in6Ntop(n.addr)}", &sin6_addr)`;
    if (len >= 28) s += `, sin6_scope_id=${v.getUint32(24, true)}`;
  } else if (fam === 16 && len >= 12) {
    const v = new DataView(raw.buffer);
    s += `, nl_pid=${v.getUint32(4, true)}, nl_groups=${v.getUint32(8, true).toString(16).padStart(8, "0")}`;
  } else if (fam !== 1 && fam !== 2 && len > 2) {
    s += `, sa_data=${quote(raw.subarray(2), false)}`; // a family strace cannot decode, or too short for its own
  }
  return s + "}";
}

function sockaddrOut(c: Parameters<Decoder>[0]): string {
  const p = c.a.ptr(c.i);
  if (c.failed || p === 0) return p === 0 ? "NULL" : hex(p);
  const len = get_user_u32(c.t.mm, c.a.ptr(c.i + 1));
  return len === null ? hex(p) : sockaddr(c.t, p, Math.min(len, 110));
}

function msghdr(t: Task, p: number, ret: number | null): string {
  const v = readStruct(t, p, 56);
  if (!v) return hex(p);
  const iov = Number(v.getBigUint64(16, true)), iovlen = Number(v.getBigUint64(24, true));
  const name = Number(v.getBigUint64(0, true));
  return `{msg_name=${name === 0 ? "NULL" : hex(name)}, msg_namelen=${v.getUint32(8, true)}, msg_iov=${F.iovecs(t, iov, iovlen, ret, readBuf)}, ` +
    `msg_iovlen=${iovlen}, msg_controllen=${v.getBigUint64(40, true)}, msg_flags=${F.flags(v.getInt32(48, true), MSG_FLAGS)}}`;
}

const IPPROTOS: Record<number, string> = { 0: "IPPROTO_IP", 1: "IPPROTO_ICMP", 6: "IPPROTO_TCP", 17: "IPPROTO_UDP", 41: "IPPROTO_IPV6", 58: "IPPROTO_ICMPV6", 255: "IPPROTO_RAW" };
const NETLINK_PROTOS: Record<number, string> = { 0: "NETLINK_ROUTE", 4: "NETLINK_SOCK_DIAG", 9: "NETLINK_AUDIT", 15: "NETLINK_KOBJECT_UEVENT", 16: "NETLINK_GENERIC" };

export const NET_KINDS: [string, Decoder][] = [
  ["sock_domain", (c) => named(FAMILIES, c.a.int(c.i))],
  // the protocol's names are its family's (the first argument)
  ["sock_proto", (c) => {
    const fam = c.a.int(0);
    return fam === 2 || fam === 10 ? named(IPPROTOS, c.a.int(c.i)) : fam === 16 ? named(NETLINK_PROTOS, c.a.int(c.i)) : String(c.a.int(c.i));
  }],
  ["sock_type", (c) => sockType(c.a.int(c.i))],
  ["sock_flags", (c) => F.flags(c.a.int(c.i), SOCK_FLAGS)],
  ["msg_flags", (c) => F.flags(c.a.int(c.i), MSG_FLAGS)],
  ["shutdown_how", (c) => ["SHUT_RD", "SHUT_WR", "SHUT_RDWR"][c.a.int(c.i)] ?? String(c.a.int(c.i))],
  ["sockopt_level", (c) => named(LEVELS, c.a.int(c.i))],
  // the name's table is its level's (the argument before it)
  ["sockopt_name", (c) => named(({ 0: IP_NAMES, 6: TCP_NAMES, 41: IPV6_NAMES } as Record<number, Record<number, string>>)[c.a.int(c.i - 1)] ?? SO_NAMES, c.a.int(c.i))],
  ["sockaddr", (c) => sockaddr(c.t, c.a.ptr(c.i), c.a.int(c.i + 1))],
  ["sockaddr_out", sockaddrOut],
  ["msghdr_in", (c) => msghdr(c.t, c.a.ptr(c.i), null)],
  ["msghdr_out", (c) => (c.failed ? hex(c.a.ptr(c.i)) : msghdr(c.t, c.a.ptr(c.i), c.ret))],
  ["fdpair_out", (c) => {
    const p = c.a.ptr(c.i);
    const a = c.failed ? null : get_user_u32(c.t.mm, p), b = c.failed ? null : get_user_u32(c.t.mm, p + 4);
    return a === null || b === null ? hex(p) : `[${a | 0}, ${b | 0}]`;
  }],
  ["epoll_flags", (c) => F.flags(c.a.int(c.i), [[0o2000000, "EPOLL_CLOEXEC"]])],
  ["epoll_op", (c) => ["0", "EPOLL_CTL_ADD", "EPOLL_CTL_DEL", "EPOLL_CTL_MOD"][c.a.int(c.i)] ?? String(c.a.int(c.i))],
  ["epoll_event", (c) => {
    const b = readBytes(c.t, c.a.ptr(c.i), c.t.abi.SIZEOF_EPOLL_EVENT);
    const e = b && c.t.abi.decodeEpollEvent(b, 0);
    return e ? `{events=${F.flags(e.events, EPOLL_EVENTS)}, data=${hex(e.data)}}` : c.a.ptr(c.i) === 0 ? "NULL" : hex(c.a.ptr(c.i));
  }],
  ["efd_flags", (c) => F.flags(c.a.int(c.i), [[1, "EFD_SEMAPHORE"], [0o4000, "EFD_NONBLOCK"], [0o2000000, "EFD_CLOEXEC"]])],
  ["sfd_flags", (c) => F.flags(c.a.int(c.i), [[0o4000, "SFD_NONBLOCK"], [0o2000000, "SFD_CLOEXEC"]])],
  ["tfd_flags", (c) => F.flags(c.a.int(c.i), [[0o4000, "TFD_NONBLOCK"], [0o2000000, "TFD_CLOEXEC"]])],
  ["tfd_settime_flags", (c) => F.flags(c.a.int(c.i), [[1, "TFD_TIMER_ABSTIME"], [2, "TFD_TIMER_CANCEL_ON_SET"]])],
  ["itimerspec", (c) => {
    const p = c.a.ptr(c.i);
    const v = readStruct(c.t, p, 32);
    const ts = (o: number) => `{tv_sec=${v!.getBigInt64(o, true)}, tv_nsec=${v!.getBigInt64(o + 8, true)}}`;
    return v ? `{it_interval=${ts(0)}, it_value=${ts(16)}}` : p === 0 ? "NULL" : hex(p);
  }],
];
