#!/usr/bin/env node
// bench.mjs - time the benchmark samples under sysemu and qemu-riscv64.
//
// Usage: node tools/bench.mjs [options] [name...]      (npm run bench builds first)
//   name...          only these benchmarks (default: sieve hash matmul sortstr getpid_loop)
//   --runs N         runs per program, the best one counts (default 3)
//   --timeout S      seconds before a run is killed (default 300, or $BENCH_TIMEOUT)
//   --no-qemu        do not run qemu-riscv64 even if it is on PATH
//   --no-startup     skip the start-up comparison
//   -h, --help       this text
// Environment: BENCH_TIMEOUT (seconds), SYSEMU_BIN (another sysemu entry script).
//
// For each benchmark in samples/riscv64 it runs `bin/sysemu run --stats <bin>`
// and, when qemu-riscv64 is on PATH, `qemu-riscv64 <bin>`, alternating, and
// keeps the best wall-clock time of each.  Both stdouts must be equal.  MIPS
// comes from sysemu's --stats line on stderr ("... 123.4 MIPS ...").  Anything
// missing (no `run` command, no stats line, a crash, a timeout) shows as "n/a"
// with a one-line reason: the script never stops half way.
// Then start-up: the median of 10 runs of `node -e 0` against
// `bin/sysemu run samples/riscv64/hello_asm` and `... samples/wasm/hello.wasm` (with the
// module's own compile time, measured in process), and 3 runs of hello.component.wasm
// (which loads jco and transpiles the component first).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { printGradeThroughput } from "./bench-grade.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SYSEMU = process.env.SYSEMU_BIN || join(ROOT, "bin", "sysemu"); // override for testing
const SAMPLES = join(ROOT, "samples", "riscv64");
const BENCHMARKS = ["sieve", "hash", "matmul", "sortstr", "getpid_loop"];
const STARTUP_RUNS = 10;
const MIPS_RE = /(\d+(?:\.\d+)?) MIPS/;

/** The comment block at the top of this file. */
function usage() {
  const lines = [];
  for (const line of readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1)) {
    if (!line.startsWith("//")) break;
    lines.push(line.replace(/^\/\/ ?/, ""));
  }
  return lines.join("\n");
}

function parseArgs(argv) {
  const opts = { runs: 3, timeout: Number(process.env.BENCH_TIMEOUT) || 300, qemu: true, startup: true, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runs") opts.runs = Math.max(1, parseInt(argv[++i], 10) || 1);
    else if (a === "--timeout") opts.timeout = Math.max(1, Number(argv[++i]) || 300);
    else if (a === "--no-qemu") opts.qemu = false;
    else if (a === "--no-startup") opts.startup = false;
    else if (a === "-h" || a === "--help") {
      console.log(usage());
      process.exit(0);
    } else if (a.startsWith("-")) {
      console.error(`bench: unknown option ${a} (see --help)`);
      process.exit(2);
    } else opts.names.push(a);
  }
  return opts;
}

