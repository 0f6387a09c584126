// Reads what a student hands in for the kernel side of an assignment: a `git format-patch` mail
// or a plain unified diff (git diff, diff -u, with or without a/ b/ prefixes, CRLF line ends, a
// `-- ` signature after the last hunk), and finds in it the system calls it adds: the
// SYSCALL_DEFINEn handlers and the numbers syscall.tbl / unistd.h lines give them.
//
// New files are rebuilt whole from their hunks. A changed file is known only through its hunks,
// so its added lines are what can be compiled (a SYSCALL_DEFINE body added to kernel/sys.c);
// each run of them keeps its line number in the new file (for clang's messages).

export interface PatchFile {
  /** Path in the kernel tree, prefixes (a/, b/, linux-5.4/) removed. */
  path: string;
  /** A file the patch creates (--- /dev/null). */
  isNew: boolean;
  /** A file the patch removes (+++ /dev/null). */
  isDeleted: boolean;
  /** New files: the whole text. Changed files: added lines only, as runs with their new line numbers. */
  runs: { line: number; text: string[] }[];
}

export interface SyscallNumber {
  name: string;
  nr: number;
  /** "x86_64", "i386", "riscv64", "generic" (asm-generic, used by riscv64 and arm64), "arm", ... */
  arch: string;
  /** Where the number came from, for messages: "arch/x86/entry/syscalls/syscall_64.tbl:12". */
  where: string;
}

export interface Handler {
  name: string;
  nargs: number;
  /** The declared argument types, in order ("struct hello2_in __user *"). */
  types: string[];
  /** The file and line of SYSCALL_DEFINE. */
  file: string;
  line: number;
}

export class PatchError extends Error {}

/** Splits a patch into files. Throws PatchError when it holds no diff at all. */
export function parsePatch(text: string): PatchFile[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const files: PatchFile[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!(lines[i]!.startsWith("--- ") && lines[i + 1]?.startsWith("+++ "))) {
      i++;
      continue;
    }
    const oldPath = diffPath(lines[i]!.slice(4));
    const newPath = diffPath(lines[i + 1]!.slice(4));
    const file: PatchFile = {
      path: cleanPath(newPath === "/dev/null" ? oldPath : newPath),
      isNew: oldPath === "/dev/null",
      isDeleted: newPath === "/dev/null",
      runs: [],
    };
    i += 2;
    while (i < lines.length && lines[i]!.startsWith("@@")) i = readHunk(lines, i, file);
    files.push(file);
  }
  if (files.length === 0) throw new PatchError("no unified diff in it (expected lines '--- a/FILE', '+++ b/FILE', '@@ ... @@')");
  return mergeFiles(files);
}

/** The path of a ---/+++ line: up to a tab (diff -u puts the date there); quotes removed. */
function diffPath(s: string): string {
  let p = s.split("\t")[0]!.trimEnd();
  if (p.startsWith('"') && p.endsWith('"')) p = p.slice(1, -1);
  return p;
}

const TREE_TOPS = /^(arch|block|certs|crypto|Documentation|drivers|fs|include|init|io_uring|ipc|kernel|lib|mm|net|rust|samples|scripts|security|sound|tools|usr|virt)\//;

/** Removes the a/ b/ prefixes, or the tree's own directory (diff -u linux.orig/... linux/...). */
function cleanPath(p: string): string {
  if (TREE_TOPS.test(p)) return p;
  const slash = p.indexOf("/");
  if (slash > 0 && TREE_TOPS.test(p.slice(slash + 1))) return p.slice(slash + 1);
  if (/^[ab]\//.test(p)) return p.slice(2);
  return p;
}

/** Reads one hunk from lines[i] (its @@ line); returns the index after it. */
function readHunk(lines: string[], i: number, file: PatchFile): number {
  const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i]!);
  if (!m) return i + 1;
  let oldLeft = m[2] === undefined ? 1 : Number(m[2]);
  let newLeft = m[4] === undefined ? 1 : Number(m[4]);
  let line = Number(m[3]);
  let run: { line: number; text: string[] } | null = null;
  i++;
  while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
    const l = lines[i]!;
    const c = l[0];
    if (c === "\\") {
      i++; // "\ No newline at end of file"
      continue;
    }
    if (c === "+") {
      if (!run) file.runs.push((run = { line, text: [] }));
      run.text.push(l.slice(1));
      newLeft--;
      line++;
    } else if (c === "-") {
      oldLeft--;
    } else if (c === " " || l === "") {
      // a context line ("" when an editor stripped its one space)
      if (file.isNew) run?.text.push(l.slice(1));
      else run = null;
      oldLeft--;
      newLeft--;
      line++;
    } else {
      break; // the counts lied (a hand-edited patch): the hunk ends here
    }
    i++;
  }
  if (i < lines.length && lines[i] === "\\ No newline at end of file") i++;
  return i;
}

/** A file listed twice (two commits of one series touching it): the later hunks join the first. */
function mergeFiles(files: PatchFile[]): PatchFile[] {
  const byPath = new Map<string, PatchFile>();
  for (const f of files) {
    const seen = byPath.get(f.path);
    if (!seen) byPath.set(f.path, f);
    else if (f.isNew) byPath.set(f.path, f);
    else seen.runs.push(...f.runs);
  }
  return [...byPath.values()];
}

