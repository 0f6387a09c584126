// What a patch may make clang read. clang runs with the grader's rights, so a student's
// `#include "/etc/passwd"` (or an assembler `.incbin`) would put the grader's files into an
// error message or into the module, where the handler could copy them out to user space.
// A patch's paths stay inside its tree; its #include directives name headers in the usual
// forms; and the preprocessed text, which is what gets compiled, may come only from the tree
// and sysemu's headers, with no inline assembly.

import { KmodError } from "./compile-error.ts";

/** A path of the patch that would land outside its tree when written out. */
export function checkPath(path: string): void {
  if (path.startsWith("/") || path.split("/").some((s) => s === ".." || s === "") || /[\0\\]/.test(path)) {
    throw new KmodError(`${JSON.stringify(path)}: a patch's file names must stay inside the kernel tree`);
  }
}

/** #include lines: <a/b.h> or "a/b.h" with no absolute path or `..`; no computed includes. */
export function checkIncludes(path: string, text: string): void {
  const lines = text.split("\n");
  let line = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const mark = /^#line (\d+) /.exec(l);
    if (mark) {
      line = Number(mark[1]) - 1;
      continue;
    }
    line++;
    const m = /^\s*#\s*(include|include_next|import|embed)\b\s*(.*)$/.exec(l);
    if (!m) continue;
    const arg = m[2]!.replace(/\/\*.*?\*\/|\/\/.*$/g, "").trim();
    const name = /^<([^<>]+)>$|^"([^"]+)"$/.exec(arg);
    const where = `${path}:${line}`;
    if (!name) throw new KmodError(`${where}: #${m[1]} ${arg}: only #include <file.h> and #include "file.h" are supported`);
    const file = name[1] ?? name[2]!;
    if (file.startsWith("/") || file.split("/").includes("..")) throw new KmodError(`${where}: #${m[1]} ${arg}: a header must be found on the include path (no absolute paths, no ..)`);
  }
}

/**
 * The preprocessed text of a file: every line marker must name the tree (relative paths) or one
 * of `roots`; no asm statement may remain (nothing in the kernel API needs one).
 */
export function checkPreprocessed(path: string, text: string, roots: string[]): void {
  for (const m of text.matchAll(/^# \d+ "((?:[^"\\]|\\.)*)"/gm)) {
    const file = m[1]!.replace(/\\(.)/g, "$1");
    if (file.startsWith("<")) continue; // <built-in>, <command line>
    const ok = file.startsWith("/") ? roots.some((r) => file.startsWith(r + "/")) : !file.split("/").includes("..");
    if (!ok) throw new KmodError(`${path}: includes ${file}, which is outside the kernel tree and sysemu's headers`);
  }
  const code = text.replace(/^#.*$/gm, "").replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
  const asm = /\b(asm|__asm|__asm__)\b/.exec(code);
  if (asm) throw new KmodError(`${path}: inline assembly (${asm[1]}) is not supported in a student module`);
}
