// Grading one submission: find its kernel code (a patch, compiled through kmod; failing that a
// plug-in, run only in the sandbox process), build its user program if a test needs it, run every test
// on a kernel booted for it, and hold each run against the spec.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { riscv64Syscalls } from "../../syscalls/index.ts";
import type { TableEntry } from "../../syscalls/table.ts";
import { addPlugins } from "../kernel/plugins.ts";
import { checkTest, type Observation } from "./check.ts";
import { compilePatch, PatchError, type KernelCode } from "./kmod.ts";
import { testRoot } from "./roots.ts";
import { runProgram } from "./runner.ts";
import { programPath, STUDENT_PROGRAM, type Spec, type TestSpec } from "./spec.ts";
import { readSubmission, type Submission } from "./submission.ts";
import { buildUserProgram } from "./usercode.ts";

export interface GradeOptions {
  /** --seed: every random source, and thus the results, reproducible. */
  seed?: number;
  cacheDir: string;
}

export interface TestResult {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: string;
  tags: string[];
}

export interface SubmissionResult {
  submission: string;
  score: number;
  max_score: number;
  /** Seconds; 0 under --seed. */
  execution_time: number;
  output: string;
  stdout_visibility: string;
  tests: TestResult[];
}

/** One program run a test asks for, in a form that can cross to the sandbox process. */
export interface RunJob {
  elf: Uint8Array | null;
  name: string;
  args: string[];
  stdin: string;
  env: Record<string, string>;
  root: string;
  maxInsns: number;
  timeoutMs: number;
  seed: number | undefined;
  /** Why the job cannot run (its program did not build). */
  setupError?: string;
}

/** WebAssembly instructions one call of the student's handler may run (then: a soft lockup), and its memory cap in 64 KiB pages. */
const KMOD_FUEL = 20_000_000, KMOD_PAGES = 256;

const programs = new Map<string, Uint8Array>();
function prebuilt(path: string): Uint8Array {
  let p = programs.get(path);
  if (!p) programs.set(path, (p = readFileSync(path)));
  return p;
}

export async function gradeSubmission(spec: Spec, dir: string, opts: GradeOptions): Promise<SubmissionResult> {
  const start = performance.now();
  const sub = readSubmission(dir);
  const notes: string[] = [];
  let observations: Observation[];
  let nr = spec.syscall.nr;
  if (sub.patches.length > 0) {
    let code: KernelCode | null = null;
    let setupError: string | undefined;
    try {
      code = await compilePatch(sub.patches.map((p) => p.text).join("\n"), { fallbackNumbers: { [spec.syscall.name]: spec.syscall.nr }, cacheDir: join(opts.cacheDir, "kmod"), fuel: KMOD_FUEL, memoryPages: KMOD_PAGES, origin: sub.patches[0]!.file });
      nr = code.syscalls.find((s) => s.name === spec.syscall.name)?.nr ?? nr;
      notes.push(...code.warnings);
      if (!code.syscalls.some((s) => s.name === spec.syscall.name)) setupError = `the patch defines no sys_${spec.syscall.name} (SYSCALL_DEFINEn(${spec.syscall.name}, ...))`;
    } catch (e) {
      if (!(e instanceof PatchError)) throw e;
      setupError = `the kernel patch does not build:\n${e.message}`;
    }
    const jobs = makeJobs(spec, sub, nr, opts);
    observations = setupError || !code ? jobs.map(() => failedSetup(setupError!)) : await shared(jobs, (js) => runPatchJobs(code!, js));
  } else if (sub.plugins.length > 0) {
    const { runInSandbox } = await import("./sandbox.ts");
    observations = await shared(makeJobs(spec, sub, nr, opts), (js) => runInSandbox(sub.plugins, js));
  } else {
    observations = spec.tests.map(() => failedSetup("the submission has no kernel patch (*.patch or *.diff from git format-patch or git diff) and no plug-in (*.ts)"));
  }
  const tests = spec.tests.map((t, i) => result(t, checkTest(t, observations[i]!, spec.syscall.name)));
  const score = round(tests.reduce((a, t) => a + t.score, 0));
  const max = round(tests.reduce((a, t) => a + t.max_score, 0));
  const passed = tests.filter((t) => t.status === "passed").length;
  return {
    submission: sub.name,
    score,
    max_score: max,
    execution_time: opts.seed !== undefined ? 0 : round((performance.now() - start) / 1000),
    output: [`${passed} of ${tests.length} tests passed: ${score} of ${max} points.`, ...notes].join("\n"),
    stdout_visibility: spec.stdout_visibility,
    tests,
  };
}

