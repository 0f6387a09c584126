// exec keeps the last big programs it read (vfs/exec-file.ts): a program rewritten in place with
// the same size between two execs runs its new bytes, on a host directory and on tmpfs.

import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { runSysemu, scratch } from "./fixture-run.ts";

const EXPECTED = "first: 1\nagain: 1\nrewritten: 2\n";
const progs = [resolve("test/vfs/fixtures/execcache"), resolve("test/vfs/fixtures/execcache2")];

describe("exec of a rewritten program", () => {
  it("on a host directory", () => {
    const r = runSysemu("execcache", scratch("sysemu-execcache-"), [], progs);
    expect(r.stdout).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });
  it("on tmpfs", () => {
    const r = runSysemu("execcache", `/dev/shm`, [], progs);
    expect(r.stdout).toBe(EXPECTED);
  });
  // (no qemu-riscv64 run: qemu-user's execve of a riscv64 file fails without binfmt_misc)
});
