// Reading the guest program from the host and turning loader failures into CLI errors. Shared
// by every command that execs something (run, auxv, stack).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ElfError } from "../elf/error.ts";
import type { KernelRandom } from "../kernel/random.ts";
import { ExecError, execElf, type ExecResult } from "../loader/exec.ts";
import { StackError } from "../loader/stack.ts";
import type { MM } from "../mm/mm.ts";
import { CliError, EXIT_CANNOT_EXEC } from "../util/errors.ts";
import { readProgram } from "../util/read-program.ts";
import { loaderFor, elfMachine } from "./frontend.ts";
import type { LoaderArch } from "../loader/arch/types.ts";
import { EM_RISCV, EM_X86_64 } from "../elf/constants.ts";

export interface ExecOptions {
  sysroot?: string;
  /** --root: the guest's / (the interpreter is looked for there unless --sysroot says otherwise). */
  root?: string;
  env?: string[];
  unset?: string[];
  clearEnv?: boolean;
  aslr?: boolean;
  uid?: number;
  gid?: number;
}


/** The guest environment: the host's (as qemu-user passes it), edited by --clear-env/--unset/--env. */
export function guestEnvironment(opts: ExecOptions): string[] {
  const env = new Map<string, string>();
  if (!opts.clearEnv) for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env.set(k, v);
  for (const k of opts.unset ?? []) env.delete(k);
  for (const kv of opts.env ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new CliError(null, `--env expects K=V, got '${kv}'`, 2);
    env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** Reads `prog` and execs it for the architecture its e_machine names (see execProgramFor). */
export async function execProgram(prog: string, args: string[], opts: ExecOptions, random: KernelRandom): Promise<ExecResult> {
  const file = readProgram(prog);
  return execProgramFor(prog, file, await loaderFor(file), args, opts, random);
}

/** Execs `prog` (its bytes `file`) with `args` into a new address space, turning every failure into a CliError. */
export function execProgramFor(prog: string, file: Uint8Array, arch: LoaderArch, args: string[], opts: ExecOptions, random: KernelRandom): ExecResult {
  const machine = elfMachine(file);
  if (machine !== null && machine !== EM_RISCV && machine !== EM_X86_64) {
    throw new CliError(prog, `not a riscv64 or x86-64 program (e_machine ${machine})`, EXIT_CANNOT_EXEC);
  }
  const enc = new TextEncoder();
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const gid = opts.gid ?? process.getgid?.() ?? 0;
  try {
    return execElf({
      file,
      path: prog,
      argv: [prog, ...args].map((s) => enc.encode(s)),
      envp: guestEnvironment(opts).map((s) => enc.encode(s)),
      creds: { uid, euid: uid, gid, egid: gid, secure: false },
      random,
      aslr: opts.aslr ?? false,
      readInterp: (path) => readInterpreter(path, opts.sysroot, opts.root, prog, arch),
      arch,
    });
  } catch (e) {
    if (e instanceof ElfError) throw new CliError(prog, `not a valid ${arch.name} ELF program: ${e.message}`, EXIT_CANNOT_EXEC);
    if (e instanceof ExecError) throw new CliError(prog, e.message, EXIT_CANNOT_EXEC);
    if (e instanceof StackError) throw new CliError(prog, `Argument list too long (${e.message})`, EXIT_CANNOT_EXEC);
    throw e;
  }
}

function readInterpreter(path: string, sysroot: string | undefined, root: string | undefined, prog: string, arch: LoaderArch): Uint8Array {
  // The guest's PT_INTERP path names a file of the guest's file system: below --sysroot when
  // given (qemu's -L), else below --root, else the host's own.
  const base = sysroot ?? root;
  const host = base ? join(base, path) : path;
  try {
    return readFileSync(host);
  } catch {
    const example = arch.name === "x86_64" ? "/ for the host's own" : "/usr/riscv64-linux-gnu";
    const hint = sysroot ? `not found under --sysroot ${sysroot}` : `not found (a dynamically linked program needs --sysroot DIR, e.g. ${example})`;
    throw new CliError(prog, `cannot load interpreter ${path}: ${hint}`, EXIT_CANNOT_EXEC);
  }
}

/** The NUL-terminated string at `addr` in `mm` (null when unmapped or longer than 4 KiB). */
export function guestString(mm: MM, addr: bigint): string | null {
  const out: number[] = [];
  for (let a = Number(addr); out.length < 4096; a++) {
    const v = mm.findVma(a) ? mm.peek(a, 1)[0]! : -1;
    if (v <= 0) return v === 0 ? Buffer.from(out).toString("utf8") : null;
    out.push(v);
  }
  return null;
}
