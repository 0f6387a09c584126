// --submissions: grading many submissions in parallel worker threads (--jobs N, default one per
// core). Each worker loads the spec itself and keeps what one submission's grading can leave
// for the next (parsed programs, compiled patches and user programs, warm code); submissions
// are handed out one at a time, so a slow one does not hold back a queue. A progress bar is
// drawn on stderr when it is a terminal, never otherwise.

import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { parentPort, Worker, workerData } from "node:worker_threads";
import { gradeSubmission, type GradeOptions, type SubmissionResult } from "./grade.ts";
import { loadSpec } from "./spec.ts";

interface WorkerInit {
  specFile: string;
  opts: GradeOptions;
}

type ToWorker = { dir: string; index: number } | { done: true };
type FromWorker = { index: number; result?: SubmissionResult; error?: string };

/** bin/sysemu, which starts the bundle in a worker as in the main thread. */
function binPath(): string {
  const bundle = typeof __filename === "string" && __filename.endsWith(".cjs") ? __filename : join(process.cwd(), "dist", "sysemu.cjs");
  return join(dirname(bundle), "..", "bin", "sysemu");
}

export async function gradeMany(specFile: string, dirs: string[], opts: GradeOptions, jobs?: number): Promise<SubmissionResult[]> {
  const n = Math.max(1, Math.min(jobs ?? availableParallelism(), dirs.length));
  const results: (SubmissionResult | undefined)[] = new Array(dirs.length);
  const bar = process.stderr.isTTY ? progressBar(dirs.length) : null;
  let next = 0, finished = 0;
  const record = (index: number, r: SubmissionResult) => {
    results[index] = r;
    bar?.(++finished);
  };
  // A worker that dies (a bug in the grader) costs the submission it had; a new one goes on.
  const runWorker = (): Promise<void> => new Promise<void>((resolveWorker) => {
    const w = new Worker(binPath(), { argv: ["grade-worker"], workerData: { specFile, opts } satisfies WorkerInit, stdout: false, stderr: false });
    let current = -1;
    const feed = () => {
      current = next < dirs.length ? next++ : -1;
      w.postMessage(current >= 0 ? { dir: dirs[current]!, index: current } : { done: true } satisfies ToWorker);
    };
    w.on("message", (m: FromWorker) => {
      record(m.index, m.result ?? failedResult(dirs[m.index]!, m.error ?? "unknown error"));
      feed();
    });
    w.on("error", (e) => {
      if (current >= 0) record(current, failedResult(dirs[current]!, e.message));
      current = -1;
    });
    w.on("exit", () => resolveWorker(next < dirs.length ? runWorker() : undefined));
    feed();
  });
  await Promise.all(Array.from({ length: n }, runWorker));
  if (bar) process.stderr.write("\n");
  return results as SubmissionResult[];
}

/** A submission whose grading itself failed (a bug in the grader, not the student's fault): no points, said plainly. */
function failedResult(dir: string, error: string): SubmissionResult {
  return { submission: dir.split("/").pop()!, score: 0, max_score: 0, execution_time: 0, output: `grading failed: ${error}`, stdout_visibility: "visible", tests: [] };
}

function progressBar(total: number): (done: number) => void {
  const width = 30;
  return (done) => {
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\rgrading [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
  };
}

/** The worker's side: grade what the main thread sends until it says done. */
export async function workerMain(): Promise<number> {
  const init = workerData as WorkerInit;
  const spec = loadSpec(init.specFile);
  const port = parentPort!;
  await new Promise<void>((done) => {
    port.on("message", async (m: ToWorker) => {
      if ("done" in m) return done();
      try {
        port.postMessage({ index: m.index, result: await gradeSubmission(spec, m.dir, init.opts) } satisfies FromWorker);
      } catch (e) {
        port.postMessage({ index: m.index, error: (e as Error).message } satisfies FromWorker);
      }
    });
  });
  port.close();
  return 0;
}
