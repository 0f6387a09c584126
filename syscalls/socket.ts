// The socket system calls (net/socket.c): socket, socketpair, bind, listen, accept4, connect,
// the names, send and receive in their three forms, shutdown and the SOL_SOCKET options.
// AF_UNIX (src/kernel/net/unix.ts), AF_INET and AF_INET6 on sysemu's only interface, the
// loopback (src/kernel/net/inet.ts), and AF_NETLINK's NETLINK_ROUTE, which describes lo
// (src/kernel/net/netlink.ts); every other family (AF_PACKET ...) is EAFNOSUPPORT.

import { SCM_RIGHTS, SOL_SOCKET } from "./abi/linux.ts";
import { EAFNOSUPPORT, EBADF, EFAULT, EINVAL, EMSGSIZE, ENOTCONN, ENOTSOCK, EOPNOTSUPP, EPROTONOSUPPORT, ESOCKTNOSUPPORT } from "../src/kernel/errno.ts";
import { O_CLOEXEC, O_NONBLOCK, type OpenFile } from "../src/kernel/fs/file.ts";
import { inetConnect, inetGetname, inetGetpeer, inetGetsockopt, inetListen, inetRecvmsg, inetSendmsg, inetSetsockopt, inetShutdown, InetSock } from "../src/kernel/net/inet.ts";
import { AF_INET, AF_INET6, inetBind, IPPROTO_TCP, IPPROTO_UDP } from "../src/kernel/net/inet_addr.ts";
import { AF_NETLINK, netlinkBind, netlinkConnect, netlinkGetname, netlinkSendmsg, netlinkSetopt, NetlinkSock, netlinkType, sockaddrNl } from "../src/kernel/net/netlink.ts";
import { newRecvMeta, sockAllocFile, sockOf } from "../src/kernel/net/socket.ts";
import { sockGetsockopt, sockSetsockopt } from "../src/kernel/net/sockopt.ts";
import { MSG_CMSG_CLOEXEC, MSG_CTRUNC, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, unixAccept, unixConnect, unixListen, unixPair, unixRecvmsg, unixSendmsg, unixShutdown, UnixSock, type RecvMeta } from "../src/kernel/net/unix.ts";
import { AF_UNIX, autobind, bindAbstract, bindPath, SUN_PATH_OFFSET, unixMkname, type UnixName } from "../src/kernel/net/unix_addr.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { access_ok, copy_from_user, copy_to_user, get_user_u32, put_user_u32 } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

const SOCK_TYPE_MASK = 0xf;
const SOL_NETLINK = 270;
const SOCK_RAW = 3;
/** sizeof(struct sockaddr_storage): the most move_addr_to_kernel copies in. */
const MAX_SOCK_ADDR = 128;
const UIO_MAXIOV = 1024;
const SCM_MAX_FD = 253;

/** sockfd_lookup: the socket behind fd, or EBADF/ENOTSOCK. */
function sockfd(t: Task, fd: number): { f: OpenFile; sk: UnixSock } | number {
  const f = t.files.get(fd);
  if (!f) return -EBADF;
  const sk = sockOf(f);
  return sk ? { f, sk } : -ENOTSOCK;
}

const nonblock = (f: OpenFile): boolean => (f.flags & O_NONBLOCK) !== 0;

/** move_addr_to_kernel: the sockaddr's bytes as given. */
function readAddr(t: Task, p: number, len: number): Uint8Array | number {
  if (len < 0 || len > MAX_SOCK_ADDR) return -EINVAL;
  const raw = new Uint8Array(len);
  if (copy_from_user(t.mm, raw, p, len)) return -EFAULT;
  return raw;
}

/** move_addr_to_kernel + unix_mkname. */
function readName(t: Task, p: number, len: number): UnixName | number {
  const raw = readAddr(t, p, len);
  return typeof raw === "number" ? raw : unixMkname(raw);
}

