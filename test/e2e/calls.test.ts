// The calls of samples/src/calls, each compared with a real kernel: the x86-64 build natively
// (this host's Linux) and under sysemu, and the riscv64 build under sysemu and, where qemu-user
// passes the call through to the host unchanged, under qemu-riscv64. Where neither oracle is
// available the expected lines are written here, as Linux gives them.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { arch } from "node:os";
import { describe, expect, it } from "vitest";
import { have, qemu, sysemu } from "./helpers.ts";

const native = arch() === "x64";

function runNative(name: string, args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(`samples/x86_64/${name}`, args, { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout };
}

/**
 * Runs `name` under sysemu for both architectures; each must match the native run (x86-64) and
 * qemu-riscv64 (when `viaQemu`); `expected`, when given, is checked as well.
 */
export function compareSample(name: string, opts: { args?: string[]; viaQemu?: boolean; expected?: string } = {}): void {
  const args = opts.args ?? [];
  const rv = sysemu(["run", `samples/riscv64/${name}`, ...args]);
  expect(rv.stderr).not.toMatch(/internal error|oops|\n\s+at /);
  const x86 = existsSync(`samples/x86_64/${name}`) ? sysemu(["run", `samples/x86_64/${name}`, ...args]) : null;
  if (opts.expected !== undefined) expect(rv.stdout).toBe(opts.expected);
  if (x86) {
    expect(x86.stderr).not.toMatch(/internal error|oops|\n\s+at /);
    expect({ stdout: x86.stdout, status: x86.status }).toEqual({ stdout: rv.stdout, status: rv.status });
    if (native) expect({ stdout: x86.stdout, status: x86.status }).toEqual(runNative(name, args));
  }
  if (opts.viaQemu && have("qemu-riscv64")) {
    const q = qemu([`samples/riscv64/${name}`, ...args]);
    expect({ stdout: rv.stdout, status: rv.status }).toEqual({ stdout: q.stdout, status: q.status });
  }
  expect(rv.status).toBe(0);
}

describe("RLIMIT_DATA", () => {
  // not under qemu-riscv64: it applies the guest's setrlimit to its own host process
  it("private writable mappings, brk and mprotect count against it; shared and read-only ones do not", () => {
    compareSample("data_limit", {
      expected:
        "RLIMIT_DATA: cur 16 MiB, max 64 MiB\n" +
        "mmap 32 MiB private rw: ENOMEM\n" +
        "mmap 32 MiB private ro: ok\n" +
        "mprotect it rw: ENOMEM\n" +
        "mprotect 4 MiB of it rw: ok\n" +
        "mmap 32 MiB shared rw: ok\n" +
        "mmap 1 MiB private rw: ok\n" +
        "mremap it to 40 MiB: ENOMEM\n" +
        "sbrk 32 MiB: ENOMEM; break unchanged: yes\n" +
        "sbrk 1 MiB: grown\n" +
        "malloc 32 MiB: NULL\n" +
        "child: cur 16 MiB; mmap 32 MiB private rw: ENOMEM\n" +
        "setrlimit cur > max: Invalid argument\n" +
        "prlimit64 lower: 0, old cur 16 MiB max 64 MiB\n" +
        "cur 0 under max 32 MiB, mmap 1 MiB: ok\n",
    });
  });
});
