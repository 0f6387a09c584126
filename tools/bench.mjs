#!/usr/bin/env node
// bench.mjs - time sysemu against qemu-riscv64, with the WebAssembly tier on and off.
//
// Usage: node tools/bench.mjs [options] [name...]      (npm run bench builds first)
//   name...          only these benchmarks (default: coremark when COREMARK_SRC is set, crcloop
//                    memloop sieve hash matmul sortstr getpid_loop; then start-up, fork_touch,
//                    pipeline (tools/bench-pipeline.mjs), syscall (tools/bench-syscall.mjs: one
//                    getpid's cost with start-up cancelled) and grade unless --quick)
//   --pairs N        alternated rounds per program (default 5): each round runs qemu, sysemu
//                    with the tier (SYSEMU_JIT=wasm) and without it (SYSEMU_JIT=off), and the
//                    ratios of that round count; the median of the rounds is reported
//   --timeout S      seconds before a run is killed (default 300, or $BENCH_TIMEOUT)
//   --no-qemu        do not run qemu-riscv64 even if it is on PATH
//   --no-startup     skip the start-up comparison
//   --quick          only the CPU tables and start-up (no wasm guests, fork or grade)
//   The same names run as x86-64 guests too (samples/x86_64, CoreMark built with the host's
//   gcc), against native execution and qemu-x86_64, block compiler on and off (SYSEMU_X86_JIT).
//   -h, --help       this text
// Environment: BENCH_TIMEOUT (seconds), SYSEMU_BIN (another sysemu entry script),
//   COREMARK_SRC=DIR (an eembc/coremark source tree: built here, -O2 static for riscv64, and run
//   for 2000 iterations; its CRC lines must equal qemu's).
//
// Ratios are sysemu / qemu per round, of wall time and of CPU time (user + system of the child,
// from /proc/self/stat: this machine may be shared, and CPU time is what the load disturbs
// least). Both stdouts must be equal (for CoreMark: its CRC lines). MIPS comes from sysemu's
// --stats line. Anything missing (no qemu, a crash, a timeout) shows as "n/a" with a one-line
// reason: the script never stops half way.
// Then start-up: alternated pairs of `node -e 0` and `bin/sysemu run samples/riscv64/hello`
// (tier on and off), median of the ratios; hello_asm and the wasm guests as before.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { printGradeThroughput } from "./bench-grade.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SYSEMU = process.env.SYSEMU_BIN || join(ROOT, "bin", "sysemu"); // override for testing
const SAMPLES = join(ROOT, "samples", "riscv64");
const BENCHMARKS = ["crcloop", "memloop", "sieve", "hash", "matmul", "sortstr", "getpid_loop"];
const STARTUP_RUNS = 10;
const MIPS_RE = /(\d+(?:\.\d+)?) MIPS/;
const COREMARK_ARGS = ["0x0", "0x0", "0x66", "2000", "7", "1", "2000"]; // seeds, iterations (core_main.c)

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
  const opts = { pairs: 5, timeout: Number(process.env.BENCH_TIMEOUT) || 300, qemu: true, startup: true, quick: false, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--pairs" || a === "--runs") opts.pairs = Math.max(1, parseInt(argv[++i], 10) || 1);
    else if (a === "--timeout") opts.timeout = Math.max(1, Number(argv[++i]) || 300);
    else if (a === "--no-qemu") opts.qemu = false;
    else if (a === "--no-startup") opts.startup = false;
    else if (a === "--quick") opts.quick = true;
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

/** CPU seconds (user + system) of this process's waited-for children, from /proc (Linux). */
function childCpuSeconds() {
  try {
    const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(f[13]) + Number(f[14])) / 100; // cutime, cstime in USER_HZ ticks
  } catch {
    return NaN;
  }
}