/** The text to compile for a file: whole for a new file; the added runs with #line markers otherwise. */
export function fileSource(f: PatchFile): string {
  if (f.isNew) return f.runs.map((r) => r.text.join("\n")).join("\n") + "\n";
  return f.runs.map((r) => `#line ${r.line} "${f.path}"\n${r.text.join("\n")}\n`).join("");
}

/** The SYSCALL_DEFINEn handlers in a source text. */
export function findHandlers(path: string, source: string): Handler[] {
  const out: Handler[] = [];
  const noComments = stripComments(source);
  const re = /\bSYSCALL_DEFINE([0-6])\s*\(\s*(\w+)\s*((?:,[^()]*(?:\([^()]*\)[^()]*)*)?)\)/g;
  for (let m = re.exec(noComments); m !== null; m = re.exec(noComments)) {
    const parts = m[3]!.split(",").slice(1).map((s) => s.trim());
    const types: string[] = [];
    for (let k = 0; k + 1 < parts.length; k += 2) types.push(parts[k]!.replace(/\s+/g, " "));
    out.push({ name: m[2]!, nargs: Number(m[1]), types, file: path, line: lineOf(noComments, m.index) });
  }
  return out;
}

/** Comments become spaces (newlines kept), so a commented-out SYSCALL_DEFINE is not a handler. */
function stripComments(s: string): string {
  return s.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, " "));
}

/** The line in the new file of an offset in fileSource()'s text (following #line markers). */
function lineOf(text: string, offset: number): number {
  let line = 1;
  let pos = 0;
  const re = /^#line (\d+) .*$/gm;
  for (let m = re.exec(text); m !== null && m.index < offset; m = re.exec(text)) {
    line = Number(m[1]);
    pos = m.index + m[0].length + 1;
  }
  for (let k = pos; k < offset; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/** Which architecture a syscall.tbl describes, and which of its ABIs count for it. */
function tblArch(path: string): { arch: string; abis: string[] } | null {
  if (/arch\/x86\/entry\/syscalls\/syscall_64\.tbl$/.test(path)) return { arch: "x86_64", abis: ["common", "64"] };
  if (/arch\/x86\/entry\/syscalls\/syscall_32\.tbl$/.test(path)) return { arch: "i386", abis: ["i386"] };
  if (/^scripts\/syscall\.tbl$/.test(path)) return { arch: "generic", abis: ["common", "64", "riscv", "rv64"] };
  const m = /^arch\/(\w+)\/.*syscall[^/]*\.tbl$/.exec(path);
  if (m) return { arch: m[1] === "riscv" ? "riscv64" : m[1]!, abis: [] };
  return null;
}

/** Numbers the patch gives system calls: syscall.tbl lines and unistd.h #define/__SYSCALL pairs. */
export function findNumbers(files: PatchFile[]): SyscallNumber[] {
  const out: SyscallNumber[] = [];
  for (const f of files) {
    const tbl = tblArch(f.path);
    for (const run of f.runs) {
      run.text.forEach((text, k) => {
        const where = `${f.path}:${run.line + k}`;
        if (tbl) {
          const m = /^\s*(\d+)\s+(\w+)\s+(\w+)(?:\s+(\S+))?/.exec(text);
          if (m && (tbl.abis.length === 0 || tbl.abis.includes(m[2]!))) out.push({ name: m[3]!, nr: Number(m[1]), arch: tbl.arch, where });
        } else if (/unistd[^/]*\.h$/.test(f.path)) {
          const m = /^\s*#\s*define\s+__NR(?:3264)?_(\w+)\s+(.+?)\s*(?:\/\*.*)?$/.exec(text);
          if (!m || m[1] === "syscalls" || m[1] === "arch_specific_syscall") return;
          const nr = evalNr(m[2]!, out);
          if (nr === null) return;
          const arch = f.path.includes("asm-generic") ? "generic" : /^arch\/riscv\//.test(f.path) ? "riscv64" : /^arch\/(\w+)\//.exec(f.path)?.[1] ?? "generic";
          out.push({ name: m[1]!.replace(/^riscv_/, ""), nr, arch, where });
        }
      });
    }
  }
  return out;
}

/** `451`, `(__NR_arch_specific_syscall + 15)`, `__NR_hello + 1`: the number, or null. */
function evalNr(expr: string, known: SyscallNumber[]): number | null {
  const e = expr.replace(/[()\s]/g, "");
  const m = /^(?:(\w+)\+)?(\d+)$/.exec(e);
  if (!m) return null;
  if (m[1] === undefined) return Number(m[2]);
  const base = m[1] === "__NR_arch_specific_syscall" ? 244 : known.find((k) => `__NR_${k.name}` === m[1])?.nr;
  return base === undefined ? null : base + Number(m[2]);
}

/** Whether a number found in the patch is the one `arch` uses. */
export function numberFits(n: SyscallNumber, arch: "riscv64" | "x86_64"): boolean {
  return arch === "x86_64" ? n.arch === "x86_64" : n.arch === "riscv64" || n.arch === "generic";
}
