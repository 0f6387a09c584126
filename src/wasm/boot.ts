// Booting the kernel for a wasm guest: the same Kernel, syscall table (built-ins, --no-hello,
// plug-ins), random source (--seed), strace, printk and standard files as an ELF run, and a
// task whose memory is the module's linear memory (memory.ts) and whose "registers" are a
// syscall frame (regs.ts). Shared by core modules (run.ts) and components (component/).
//
// Deliberately free of the ELF loader and the CPU: `sysemu run prog.wasm` loads neither.

import { closeSync, openSync, writeSync } from "node:fs";
import { FileTable, O_DIRECTORY, O_RDONLY, O_WRONLY } from "../kernel/fs/file.ts";
import { errnoText } from "../kernel/errno.ts";
import { hostOpenFile } from "../kernel/fs/hostfile.ts";
import { Kernel } from "../kernel/kernel.ts";
import { KERN_INFO } from "../kernel/printk.ts";
import { KernelRandom } from "../kernel/random.ts";
import { credFor, type Task } from "../kernel/proc/task.ts";
import { syscallsFor } from "../../syscalls/index.ts";
import type { SyscallTable } from "../kernel/syscall.ts";
import { CliError, EXIT_USAGE } from "../util/errors.ts";
import { riscv64Abi } from "../../syscalls/abi/riscv64/index.ts";
import { AT_FDCWD, KernelBridge } from "./bridge.ts";
import { WasmGuest, type TraceSink } from "./guest.ts";
import { WasmMM } from "./memory.ts";
import { WasiContext } from "./preview1/context.ts";
import { WasmRegs } from "./regs.ts";
import { wasmTable } from "./table.ts";

/** The `sysemu run` options a wasm guest uses (the ELF-only ones are ignored or warned about). */
export interface WasmRunOptions {
  env?: string[];
  unset?: string[];
  clearEnv?: boolean;
  uid?: number;
  gid?: number;
  sysroot?: string;
  /** --root DIR and --ro: the guest's "/" (the VFS's, as for ELF guests). */
  root?: string;
  ro?: boolean;
  seed?: number;
  strace?: boolean;
  straceTo?: string;
  maxInsns?: number;
  timeout?: number;
  stats?: boolean;
  dmesg?: boolean;
  /** Without `table`: CONFIG_HELLO_SYSCALL (false: --no-hello). */
  hello?: boolean;
  /**
   * The run's system call table, made by the caller (the CLI adds --syscalls plug-ins and
   * --kernel-patch calls: src/cli/table.ts); by default the built-in riscv64 one.
   */
  table?: SyscallTable;
  /** --dir DIR[:NAME] (repeatable): more preopened directories. */
  dir?: string[];
  /** The command line's run: a guest killed by a signal (a trap) kills sysemu too (src/util/signal-exit.ts). */
  dieOfSignal?: boolean;
}

/** What a metered guest has used: instructions executed, whether the budget ran out, time since instantiation. */
export interface WasmMeter {
  read(): { instructions: number; exhausted: boolean; wallMs: number };
}

/** A booted kernel with one wasm task, ready for a module or component to be attached. */
export interface WasmBoot {
  kernel: Kernel;
  task: Task;
  mm: WasmMM;
  regs: WasmRegs;
  guest: WasmGuest;
  wasi: WasiContext;
  /** Set when --timeout stopped the guest. */
  timedOut: boolean;
  /** --max-insns on a core module: its fuel (meter.ts), once instantiated. */
  meter: WasmMeter | null;
  /** Closes the strace file, if any. */
  close(): void;
}

