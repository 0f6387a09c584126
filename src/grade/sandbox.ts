// Grading a TypeScript/JavaScript plug-in (`--syscalls FILE.ts`) happens only in a separate,
// locked-down Node process: the permission model (--experimental-permission) with read access
// to sysemu's own bundle and the tests' guest roots and nothing else, no child processes, no
// workers, no native addons, WASI or inspector; a heap cap and a wall-clock limit (SIGKILL).
// The grader keeps the spec: the sandbox receives programs and inputs, never the expected
// results, and sends back what it observed (sandbox-child.ts).

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Observation } from "./check.ts";
import type { RunJob } from "./grade.ts";
import { importESM } from "../util/import-esm.ts";

// node:child_process itself, not the bundle's lazy stand-in (tools/lazy-child-process.cjs), whose
// proxy has no named exports.
const { spawn } = process.getBuiltinModule("node:child_process");

/** The sandbox's heap (MiB), and how long a job may take beyond its test's own time limit. */
const HEAP_MB = 256, SLACK_MS = 5_000;
/** A sandbox's start-up (Node, the bundle, the plug-in) counts against its first job, loosely. */
const STARTUP_MS = 15_000;

export interface SandboxRequest {
  plugins: { file: string; code: string }[];
  programs: string[]; // base64 ELF images
  jobs: (Omit<RunJob, "elf"> & { program: number })[];
}

/** dist/sysemu.cjs, which the sandbox runs (bin/sysemu passes its path as __filename). */
function bundlePath(): string {
  const f = typeof __filename === "string" && __filename.endsWith(".cjs") ? __filename : resolve("dist/sysemu.cjs");
  if (!existsSync(f)) throw new Error(`the plug-in sandbox needs the built bundle (${f}): run npm run build`);
  return f;
}

/** Plug-ins are transformed here (TypeScript to JavaScript, one file each: no bundling, which would read files with the grader's rights). */
async function transformPlugin(file: string): Promise<string> {
  const text = readFileSync(file, "utf8");
  if (!/\.m?ts$/.test(file)) return text;
  const { transform } = await importESM<typeof import("esbuild")>("esbuild");
  return (await transform(text, { loader: "ts", format: "esm", target: "node20", sourcefile: file.split("/").pop() })).code;
}

export async function runInSandbox(pluginFiles: string[], jobs: RunJob[]): Promise<Observation[]> {
  const fail = (message: string) => jobs.map((): Observation => ({ stdout: "", stderr: "", status: 0, signal: null, stoppedBy: "exit", dmesg: [], calls: [], findings: [], denied: [], setupError: message }));
  let plugins;
  try {
    plugins = await Promise.all(pluginFiles.map(async (f) => ({ file: f.split("/").pop()!, code: await transformPlugin(f) })));
  } catch (e) {
    return fail(`the plug-in does not compile: ${(e as Error).message.split("\n").slice(0, 6).join("\n")}`);
  }
  const programs: string[] = [];
  const index = new Map<Uint8Array, number>();
  const req: SandboxRequest = {
    plugins,
    programs,
    jobs: jobs.map(({ elf, ...rest }) => {
      let p = -1;
      if (elf) {
        p = index.get(elf) ?? programs.push(Buffer.from(elf).toString("base64")) - 1;
        index.set(elf, p);
      }
      return { ...rest, program: p };
    }),
  };
  const out: Observation[] = [];
  const roots = [...new Set(jobs.map((j) => j.root))];
  // A sandbox that hangs or dies costs the job it was running; a fresh one takes the rest.
  while (out.length < jobs.length) {
    const from = out.length;
    const got = await spawnSandbox({ ...req, jobs: req.jobs.slice(from) }, roots, (i) => jobs[from + i]!.timeoutMs + SLACK_MS + (i === 0 ? STARTUP_MS : 0));
    if (got.loadError !== undefined) return fail(`the plug-in cannot be loaded: ${got.loadError}`).map((o) => ({ ...o, denied: got.denied }));
    out.push(...got.observations);
    if (got.error !== undefined && out.length < jobs.length) out.push({ ...fail(got.error)[0]! });
  }
  return out;
}

interface SandboxRun {
  observations: Observation[];
  /** Why the sandbox ended before the last job (that job's failure). */
  error?: string;
  loadError?: string;
  denied: string[];
}

function spawnSandbox(req: SandboxRequest, roots: string[], limitOf: (job: number) => number): Promise<SandboxRun> {
  const bundle = bundlePath();
  const bin = join(dirname(bundle), "..", "bin", "sysemu");
  const readable = [bin, join(dirname(bin), "package.json"), bundle, `${bundle}.other.cache`, ...roots];
  const args = [
    // one flag per path: Node 20 reads a comma in --allow-fs-read as part of the path
    "--experimental-permission", ...readable.map((p) => `--allow-fs-read=${p}`),
    `--max-old-space-size=${HEAP_MB}`, "--no-warnings", bin, "grade-sandbox",
  ];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { stdio: ["pipe", "ignore", "pipe", "pipe"], env: {}, cwd: roots[0] ?? "/" });
    const run: SandboxRun = { observations: [], denied: [] };
    let pending = "", err = "", timedOut = 0;
    let timer = setTimeout(() => {}, 0);
    const arm = () => {
      clearTimeout(timer);
      const ms = limitOf(run.observations.length);
      timer = setTimeout(() => { timedOut = ms; child.kill("SIGKILL"); }, ms);
    };
    arm();
    child.stdio[3]!.on("data", (b: Buffer) => {
      pending += b.toString();
      for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
        const line = JSON.parse(pending.slice(0, nl)) as SandboxLine;
        pending = pending.slice(nl + 1);
        if ("loadError" in line) Object.assign(run, { loadError: line.loadError, denied: line.denied });
        else run.observations.push(line);
        if (run.observations.length < req.jobs.length) arm();
      }
    });
    child.stderr!.on("data", (b: Buffer) => { if (err.length < 4000) err += b.toString(); });
    child.stdin!.on("error", () => {}); // a sandbox that died early: reported below
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (run.loadError !== undefined || run.observations.length >= req.jobs.length) return done(run);
      if (timedOut) run.error = `the test did not finish within ${Math.round(timedOut / 1000)} s (time limit): the plug-in's sandbox was stopped (an endless loop in the handler?)`;
      else {
        const oom = /heap out of memory|Allocation failed/.test(err);
        run.error = `the plug-in's sandbox ended during this test (${signal ? `killed by ${signal}` : `exit status ${code}`})${oom ? ": it ran out of memory (the sandbox's heap limit)" : err ? `: ${err.trim().split("\n").slice(-3).join(" ")}` : ""}`;
      }
      done(run);
    });
    child.stdin!.end(JSON.stringify(req));
  });
}

/** One line of the sandbox's fd 3: a job's observation, or why the plug-in would not load. */
export type SandboxLine = Observation | { loadError: string; denied: string[] };
