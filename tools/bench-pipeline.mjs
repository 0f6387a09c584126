#!/usr/bin/env node
// bench-pipeline.mjs - many small writes through pipes between three guest processes, sysemu
// against qemu-riscv64.
//
// Usage: node tools/bench-pipeline.mjs [options]
//   --lines N        lines the producer writes, one write(2) each (default 100000)
//   --pairs N        alternated pairs of runs (default 5)
//   --timeout S      seconds before a run is killed (default 300)
//   --json           one JSON object on stdout instead of the table
//   -h, --help       this text
// Environment: SYSEMU_BIN (another sysemu entry script).
//
// samples/riscv64/pipeline forks `producer | filter | sink` (samples/src/bench/pipeline.c):
// every line is a write of its own, the filter writes on what each read returns, the sink
// checksums. Each pair runs sysemu then qemu-riscv64 (the order alternates pair by pair, so
// load on the machine falls on both alike); both stdouts must be equal. Reported: the median
// wall time of each, the median of the per-pair ratios sysemu/qemu, and the same for CPU time
// (user+sys of the child: on a shared machine the wall time includes waiting for a core).
// A start-up pair with 10 lines is subtracted from neither: the ratio is of whole runs.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SYSEMU = process.env.SYSEMU_BIN || join(ROOT, "bin", "sysemu");
const SAMPLE = join(ROOT, "samples", "riscv64", "pipeline");

function usage() {
  const lines = [];
  for (const line of readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1)) {
    if (!line.startsWith("//")) break;
    lines.push(line.replace(/^\/\/ ?/, ""));
  }
  return lines.join("\n");
}

function parseArgs(argv) {
  const o = { lines: 100000, pairs: 5, timeout: 300, json: false };
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`bench-pipeline: ${name} wants a positive integer, not ${v}`);
      process.exit(2);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--lines") o.lines = num(argv[++i], a);
    else if (a === "--pairs") o.pairs = num(argv[++i], a);
    else if (a === "--timeout") o.timeout = num(argv[++i], a);
    else if (a === "--json") o.json = true;
    else if (a === "-h" || a === "--help") {
      console.log(usage());
      process.exit(0);
    } else {
      console.error(`bench-pipeline: unknown argument ${a} (see --help)`);
      process.exit(2);
    }
  }
  return o;
}

/** One run: wall ms, child CPU ms, stdout; never throws. */
function runOnce(cmd, args, timeoutS) {
  const cpu0 = childCpu();
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: timeoutS * 1000, killSignal: "SIGKILL" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = childCpu() - cpu0;
  if (r.error) return { ok: false, why: r.error.code === "ETIMEDOUT" ? `timed out after ${timeoutS}s` : r.error.message };
  if (r.status !== 0) return { ok: false, why: `exit status ${r.status ?? r.signal}: ${(r.stderr || "").trim().split("\n").pop()}` };
  return { ok: true, ms, cpu, stdout: r.stdout };
}

/** CPU time (ms) of the waited-for children so far, from /proc/self/stat (cutime + cstime). */
function childCpu() {
  try {
    const f = readFileSync("/proc/self/stat", "utf8");
    const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return ((Number(rest[13]) + Number(rest[14])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(SAMPLE)) {
    console.error(`bench-pipeline: ${SAMPLE} is missing (tools/build-samples.sh builds it)`);
    process.exit(1);
  }
  const qemu = spawnSync("qemu-riscv64", ["--version"], { stdio: "ignore" }).status === 0;
  const runs = { sysemu: [], qemu: [] };
  const ratios = { wall: [], cpu: [] };
  for (let i = 0; i < o.pairs; i++) {
    const order = i % 2 === 0 ? ["sysemu", "qemu"] : ["qemu", "sysemu"];
    const pair = {};
    for (const who of order) {
      if (who === "qemu" && !qemu) continue;
      const r = who === "sysemu" ? runOnce(process.execPath, [SYSEMU, "run", SAMPLE, String(o.lines)], o.timeout) : runOnce("qemu-riscv64", [SAMPLE, String(o.lines)], o.timeout);
      if (!r.ok) {
        console.error(`bench-pipeline: ${who}: ${r.why}`);
        process.exit(1);
      }
      pair[who] = r;
      runs[who].push(r);
    }
    if (pair.sysemu && pair.qemu) {
      if (pair.sysemu.stdout !== pair.qemu.stdout) {
        console.error(`bench-pipeline: outputs differ: sysemu ${JSON.stringify(pair.sysemu.stdout)} qemu ${JSON.stringify(pair.qemu.stdout)}`);
        process.exit(1);
      }
      ratios.wall.push(pair.sysemu.ms / pair.qemu.ms);
      if (pair.qemu.cpu > 0) ratios.cpu.push(pair.sysemu.cpu / pair.qemu.cpu);
    }
  }
  const res = {
    lines: o.lines,
    pairs: o.pairs,
    sysemu: { wallMs: median(runs.sysemu.map((r) => r.ms)), cpuMs: median(runs.sysemu.map((r) => r.cpu)) },
    qemu: qemu ? { wallMs: median(runs.qemu.map((r) => r.ms)), cpuMs: median(runs.qemu.map((r) => r.cpu)) } : null,
    ratio: ratios.wall.length ? { wall: median(ratios.wall), cpu: ratios.cpu.length ? median(ratios.cpu) : null } : null,
    writesPerSec: Math.round(o.lines / (median(runs.sysemu.map((r) => r.ms)) / 1000)),
  };
  if (o.json) {
    console.log(JSON.stringify(res));
    return;
  }
  const f = (x) => (x === null || x === undefined || Number.isNaN(x) ? "n/a" : x.toFixed(0));
  console.log(`pipeline: producer | filter | sink, ${o.lines} lines of one write each, ${o.pairs} alternated pairs`);
  console.log(`  sysemu        ${f(res.sysemu.wallMs).padStart(7)} ms wall ${f(res.sysemu.cpuMs).padStart(7)} ms cpu   (${res.writesPerSec} writes/s)`);
  if (res.qemu) console.log(`  qemu-riscv64  ${f(res.qemu.wallMs).padStart(7)} ms wall ${f(res.qemu.cpuMs).padStart(7)} ms cpu`);
  else console.log("  qemu-riscv64  n/a (not on PATH)");
  if (res.ratio) console.log(`  median ratio sysemu/qemu: ${res.ratio.wall.toFixed(2)}x wall, ${res.ratio.cpu === null ? "n/a" : res.ratio.cpu.toFixed(2) + "x"} cpu`);
}

main();
