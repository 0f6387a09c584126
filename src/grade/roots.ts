// Each test's guest root: a directory holding the test's `files` and nothing else, mounted
// read-only, so that neither a test program nor the student's own one can see the grader's
// files (the spec, other students' work). Made once per process, removed at its exit.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Spec } from "./spec.ts";

let base: string | null = null;
const made = new Map<string, string>();

function baseDir(): string {
  if (base === null) {
    base = mkdtempSync(join(tmpdir(), "sysemu-grade-"));
    const dir = base;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return base;
}

/** The root directory for test `i` of `spec`. */
export function testRoot(spec: Spec, i: number): string {
  const files = spec.tests[i]!.files;
  const key = Object.keys(files).length === 0 ? "empty" : `${spec.file}#${i}`;
  let dir = made.get(key);
  if (dir) return dir;
  dir = join(baseDir(), key === "empty" ? "empty" : `t${made.size}`);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  made.set(key, dir);
  return dir;
}
