// `npm run fuzz`: the three fuzzers (tools/fuzz.mjs bundles and starts this file).
//   --seed N       the run's seed (default: random, printed)
//   --count M      system calls (default 100000); ELF mutants default to M/10, WASI calls to M/10
//   --elf M, --wasi M, --syscalls M   each count on its own (0 skips one)
// Exit 1 on any finding, each printed with the seed and case that reproduce it.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fuzzElf } from "./elf.ts";
import { report, type Finding } from "./report.ts";
import { fuzzSyscalls } from "./syscalls.ts";
import { fuzzWasi } from "./wasi.ts";

function parse(argv: string[]): { seed: number; sys: number; elf: number; wasi: number } {
  const o: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(seed|count|elf|wasi|syscalls)$/.exec(argv[i]!);
    const v = Number(argv[i + 1]);
    if (!m || !Number.isInteger(v) || v < 0) {
      process.stderr.write(`fuzz: bad argument ${argv[i]} (--seed N --count M --elf M --wasi M --syscalls M)\n`);
      process.exit(2);
    }
    o[m[1]!] = v;
    i++;
  }
  const count = o.count ?? 100_000;
  return { seed: o.seed ?? Math.floor(Math.random() * 2 ** 31), sys: o.syscalls ?? count, elf: o.elf ?? Math.ceil(count / 10), wasi: o.wasi ?? Math.ceil(count / 10) };
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  report(`fuzz: seed ${o.seed} (reproduce: npm run fuzz -- --seed ${o.seed} --syscalls ${o.sys} --elf ${o.elf} --wasi ${o.wasi})`);
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
    if (o.wasi > 0) {
      const d = scratch("wasi"); dirs.push(d);
      const t0 = Date.now();
      const calls = await fuzzWasi(o.seed, Math.ceil(o.wasi / 100), d, findings, progress("wasi"));
      report(`fuzz: wasi: ${calls} calls in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (o.sys > 0) {
      const d = scratch("sys"); dirs.push(d);
      const t0 = Date.now();
      const summary = fuzzSyscalls(o.seed, o.sys, d, findings);
      report(`fuzz: syscalls: ${summary} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  for (const f of findings) report(`FINDING ${f.kind} seed ${f.seed}${f.index >= 0 ? ` case ${f.index}` : ""}: ${f.detail}`);
  report(`fuzz: ${findings.length} findings`);
  return findings.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { report(`fuzz: the fuzzer itself failed: ${e instanceof Error ? e.stack : e}`); process.exit(70); });