/** move_addr_to_user: writes min(name, *lenp) bytes and the name's full length. */
function writeName(t: Task, p: number, lenp: number, name: Uint8Array | null): number {
  if (p === 0) return 0;
  const have = get_user_u32(t.mm, lenp);
  if (have === null) return -EFAULT;
  if (have > 0x7fffffff) return -EINVAL;
  const addr = name ?? Uint8Array.of(AF_UNIX, 0);
  if (copy_to_user(t.mm, p, addr, Math.min(have, addr.length))) return -EFAULT;
  return put_user_u32(t.mm, lenp, addr.length) ? -EFAULT : 0;
}

/** Installs a new socket file: the descriptor, or -EMFILE. */
function installSock(t: Task, sk: UnixSock, flags: number): number {
  const f = sockAllocFile(t, sk, flags);
  const fd = t.files.install(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) f.get().put();
  return fd;
}

/** inet_create's protocol switch: TCP for streams, UDP for datagrams, nothing else. */
function inetType(type: number, protocol: number): number {
  const kind = type & SOCK_TYPE_MASK;
  const proto = kind === SOCK_STREAM ? IPPROTO_TCP : kind === SOCK_DGRAM ? IPPROTO_UDP : -1;
  if (proto < 0) return -ESOCKTNOSUPPORT; // raw and seqpacket sockets: not on this loopback
  return protocol === 0 || protocol === proto ? kind : -EPROTONOSUPPORT;
}

