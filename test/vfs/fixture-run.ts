// Runs a test/vfs fixture under bin/sysemu, and under qemu-riscv64 when it is installed, each in
// a scratch directory of its own (the fixtures chdir to argv[1] and print paths relative to it).

import { chmodSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { have, qemu, sysemu, type Ran } from "../e2e/helpers.ts";

export const haveQemu = have("qemu-riscv64");

/** A fresh host directory anyone may write in (for --uid runs). */
export function scratch(prefix: string): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  chmodSync(d, 0o777);
  return d;
}

/** The fixture under sysemu with argv[1] = dir (and sysemu options before it). */
export function runSysemu(fixture: string, dir: string, opts: string[] = [], args: string[] = []): Ran {
  return sysemu(["run", "--timeout", "60", ...opts, `test/vfs/fixtures/${fixture}`, dir, ...args], { timeoutMs: 90_000 });
}

/** The fixture under qemu-riscv64 (the host kernel answers). */
export function runQemu(fixture: string, dir: string, args: string[] = []): Ran {
  return qemu([`test/vfs/fixtures/${fixture}`, dir, ...args]);
}
