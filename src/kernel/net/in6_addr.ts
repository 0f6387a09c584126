// IPv6 addresses as the AF_INET6 code handles them (include/net/ipv6.h, net/ipv6/af_inet6.c
// inet6_bind, inet6_getname). An address is a 128-bit bigint; the tables compare every address
// in that form, an IPv4 one as its v4-mapped ::ffff:a.b.c.d, so that one lookup serves a v4
// socket and a dual-stack v6 one. sysemu's one interface has two v6 addresses that matter: ::1
// and :: (in6addr_any); the v4-mapped ones are the loopback's IPv4 addresses seen from v6.

import { decodeSockaddrIn6, encodeSockaddrIn6, SIZEOF_SOCKADDR_IN6 } from "../../../syscalls/abi/uapi-new.ts";
import { EINVAL } from "../errno.ts";

export const AF_INET6 = 10;
export const IPPROTO_IPV6 = 41;
/** The RFC 2133 sockaddr_in6, without sin6_scope_id: the shortest Linux accepts. */
export const SIN6_LEN_RFC2133 = 24;
export const IN6ADDR_ANY = 0n, IN6ADDR_LOOPBACK = 1n;
/**
 * The IPv4 receive address Linux gives a v6 socket bound to a plain v6 address (127.0.0.6):
 * no IPv4 packet is for it, and it never equals a real 127.x address in a bind conflict.
 */
export const LOOPBACK4_IPV6 = 0x7f000006;

const MAPPED_PREFIX = 0xffffn << 32n;

/** ::ffff:a.b.c.d for an IPv4 address in host order. */
export function v4mapped(ip: number): bigint {
  return MAPPED_PREFIX | BigInt(ip >>> 0);
}

/** ipv6_addr_v4mapped */
export function isV4mapped(a: bigint): boolean {
  return a >> 32n === 0xffffn;
}

/** The IPv4 address inside a v4-mapped one. */
export function v4of(a: bigint): number {
  return Number(a & 0xffffffffn);
}

/** A parsed sockaddr_in6: family as given, port in host order. */
export interface In6Name {
  family: number;
  port: number;
  addr: bigint;
}

/** The sockaddr_in6 in `raw`, or -EINVAL when it is shorter than RFC 2133's. */
export function inet6Mkname(raw: Uint8Array): In6Name | number {
  if (raw.length < SIN6_LEN_RFC2133) return -EINVAL;
  const full = new Uint8Array(SIZEOF_SOCKADDR_IN6); // an RFC 2133 one has no scope_id: 0
  full.set(raw.subarray(0, SIZEOF_SOCKADDR_IN6));
  const a = decodeSockaddrIn6(full);
  const addr = a.addr.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  return { family: full[0]! | (full[1]! << 8), port: a.port, addr };
}

/** struct sockaddr_in6 for (addr, port): flowinfo and scope_id 0, as the loopback reports them. */
export function sockaddrIn6(addr: bigint, port: number): Uint8Array {
  const bytes = Uint8Array.from({ length: 16 }, (_, i) => Number((addr >> BigInt(120 - 8 * i)) & 0xffn));
  return encodeSockaddrIn6(AF_INET6, { port, flowinfo: 0, addr: bytes, scopeId: 0 });
}

/**
 * inet_ntop(AF_INET6) as glibc writes it: the longest run of two or more zero groups as "::",
 * and the last 32 bits dotted for v4-mapped and v4-compatible addresses.
 */
export function in6Ntop(a: bigint): string {
  const w = Array.from({ length: 8 }, (_, i) => Number((a >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (bestLen < 2) best = -1;
  const v4 = best === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff));
  let s = "";
  for (let i = 0; i < (v4 ? 6 : 8); i++) {
    if (i === best) {
      s += i === 0 ? "::" : ":";
      i += bestLen - 1;
      continue;
    }
    s += w[i]!.toString(16) + (i < 7 ? ":" : "");
  }
  if (v4) s += [24, 16, 8, 0].map((k) => (v4of(a) >>> k) & 0xff).join(".");
  else if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1);
  return s;
}