/** Runs a command once; returns { ok, ms, cpu, stdout, stderr, why } and never throws. */
function runOnce(cmd, args, timeoutS, env) {
  const start = process.hrtime.bigint();
  const cpu0 = childCpuSeconds();
  let r;
  try {
    r = spawnSync(cmd, args, {
      cwd: ROOT,
      encoding: "utf8",
      env: env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutS * 1000,
      killSignal: "SIGKILL",
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    return { ok: false, why: `cannot start: ${e.message}` };
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = childCpuSeconds() - cpu0;
  const res = { ok: false, ms, cpu, stdout: r.stdout ?? "", stderr: r.stderr ?? "", why: "" };
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

function pad(cells, widths) {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
}

const TIERS = [
  { label: "wasm", env: { ...process.env, SYSEMU_JIT: "wasm" } },
  { label: "off", env: { ...process.env, SYSEMU_JIT: "off" } },
];

/**
 * CoreMark built from COREMARK_SRC into a temporary directory: { bin, dir } or { why }.
 * The posix port, -O2 static; iterations come from the command line (COREMARK_ARGS).
 */
function buildCoremark(src, cc = "riscv64-linux-gnu-gcc") {
  if (!existsSync(join(src, "core_main.c")) || !existsSync(join(src, "posix", "core_portme.c"))) {
    return { why: `COREMARK_SRC=${src} is not an eembc/coremark tree (no core_main.c, posix/core_portme.c)` };
  }
  if (!onPath(cc)) return { why: `${cc} is not on PATH` };
  const dir = mkdtempSync(join(tmpdir(), "bench-coremark-"));
  const bin = join(dir, "coremark");
  const sources = readdirSync(src).filter((f) => /^core_.*\.c$/.test(f)).map((f) => join(src, f));
  const flags = ["-O2", "-static", `-I${src}`, `-I${join(src, "posix")}`, "-DPERFORMANCE_RUN=1", '-DFLAGS_STR="-O2 -static"'];
  const r = spawnSync(cc, [...flags, ...sources, join(src, "posix", "core_portme.c"), "-o", bin], { encoding: "utf8" });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { why: `building CoreMark failed: ${firstLine(r.stderr)}` };
  }
  return { bin, dir };
}

/** What two runs must agree on: all of stdout, or CoreMark's CRC lines (its timings differ). */
function sameOutput(name, a, b) {
  if (name !== "coremark") return a === b;
  const crc = (t) => t.split("\n").filter((l) => /crc/i.test(l)).join("\n");
  return crc(a) !== "" && crc(a) === crc(b);
}

/**
 * Alternated rounds of qemu and sysemu with each tier; per round the ratios to qemu. Returns
 * per tier { wall: [ratios], cpu: [ratios], mips, same, why } and qemu's { wall, cpu } medians.
 */
function benchOne(name, bin, args, opts, haveQemu) {
  const tiers = new Map(TIERS.map((t) => [t.label, { wall: [], cpu: [], walls: [], cpus: [], mips: "n/a", same: true, why: "" }]));
  const q = { walls: [], cpus: [], why: "" };
  for (let round = 0; round < opts.pairs; round++) {
    // the order alternates, so that neither side always runs on a warm (or a loaded) machine
    const order = round % 2 === 0 ? ["qemu", ...TIERS.map((t) => t.label)] : [...TIERS.map((t) => t.label).reverse(), "qemu"];
    const got = new Map();
    for (const who of order) {
      if (who === "qemu") {
        if (!haveQemu || q.why) continue;
        const r = runOnce("qemu-riscv64", [bin, ...args], opts.timeout);
        if (!r.ok) q.why = r.why;
        else got.set("qemu", r);
        continue;
      }
      const t = tiers.get(who);
      if (t.why) continue;
      const env = TIERS.find((x) => x.label === who).env;
      const r = runOnce(process.execPath, [SYSEMU, "run", "--stats", bin, ...args], opts.timeout, env);
      if (!r.ok) t.why = r.why;
      else got.set(who, r);
    }
    const qr = got.get("qemu");
    if (qr) q.walls.push(qr.ms), q.cpus.push(qr.cpu);
    for (const [label, t] of tiers) {
      const r = got.get(label);
      if (!r) continue;
      t.walls.push(r.ms);
      t.cpus.push(r.cpu);
      t.mips = r.stderr.match(MIPS_RE)?.[1] ?? t.mips;
      if (qr) {
        t.wall.push(r.ms / qr.ms);
        if (qr.cpu > 0) t.cpu.push(r.cpu / qr.cpu);
        if (!sameOutput(name, r.stdout, qr.stdout)) t.same = false;
      }
    }
  }
  for (const [label, t] of tiers) if (t.why) console.error(`bench: ${name} under sysemu (${label}): ${t.why}`);
  if (q.why) console.error(`bench: ${name} under qemu: ${q.why}`);
  return { tiers, q };
}

function benchmarks(opts, haveQemu, haveSysemu) {
  const programs = [];
  const coremark = process.env.COREMARK_SRC;
  const wanted = (n) => opts.names.length === 0 || opts.names.includes(n);
  let built = null;
  if (coremark && wanted("coremark")) {
    built = buildCoremark(coremark);
    if (built.why) console.error(`bench: ${built.why}`);
    else programs.push({ name: "coremark", bin: built.bin, args: COREMARK_ARGS });
  } else if (opts.names.includes("coremark")) console.error("bench: coremark needs COREMARK_SRC=DIR (an eembc/coremark tree)");
  for (const name of opts.names.length ? opts.names.filter((n) => n !== "coremark") : BENCHMARKS) {
    if (!existsSync(join(SAMPLES, name))) {
      console.error(`bench: samples/riscv64/${name} not found (run tools/build-samples.sh or check the name)`);
      continue;
    }
    programs.push({ name, bin: join(SAMPLES, name), args: [] });
  }
  if (!haveSysemu) return;
  console.log(`\nsysemu / qemu-riscv64, median of ${opts.pairs} alternated rounds (ratio < 1: sysemu is faster)`);
  const widths = [12, 6, 9, 9, 9, 9, 8, 9];
  console.log(pad(["benchmark", "tier", "wall", "cpu", "sysemu", "qemu", "MIPS", "stdout"], widths));
  const fmtR = (v) => (v.length ? `${median(v).toFixed(2)}x` : "n/a");
  const fmtS = (v) => (v.length ? `${median(v).toFixed(2)} s` : "n/a");
  try {
    for (const p of programs) {
      const { tiers, q } = benchOne(p.name, p.bin, p.args, opts, haveQemu);
      for (const [label, t] of tiers) {
        const same = t.wall.length ? (t.same ? "same" : "DIFFERENT") : "n/a";
        console.log(pad([p.name, label, fmtR(t.wall), fmtR(t.cpu), fmtS(t.cpus), fmtS(q.cpus), t.mips, same], widths));
      }
    }
    console.log("  (sysemu and qemu columns: median CPU seconds)");
  } finally {
    if (built?.dir) rmSync(built.dir, { recursive: true, force: true });
  }
  if (process.arch === "x64" && process.platform === "linux") benchX86(opts, wanted);
  else console.error("bench: the x86-64 table needs an x86-64 Linux host (native runs are its reference)");
}

const X86_SAMPLES = join(ROOT, "samples", "x86_64");
const X86_TIERS = [
  { label: "jit", env: { ...process.env, SYSEMU_X86_JIT: "on" } },
  { label: "off", env: { ...process.env, SYSEMU_X86_JIT: "off" } },
];

/**
 * x86-64 guests: alternated rounds of the program natively, under qemu-x86_64 and under sysemu
 * (block compiler on and off); per round the CPU-time ratios of sysemu to native and to qemu.
 * CoreMark is built with the host's gcc, -O2 static, when COREMARK_SRC is set.
 */
function benchX86(opts, wanted) {
  const programs = [];
  let built = null;
  const coremark = process.env.COREMARK_SRC;
  if (coremark && wanted("coremark")) {
    built = buildCoremark(coremark, "gcc");
    if (built.why) console.error(`bench: x86-64 ${built.why}`);
    else programs.push({ name: "coremark", bin: built.bin, args: COREMARK_ARGS });
  }
  for (const name of opts.names.length ? opts.names.filter((n) => n !== "coremark") : BENCHMARKS) {
    if (existsSync(join(X86_SAMPLES, name))) programs.push({ name, bin: join(X86_SAMPLES, name), args: [] });
  }
  if (programs.length === 0) return;
  const haveQemu = opts.qemu && onPath("qemu-x86_64");
  console.log(`
x86-64: sysemu / native and sysemu / qemu-x86_64 in CPU time, median of ${opts.pairs} alternated rounds`);
  const widths = [12, 5, 10, 10, 9, 9, 9, 8, 9];
  console.log(pad(["benchmark", "tier", "/native", "/qemu", "sysemu", "native", "qemu", "MIPS", "stdout"], widths));
  const fmtR = (v) => (v.length ? `${median(v).toFixed(2)}x` : "n/a");
  const fmtS = (v) => (v.length ? `${median(v).toFixed(2)} s` : "n/a");
  try {
    for (const p of programs) {
      const tiers = new Map(X86_TIERS.map((t) => [t.label, { native: [], qemu: [], cpus: [], mips: "n/a", same: true, why: "" }]));
      const ref = { native: [], qemu: [], whyNative: "", whyQemu: "" };
      for (let round = 0; round < opts.pairs; round++) {
        const who = ["native", "qemu", ...X86_TIERS.map((t) => t.label)];
        const order = round % 2 === 0 ? who : [...who].reverse();
        const got = new Map();
        for (const w of order) {
          let r;
          if (w === "native") r = ref.whyNative ? null : runOnce(p.bin, p.args, opts.timeout);
          else if (w === "qemu") r = !haveQemu || ref.whyQemu ? null : runOnce("qemu-x86_64", [p.bin, ...p.args], opts.timeout);
          else {
            const t = tiers.get(w);
            r = t.why ? null : runOnce(process.execPath, [SYSEMU, "run", "--stats", p.bin, ...p.args], opts.timeout, X86_TIERS.find((x) => x.label === w).env);
            if (r && !r.ok) t.why = r.why;
          }
          if (r && !r.ok && w === "native") ref.whyNative = r.why;
          if (r && !r.ok && w === "qemu") ref.whyQemu = r.why;
          if (r?.ok) got.set(w, r);
        }
        const nat = got.get("native"), qr = got.get("qemu");
        if (nat) ref.native.push(nat.cpu);
        if (qr) ref.qemu.push(qr.cpu);
        for (const [label, t] of tiers) {
          const r = got.get(label);
          if (!r) continue;
          t.cpus.push(r.cpu);
          t.mips = r.stderr.match(MIPS_RE)?.[1] ?? t.mips;
          if (nat && nat.cpu > 0) t.native.push(r.cpu / nat.cpu);
          if (qr && qr.cpu > 0) t.qemu.push(r.cpu / qr.cpu);
          if (nat && !sameOutput(p.name, r.stdout, nat.stdout)) t.same = false;
        }
      }
      if (ref.whyNative) console.error(`bench: ${p.name} natively: ${ref.whyNative}`);
      if (ref.whyQemu) console.error(`bench: ${p.name} under qemu-x86_64: ${ref.whyQemu}`);
      for (const [label, t] of tiers) {
        if (t.why) console.error(`bench: x86-64 ${p.name} under sysemu (${label}): ${t.why}`);
        const same = t.cpus.length && ref.native.length ? (t.same ? "same" : "DIFFERENT") : "n/a";
        console.log(pad([p.name, label, fmtR(t.native), fmtR(t.qemu), fmtS(t.cpus), fmtS(ref.native), fmtS(ref.qemu), t.mips, same], widths));
      }
    }
    console.log("  (sysemu, native and qemu columns: median CPU seconds; stdout compared with native's)");
  } finally {
    if (built?.dir) rmSync(built.dir, { recursive: true, force: true });
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

/** Alternated pairs of `node -e 0` and `sysemu run PROG` per tier: median ratio of the wall times. */
function startup(opts, haveSysemu) {
  const fmt = (ms) => (ms === undefined ? "n/a" : `${ms.toFixed(1)} ms`);
  const row = (label, value, why) => console.log(`  ${label.padEnd(44)} ${value}${why ? `  (${why})` : ""}`);
  console.log(`\nstart-up, ${STARTUP_RUNS} alternated pairs with node -e 0 (median):`);
  const nodeMs = [];
  const per = new Map();
  for (const prog of ["hello", "hello_asm"]) for (const t of TIERS) per.set(`${prog} ${t.label}`, { ms: [], ratio: [], why: "" });
  for (let i = 0; i < STARTUP_RUNS && haveSysemu; i++) {
    const n = runOnce(process.execPath, ["-e", "0"], opts.timeout);
    if (!n.ok) return row("node -e 0", "n/a", n.why);
    nodeMs.push(n.ms);
    for (const [key, v] of per) {
      if (v.why) continue;
      const [prog, label] = key.split(" ");
      const r = runOnce(process.execPath, [SYSEMU, "run", join(SAMPLES, prog)], opts.timeout, TIERS.find((t) => t.label === label).env);
      if (!r.ok) v.why = r.why;
      else v.ms.push(r.ms), v.ratio.push(r.ms / n.ms);
    }
  }
  row("node -e 0", nodeMs.length ? fmt(median(nodeMs)) : "n/a", haveSysemu ? "" : "bin/sysemu is missing");
  for (const [key, v] of per) {
    const [prog, label] = key.split(" ");
    const value = v.ratio.length ? `${fmt(median(v.ms))}  ratio ${median(v.ratio).toFixed(2)}x` : "n/a";
    row(`sysemu run samples/riscv64/${prog} (${label})`, value, v.why);
  }
  if (haveSysemu && !opts.quick) wasmStartup({ ms: nodeMs.length ? median(nodeMs) : undefined }, opts, row, fmt);
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
  console.log(`bench: node ${process.version}, ${opts.pairs} alternated rounds, timeout ${opts.timeout} s per run`);
  benchmarks(opts, haveQemu, haveSysemu);
  if (opts.startup) startup(opts, haveSysemu);
  if (opts.quick) return;
  if (haveSysemu && (opts.names.length === 0 || opts.names.includes("fork_touch"))) forkCost(opts, haveQemu);
  if (haveSysemu && (opts.names.length === 0 || opts.names.includes("pipeline"))) {
    // producer | filter | sink across three guest processes (tools/bench-pipeline.mjs, alone too)
    console.log("");
    spawnSync(process.execPath, [join(ROOT, "tools", "bench-pipeline.mjs"), "--pairs", String(opts.pairs)], { stdio: "inherit" });
  }
  if (haveSysemu && (opts.names.length === 0 || opts.names.includes("syscall"))) {
    console.log("");
    spawnSync(process.execPath, [join(ROOT, "tools", "bench-syscall.mjs"), "--pairs", String(opts.pairs)], { stdio: "inherit" });
  }
  if (haveSysemu && (opts.names.length === 0 || opts.names.includes("grade"))) printGradeThroughput({ copies: 100, jobs: 2 });
}

try {
  main();
} catch (e) {
  // Never crash with a stack trace: say what went wrong in one line.
  console.error(`bench: unexpected error: ${e?.message ?? e}`);
  process.exitCode = 1;
}