/** __sys_socket's checks: the sock type, or -errno. */
function sockType(domain: number, type: number, protocol: number): number {
  if (type & ~(SOCK_TYPE_MASK | O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  if (domain === AF_INET || domain === AF_INET6) return inetType(type, protocol);
  if (domain === AF_NETLINK) return netlinkType(type & SOCK_TYPE_MASK, protocol);
  if (domain !== AF_UNIX) return -EAFNOSUPPORT;
  if (protocol !== 0 && protocol !== AF_UNIX) return -EPROTONOSUPPORT;
  const kind = type & SOCK_TYPE_MASK;
  if (kind === SOCK_RAW) return SOCK_DGRAM; // unix_create: raw is datagram
  return kind === SOCK_STREAM || kind === SOCK_DGRAM || kind === SOCK_SEQPACKET ? kind : -ESOCKTNOSUPPORT;
}

/** socket(2) */
export const sys_socket = defineSyscall({
  name: "socket", args: ["sock_domain", "sock_type", "sock_proto"], ret: "fd",
  fn: (t, a) => {
    const kind = sockType(a.int(0), a.int(1), a.int(2));
    if (kind < 0) return kind;
    const domain = a.int(0);
    const pw = t.kernel.pollWait;
    const sk = domain === AF_UNIX ? new UnixSock(kind, pw) : domain === AF_NETLINK ? new NetlinkSock(kind, pw) : new InetSock(kind, pw, domain === AF_INET6);
    return installSock(t, sk, a.int(1));
  },
});

/** socketpair(2) */
export const sys_socketpair = defineSyscall({
  name: "socketpair", args: ["sock_domain", "sock_type", "sock_proto", "fdpair_out"],
  fn: (t, a) => {
    const kind = sockType(a.int(0), a.int(1), a.int(2));
    if (kind < 0) return kind;
    if (a.int(0) !== AF_UNIX) return -EOPNOTSUPP; // inet_socketpair
    if (!access_ok(t.mm, a.ptr(3), 8)) return -EFAULT;
    const sk = new UnixSock(kind, t.kernel.pollWait);
    const other = unixPair(t, sk);
    const fd0 = installSock(t, sk, a.int(1));
    if (fd0 < 0) return fd0;
    const fd1 = installSock(t, other, a.int(1));
    if (fd1 < 0) {
      t.files.close(fd0);
      return fd1;
    }
    if (put_user_u32(t.mm, a.ptr(3), fd0) || put_user_u32(t.mm, a.ptr(3) + 4, fd1)) {
      t.files.close(fd0);
      t.files.close(fd1);
      return -EFAULT;
    }
    return 0;
  },
});

/** bind(2) */
export const sys_bind = defineSyscall({
  name: "bind", args: ["fd", "sockaddr", "int"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    const len = a.int(2);
    if (s.sk instanceof InetSock || s.sk instanceof NetlinkSock) {
      const raw = readAddr(t, a.ptr(1), len);
      if (typeof raw === "number") return raw;
      return s.sk instanceof InetSock ? inetBind(t, s.sk, raw) : netlinkBind(t, s.sk, raw);
    }
    if (len === SUN_PATH_OFFSET) {
      const fam = new Uint8Array(2);
      if (copy_from_user(t.mm, fam, a.ptr(1), 2)) return -EFAULT;
      if (fam[0] === AF_UNIX && fam[1] === 0) return s.sk.addr ? -EINVAL : autobind(t, s.sk);
    }
    const name = readName(t, a.ptr(1), len);
    if (typeof name === "number") return name;
    if (s.sk.addr) return -EINVAL;
    return name.abstract ? bindAbstract(t, s.sk, name) : bindPath(t, s.sk, name);
  },
});

/** listen(2) */
export const sys_listen = defineSyscall({
  name: "listen", args: ["fd", "int"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    return s.sk instanceof InetSock ? inetListen(t, s.sk, a.int(1)) : unixListen(t, s.sk, a.int(1));
  },
});

function accept(t: Task, fd: number, addr: number, lenp: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
  const s = sockfd(t, fd);
  if (typeof s === "number") return s;
  if (addr !== 0 && get_user_u32(t.mm, lenp) === null) return -EFAULT;
  const newsk = unixAccept(t, s.sk, nonblock(s.f));
  if (typeof newsk === "number") return newsk;
  const nfd = installSock(t, newsk, flags);
  if (nfd < 0) return nfd;
  const peer = newsk instanceof InetSock ? inetGetpeer(newsk) : (newsk.peer?.addr ?? null);
  const w = writeName(t, addr, lenp, typeof peer === "number" ? null : peer);
  if (w < 0) {
    t.files.close(nfd);
    return w;
  }
  return nfd;
}

/** accept4(2) */
export const sys_accept4 = defineSyscall({
  name: "accept4", args: ["fd", "sockaddr_out", "ptr", "sock_flags"], ret: "fd",
  fn: (t, a) => accept(t, a.fd(0), a.ptr(1), a.ptr(2), a.int(3)),
});

/** accept(2) */
export const sys_accept = defineSyscall({
  name: "accept", args: ["fd", "sockaddr_out", "ptr"], ret: "fd",
  fn: (t, a) => accept(t, a.fd(0), a.ptr(1), a.ptr(2), 0),
});

/** connect(2) */
export const sys_connect = defineSyscall({
  name: "connect", args: ["fd", "sockaddr", "int"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    if (s.sk instanceof InetSock || s.sk instanceof NetlinkSock) {
      const raw = readAddr(t, a.ptr(1), a.int(2));
      if (typeof raw === "number") return raw;
      return s.sk instanceof InetSock ? inetConnect(t, s.sk, raw, nonblock(s.f)) : netlinkConnect(t, s.sk, raw);
    }
    const name = readName(t, a.ptr(1), a.int(2));
    return typeof name === "number" ? name : unixConnect(t, s.sk, name, nonblock(s.f));
  },
});

/** getsockname(2) */
export const sys_getsockname = defineSyscall({
  name: "getsockname", args: ["fd", "sockaddr_out", "ptr"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    const sk = s.sk;
    return writeName(t, a.ptr(1), a.ptr(2), sk instanceof InetSock ? inetGetname(sk) : sk instanceof NetlinkSock ? netlinkGetname(sk) : sk.addr);
  },
});

/** getpeername(2) */
export const sys_getpeername = defineSyscall({
  name: "getpeername", args: ["fd", "sockaddr_out", "ptr"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    if (s.sk instanceof NetlinkSock) return writeName(t, a.ptr(1), a.ptr(2), sockaddrNl(0, 0)); // the kernel, always
    if (s.sk instanceof InetSock) {
      const name = inetGetpeer(s.sk);
      return typeof name === "number" ? name : writeName(t, a.ptr(1), a.ptr(2), name);
    }
    const peer = s.sk.peer;
    if (!peer || (s.sk.type !== SOCK_DGRAM && s.sk.state !== "established")) return -ENOTCONN;
    return writeName(t, a.ptr(1), a.ptr(2), peer.addr);
  },
});

/** The destination of sendto/sendmsg, null when none was given. */
function destName(t: Task, p: number, len: number): UnixName | null | number {
  return p === 0 || len === 0 ? null : readName(t, p, len);
}

/** sendto(2) */
export const sys_sendto = defineSyscall({
  name: "sendto", args: ["fd", "buf_in", "size", "msg_flags", "sockaddr", "int"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    const len = Math.min(a.size(2), 0x7ffff000);
    const src = new Uint8Array(len);
    if (copy_from_user(t.mm, src, a.ptr(1), len)) return -EFAULT;
    if (s.sk instanceof InetSock || s.sk instanceof NetlinkSock) {
      const raw = a.ptr(4) === 0 ? null : readAddr(t, a.ptr(4), a.int(5));
      if (typeof raw === "number") return raw;
      return s.sk instanceof InetSock ? inetSendmsg(t, s.sk, src, a.int(3), nonblock(s.f), raw) : netlinkSendmsg(t, s.sk, src, raw);
    }
    const dest = destName(t, a.ptr(4), a.int(5));
    if (typeof dest === "number") return dest;
    return unixSendmsg(t, s.sk, src, a.int(3), nonblock(s.f), null, dest);
  },
});

/** recvfrom(2) */
export const sys_recvfrom = defineSyscall({
  name: "recvfrom", args: ["fd", "buf_out", "size", "msg_flags", "sockaddr_out", "ptr"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    const len = Math.min(a.size(2), 0x7ffff000);
    if (!access_ok(t.mm, a.ptr(1), len)) return -EFAULT;
    const dst = new Uint8Array(Math.min(len, 1 << 22));
    const meta = newRecvMeta();
    const n = recvmsg(t, s.sk, s.f, dst, a.int(3), meta);
    meta.fds.forEach((f) => f.put());
    if (n < 0) return n;
    if (copy_to_user(t.mm, a.ptr(1), dst, Math.min(n, dst.length))) return -EFAULT;
    // a stream's sender name is only reported when it has one; recvfrom then says 0 bytes
    if (a.ptr(4) !== 0 && (meta.addr || s.sk.type !== SOCK_STREAM)) {
      const w = writeName(t, a.ptr(4), a.ptr(5), meta.addr);
      if (w < 0) return w;
    } else if (a.ptr(4) !== 0 && put_user_u32(t.mm, a.ptr(5), 0)) return -EFAULT;
    return n;
  },
});

/** sock_recvmsg: the family's receive. */
function recvmsg(t: Task, sk: UnixSock, f: OpenFile, dst: Uint8Array, flags: number, meta: RecvMeta): number {
  return sk instanceof InetSock ? inetRecvmsg(t, sk, dst, flags, nonblock(f), meta) : unixRecvmsg(t, sk, dst, flags, nonblock(f), meta);
}

interface Msghdr {
  name: number;
  namelen: number;
  iovs: { base: number; len: number }[];
  control: number;
  controllen: number;
  total: number;
}

/** copy_msghdr_from_user with its iovecs checked (import_iovec). */
function readMsghdr(t: Task, p: number): Msghdr | number {
  const raw = new Uint8Array(t.abi.MSGHDR.size);
  if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
  const v = new DataView(raw.buffer);
  const iovlen = Number(v.getBigUint64(t.abi.MSGHDR.iovlen, true));
  if (iovlen > UIO_MAXIOV) return -EMSGSIZE;
  const iraw = new Uint8Array(iovlen * t.abi.SIZEOF_IOVEC);
  if (copy_from_user(t.mm, iraw, Number(v.getBigUint64(t.abi.MSGHDR.iov, true)), iraw.length)) return -EFAULT;
  const iovs = t.abi.decodeIovecs(iraw, iovlen);
  let total = 0;
  for (const iov of iovs) {
    if (iov.len > 0x7fffffff) return -EINVAL;
    if (!access_ok(t.mm, iov.base, iov.len)) return -EFAULT;
    total = Math.min(total + iov.len, 0x7ffff000);
  }
  return {
    name: Number(v.getBigUint64(t.abi.MSGHDR.name, true)), namelen: v.getInt32(t.abi.MSGHDR.namelen, true), iovs,
    control: Number(v.getBigUint64(t.abi.MSGHDR.control, true)), controllen: Number(v.getBigUint64(t.abi.MSGHDR.controllen, true)), total,
  };
}

/** SCM_RIGHTS from the control buffer: the open files with a reference each, or -errno. */
function scmSend(t: Task, m: Msghdr): OpenFile[] | null | number {
  if (m.control === 0 || m.controllen === 0) return null;
  if (m.controllen > 1 << 16) return -EINVAL;
  const raw = new Uint8Array(m.controllen);
  if (copy_from_user(t.mm, raw, m.control, raw.length)) return -EFAULT;
  const cmsgs = t.abi.decodeCmsgs(raw);
  if (typeof cmsgs === "number") return cmsgs;
  let fds: OpenFile[] | null = null;
  for (const c of cmsgs) {
    if (c.level !== SOL_SOCKET) continue;
    if (c.type !== SCM_RIGHTS) continue; // SCM_CREDENTIALS: the kernel's own idea of them is used
    const n = c.data.length >> 2;
    if (n === 0 || n > SCM_MAX_FD || (fds?.length ?? 0) + n > SCM_MAX_FD) return -EINVAL;
    const v = new DataView(c.data.buffer, c.data.byteOffset);
    for (let i = 0; i < n; i++) {
      const f = t.files.get(v.getInt32(i * 4, true));
      if (!f) {
        fds?.forEach((x) => x.put());
        return -EBADF;
      }
      (fds ??= []).push(f.get());
    }
  }
  return fds;
}

/** sendmsg(2) */
export const sys_sendmsg = defineSyscall({
  name: "sendmsg", args: ["fd", "msghdr_in", "msg_flags"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    const m = readMsghdr(t, a.ptr(1));
    if (typeof m === "number") return m;
    const src = new Uint8Array(m.total);
    let off = 0;
    for (const iov of m.iovs) {
      const n = Math.min(iov.len, m.total - off);
      if (copy_from_user(t.mm, src.subarray(off, off + n), iov.base, n)) return -EFAULT;
      off += n;
    }
    if (s.sk instanceof InetSock || s.sk instanceof NetlinkSock) {
      if (m.control !== 0 && m.controllen !== 0) return -EINVAL; // __scm_send: SCM_RIGHTS is AF_UNIX's
      const raw = m.name === 0 || m.namelen === 0 ? null : readAddr(t, m.name, m.namelen);
      if (typeof raw === "number") return raw;
      return s.sk instanceof InetSock ? inetSendmsg(t, s.sk, src, a.int(2), nonblock(s.f), raw) : netlinkSendmsg(t, s.sk, src, raw);
    }
    const dest = destName(t, m.name, m.namelen);
    if (typeof dest === "number") return dest;
    const fds = scmSend(t, m);
    if (typeof fds === "number") return fds;
    return unixSendmsg(t, s.sk, src, a.int(2), nonblock(s.f), fds, dest);
  },
});

/** Installs passed files and writes the control messages back (scm_detach_fds); msg_flags bits. */
function scmRecv(t: Task, m: Msghdr, meta: RecvMeta, flags: number): { len: number; flags: number } | number {
  let out = 0;
  const msgs: { level: number; type: number; data: Uint8Array }[] = [];
  if (meta.fds.length > 0) {
    const room = Math.max(0, Math.floor((m.controllen - 16) / 4));
    const fit = m.control === 0 ? 0 : Math.min(room, meta.fds.length);
    if (fit < meta.fds.length) out |= MSG_CTRUNC;
    const data = new Uint8Array(fit * 4);
    const v = new DataView(data.buffer);
    for (let i = 0; i < fit; i++) {
      const fd = t.files.install(meta.fds[i]!, (flags & MSG_CMSG_CLOEXEC) !== 0);
      if (fd < 0) {
        out |= MSG_CTRUNC;
        break;
      }
      v.setInt32(i * 4, fd, true);
    }
    if (fit > 0) msgs.push({ level: SOL_SOCKET, type: SCM_RIGHTS, data });
  }
  meta.fds.forEach((f) => f.put());
  if (msgs.length === 0) return { len: 0, flags: out };
  const raw = t.abi.encodeCmsgs(msgs);
  const len = Math.min(raw.length, m.controllen); // the last CMSG_SPACE may not fit whole
  if (copy_to_user(t.mm, m.control, raw, len)) return -EFAULT;
  return { len, flags: out };
}

/** recvmsg(2) */
export const sys_recvmsg = defineSyscall({
  name: "recvmsg", args: ["fd", "msghdr_out", "msg_flags"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    const m = readMsghdr(t, a.ptr(1));
    if (typeof m === "number") return m;
    const dst = new Uint8Array(Math.min(m.total, 1 << 22));
    const meta = newRecvMeta();
    const flags = a.int(2);
    const n = recvmsg(t, s.sk, s.f, dst, flags, meta);
    if (n < 0) {
      meta.fds.forEach((f) => f.put());
      return n;
    }
    let off = 0;
    for (const iov of m.iovs) {
      const k = Math.min(iov.len, Math.min(n, dst.length) - off);
      if (k <= 0) break;
      if (copy_to_user(t.mm, iov.base, dst.subarray(off, off + k))) return -EFAULT;
      off += k;
    }
    const scm = scmRecv(t, m, meta, flags);
    if (typeof scm === "number") return scm;
    const hdr = a.ptr(1);
    let namelen = 0;
    if (m.name !== 0 && meta.addr) {
      namelen = meta.addr.length;
      if (copy_to_user(t.mm, m.name, meta.addr, Math.min(namelen, Math.max(m.namelen, 0)))) return -EFAULT;
    }
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(scm.len), true);
    if (put_user_u32(t.mm, hdr + t.abi.MSGHDR.namelen, namelen) || copy_to_user(t.mm, hdr + t.abi.MSGHDR.controllen, b)) return -EFAULT;
    if (put_user_u32(t.mm, hdr + t.abi.MSGHDR.flags, meta.msgFlags | scm.flags)) return -EFAULT;
    return n;
  },
});

/** shutdown(2) */
export const sys_shutdown = defineSyscall({
  name: "shutdown", args: ["fd", "shutdown_how"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    return s.sk instanceof InetSock ? inetShutdown(s.sk, a.int(1)) : unixShutdown(s.sk, a.int(1));
  },
});

/** getsockopt(2) */
export const sys_getsockopt = defineSyscall({
  name: "getsockopt", args: ["fd", "sockopt_level", "sockopt_name", "ptr", "ptr"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    if (s.sk instanceof InetSock && a.int(1) !== SOL_SOCKET) return inetGetsockopt(t, s.sk, a.int(1), a.int(2), a.ptr(3), a.ptr(4));
    if (s.sk instanceof NetlinkSock && a.int(1) === SOL_NETLINK) {
      const len = get_user_u32(t.mm, a.ptr(4));
      if (len === null) return -EFAULT;
      if (len < 4) return -EINVAL;
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, s.sk.nlOpts.get(a.int(2)) ?? 0, true);
      return copy_to_user(t.mm, a.ptr(3), b) || put_user_u32(t.mm, a.ptr(4), 4) ? -EFAULT : 0;
    }
    return sockGetsockopt(t, s.sk, a.int(1), a.int(2), a.ptr(3), a.ptr(4));
  },
});

/** setsockopt(2) */
export const sys_setsockopt = defineSyscall({
  name: "setsockopt", args: ["fd", "sockopt_level", "sockopt_name", "ptr", "int"],
  fn: (t, a) => {
    const s = sockfd(t, a.fd(0));
    if (typeof s === "number") return s;
    if (s.sk instanceof InetSock && a.int(1) !== SOL_SOCKET) return inetSetsockopt(t, s.sk, a.int(1), a.int(2), a.ptr(3), a.int(4));
    if (s.sk instanceof NetlinkSock && a.int(1) === SOL_NETLINK) {
      const v = get_user_u32(t.mm, a.ptr(3));
      return v === null ? -EFAULT : netlinkSetopt(s.sk, a.int(2), v, a.int(4));
    }
    return sockSetsockopt(t, s.sk, a.int(1), a.int(2), a.ptr(3), a.int(4));
  },
});