function result(t: TestSpec, v: { passed: boolean; output: string }): TestResult {
  return { name: t.name, score: v.passed ? t.points : 0, max_score: t.points, status: v.passed ? "passed" : "failed", output: v.output, visibility: t.visibility, tags: t.tags };
}

function failedSetup(message: string): Observation {
  return { stdout: "", stderr: "", status: 0, signal: null, stoppedBy: "exit", dmesg: [], calls: [], findings: [], denied: [], setupError: message };
}

/** Each test's run: the program (prebuilt, or the student's), its inputs, limits and seed. */
export function makeJobs(spec: Spec, sub: Submission, nr: number, opts: GradeOptions): RunJob[] {
  const user = spec.tests.some((t) => t.program === STUDENT_PROGRAM) ? buildUserProgram(sub, spec.user_cflags, opts.cacheDir) : null;
  return spec.tests.map((t, i) => {
    const base = {
      args: t.args, stdin: t.stdin, root: testRoot(spec, i),
      env: { ...t.env, [`${spec.syscall.name.toUpperCase()}_NR`]: String(nr) },
      maxInsns: t.max_insns ?? spec.limits.max_insns,
      timeoutMs: (t.timeout ?? spec.limits.timeout) * 1000,
    };
    const seed = opts.seed === undefined ? undefined : jobSeed(opts.seed, t);
    if (t.program !== STUDENT_PROGRAM) return { ...base, seed, elf: prebuilt(programPath(spec, t)), name: t.program.split("/").pop()! };
    if (!user!.ok) return { ...base, seed, elf: null, name: "student", setupError: user!.message };
    return { ...base, seed, elf: user!.elf, name: user!.name };
  });
}

/**
 * A job's seed, from --seed and what the job runs (not its position: stable when tests are
 * reordered), so that tests checking different things of the same run share one run.
 */
function jobSeed(seed: number, t: TestSpec): number {
  return createHash("sha256").update(JSON.stringify([seed, t.program, t.args, t.stdin, t.env, t.files, t.max_insns, t.timeout])).digest().readUInt32LE(0);
}

const ids = new WeakMap<Uint8Array, number>();
let nextId = 0;
function programId(elf: Uint8Array): number {
  let id = ids.get(elf);
  if (id === undefined) ids.set(elf, (id = nextId++));
  return id;
}

/** Runs each distinct job once (several tests often look at one run from different sides). */
async function shared(jobs: RunJob[], run: (distinct: RunJob[]) => Promise<Observation[]>): Promise<Observation[]> {
  const keys = jobs.map((j) => (j.seed === undefined ? null : JSON.stringify([j.name, j.elf ? programId(j.elf) : -1, j.args, j.stdin, j.env, j.root, j.maxInsns, j.timeoutMs, j.seed, j.setupError])));
  const first = new Map<string, number>();
  const distinct: RunJob[] = [];
  const slot = jobs.map((j, i) => {
    const k = keys[i];
    if (k !== null && first.has(k)) return first.get(k)!;
    if (k !== null) first.set(k, distinct.length);
    distinct.push(j);
    return distinct.length - 1;
  });
  const seen = await run(distinct);
  return slot.map((i) => seen[i]!);
}

async function runPatchJobs(code: KernelCode, jobs: RunJob[]): Promise<Observation[]> {
  const base = riscv64Syscalls({ hello: false });
  const out: Observation[] = [];
  for (const job of jobs) {
    if (!job.elf) { out.push(failedSetup(job.setupError!)); continue; }
    const table = new Map<number, TableEntry>(base);
    addPlugins(table, code.instantiate(), "kernel patch");
    const o = await runProgram({ ...job, elf: job.elf, table, attach: (k, tr) => code.attach(k, tr) });
    out.push({ ...observed(o), findings: o.kernel ? code.findings(o.kernel) : [] });
  }
  return out;
}

/** The serialisable part of a run. */
export function observed(o: Awaited<ReturnType<typeof runProgram>>): Observation {
  return { stdout: o.stdout, stderr: o.stderr, status: o.status, signal: o.signal, stoppedBy: o.stoppedBy, dmesg: o.dmesg, calls: o.calls, findings: [], denied: [] };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
