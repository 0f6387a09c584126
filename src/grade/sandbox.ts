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
import type { Spec } from "./spec.ts";
import { importESM } from "../util/import-esm.ts";

// node:child_process itself, not the bundle's lazy stand-in (tools/lazy-child-process.cjs), whose
// proxy has no named exports.
const { spawn } = process.getBuiltinModule("node:child_process");

/** The sandbox's heap (MiB) and how long it may take beyond the tests' own time limits. */
const HEAP_MB = 256, SLACK_MS = 15_000;

export interface SandboxRequest {
  plugins: { file: string; code: string }[];
  programs: string[]; // base64 ELF images
  jobs: (Omit<RunJob, "elf"> & { program: number })[];
}

export interface SandboxReply {
  observations: Observation[];
  /** A plug-in that could not be loaded. */
  loadError?: string;
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

export async function runInSandbox(pluginFiles: string[], jobs: RunJob[], spec: Spec): Promise<Observation[]> {
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
  const limitMs = jobs.reduce((a, j) => a + j.timeoutMs, 0) + SLACK_MS;
  const reply = await spawnSandbox(req, [...new Set(jobs.map((j) => j.root))], limitMs);
  if ("error" in reply) return fail(reply.error);
  if (reply.loadError) return fail(`the plug-in cannot be loaded: ${reply.loadError}`).map((o) => ({ ...o, denied: reply.observations[0]?.denied ?? [] }));
  void spec;
  return reply.observations;
}

function spawnSandbox(req: SandboxRequest, roots: string[], limitMs: number): Promise<SandboxReply | { error: string }> {
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
    const out: Buffer[] = [];
    let err = "";
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, limitMs);
    child.stdio[3]!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => { if (err.length < 4000) err += b.toString(); });
    child.stdin!.on("error", () => {}); // a sandbox that died early: reported below
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return done({ error: `the plug-in's sandbox was stopped after ${Math.round(limitMs / 1000)} s (time limit)` });
      try {
        return done(JSON.parse(Buffer.concat(out).toString()) as SandboxReply);
      } catch {
        const why = signal ? `killed by ${signal}` : `exit status ${code}`;
        const oom = /heap out of memory|Allocation failed/.test(err) ? ": it ran out of memory (heap limit)" : "";
        return done({ error: `the plug-in's sandbox ended without a result (${why})${oom}${err && !oom ? `: ${err.trim().split("\n").slice(-3).join(" ")}` : ""}` });
      }
    });
    child.stdin!.end(JSON.stringify(req));
  });
}
