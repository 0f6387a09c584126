// AF_INET6 pieces that need no oracle: glibc's inet_ntop text for the names strace prints, the
// sockaddr_in6 codec, and strace's rendering of a v6 program's calls. The program itself is
// compared with Linux in test/e2e/calls.test.ts (inet6, gai_localhost).

import { describe, expect, it } from "vitest";
import { in6Ntop, inet6Mkname, sockaddrIn6, v4mapped } from "../../src/kernel/net/in6_addr.ts";
import { sysemu } from "../e2e/helpers.ts";

const pton = (s: string): bigint => {
  // enough of inet_pton for the test's own inputs: groups, one "::", no dotted tail
  const [head, tail] = s.includes("::") ? s.split("::") : [s, null];
  const h = head ? head.split(":") : [], t = tail ? tail.split(":") : [];
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n);
};

describe("in6Ntop writes what glibc's inet_ntop writes", () => {
  it.each([
    ["::", "::"], ["::1", "::1"], ["fd00::2", "fd00::2"], ["1::", "1::"], ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"], ["fe80::fc:ff:fe00:1", "fe80::fc:ff:fe00:1"], ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
  ])("%s", (addr, text) => expect(in6Ntop(pton(addr))).toBe(text));
  it("dots the IPv4 part of v4-mapped and v4-compatible addresses", () => {
    expect(in6Ntop(v4mapped(0x7f000001))).toBe("::ffff:127.0.0.1");
    expect(in6Ntop(v4mapped(0))).toBe("::ffff:0.0.0.0");
    expect(in6Ntop(0x01020304n)).toBe("::1.2.3.4");
  });
});

describe("sockaddr_in6", () => {
  it("is 28 bytes: family, port in network order, flowinfo, the address, scope_id", () => {
    const b = sockaddrIn6(1n, 8080);
    expect(b.length).toBe(28);
    expect([...b.subarray(0, 4)]).toEqual([10, 0, 0x1f, 0x90]);
    expect(b[23]).toBe(1);
    expect(inet6Mkname(b)).toEqual({ family: 10, port: 8080, addr: 1n });
    expect(inet6Mkname(b.subarray(0, 24))).toEqual({ family: 10, port: 8080, addr: 1n });
    expect(inet6Mkname(b.subarray(0, 23))).toBe(-22);
  });
});

describe("strace of an AF_INET6 program", () => {
  it("prints sockaddr_in6 and SOL_IPV6 options as strace does", () => {
    const r = sysemu(["run", "--strace", "samples/x86_64/inet6"]);
    expect(r.status).toBe(0);
    const v6 = (addr: string, port: string) =>
      `\\{sa_family=AF_INET6, sin6_port=htons\\(${port}\\), sin6_flowinfo=htonl\\(0\\), inet_pton\\(AF_INET6, "${addr}", &sin6_addr\\), sin6_scope_id=0\\}`;
    expect(r.stderr).toMatch(new RegExp(`^bind\\(3, ${v6("::1", "0")}, 28\\) += 0$`, "m"));
    expect(r.stderr).toMatch(new RegExp(`^(\\[pid +\\d+\\] )?accept\\(3, ${v6("::1", "\\d+")}, 0x[0-9a-f]+\\) += 4$`, "m"));
    expect(r.stderr).toMatch(new RegExp(`^connect\\(\\d+, ${v6("::ffff:127.0.0.1", "\\d+")}, 28\\) += 0$`, "m"));
    expect(r.stderr).toMatch(/^setsockopt\(\d+, SOL_IPV6, IPV6_V6ONLY, 0x[0-9a-f]+, 4\) += 0$/m);
    expect(r.stderr).toMatch(/^getsockopt\(\d+, SOL_IPV6, IPV6_V6ONLY, 0x[0-9a-f]+, 0x[0-9a-f]+\) += 0$/m);
    // an RFC 2133 sockaddr_in6 has no sin6_scope_id to show
    expect(r.stderr).toMatch(/^sendto\(\d+, "dgram two", 9, 0, \{sa_family=AF_INET6, sin6_port=htons\(\d+\), sin6_flowinfo=htonl\(0\), inet_pton\(AF_INET6, "::1", &sin6_addr\)\}, 24\) += 9$/m);
    expect(r.stderr).toMatch(/^bind\(\d+, \{sa_family=AF_INET6, .*\}, 16\) += -1 EINVAL/m);
  });
});
