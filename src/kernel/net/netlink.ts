// AF_NETLINK sockets, NETLINK_ROUTE only (net/netlink/af_netlink.c, net/core/rtnetlink.c): a
// datagram socket whose peer is the kernel. A request sent to it is answered at once into the
// sender's own receive queue (the AF_UNIX datagram queue: recv, MSG_PEEK, MSG_TRUNC, poll and
// timeouts come with it): the RTM_GETLINK and RTM_GETADDR dumps describe lo (rtnetlink.ts),
// anything else gets an NLMSG_ERROR. No events are ever sent to multicast groups.

import { EADDRINUSE, EINVAL, EMSGSIZE, ENOBUFS, ECONNREFUSED, EOPNOTSUPP, EPERM, EPROTONOSUPPORT, ESOCKTNOSUPPORT } from "../errno.ts";
import { kernelStatic } from "../kernel.ts";
import type { WaitQueue } from "../proc/sched.ts";
import { capable, type Task } from "../proc/task.ts";
import { dumpReply, errorReply, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NLMSG_HDRLEN, RTM_GETADDR, RTM_GETLINK } from "./rtnetlink.ts";
import { currentCred, queueDgram, SOCK_DGRAM, UnixSock } from "./unix.ts";

export const AF_NETLINK = 16, NETLINK_ROUTE = 0;
const SOCK_RAW = 3;
const SIZEOF_SOCKADDR_NL = 12;
const NLMSG_MIN_TYPE = 0x10;
const CAP_NET_ADMIN = 12;

/** struct netlink_sock: a port id once bound (0: not yet), and the default destination. */
export class NetlinkSock extends UnixSock {
  portid = 0;
  bound = false;
  groups = 0;
  /** SOL_NETLINK options as set (NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK ...). */
  readonly nlOpts = new Map<number, number>();

  constructor(type: number, pollWait: WaitQueue) {
    super(type, pollWait);
  }

  override get family(): number {
    return AF_NETLINK;
  }

  override get protocol(): number {
    return NETLINK_ROUTE;
  }

  override get connectionOriented(): boolean {
    return false;
  }
}

/** netlink_create's checks: the sock type for SOCK_RAW/SOCK_DGRAM and NETLINK_ROUTE, or -errno. */
export function netlinkType(kind: number, protocol: number): number {
  if (kind !== SOCK_RAW && kind !== SOCK_DGRAM) return -ESOCKTNOSUPPORT;
  return protocol === NETLINK_ROUTE ? kind : -EPROTONOSUPPORT;
}

/** The port ids in use in one kernel (nl_table's hash for NETLINK_ROUTE). */
const table = kernelStatic(() => ({ used: new Set<number>(), rover: -4096 }));

function insert(t: Task, sk: NetlinkSock, portid: number): void {
  const tb = table(t.kernel);
  tb.used.add(portid);
  sk.portid = portid;
  sk.bound = true;
  sk.addr = sockaddrNl(portid, sk.groups);
  sk.unhash = () => tb.used.delete(portid);
}

/** netlink_autobind: the process id for the first socket, then negative ids counting down. */
function autobind(t: Task, sk: NetlinkSock): void {
  if (sk.bound) return;
  const tb = table(t.kernel);
  let id = t.pid;
  while (tb.used.has(id >>> 0)) id = tb.rover--;
  insert(t, sk, id >>> 0);
}

/** struct sockaddr_nl: family, pad, nl_pid, nl_groups. */
export function sockaddrNl(pid: number, groups: number): Uint8Array {
  const b = new Uint8Array(SIZEOF_SOCKADDR_NL);
  const v = new DataView(b.buffer);
  v.setUint16(0, AF_NETLINK, true);
  v.setUint32(4, pid >>> 0, true);
  v.setUint32(8, groups >>> 0, true);
  return b;
}

/** netlink_bind: a port id (0: the kernel picks one), groups kept; a second bind may not change the id. */
export function netlinkBind(t: Task, sk: NetlinkSock, raw: Uint8Array): number {
  if (raw.length < SIZEOF_SOCKADDR_NL) return -EINVAL;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (v.getUint16(0, true) !== AF_NETLINK) return -EINVAL;
  const pid = v.getUint32(4, true), groups = v.getUint32(8, true);
  sk.groups = groups;
  if (sk.bound) {
    if (pid !== 0 && pid !== sk.portid) return -EINVAL;
  } else if (pid === 0) {
    autobind(t, sk);
  } else {
    if (table(t.kernel).used.has(pid)) return -EADDRINUSE;
    insert(t, sk, pid);
  }
  sk.addr = sockaddrNl(sk.portid, sk.groups);
  return 0;
}

