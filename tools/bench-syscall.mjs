#!/usr/bin/env node
// bench-syscall.mjs - what one system call costs, sysemu against qemu-riscv64, start-up left out.
//
// Usage: node tools/bench-syscall.mjs [--calls N] [--pairs N] [--json]
//   --calls N   getpid calls of the long run (default 2000000); the short run makes N/10
//   --pairs N   alternated rounds (default 5)
// Environment: SYSEMU_BIN (another sysemu entry script).
//
// samples/riscv64/getpid_loop N makes N getpid(2) calls. A whole run of it is mostly start-up
// for sysemu (a Node process), so each round runs it with N and with N/10 calls under both
// emulators, order alternating round by round, and takes the difference: CPU time (user+sys of
// the child) per call of the extra 0.9 N calls. Reported: the medians of those per-call costs
// and of the per-round ratios sysemu/qemu.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SYSEMU = process.env.SYSEMU_BIN || join(ROOT, "bin", "sysemu");
const SAMPLE = join(ROOT, "samples", "riscv64", "getpid_loop");

function parseArgs(argv) {
  const o = { calls: 2_000_000, pairs: 5, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") { o.json = true; continue; }
    const n = Number(argv[i + 1]);
    if ((a !== "--calls" && a !== "--pairs") || !Number.isInteger(n) || n < 1) {
      console.error(`bench-syscall: bad argument ${a} (--calls N --pairs N --json)`);
      process.exit(2);
    }
    o[a.slice(2)] = n;
    i++;
  }
  return o;
}

/** CPU time (ms) of the waited-for children so far (cutime + cstime of /proc/self/stat). */
function childCpu() {
  const f = readFileSync("/proc/self/stat", "utf8");
  const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return ((Number(rest[13]) + Number(rest[14])) * 1000) / 100; // USER_HZ = 100
}

function cpuOf(cmd, args, calls) {
  const before = childCpu();
  const r = spawnSync(cmd, [...args, SAMPLE, String(calls)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 });
  if (r.status !== 0 || !r.stdout.includes(`getpid calls: ${calls}\nall equal: yes`)) {
    console.error(`bench-syscall: ${cmd} ${args.join(" ")} getpid_loop ${calls}: ${r.error?.message ?? `status ${r.status ?? r.signal}`} ${(r.stderr || "").trim().split("\n").pop()}`);
    process.exit(1);
  }
  return childCpu() - before;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const o = parseArgs(process.argv.slice(2));
const who = { sysemu: [process.execPath, [SYSEMU, "run"]], qemu: ["qemu-riscv64", []] };
const haveQemu = spawnSync("qemu-riscv64", ["--version"], { stdio: "ignore" }).status === 0;
const short = Math.floor(o.calls / 10), extra = o.calls - short;
const ns = { sysemu: [], qemu: [] }, ratios = [];
for (let i = 0; i < o.pairs; i++) {
  const order = (i % 2 === 0 ? ["sysemu", "qemu"] : ["qemu", "sysemu"]).filter((w) => w === "sysemu" || haveQemu);
  const round = {};
  for (const w of order) {
    const [cmd, args] = who[w];
    const long = cpuOf(cmd, args, o.calls), brief = cpuOf(cmd, args, short);
    round[w] = Math.max(long - brief, 0) * 1e6 / extra; // ns per call
    ns[w].push(round[w]);
  }
  if (round.qemu > 0) ratios.push(round.sysemu / round.qemu);
}
const res = { calls: o.calls, pairs: o.pairs, sysemuNsPerCall: median(ns.sysemu), qemuNsPerCall: haveQemu ? median(ns.qemu) : null, ratio: ratios.length ? median(ratios) : null };
if (o.json) console.log(JSON.stringify(res));
else {
  console.log(`getpid(2), CPU per call with start-up cancelled (${o.calls} - ${short} calls), ${o.pairs} alternated rounds`);
  console.log(`  sysemu        ${res.sysemuNsPerCall.toFixed(0).padStart(6)} ns/call`);
  console.log(haveQemu ? `  qemu-riscv64  ${res.qemuNsPerCall.toFixed(0).padStart(6)} ns/call\n  median ratio sysemu/qemu: ${res.ratio === null ? "n/a" : res.ratio.toFixed(2) + "x"}` : "  qemu-riscv64  n/a (not on PATH)");
}
