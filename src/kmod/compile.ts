// Builds a student's kernel patch into a WebAssembly module: the handler files the patch adds
// or changes, compiled unchanged with clang against sysemu's kernel headers (include/) and
// libk.c, for wasm64 (LP64 like the real kernel: pointers, long and size_t are 64-bit, so user
// structs have their user-space layout). The only imports the module may have are the kernel
// functions of imports-list.ts. A build is cached by a hash of everything that goes into it.

import { createHash } from "node:crypto";
import childProcess from "node:child_process"; // default import: the bundle loads it lazily (tools/lazy-child-process.cjs)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { setFlagsFromString } from "node:v8";
import { dirname, join, posix } from "node:path";
import { WA } from "../wasm/webassembly.ts";
import { KmodError } from "./compile-error.ts";
import { checkIncludes, checkPath, checkPreprocessed } from "./confine.ts";
import { KMOD_IMPORT_HELP, KMOD_IMPORTS } from "./imports-list.ts";
import { fileSource, findHandlers, findNumbers, numberFits, parsePatch, PatchError, type Handler, type PatchFile } from "./patch.ts";

export interface KmodSyscall {
  name: string;
  nr: number;
  nargs: number;
  /** The declared argument types ("struct hello2_in __user *"), for strace. */
  types?: string[];
}

export interface CompiledKmod {
  syscalls: KmodSyscall[];
  wasm: Uint8Array;
  warnings: string[];
}

export interface CompileOptions {
  arch: "riscv64" | "x86_64";
  /** Numbers for handlers the patch gives none for on `arch` (the spec's). */
  fallbackNumbers?: Record<string, number>;
  /** Where builds are cached (default ~/.cache/sysemu/kmod; "" for no disk cache). */
  cacheDir?: string;
}

export { KmodError };

const CFLAGS = [
  "--target=wasm64-unknown-unknown", "-mmutable-globals", "-O2", "-std=gnu11", "-ffreestanding", "-nostdlib", "-fno-builtin",
  "-fstack-protector-strong", "-fno-strict-aliasing", "-fwrapv", "-D__KERNEL__", "-Wall", "-Wno-unused-function",
  "-Wno-unused-variable", "-Wno-visibility", "-Wno-gnu-variable-sized-type-not-at-end", "-fno-color-diagnostics", "-ferror-limit=5",
];
const LDFLAGS = ["-Wl,--no-entry", "-Wl,--stack-first", "-Wl,-z,stack-size=65536", "-Wl,--export=__stack_pointer"];
/** The module's stack (-z stack-size), at the bottom of its memory (--stack-first): an overflow traps. */
export const STACK_SIZE = 65536;

const memo = new Map<string, CompiledKmod>();

/** Compiles the handlers a patch adds; throws KmodError when it does not build. */
export async function compileKernelPatch(patchText: string, opts: CompileOptions): Promise<CompiledKmod> {
  let files: PatchFile[];
  try {
    files = parsePatch(patchText);
  } catch (e) {
    if (e instanceof PatchError) throw new KmodError(`not a patch: ${e.message}`);
    throw e;
  }
  const sources = files.filter(isKernelSource);
  const handlers = sources.flatMap((f) => findHandlers(f.path, fileSource(f)));
  if (handlers.length === 0) throw new KmodError("the patch adds no system call: no SYSCALL_DEFINE0..6(name, ...) in a new or changed .c file");
  const dup = handlers.find((h, i) => handlers.findIndex((o) => o.name === h.name) !== i);
  if (dup) throw new KmodError(`${dup.file}:${dup.line}: sys_${dup.name} is defined twice`);
  const warnings: string[] = [];
  const syscalls = handlers.map((h) => numberHandler(h, files, opts, warnings));

  const tree = buildTree(files, sources);
  const key = hashBuild(tree);
  const cached = memo.get(key) ?? readCache(opts.cacheDir, key);
  if (cached) return { ...cached, syscalls, warnings: [...warnings, ...cached.warnings] };
  const built = await build(tree, sources, handlers);
  memo.set(key, built);
  writeCache(opts.cacheDir, key, built);
  return { ...built, syscalls, warnings: [...warnings, ...built.warnings] };
}

