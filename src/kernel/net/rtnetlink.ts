// rtnetlink's answers about sysemu's one network device, lo (net/core/rtnetlink.c
// rtnl_fill_ifinfo, net/ipv4/devinet.c inet_fill_ifaddr, net/ipv6/addrconf.c
// inet6_fill_ifaddr): RTM_NEWLINK for lo, RTM_NEWADDR for 127.0.0.1/8 and ::1/128, with the
// attributes in Linux's order (glibc's getifaddrs reads IFA_ADDRESS before IFA_LOCAL to tell a
// broadcast address from a peer's). Dumps come in the batches Linux's dump callbacks make, one
// datagram each, so a program counting its recv calls sees what it sees on Linux.

import { AF_INET6 } from "./in6_addr.ts";

export const NLMSG_ERROR = 2, NLMSG_DONE = 3;
export const NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_DUMP = 0x300, NLM_F_CAPPED = 0x100;
export const RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_GETADDR = 22;
export const NLMSG_HDRLEN = 16;

/** lo as the kernel describes it. */
export const LO = { index: 1, name: "lo", mtu: 65536, type: 772 /* ARPHRD_LOOPBACK */, flags: 0x10049 /* UP|LOOPBACK|RUNNING|LOWER_UP */ };
const IFA_F_PERMANENT = 0x80, RT_SCOPE_HOST = 254;
const AF_INET = 2;

const align4 = (n: number): number => (n + 3) & ~3;

/** One rtattr: a 4-byte header and the data, padded to 4 bytes. */
function rta(type: number, data: Uint8Array): Uint8Array {
  const b = new Uint8Array(align4(4 + data.length));
  const v = new DataView(b.buffer);
  v.setUint16(0, 4 + data.length, true);
  v.setUint16(2, type, true);
  b.set(data, 4);
  return b;
}

const u32 = (x: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x >>> 0, true);
  return b;
};
const u8 = (x: number): Uint8Array => Uint8Array.of(x);
const cstr = (s: string): Uint8Array => new TextEncoder().encode(s + "\0");

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** A netlink message: nlmsghdr, then the payload padded to 4 bytes. */
export function nlmsg(type: number, flags: number, seq: number, pid: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(NLMSG_HDRLEN + align4(payload.length));
  const v = new DataView(b.buffer);
  v.setUint32(0, NLMSG_HDRLEN + payload.length, true);
  v.setUint16(4, type, true);
  v.setUint16(6, flags, true);
  v.setUint32(8, seq >>> 0, true);
  v.setUint32(12, pid >>> 0, true);
  b.set(payload, NLMSG_HDRLEN);
  return b;
}

/** RTM_NEWLINK's payload for lo: ifinfomsg and the attributes iproute2 and glibc read. */
function linkPayload(): Uint8Array {
  const ifi = new Uint8Array(16);
  const v = new DataView(ifi.buffer);
  v.setUint16(2, LO.type, true);
  v.setInt32(4, LO.index, true);
  v.setUint32(8, LO.flags, true);
  const zeroMac = new Uint8Array(6);
  return concat([
    ifi,
    rta(3 /* IFLA_IFNAME */, cstr(LO.name)), rta(13 /* IFLA_TXQLEN */, u32(1000)), rta(16 /* IFLA_OPERSTATE */, u8(0)),
    rta(17 /* IFLA_LINKMODE */, u8(0)), rta(4 /* IFLA_MTU */, u32(LO.mtu)), rta(50 /* IFLA_MIN_MTU */, u32(0)), rta(51 /* IFLA_MAX_MTU */, u32(0)),
    rta(27 /* IFLA_GROUP */, u32(0)), rta(30 /* IFLA_PROMISCUITY */, u32(0)), rta(31 /* IFLA_NUM_TX_QUEUES */, u32(1)),
    rta(32 /* IFLA_NUM_RX_QUEUES */, u32(1)), rta(33 /* IFLA_CARRIER */, u8(1)), rta(6 /* IFLA_QDISC */, cstr("noqueue")),
    rta(35 /* IFLA_CARRIER_CHANGES */, u32(0)), rta(1 /* IFLA_ADDRESS */, zeroMac), rta(2 /* IFLA_BROADCAST */, zeroMac),
    rta(7 /* IFLA_STATS: struct rtnl_link_stats, all zero */, new Uint8Array(96)),
  ]);
}

/** struct ifa_cacheinfo of a permanent address: lifetimes infinite, stamps 0. */
const cacheinfo = (): Uint8Array => concat([u32(0xffffffff), u32(0xffffffff), u32(0), u32(0)]);

function ifaddrmsg(family: number, prefix: number): Uint8Array {
  return Uint8Array.of(family, prefix, IFA_F_PERMANENT, RT_SCOPE_HOST, LO.index, 0, 0, 0);
}

/** RTM_NEWADDR's payload for 127.0.0.1/8 on lo. */
function addr4Payload(): Uint8Array {
  const a = Uint8Array.of(127, 0, 0, 1);
  return concat([ifaddrmsg(AF_INET, 8), rta(1 /* IFA_ADDRESS */, a), rta(2 /* IFA_LOCAL */, a), rta(3 /* IFA_LABEL */, cstr(LO.name)),
    rta(8 /* IFA_FLAGS */, u32(IFA_F_PERMANENT)), rta(6 /* IFA_CACHEINFO */, cacheinfo())]);
}

/** RTM_NEWADDR's payload for ::1/128 on lo. */
function addr6Payload(): Uint8Array {
  const a = new Uint8Array(16);
  a[15] = 1;
  return concat([ifaddrmsg(AF_INET6, 128), rta(1 /* IFA_ADDRESS */, a), rta(6 /* IFA_CACHEINFO */, cacheinfo()), rta(8 /* IFA_FLAGS */, u32(IFA_F_PERMANENT))]);
}

/**
 * The datagrams answering a dump request of `type` for `family`, or null when rtnetlink has
 * no dump of that kind here. Each datagram is a list of messages ending, in the last, with
 * NLMSG_DONE.
 */
export function dumpReply(type: number, family: number, seq: number, pid: number): Uint8Array[] | null {
  const multi = (t: number, p: Uint8Array) => nlmsg(t, NLM_F_MULTI, seq, pid, p);
  const done = multi(NLMSG_DONE, u32(0));
  if (type === RTM_GETLINK) return [multi(RTM_NEWLINK, linkPayload()), done];
  if (type !== RTM_GETADDR) return null;
  const v4 = multi(RTM_NEWADDR, addr4Payload()), v6 = multi(RTM_NEWADDR, addr6Payload());
  // inet_dump_ifaddr ends a batch after its addresses; inet6_dump_addr leaves room for the DONE
  if (family === AF_INET) return [v4, done];
  if (family === AF_INET6) return [concat([v6, done])];
  return [concat([v4, v6]), done];
}

/** NLMSG_ERROR for the request `req` (its header and, for an error, its payload echoed). */
export function errorReply(req: Uint8Array, error: number, pid: number): Uint8Array {
  const v = new DataView(req.buffer, req.byteOffset, req.byteLength);
  const echoed = error === 0 ? req.subarray(0, NLMSG_HDRLEN) : req;
  const body = concat([new Uint8Array(new Int32Array([error]).buffer), echoed]);
  return nlmsg(NLMSG_ERROR, error === 0 ? NLM_F_CAPPED : 0, v.getUint32(8, true), pid, body);
}
