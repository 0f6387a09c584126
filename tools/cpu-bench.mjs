// Micro benchmark of the RV64 interpreter: runs the CPU-bound fixtures (test/fixtures/cpu/bench_*.bin)
// and reports MIPS (retired guest instructions per second of process CPU time).
//
//   node tools/cpu-bench.mjs [rounds] [filter] [scale] [jitThreshold]
//
// `scale` multiplies each program's work (passed in a0; the output must not change).
// The sources are bundled with esbuild first, as in dist/: the bundler inlines the const enum
// opcode numbers, which the interpreter's switch needs to become a jump table.

import { build } from "esbuild";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");
const rounds = Number(process.argv[2] ?? 3);
const filter = process.argv[3] ?? "";
const scale = Number(process.argv[4] ?? 1);
const threshold = process.argv[5];

const tmp = mkdtempSync(join(tmpdir(), "cpu-bench-"));
const out = join(tmp, "flat.mjs");
await build({
  entryPoints: [join(root, "test/cpu/flat.ts")],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outfile: out,
  logLevel: "warning",
});
const { loadFlat, runFlat } = await import(pathToFileURL(out).href);
rmSync(tmp, { recursive: true });

const dir = join(root, "test/fixtures/cpu");
const names = readdirSync(dir)
  .filter((f) => f.startsWith("bench_") && f.endsWith(".bin") && f.includes(filter))
  .map((f) => f.slice(0, -4))
  .sort();

let totalInsns = 0;
let totalMs = 0;
for (const name of names) {
  const image = readFileSync(join(dir, `${name}.bin`));
  const expected = readFileSync(join(dir, `${name}.out`), "utf8");
  const mips = [];
  for (let r = 0; r < rounds; r++) {
    const cpu = loadFlat(image, undefined, scale);
    if (threshold !== undefined) cpu.jitThreshold = Number(threshold);
    // CPU time rather than wall time: the machines this runs on are shared, and CPU time
    // (which includes V8's background compiler threads) is far less noisy under load
    const c0 = process.cpuUsage();
    const res = runFlat(cpu);
    const c1 = process.cpuUsage(c0);
    const ms = (c1.user + c1.system) / 1000;
    cpu.mm.release();
    if (res.stdout !== expected) throw new Error(`${name}: wrong output ${JSON.stringify(res.stdout)}`);
    mips.push(res.instret / ms / 1000);
    if (r === rounds - 1) {
      totalInsns += res.instret;
      totalMs += ms;
    }
    if (r === 0) process.stdout.write(`${name.padEnd(14)} ${(res.instret / 1e6).toFixed(1).padStart(7)}M insns`);
  }
  process.stdout.write(`  MIPS: first ${mips[0].toFixed(1).padStart(6)}  best ${Math.max(...mips).toFixed(1).padStart(6)}\n`);
}
console.log(`overall (last round): ${(totalInsns / totalMs / 1000).toFixed(1)} MIPS`);