/** getsockname: the bound port id (0 before bind). */
export function netlinkGetname(sk: NetlinkSock): Uint8Array {
  return sk.addr ?? sockaddrNl(0, 0);
}

/** netlink_connect: the kernel (port 0) is the only peer there is; AF_UNSPEC disconnects. */
export function netlinkConnect(t: Task, sk: NetlinkSock, raw: Uint8Array): number {
  if (raw.length < 2) return -EINVAL;
  if ((raw[0]! | (raw[1]! << 8)) === 0) return 0;
  if (raw.length < SIZEOF_SOCKADDR_NL) return -EINVAL;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (v.getUint16(0, true) !== AF_NETLINK) return -EINVAL;
  if (v.getUint32(4, true) !== 0) return -ECONNREFUSED;
  autobind(t, sk);
  return 0;
}

/** rtnetlink_rcv_msg for one request: the datagrams to queue back, or an errno for NLMSG_ERROR. */
function rtnlRequest(t: Task, sk: NetlinkSock, msg: Uint8Array): Uint8Array[] | number {
  const v = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  const type = v.getUint16(4, true), flags = v.getUint16(6, true), seq = v.getUint32(8, true);
  const kind = type & 3;
  if (kind !== 2 && !capable(t.cred, CAP_NET_ADMIN)) return -EPERM; // NEW, DEL, SET need CAP_NET_ADMIN
  if (kind === 2 && (flags & NLM_F_DUMP) === NLM_F_DUMP) {
    const family = msg.length > NLMSG_HDRLEN ? msg[NLMSG_HDRLEN]! : 0;
    const r = type === RTM_GETLINK || type === RTM_GETADDR ? dumpReply(type, family, seq, sk.portid) : null;
    if (r) return r;
  }
  return -EOPNOTSUPP;
}

/** netlink_sendmsg to the kernel + netlink_rcv_skb: each request answered in turn. */
export function netlinkSendmsg(t: Task, sk: NetlinkSock, src: Uint8Array, dest: Uint8Array | null): number {
  if (dest) {
    if (dest.length < SIZEOF_SOCKADDR_NL) return -EINVAL;
    const v = new DataView(dest.buffer, dest.byteOffset, dest.byteLength);
    if (v.getUint16(0, true) !== AF_NETLINK) return -EINVAL;
    if (v.getUint32(8, true) !== 0 && !capable(t.cred, CAP_NET_ADMIN)) return -EPERM; // to a multicast group
    if (v.getUint32(4, true) !== 0) return -ECONNREFUSED; // another socket: none here takes unicasts
  }
  autobind(t, sk);
  if (src.length > sk.sndbuf - 32) return -EMSGSIZE;
  const out: Uint8Array[] = [];
  for (let off = 0; off + NLMSG_HDRLEN <= src.length; ) {
    const v = new DataView(src.buffer, src.byteOffset + off, src.length - off);
    const len = v.getUint32(0, true), flags = v.getUint16(6, true), type = v.getUint16(4, true);
    if (len < NLMSG_HDRLEN || len > src.length - off) break; // netlink_rcv_skb stops quietly
    const msg = src.subarray(off, off + len);
    let err = 0;
    if (flags & NLM_F_REQUEST && type >= NLMSG_MIN_TYPE) {
      const r = rtnlRequest(t, sk, msg);
      if (typeof r === "number") err = r;
      else out.push(...r);
    }
    if (err || flags & NLM_F_ACK) out.push(errorReply(msg, err, sk.portid));
    off += (len + 3) & ~3;
  }
  const from = sockaddrNl(0, 0);
  for (const d of out) {
    if (sk.queued + d.length > sk.rcvbuf) {
      sk.err = ENOBUFS; // the reader was too slow for the dump (netlink_overrun)
      break;
    }
    queueDgram(sk, d, from, currentCred(t));
  }
  return src.length;
}

/** setsockopt/getsockopt at SOL_NETLINK: the flags are stored and read back. */
export function netlinkSetopt(sk: NetlinkSock, name: number, val: number, optlen: number): number {
  if (optlen < 4) return -EINVAL;
  sk.nlOpts.set(name, val ? 1 : 0);
  return 0;
}