/** Runs a command once; returns { ok, ms, stdout, stderr, why } and never throws. */
function runOnce(cmd, args, timeoutS) {
  const start = process.hrtime.bigint();
  let r;
  try {
    r = spawnSync(cmd, args, {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutS * 1000,
      killSignal: "SIGKILL",
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    return { ok: false, why: `cannot start: ${e.message}` };
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const res = { ok: false, ms, stdout: r.stdout ?? "", stderr: r.stderr ?? "", why: "" };
  if (r.error?.code === "ETIMEDOUT") res.why = `timed out after ${timeoutS} s`;
  else if (r.error) res.why = `cannot start: ${r.error.code ?? r.error.message}`;
  else if (r.signal) res.why = `killed by ${r.signal}`;
  else if (r.status !== 0) res.why = `exit ${r.status}: ${firstLine(res.stderr) || "(no message)"}`;
  else res.ok = true;
  return res;
}

function firstLine(text) {
  const line = (text ?? "").split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 100 ? `${line.slice(0, 97)}...` : line.trim();
}

function onPath(name) {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() !== "";
}

function fmtSeconds(ms) {
  return ms === undefined ? "n/a" : `${(ms / 1000).toFixed(3)} s`;
}

function pad(cells, widths) {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
}

/** Best of `runs` for each runner, alternating between them; a runner that fails stops being retried. */
function benchOne(name, runners, opts) {
  const bin = join(SAMPLES, name);
  const best = new Map(runners.map((r) => [r.label, null]));
  const failed = new Map();
  for (let i = 0; i < opts.runs; i++) {
    for (const runner of runners) {
      if (failed.has(runner.label)) continue;
      const res = runOnce(runner.cmd, [...runner.args, bin], opts.timeout);
      if (!res.ok) {
        failed.set(runner.label, res.why);
        console.error(`bench: ${name} under ${runner.label}: ${res.why}`);
        continue;
      }
      const prev = best.get(runner.label);
      if (!prev || res.ms < prev.ms) best.set(runner.label, res);
    }
  }
  return best;
}

function benchmarks(opts, haveQemu, haveSysemu) {
  const names = opts.names.length ? opts.names : BENCHMARKS;
  const runners = [];
  if (haveSysemu) runners.push({ label: "sysemu", cmd: process.execPath, args: [SYSEMU, "run", "--stats"] });
  if (haveQemu) runners.push({ label: "qemu", cmd: "qemu-riscv64", args: [] });

  const widths = [12, 10, 10, 8, 8, 9];
  console.log(pad(["benchmark", "sysemu", "qemu", "ratio", "MIPS", "stdout"], widths));
  for (const name of names) {
    if (!existsSync(join(SAMPLES, name))) {
      console.error(`bench: samples/riscv64/${name} not found (run tools/build-samples.sh or check the name)`);
      continue;
    }
    const best = benchOne(name, runners, opts);
    const s = best.get("sysemu");
    const q = best.get("qemu");
    const ratio = s && q ? `${(s.ms / q.ms).toFixed(1)}x` : "n/a";
    const mips = s?.stderr.match(MIPS_RE)?.[1] ?? "n/a";
    const stdout = s && q ? (s.stdout === q.stdout ? "same" : "DIFFERENT") : "n/a";
    console.log(pad([name, fmtSeconds(s?.ms), fmtSeconds(q?.ms), ratio, mips, stdout], widths));
    if (s && !MIPS_RE.test(s.stderr)) console.error(`bench: ${name}: no "<n> MIPS" line in sysemu's stderr`);
  }
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Median wall time of `count` runs, or { why } at the first failure. */
function medianOf(cmd, args, count, timeoutS) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const r = runOnce(cmd, args, timeoutS);
    if (!r.ok) return { why: r.why };
    times.push(r.ms);
  }
  return { ms: median(times) };
}

function startup(opts, haveSysemu) {
  const fmt = (ms) => (ms === undefined ? "n/a" : `${ms.toFixed(1)} ms`);
  const node = medianOf(process.execPath, ["-e", "0"], STARTUP_RUNS, opts.timeout);
  const hello = join(SAMPLES, "hello_asm");
  const sys = haveSysemu
    ? medianOf(process.execPath, [SYSEMU, "run", hello], STARTUP_RUNS, opts.timeout)
    : { why: "bin/sysemu is missing" };
  console.log(`\nstart-up, median of ${STARTUP_RUNS} runs:`);
  const row = (label, value, why) => console.log(`  ${label.padEnd(40)} ${value}${why ? `  (${why})` : ""}`);
  row("node -e 0", fmt(node.ms), node.why);
  row("sysemu run samples/riscv64/hello_asm", fmt(sys.ms), sys.why);
  row("ratio sysemu / node", node.ms && sys.ms ? `${(sys.ms / node.ms).toFixed(2)}x` : "n/a");
  if (haveSysemu) wasmStartup(node, opts, row, fmt);
}

/**
 * Median ms of compiling a wasm binary in this process (what any runtime pays for it). V8 keeps
 * compiled modules by their bytes, so each round appends a custom section of its own: every
 * compile is a cold one, as in a fresh process.
 */
function compileMs(file) {
  const bytes = readFileSync(file);
  const times = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const name = Buffer.from(`bench-${i}-${process.pid}`);
    const custom = Buffer.from([0, name.length + 1, name.length, ...name]); // id 0, size, name
    const unique = Buffer.concat([bytes, custom]);
    const t = performance.now();
    new WebAssembly.Module(unique);
    times.push(performance.now() - t);
  }
  return median(times);
}

/** WebAssembly guests: hello.wasm against node -e 0 plus its compile time; the component too. */
function wasmStartup(node, opts, row, fmt) {
  const hello = join(ROOT, "samples", "wasm", "hello.wasm");
  const wasm = medianOf(process.execPath, [SYSEMU, "run", hello], STARTUP_RUNS, opts.timeout);
  const compile = compileMs(hello);
  row("sysemu run samples/wasm/hello.wasm", fmt(wasm.ms), wasm.why);
  row("  compiling hello.wasm (in process)", fmt(compile));
  row("ratio wasm / (node + compile)", node.ms && wasm.ms ? `${(wasm.ms / (node.ms + compile)).toFixed(2)}x` : "n/a");
  const comp = medianOf(process.execPath, [SYSEMU, "run", join(ROOT, "samples", "wasm", "hello.component.wasm")], 3, opts.timeout);
  row("sysemu run .../hello.component.wasm", fmt(comp.ms), comp.why);
}

/**
 * fork() of a process with 100 MiB touched: samples/riscv64/fork_touch measures fork()+waitpid()
 * itself (stderr "fork+wait: N us"); the reference is what copying 100 MiB costs this host.
 */
function forkCost(opts, haveQemu) {
  const prog = join(SAMPLES, "fork_touch");
  const figure = (cmd, args) => {
    const us = [];
    for (let i = 0; i < 3; i++) {
      const r = spawnSync(cmd, args, { encoding: "utf8", timeout: opts.timeout * 1000 });
      const m = /fork\+wait: (\d+) us/.exec(r.stderr ?? "");
      if (m) us.push(Number(m[1]));
    }
    return us.length ? median(us) / 1000 : undefined;
  };
  const src = Buffer.alloc(100 << 20, 1);
  const copies = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    Buffer.from(src);
    copies.push(performance.now() - t);
  }
  const fmt = (ms) => (ms === undefined ? "n/a" : `${ms.toFixed(1)} ms`);
  console.log("\nfork() of a process with 100 MiB touched (fork_touch, median of 3):");
  console.log(`  ${"sysemu fork+wait".padEnd(40)} ${fmt(figure(process.execPath, [SYSEMU, "run", prog]))}`);
  if (haveQemu) console.log(`  ${"qemu-riscv64 fork+wait".padEnd(40)} ${fmt(figure("qemu-riscv64", [prog]))}`);
  console.log(`  ${"copying 100 MiB once, in this process".padEnd(40)} ${fmt(median(copies))}`);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const haveQemu = opts.qemu && onPath("qemu-riscv64");
  const haveSysemu = existsSync(SYSEMU);
  if (!haveSysemu) console.error("bench: bin/sysemu not found: sysemu columns are n/a");
  if (!haveQemu) console.error(opts.qemu ? "bench: qemu-riscv64 not on PATH: qemu columns are n/a" : "bench: qemu disabled");
  console.log(`bench: node ${process.version}, best of ${opts.runs}, timeout ${opts.timeout} s per run`);
  benchmarks(opts, haveQemu, haveSysemu);
  if (opts.startup) startup(opts, haveSysemu);
  if (haveSysemu && (opts.names.length === 0 || opts.names.includes("fork_touch"))) forkCost(opts, haveQemu);
  if (haveSysemu && (opts.names.length === 0 || opts.names.includes("grade"))) printGradeThroughput({ copies: 100, jobs: 2 });
}

try {
  main();
} catch (e) {
  // Never crash with a stack trace: say what went wrong in one line.
  console.error(`bench: unexpected error: ${e?.message ?? e}`);
  process.exitCode = 1;
}
