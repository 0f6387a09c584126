// AF_NETLINK's NETLINK_ROUTE and the SIOCGIF* ioctls: samples/src/calls/ifaddrs.c under sysemu
// for both architectures, against Linux inside `unshare -n` with lo up where this host lets root
// make a network namespace (its output is recorded in samples/expected/ifaddrs.out for hosts
// that cannot), and iproute2's `ip addr` the same way.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { arch } from "node:os";
import { describe, expect, it } from "vitest";
import { sysemu } from "../e2e/helpers.ts";

const canUnshare = arch() === "x64" && process.getuid?.() === 0 && spawnSync("unshare", ["-n", "true"]).status === 0;

/** Runs a command natively in a new network namespace whose lo is up. */
function inNetns(cmd: string): string {
  return spawnSync("unshare", ["-n", "sh", "-c", `ip link set lo up && ${cmd}`], { encoding: "utf8" }).stdout;
}

describe("NETLINK_ROUTE and the interface ioctls", () => {
  it("getifaddrs, if_nameindex, if_nametoindex/if_indextoname, SIOCGIF*, the RTM_GETLINK/RTM_GETADDR dumps: as Linux with only lo", () => {
    const rv = sysemu(["run", "samples/riscv64/ifaddrs"]);
    expect(rv.stderr).toBe("");
    expect(rv.status).toBe(0);
    expect(sysemu(["run", "samples/x86_64/ifaddrs"]).stdout).toBe(rv.stdout);
    if (canUnshare) expect(rv.stdout).toBe(inNetns("samples/x86_64/ifaddrs"));
    expect(rv.stdout).toBe(readFileSync("samples/expected/ifaddrs.out", "utf8"));
  });

  it("answers any other request with NLMSG_ERROR -EOPNOTSUPP, the request echoed", () => {
    const r = sysemu(["run", "samples/x86_64/ifaddrs", "local"]);
    expect(r.stdout).toMatch(/^ {2}msg type 2 flags 0 seq ok 1 pid ok 1 ERROR EOPNOTSUPP, request type 26$/m);
  });

  it.skipIf(!canUnshare || !existsSync("/usr/sbin/ip"))("iproute2's ip addr prints what it prints natively", () => {
    const ours = sysemu(["run", "/usr/sbin/ip", "addr"]);
    expect(ours.stdout).toBe(inNetns("/usr/sbin/ip addr"));
  });

  it("strace shows sockaddr_nl as strace does", () => {
    const r = sysemu(["run", "--strace", "samples/x86_64/ifaddrs"]);
    expect(r.stderr).toMatch(/^socket\(AF_NETLINK, SOCK_RAW\|SOCK_CLOEXEC, NETLINK_ROUTE\) += 3$/m);
    expect(r.stderr).toMatch(/^bind\(3, \{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000\}, 12\) += 0$/m);
  });
});
