// What a student hands in, as a directory: a kernel patch (`*.patch`, `*.diff`: git
// format-patch or a plain unified diff), or a TypeScript/JavaScript plug-in (`*.ts`, `*.js`),
// user-space sources (`*.c`, `*.h`) and perhaps a README. Only the top level's regular files
// with plain names are read.

import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export interface Submission {
  name: string;
  dir: string;
  patches: { file: string; text: string }[];
  plugins: string[];
  userSources: { file: string; text: string }[];
  /** Headers beside the user sources (`#include "hello2.h"`). */
  userHeaders: { file: string; text: string }[];
}

/** A submission that cannot be read at all (not a directory). */
export class SubmissionError extends Error {}

export function readSubmission(dir: string): Submission {
  const abs = resolve(dir);
  let names: string[];
  try {
    if (!statSync(abs).isDirectory()) throw new SubmissionError(`${dir}: not a directory`);
    names = readdirSync(abs).sort();
  } catch (e) {
    if (e instanceof SubmissionError) throw e;
    throw new SubmissionError(`${dir}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const sub: Submission = { name: basename(abs), dir: abs, patches: [], plugins: [], userSources: [], userHeaders: [] };
  for (const n of names) {
    const p = join(abs, n);
    // regular files only: a symbolic link could point the grader at its own files
    if (!lstatSync(p).isFile() || !/^[\w.+-]+$/.test(n) || n.startsWith("-")) continue;
    if (/\.(patch|diff)$/.test(n)) sub.patches.push({ file: n, text: readFileSync(p, "utf8") });
    else if (/\.(ts|mts|js|mjs)$/.test(n)) sub.plugins.push(p);
    else if (/\.c$/.test(n)) sub.userSources.push({ file: n, text: readFileSync(p, "utf8") });
    else if (/\.h$/.test(n)) sub.userHeaders.push({ file: n, text: readFileSync(p, "utf8") });
  }
  return sub;
}

/** Every subdirectory of `dir`, sorted, as submissions (for --submissions). */
export function listSubmissions(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new SubmissionError(`${dir}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return names.map((n) => join(dir, n)).filter((p) => statSync(p).isDirectory());
}
