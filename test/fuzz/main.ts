// `npm run fuzz`: the three fuzzers (tools/fuzz.mjs bundles and starts this file).
//   --seed N       the run's seed (default: random, printed)
//   --count M      system calls (default 100000); ELF mutants default to M/10, WASI calls to M/10
//   --cpu M        programs of random machine code, riscv64 and x86-64 in turn (default M/20)
//   --elf M, --wasi M, --syscalls M, --cpu M   each count on its own (0 skips one); --syscalls M
//                  runs M calls on each architecture
// Exit 1 on any finding, each printed with the seed and case that reproduce it.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fuzzCpu } from "./cpu.ts";
import { fuzzElf } from "./elf.ts";
import { report, type Finding } from "./report.ts";
import { fuzzSyscalls } from "./syscalls.ts";
import { fuzzWasi } from "./wasi.ts";

function parse(argv: string[]): { seed: number; sys: number; elf: number; wasi: number; cpu: number } {
  const o: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(seed|count|elf|wasi|syscalls|cpu)$/.exec(argv[i]!);
    const v = Number(argv[i + 1]);
    if (!m || !Number.isInteger(v) || v < 0) {
      process.stderr.write(`fuzz: bad argument ${argv[i]} (--seed N --count M --elf M --wasi M --syscalls M --cpu M)\n`);
      process.exit(2);
    }
    o[m[1]!] = v;
    i++;
  }
  const count = o.count ?? 100_000;
  return { seed: o.seed ?? Math.floor(Math.random() * 2 ** 31), sys: o.syscalls ?? count, elf: o.elf ?? Math.ceil(count / 10), wasi: o.wasi ?? Math.ceil(count / 10), cpu: o.cpu ?? Math.ceil(count / 20) };
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  report(`fuzz: seed ${o.seed} (reproduce: npm run fuzz -- --seed ${o.seed} --syscalls ${o.sys} --elf ${o.elf} --wasi ${o.wasi} --cpu ${o.cpu})`);
  const findings: Finding[] = [];
  const progress = (what: string) => (i: number) => report(`#${what} ${i}`);
  const scratch = (name: string) => mkdtempSync(join(tmpdir(), `sysemu-fuzz-${name}-`));
  const dirs: string[] = [];
  try {
    if (o.elf > 0) {
      const d = scratch("elf"); dirs.push(d);
      const t0 = Date.now();
      const ran = await fuzzElf(o.seed, o.elf, d, findings, progress("elf"));
      report(`fuzz: elf: ${o.elf} mutants (${ran} ran, ${o.elf - ran} refused) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (o.cpu > 0) {
      const d = scratch("cpu"); dirs.push(d);
      const t0 = Date.now();
      const ran = await fuzzCpu(o.seed, o.cpu, d, findings, progress("cpu"));
      report(`fuzz: cpu: ${o.cpu} programs (${ran.riscv64} riscv64 and ${ran.x86_64} x86-64 ran to their end) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (o.wasi > 0) {
      const d = scratch("wasi"); dirs.push(d);
      const t0 = Date.now();
      const calls = await fuzzWasi(o.seed, Math.ceil(o.wasi / 100), d, findings, progress("wasi"));
      report(`fuzz: wasi: ${calls} calls in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    for (const arch of ["riscv64", "x86_64"] as const) {
      if (o.sys === 0) break;
      const d = scratch(`sys-${arch}`); dirs.push(d);
      const t0 = Date.now();
      const summary = fuzzSyscalls(arch, o.seed, o.sys, d, findings);
      report(`fuzz: syscalls (${arch}): ${summary} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  for (const f of findings) report(`FINDING ${f.kind} seed ${f.seed}${f.index >= 0 ? ` case ${f.index}` : ""}: ${f.detail}`);
  report(`fuzz: ${findings.length} findings`);
  return findings.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { report(`fuzz: the fuzzer itself failed: ${e instanceof Error ? e.stack : e}`); process.exit(70); });
