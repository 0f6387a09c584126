// Running bin/sysemu (the built CLI) and qemu-riscv64 the same way, for end-to-end tests.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";

export interface Ran {
  /** The exit status, or null when the process was killed by `signal`. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** What a shell's $? shows for a run: the exit status, or 128 + N when signal N killed it. */
export function shellStatus(r: { status: number | null; signal: NodeJS.Signals | null }): number | null {
  return r.status ?? (r.signal ? 128 + constants.signals[r.signal] : null);
}

/** Runs `bin/sysemu ARGS` with optional stdin, as a user would. */
export function sysemu(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Ran {
  const r = spawnSync(process.execPath, ["bin/sysemu", ...args], {
    input: opts.input ?? "",
    env: opts.env ?? process.env,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 64 << 20,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * SYSEMU_JIT as the test run was given it (`npm run test:riscv-wasm` sets wasm-always), for tests
 * that build their own environment: both sysemu and qemu get it, so the guests see the same.
 */
export const JIT_ENV: Record<string, string> = process.env.SYSEMU_JIT ? { SYSEMU_JIT: process.env.SYSEMU_JIT } : {};

/** Whether a command is on PATH. */
export function have(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

export const SYSROOT = "/usr/riscv64-linux-gnu";
export const haveSysroot = existsSync(`${SYSROOT}/lib/ld-linux-riscv64-lp64d.so.1`);

/** Runs a program under qemu-riscv64 (with the cross sysroot for dynamic ones). */
export function qemu(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Ran {
  const r = spawnSync("qemu-riscv64", ["-L", SYSROOT, ...args], { input: opts.input ?? "", env: opts.env ?? process.env, encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 });
  // qemu-user dies of the guest's signal itself, as sysemu does
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
