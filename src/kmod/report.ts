// After a run with --kernel-patch: the user-memory findings as one line each on stderr (what a
// student trying a patch locally wants to see), and with --kmod-report FILE everything as JSON.

import { writeFileSync } from "node:fs";
import type { Kernel } from "../kernel/kernel.ts";
import { CliError, EXIT_USAGE } from "../util/errors.ts";
import { kmodState } from "./state.ts";

export function reportKmod(kernel: Kernel, prog: string, file: string | undefined): void {
  const s = kmodState(kernel);
  for (const f of s.findings) process.stderr.write(`sysemu: ${prog}: ${f.kind} in sys_${f.syscall} (pid ${f.pid}, call ${f.call}): ${f.message}\n`);
  if (file === undefined) return;
  const report = { calls: s.calls, findings: s.findings, records: s.records };
  try {
    writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
  } catch (e) {
    throw new CliError(null, `--kmod-report ${file}: ${(e as Error).message}`, EXIT_USAGE);
  }
}
