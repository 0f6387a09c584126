// The student's own user-space program: every top-level *.c of the submission, compiled by the
// grader for the assignment's architecture. Built once per distinct source text (a cache keyed by
// the sources and flags), so grading a hundred copies of one submission compiles once.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { threadId } from "node:worker_threads";
import { join } from "node:path";
import type { Submission } from "./submission.ts";

// node:child_process itself, not the bundle's lazy stand-in (tools/lazy-child-process.cjs), whose
// proxy has no named exports.
const { spawnSync } = process.getBuiltinModule("node:child_process");

export const CROSS_CC = "riscv64-linux-gnu-gcc";

/** The built program, or the compiler's message. */
export type UserBuild = { ok: true; elf: Uint8Array; name: string } | { ok: false; message: string };

const memo = new Map<string, UserBuild>();

export function buildUserProgram(sub: Submission, cflags: string[], cacheDir: string): UserBuild {
  if (sub.userSources.length === 0) return { ok: false, message: "the submission has no user-space program (a *.c file that calls the system call with syscall(2))" };
  const reach = reachesOut(sub);
  if (reach) return { ok: false, message: `the user-space program may include only its own headers and the system's: ${reach}` };
  const h = createHash("sha256").update(JSON.stringify([CROSS_CC, cflags, sub.userSources, sub.userHeaders])).digest("hex").slice(0, 24);
  const hit = memo.get(h);
  if (hit) return hit;
  const name = sub.userSources[0]!.file.replace(/\.c$/, "");
  const dir = join(cacheDir, "user");
  const out = join(dir, h);
  let result: UserBuild;
  if (existsSync(out)) {
    result = { ok: true, elf: readFileSync(out), name };
  } else {
    mkdirSync(dir, { recursive: true });
    // worker threads share a pid: the thread id keeps parallel builds of one source apart
    const tmp = `${out}.${process.pid}.${threadId}.tmp`;
    // compiled from copies in a directory of their own: gcc sees nothing else of the submission
    const src = mkdtempSync(join(tmpdir(), "sysemu-cc-"));
    for (const f of [...sub.userSources, ...sub.userHeaders]) writeFileSync(join(src, f.file), f.text);
    const r = spawnSync(CROSS_CC, [...cflags, "-pthread", "-o", tmp, ...sub.userSources.map((s) => `./${s.file}`)], { cwd: src, encoding: "utf8", timeout: 120_000 });
    rmSync(src, { recursive: true, force: true });
    if (r.error) {
      result = { ok: false, message: `cannot compile the user-space program: ${CROSS_CC} is not installed (${(r.error as NodeJS.ErrnoException).code})` };
    } else if (r.status !== 0) {
      rmSync(tmp, { force: true });
      result = { ok: false, message: `the user-space program does not compile:\n${r.stderr.replaceAll(src + "/", "").replaceAll("./", "").trim().split("\n").slice(0, 20).join("\n")}` };
    } else {
      renameSync(tmp, out); // atomic: a parallel worker compiling the same text reads a whole file
      result = { ok: true, elf: readFileSync(out), name };
    }
  }
  memo.set(h, result);
  return result;
}

/**
 * The compiler runs with the grader's rights, so the source may not make it read other files:
 * an include by absolute path or through "..", or an assembler .incbin, would put the grader's
 * files into the program or into the error message the student reads.
 */
function reachesOut(sub: Submission): string | null {
  for (const f of [...sub.userSources, ...sub.userHeaders]) {
    const lines = f.text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (/^\s*#\s*(include|include_next|import|embed)\s*[<"]\s*(\/|[^>"]*\.\.)/.test(l) || /\.incbin|#\s*embed|__has_include\s*\(\s*[<"]\//.test(l)) return `${f.file}:${i + 1}: ${l.trim()}`;
    }
  }
  return null;
}