/** Boots the kernel and the task for `prog`, with argv[0] = prog and the preopens opened. */
export async function bootWasm(prog: string, args: string[], opts: WasmRunOptions, onSignal: (t: Task, sig: number) => void): Promise<WasmBoot> {
  const table = opts.table ?? syscallsFor("riscv64", { hello: opts.hello !== false });
  const sink = openTraceSink(opts.straceTo ?? opts.strace);
  const kernel = new Kernel({
    table: wasmTable(table),
    // a wasm guest calls through the riscv64 (asm-generic) table, so it gets riscv64's layouts
    abi: riscv64Abi,
    random: new KernelRandom(opts.seed),
    // strace and plug-ins are loaded only when asked for: start-up matters (see tools/bench.mjs)
    strace: sink ? new (await import("../kernel/strace/index.ts")).Strace(sink.write) : null,
    sysroot: opts.sysroot ?? null,
    root: opts.root,
    readOnly: opts.ro,
    onFatalSignal: (t, sig) => onSignal(t, sig),
    onOops: (_t, o) => process.stderr.write(`sysemu: ${prog}: killed by an oops in ${o.call} (${o.origin}): ${o.message} (see --dmesg)\n`),
  });
  kernel.printk.printk(KERN_INFO, `Run ${prog} as the first process (WebAssembly)`);
  const mm = new WasmMM();
  const regs = new WasmRegs();
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const gid = opts.gid ?? process.getgid?.() ?? 0;
  const task = kernel.spawn(mm, regs, stdFiles(), { cwd: process.cwd(), root: "/", umask: process.umask() }, credFor(uid, gid));
  task.exe = prog.startsWith("/") ? prog : `${process.cwd()}/${prog}`;
  task.comm = prog.split("/").pop()!.slice(0, 15);
  const k = new KernelBridge(task, mm);
  const deadline = opts.timeout !== undefined ? performance.now() + opts.timeout * 1000 : Infinity;
  const guest = new WasmGuest(task, mm, k, sink?.write ?? null, deadline);
  const wasi = new WasiContext(task, mm, k, [prog, ...args], guestEnvironment(opts));
  mm.inKernel(() => preopen(wasi, opts.dir ?? []));
  return { kernel, task, mm, regs, guest, wasi, timedOut: false, meter: null, close: () => sink?.close() };
}

/** fd 3 is the guest's `/`, then each --dir in order, all opened by the kernel's openat. */
function preopen(w: WasiContext, dirs: string[]): void {
  const open = (path: string, name: string) => {
    const fd = w.k.sys("openat", AT_FDCWD, w.k.str(path), O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) throw new CliError(null, `--dir ${path}: ${errnoText(-fd)}`, EXIT_USAGE);
    w.addPreopen(fd, name);
  };
  open("/", "/");
  for (const d of dirs) {
    const colon = d.indexOf(":");
    const path = colon < 0 ? d : d.slice(0, colon);
    const name = colon < 0 ? d : d.slice(colon + 1);
    if (!path || !name) throw new CliError(null, `--dir expects DIR or DIR:NAME, got '${d}'`, EXIT_USAGE);
    open(path, name);
  }
}


/** The guest environment: the host's, edited by --clear-env/--unset/--env (as for ELF guests). */
function guestEnvironment(opts: WasmRunOptions): string[] {
  const env = new Map<string, string>();
  if (!opts.clearEnv) for (const [key, v] of Object.entries(process.env)) if (v !== undefined) env.set(key, v);
  for (const key of opts.unset ?? []) env.delete(key);
  for (const kv of opts.env ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new CliError(null, `--env expects K=V, got '${kv}'`, EXIT_USAGE);
    env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return [...env].map(([key, v]) => `${key}=${v}`);
}

function stdFiles(): FileTable {
  const files = new FileTable();
  const modes = [O_RDONLY, O_WRONLY, O_WRONLY];
  for (let fd = 0; fd < 3; fd++) {
    const f = hostOpenFile(fd, modes[fd]!, `/dev/fd/${fd}`, true);
    if (typeof f !== "number") files.installAt(fd, f, false);
  }
  return files;
}

function openTraceSink(opt: string | boolean | undefined): { write: TraceSink; close(): void } | null {
  if (opt === undefined || opt === false) return null;
  if (opt === true) return { write: (l) => writeSync(2, l + "\n"), close() {} };
  let fd: number;
  try {
    fd = openSync(opt, "w");
  } catch (e) {
    throw new CliError(null, `--strace ${opt}: ${(e as Error).message}`, EXIT_USAGE);
  }
  return { write: (l) => writeSync(fd, l + "\n"), close: () => closeSync(fd) };
}
