// `sysemu grade` throughput: 100 copies of the hello2 assignment's correct submission graded
// with --submissions --jobs 2 (the copies are identical, so the patch and the user program are
// compiled once and every later grading reuses them: what a class of near-identical work
// costs). Run by tools/bench.mjs, or alone: node tools/bench-grade.mjs [--copies N] [--jobs N].
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SYSEMU = process.env.SYSEMU_BIN || join(ROOT, "bin", "sysemu");
const ASSIGNMENT = join(ROOT, "samples", "assignments", "hello2");

/** Grades `copies` copies with `jobs` workers; returns submissions per second, or a reason. */
export function gradeThroughput({ copies = 100, jobs = 2, submission = "correct" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "sysemu-bench-grade-"));
  try {
    for (let i = 0; i < copies; i++) cpSync(join(ASSIGNMENT, "submissions", submission), join(dir, "subs", `s${String(i).padStart(3, "0")}`), { recursive: true });
    const args = [SYSEMU, "grade", join(ASSIGNMENT, "spec.yaml"), "--submissions", join(dir, "subs"), "--jobs", String(jobs), "--seed", "1", "--format", "gradescope", "--out", join(dir, "out"), "--cache", join(dir, "cache")];
    const t0 = performance.now(), cpu0 = childCpuSeconds();
    const r = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 900_000 });
    const secs = (performance.now() - t0) / 1000, cpu = childCpuSeconds() - cpu0;
    if (r.status !== 0) return { error: `sysemu grade failed (${r.status ?? r.signal}): ${(r.stderr || "").trim().split("\n").pop()}` };
    const full = r.stdout.split("\n").filter((l) => / 100\/100 /.test(l)).length;
    return { secs, cpu, perSecond: copies / secs, full, copies, jobs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

export function printGradeThroughput(opts) {
  const r = gradeThroughput(opts);
  console.log(`\nsysemu grade, ${opts?.copies ?? 100} copies of hello2/submissions/${opts?.submission ?? "correct"}, --jobs ${opts?.jobs ?? 2} (cold cache: one compile):`);
  if (r.error) return console.log(`  n/a: ${r.error}`);
  console.log(`  ${r.perSecond.toFixed(1)} submissions/s (${r.secs.toFixed(1)} s wall, ${r.cpu.toFixed(1)} s CPU: ${(r.copies / r.cpu).toFixed(1)} per CPU-second; ${r.full} of ${r.copies} with full marks)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const a = process.argv.slice(2);
  const opt = (name, dflt) => (a.includes(name) ? Number(a[a.indexOf(name) + 1]) : dflt);
  printGradeThroughput({ copies: opt("--copies", 100), jobs: opt("--jobs", 2), submission: a.includes("--submission") ? a[a.indexOf("--submission") + 1] : "correct" });
}
