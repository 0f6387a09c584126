// `sysemu grade SPEC --submission DIR | --submissions DIR`: grade one submission in this
// process, or many in parallel workers (pool.ts), and write the results in the format asked for.

import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CliError, EXIT_USAGE } from "../util/errors.ts";
import { gradeSubmission, type SubmissionResult } from "./grade.ts";
import { extensionOf, FORMATS, formatResult, summaryTable, type Format } from "./report.ts";
import { loadSpec, SpecError, type Spec } from "./spec.ts";
import { listSubmissions, SubmissionError } from "./submission.ts";

export interface GradeCommandOptions {
  submission?: string;
  submissions?: string;
  format: string;
  out?: string;
  seed?: number;
  jobs?: number;
  cache?: string;
}

export async function gradeCommand(specFile: string, opts: GradeCommandOptions): Promise<number> {
  if (!FORMATS.includes(opts.format as Format)) throw new CliError(null, `--format must be one of ${FORMATS.join(", ")}`, EXIT_USAGE);
  if ((opts.submission === undefined) === (opts.submissions === undefined)) throw new CliError(null, "give either --submission DIR or --submissions DIR", EXIT_USAGE);
  const format = opts.format as Format;
  const spec = specOrExit(specFile);
  const cacheDir = opts.cache ?? process.env.SYSEMU_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "sysemu");
  const gradeOpts = { seed: opts.seed, cacheDir };
  try {
    if (opts.submission !== undefined) {
      const r = await gradeSubmission(spec, opts.submission, gradeOpts);
      const text = formatResult(r, format);
      if (opts.out) writeOut(opts.out, text);
      else process.stdout.write(text);
      return 0;
    }
    const dirs = listSubmissions(opts.submissions!);
    if (dirs.length === 0) throw new CliError(null, `${opts.submissions}: no submission directories in it`, EXIT_USAGE);
    const { gradeMany } = await import("./pool.ts");
    const results = await gradeMany(spec.file, dirs, gradeOpts, opts.jobs);
    if (opts.out) {
      mkdirSync(opts.out, { recursive: true });
      for (const r of results) writeOut(join(opts.out, `${r.submission}.${extensionOf(format)}`), formatResult(r, format));
    }
    process.stdout.write(summaryTable(results));
    return 0;
  } catch (e) {
    if (e instanceof SubmissionError) throw new CliError(null, e.message, EXIT_USAGE);
    throw e;
  }
}

function specOrExit(file: string): Spec {
  try {
    return loadSpec(file);
  } catch (e) {
    if (e instanceof SpecError) throw new CliError(null, e.message, EXIT_USAGE);
    throw e;
  }
}

function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new CliError(null, `--out ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT_USAGE);
  }
}

export type { SubmissionResult };
