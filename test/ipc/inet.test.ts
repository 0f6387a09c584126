// AF_INET on sysemu's loopback end to end: the same program under sysemu and qemu-riscv64 (the
// host's real network stack, on 127.0.0.1 only, every port from bind(port 0) so parallel runs
// and the host never collide) where it is installed, and against the recorded output otherwise.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { have, qemu, sysemu } from "../e2e/helpers.ts";

const QEMU = have("qemu-riscv64");
const FIX = "test/ipc/fixtures";

describe("AF_INET loopback sockets", () => {
  it("prefork TCP echo server, EOF/half-close/EPIPE, non-blocking connect, UDP echo, names, options, errors", () => {
    const got = sysemu(["run", `${FIX}/inet`]);
    expect(got.stderr).toBe("");
    expect(got.status).toBe(0);
    expect(got.stdout).toBe(readFileSync(`${FIX}/inet.expected`, "utf8"));
    if (QEMU) expect(got.stdout).toBe(qemu([`${FIX}/inet`]).stdout);
  });

  it("only the loopback exists: other networks are unreachable, low ports need root", () => {
    expect(sysemu(["run", `${FIX}/inet`, "v6"]).stdout).toBe("socket(AF_INET6): 3\n");
    const user = sysemu(["run", "--uid", "1000", `${FIX}/inet`, "local"]).stdout;
    expect(user).toBe(
      "connect 192.0.2.1: -1 ENETUNREACH\nsendto 192.0.2.1: -1 ENETUNREACH\nbind port 80: -1 EACCES\ngetaddrinfo localhost: 127.0.0.1\n",
    );
    expect(sysemu(["run", "--uid", "0", `${FIX}/inet`, "local"]).stdout).toMatch(/^bind port 80: 0$/m);
  });

  it("strace shows sockaddr_in and the TCP options as strace does", () => {
    const r = sysemu(["run", "--strace", `${FIX}/inet`]);
    expect(r.stderr).toMatch(/^bind\(3, \{sa_family=AF_INET, sin_port=htons\(0\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, 16\) += 0$/m);
    expect(r.stderr).toMatch(/^setsockopt\(3, SOL_TCP, TCP_NODELAY, 0x[0-9a-f]+, 4\) += 0$/m);
    expect(r.stderr).toMatch(/^connect\(\d+, \{sa_family=AF_INET, sin_port=htons\(\d+\), sin_addr=inet_addr\("0\.0\.0\.0"\)\}, 16\) += 0$/m);
    expect(r.stderr).toMatch(/^connect\(\d+, .*\) += -1 EINPROGRESS/m);
  });
});