/** .c files that are kernel code: not user-space programs or tools that travel in the patch. */
function isKernelSource(f: PatchFile): boolean {
  if (f.isDeleted || !f.path.endsWith(".c")) return false;
  const text = fileSource(f);
  if (/\bSYSCALL_DEFINE[0-6]\s*\(/.test(text)) return true;
  if (!f.isNew || /^(tools|samples|Documentation|scripts|usr)\//.test(f.path)) return false;
  return !/\bint\s+main\s*\(/.test(text) && !/#\s*include\s*<stdio\.h>/.test(text);
}

function numberHandler(h: Handler, files: PatchFile[], opts: CompileOptions, warnings: string[]): KmodSyscall {
  const found = findNumbers(files).filter((n) => n.name === h.name);
  const mine = found.find((n) => numberFits(n, opts.arch));
  const base = { name: h.name, nargs: h.nargs, types: h.types };
  if (mine) return { ...base, nr: mine.nr };
  const fallback = opts.fallbackNumbers?.[h.name];
  if (fallback !== undefined) return { ...base, nr: fallback };
  const other = found[0];
  if (other) {
    warnings.push(`sys_${h.name}: no number for ${opts.arch} in the patch; using ${other.nr} from ${other.where}`);
    return { ...base, nr: other.nr };
  }
  const hint = opts.arch === "x86_64" ? "a line in arch/x86/entry/syscalls/syscall_64.tbl" : "#define __NR_" + h.name + " N and __SYSCALL(__NR_" + h.name + ", sys_" + h.name + ") in include/uapi/asm-generic/unistd.h";
  throw new KmodError(`${h.file}:${h.line}: sys_${h.name} has no system call number for ${opts.arch}: add ${hint}`);
}

interface Tree {
  /** path in the kernel tree → text */
  files: Map<string, string>;
}

/** The files clang sees: new files whole, changed sources as their added runs, changed headers as an overlay. */
function buildTree(files: PatchFile[], sources: PatchFile[]): Tree {
  const out = new Map<string, string>();
  for (const f of files) {
    if (f.isDeleted) continue;
    checkPath(f.path);
    if (sources.includes(f) || f.path.endsWith(".h")) checkIncludes(f.path, fileSource(f));
    if (sources.includes(f)) {
      out.set(f.path, f.isNew ? fileSource(f) : changedPrelude + fileSource(f));
    } else if (f.path.endsWith(".h")) {
      // a changed header: ours first (#include_next), then what the patch added to it
      out.set(f.path, f.isNew ? fileSource(f) : `#pragma once\n#include_next <${headerName(f.path)}>\n${fileSource(f)}`);
    }
  }
  return { files: out };
}

/** A changed .c file's added lines need what the file's own #includes (not in the hunks) gave. */
const changedPrelude = "#include <linux/syscalls.h>\n";

/** include/linux/x.h → linux/x.h; include/uapi/linux/x.h → linux/x.h; other paths stay. */
function headerName(path: string): string {
  return path.replace(/^include\/(uapi\/)?/, "").replace(/^arch\/\w+\/include\/(uapi\/)?/, "");
}

let headersHash: string | null = null;

/** The directory holding include/ and libk.c (src/kmod in a checkout, next to dist/ when bundled). */
export function kmodDir(): string {
  const here = typeof __dirname === "string" ? __dirname : process.cwd();
  for (const d of [here, join(here, "..", "src", "kmod"), join(process.cwd(), "src", "kmod")]) {
    if (existsSync(join(d, "include", "linux", "syscalls.h"))) return d;
  }
  throw new KmodError("sysemu's kernel headers (src/kmod/include) are missing from this installation");
}

function hashBuild(tree: Tree): string {
  if (headersHash === null) {
    const h = createHash("sha256");
    const walk = (d: string): void => {
      for (const e of readdirSync(d).sort()) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(h|c)$/.test(e)) h.update(p.slice(kmodDir().length)).update(readFileSync(p));
      }
    };
    walk(kmodDir());
    headersHash = h.digest("hex");
  }
  const h = createHash("sha256").update(headersHash).update(JSON.stringify([CFLAGS, LDFLAGS, KMOD_IMPORTS]));
  for (const [p, text] of [...tree.files].sort()) h.update(`\0${p}\0${text}`);
  return h.digest("hex").slice(0, 32);
}

async function build(tree: Tree, sources: PatchFile[], handlers: Handler[]): Promise<CompiledKmod> {
  const work = mkdtempSync(join(tmpdir(), "sysemu-kmod-"));
  try {
    mkdirSync(join(work, "tree", "include"), { recursive: true });
    for (const [p, text] of tree.files) {
      const dst = join(work, "tree", p);
      mkdirSync(dirname(dst), { recursive: true });
      writeFileSync(dst, text);
    }
    const allow = join(work, "kernel-api.syms");
    writeFileSync(allow, KMOD_IMPORTS.join("\n") + "\n");
    const inc = join(kmodDir(), "include");
    const includes = [
      "-I", join(work, "tree", "include"), "-I", join(work, "tree", "include", "uapi"), "-I", inc, "-I", join(inc, "uapi"),
      "-include", "linux/kconfig.h", "-include", "linux/compiler_types.h",
    ];
    // each file is compiled with its own KBUILD_MODNAME, as Kbuild does: so one clang per file.
    // A student file is preprocessed first, and what it includes is checked (confine.ts).
    const roots = [inc, await resourceDir(), join(work, "tree")];
    const objs: string[] = [];
    const warnings: string[] = [];
    for (const f of [...sources.map((s) => s.path), null]) {
      const obj = join(work, `${objs.length}.o`);
      const mod = f === null ? "libk" : posix.basename(f, ".c").replace(/-/g, "_");
      const defs = [`-DKBUILD_MODNAME="${mod}"`, `-fmacro-prefix-map=${kmodDir()}/=sysemu/`];
      const input = f === null ? join(kmodDir(), "libk.c") : f;
      const cflags = [...CFLAGS, ...defs];
      if (f !== null) {
        const pre = join(work, `${objs.length}.i`);
        const e = await run([...cflags, ...includes, "-E", input, "-o", pre], join(work, "tree"));
        if (e.code !== 0) throw new KmodError(clangErrors(e.stderr, work));
        checkPreprocessed(f, readFileSync(pre, "utf8"), roots);
      }
      // the source itself, not the .i, so that diagnostics keep macro columns and notes: with the
      // same flags and files it includes what the check saw
      const r = await run([...cflags, ...includes, "-c", input, "-o", obj], join(work, "tree"));
      if (r.code !== 0) throw new KmodError(clangErrors(r.stderr, work));
      warnings.push(...clangWarnings(r.stderr, work));
      objs.push(obj);
    }
    const link = await run([CFLAGS[0]!, "-nostdlib", ...LDFLAGS, `-Wl,--allow-undefined-file=${allow}`, "-o", join(work, "kmod.wasm"), ...objs], work);
    if (link.code !== 0) throw new KmodError(linkErrors(link.stderr, work, sources));
    const wasm = new Uint8Array(readFileSync(join(work, "kmod.wasm")));
    checkModule(wasm, handlers);
    return { syscalls: [], wasm, warnings };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function run(args: string[], cwd: string): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    // no stdin: nothing a patch names may make clang wait for input
    const p = childProcess.spawn("clang", args, { cwd, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on("data", (b: Buffer) => out.push(b));
    p.stderr.on("data", (b: Buffer) => err.length < 4096 && err.push(b));
    p.on("error", (e: NodeJS.ErrnoException) => {
      reject(e.code === "ENOENT" ? new KmodError("clang is not installed: kernel patches are compiled with clang and lld (Debian: apt-get install clang lld)") : e);
    });
    p.on("close", (code, signal) => {
      const stderr = Buffer.concat(err).toString() + (signal ? `\nclang: stopped by ${signal} (took longer than 120 s)\n` : "");
      resolve({ code: code ?? 1, stderr, stdout: Buffer.concat(out).toString() });
    });
  });
}

let resource: string | null = null;

/** clang's own headers (stdarg.h, stddef.h): the one directory outside src/kmod a module may include from. */
async function resourceDir(): Promise<string> {
  resource ??= (await run(["-print-resource-dir"], tmpdir())).stdout.trim();
  return resource;
}

/** clang's first errors, each with its source line and caret, paths relative to the kernel tree. */
function clangErrors(stderr: string, work: string): string {
  const lines = relPaths(stderr, work).split("\n");
  const out: string[] = [];
  let errors = 0;
  for (let i = 0; i < lines.length && errors < 3; i++) {
    if (!/^\S+:\d+:\d+: (fatal )?error: /.test(lines[i]!)) continue;
    errors++;
    out.push(lines[i]!);
    for (let k = i + 1; k < lines.length && k <= i + 2 && !/^\S+:\d+:\d+: /.test(lines[k]!) && !/^\d+ (errors?|warnings?) /.test(lines[k]!); k++) out.push(lines[k]!);
  }
  const total = /(\d+) errors? generated/.exec(stderr)?.[1];
  if (out.length === 0) return `the patch does not compile:\n${lines.filter((l) => l.trim()).slice(0, 6).join("\n")}`;
  return `the patch does not compile (${total ?? errors} error${(total ?? String(errors)) === "1" ? "" : "s"}):\n${out.join("\n")}`;
}

function clangWarnings(stderr: string, work: string): string[] {
  return relPaths(stderr, work).split("\n").filter((l) => /^\S+:\d+:\d+: warning: /.test(l) && !l.startsWith("libk") && !l.includes("src/kmod/"));
}

/** A link error is almost always a function or variable that the kernel API does not have. */
function linkErrors(stderr: string, work: string, sources: PatchFile[]): string {
  const missing = [...new Set([...stderr.matchAll(/undefined symbol: (\S+)/g)].map((m) => m[1]!))];
  if (missing.length === 0) return `the patch does not link:\n${relPaths(stderr, work).trim().split("\n").slice(0, 4).join("\n")}`;
  const where = (name: string): string => {
    for (const f of sources) {
      const idx = fileSource(f).split("\n").findIndex((l) => new RegExp(`\\b${name}\\b`).test(l));
      if (idx >= 0) return `${f.path}: `;
    }
    return "";
  };
  return missing
    .map((n) => `${where(n)}${n} is not a kernel function or variable sysemu provides (a student module can use: ${KMOD_IMPORT_HELP}, and the string, kmalloc and atomic helpers of its headers)`)
    .join("\n");
}

function relPaths(s: string, work: string): string {
  return s.split(join(work, "tree") + "/").join("").split(work + "/").join("").split(kmodDir() + "/").join("src/kmod/");
}

/** Defense in depth: the linker already refused other imports; the loader trusts only this list. */
export function checkModule(wasm: Uint8Array, handlers: { name: string }[]): void {
  enableMemory64();
  const mod = new WA.Module(wasm);
  const allowed = new Set<string>(KMOD_IMPORTS);
  for (const imp of WA.Module.imports(mod)) {
    if (imp.module !== "env" || imp.kind !== "function" || !allowed.has(imp.name)) throw new KmodError(`the module imports ${imp.module}.${imp.name} (${imp.kind}), which is not part of the kernel API`);
  }
  const exports = new Set(WA.Module.exports(mod).map((e) => e.name));
  for (const h of handlers) if (!exports.has(`__se_sys_${h.name}`)) throw new KmodError(`sys_${h.name}: its entry __se_sys_${h.name} is missing from the module (is SYSCALL_DEFINE inside #if 0?)`);
}

let memory64 = false;

/** Node 20 runs memory64 modules behind a V8 flag, which can be set at run time before compiling one. */
export function enableMemory64(): void {
  if (memory64) return;
  setFlagsFromString("--experimental-wasm-memory64");
  memory64 = true;
}

function cacheRoot(dir: string | undefined): string | null {
  if (dir === "") return null;
  return dir ?? join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "sysemu", "kmod");
}

function readCache(dir: string | undefined, key: string): CompiledKmod | null {
  const root = cacheRoot(dir);
  if (!root) return null;
  try {
    const meta = JSON.parse(readFileSync(join(root, `${key}.json`), "utf8")) as { warnings: string[] };
    const wasm = new Uint8Array(readFileSync(join(root, `${key}.wasm`)));
    const built = { syscalls: [], wasm, warnings: meta.warnings };
    memo.set(key, built);
    return built;
  } catch {
    return null;
  }
}

function writeCache(dir: string | undefined, key: string, built: CompiledKmod): void {
  const root = cacheRoot(dir);
  if (!root) return;
  try {
    mkdirSync(root, { recursive: true });
    const tmp = `${join(root, key)}.${process.pid}`;
    writeFileSync(`${tmp}.wasm`, built.wasm);
    writeFileSync(`${tmp}.json`, JSON.stringify({ warnings: built.warnings }));
    renameSync(`${tmp}.wasm`, join(root, `${key}.wasm`)); // the .wasm first: a reader needs both
    renameSync(`${tmp}.json`, join(root, `${key}.json`));
  } catch {
    // a read-only cache directory: compile every time
  }
}
