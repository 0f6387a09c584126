// Every implemented system call number with random arguments, by the guest
// samples/<arch>/fuzz_syscalls (its source says how it keeps pointers in guard-paged arenas
// of its own and the dangerous calls aimed at itself), run by the real CLI under --root TMP,
// once per architecture: the x86-64 table has its own numbers, old calls and struct layouts.
// A finding: sysemu's exit 70, an oops or internal error on its stderr, a "BAD" or "HANG" line
// of the guest, or the run not ending in its time (--exit-status: a guest that dies of a signal
// makes sysemu exit with 128+N, so a signal here is only the time limit's SIGKILL).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "./report.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

export type FuzzArch = "riscv64" | "x86_64";

/** The numbers of syscalls/tbl/<arch>.ts. */
export function tableNumbers(arch: FuzzArch): number[] {
  const text = readFileSync(join(ROOT, `syscalls/tbl/${arch}.ts`), "utf8");
  return [...text.matchAll(/^(\d+)\s+\w+\s+\w+/gm)].map((m) => Number(m[1]));
}

export function fuzzSyscalls(arch: FuzzArch, seed: number, count: number, dir: string, findings: Finding[]): string {
  const args = [join(ROOT, "bin/sysemu"), "run", "--exit-status", "--root", dir, join(ROOT, `samples/${arch}/fuzz_syscalls`), String(seed), String(count), tableNumbers(arch).join(",")];
  const limit = 120 + count / 50; // seconds: far more than a run needs
  const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: limit * 1000, killSignal: "SIGKILL", maxBuffer: 1 << 26 });
  const lines = (r.stdout ?? "").split("\n");
  const add = (detail: string) => findings.push({ kind: `syscall ${arch}`, seed, index: -1, detail });
  if (r.error || r.signal) add(`sysemu did not end in ${limit} s (${r.error?.message ?? r.signal})`);
  else if (r.status === 70) add(`exit 70: ${r.stderr.trim().split("\n").slice(0, 3).join(" | ")}`);
  for (const l of r.stderr.split("\n")) if (/internal error|oops|^\s+at /.test(l)) add(`stderr: ${l}`);
  for (const l of lines) if (l.startsWith("BAD") || l.startsWith("HANG")) add(l);
  return lines.find((l) => l.startsWith("fuzz_syscalls:")) ?? `no summary (status ${r.status}): ${r.stderr.trim().split("\n")[0] ?? ""}`;
}
