// `sysemu run PROG [ARGS...]`: exec the program into a fresh kernel, run it with the host's
// stdin/stdout/stderr, and exit as a shell would report the guest's end.

import { closeSync, fstatSync, openSync, writeSync } from "node:fs";
import { hostIsatty as isatty } from "../kernel/fs/isatty.ts";
import { FileTable, O_RDONLY, O_WRONLY, type OpenFile } from "../kernel/fs/file.ts";
import { hostOpenFile } from "../kernel/fs/hostfile.ts";
import { Kernel, type RunResult } from "../kernel/kernel.ts";
import { KernelRandom } from "../kernel/random.ts";
import { SIGINT, SIGPIPE, signalName, type SigInfo } from "../kernel/signal/signal.ts";
import { formatPtree, stateLetter } from "../kernel/proc/ptree.ts";
import { attachTty, ttyNrFromHostRdev } from "../kernel/fs/tty.ts";
import { firstExecCreds } from "../kernel/proc/exec.ts";
import { Strace } from "../kernel/strace/index.ts";
import { credFor } from "../kernel/proc/task.ts";
import { placeInTree, rootDirError } from "../kernel/vfs/boot.ts";
import { updateVvar } from "../kernel/time/vvar.ts";
import { formatAuxv } from "../loader/show-auxv.ts";
import { formatDmesg, KERN_INFO, KERN_NOTICE } from "../kernel/printk.ts";
import { UTS_RELEASE, UTS_VERSION } from "../kernel/utsname.ts";
import { CliError, EXIT_RUNAWAY, EXIT_USAGE } from "../util/errors.ts";
import { syscallTable } from "./table.ts";
import { execProgramFor, guestString, type ExecOptions } from "./program.ts";
import { frontEndFor } from "./frontend.ts";
import { readProgram } from "../util/read-program.ts";
import { dieOfSignal } from "../util/signal-exit.ts";
import { setDefaultPhysMemSize } from "../mm/physmem.ts";
import { setJitMode } from "../cpu/riscv/jitmode.ts";
import { readDynamic, type ElfFile } from "../elf/index.ts";
import { DT_SONAME as DT_SONAME_NR, ET_DYN } from "../elf/constants.ts";

export interface RunOptions extends ExecOptions {
  strace?: boolean;
  straceTo?: string;
  maxInsns?: number;
  /** --memory SIZE: the guest's physical memory in bytes. */
  memory?: number;
  /** --no-jit sets this false. */
  jit?: boolean;
  timeout?: number;
  stats?: boolean;
  seed?: number;
  /** --dmesg: print the kernel log to stderr after the run. */
  dmesg?: boolean;
  /** --no-hello sets this false: sys_hello/sys_hello2 return ENOSYS (CONFIG_HELLO_SYSCALL=n). */
  hello?: boolean;
  /** --syscalls FILE (repeatable): plug-in system calls. */
  syscalls?: string[];
  /** --kernel-patch FILE (repeatable): system calls compiled from a student's kernel patch. */
  kernelPatch?: string[];
  /** --kmod-report FILE: the kernel patch's calls and findings as JSON. */
  kmodReport?: string;
  /** --wait-all: run until every process has exited. */
  waitAll?: boolean;
  /** --ptree: print the process tree at exit. */
  ptree?: boolean;
  /** --max-tasks N */
  maxTasks?: number;
  /** --file-owner UID[:GID] */
  fileOwner?: { uid: number; gid: number };
  /** --root DIR: the guest sees DIR as "/"; --ro: read-only. */
  root?: string;
  ro?: boolean;
  /**
   * The command line's run: when the guest is killed by a signal, sysemu dies of it too
   * (src/util/signal-exit.ts) instead of returning 128+N; --exit-status turns it off.
   */
  dieOfSignal?: boolean;
}

/** Runs `prog` and returns the exit status sysemu should exit with. */
export async function runCommand(prog: string, args: string[], opts: RunOptions): Promise<number> {
  if (opts.memory !== undefined) setDefaultPhysMemSize(opts.memory);
  if (opts.jit === false) setJitMode("off");
  const random = new KernelRandom(opts.seed);
  const file = readProgram(prog);
  const fe = await frontEndFor(file);
  const image = execProgramFor(prog, file, fe.loader, args, opts, random);
  const table = await syscallTable(opts, fe.arch);
  const badRoot = opts.root !== undefined ? rootDirError(opts.root) : null;
  if (badRoot) throw new CliError(null, badRoot, EXIT_USAGE);
  const strace = openStrace(opts.straceTo ?? opts.strace);
  const kernel = new Kernel({
    table,
    random,
    strace: strace?.tracer ?? null,
    sysroot: opts.sysroot ?? null,
    root: opts.root,
    readOnly: opts.ro,
    maxInsns: opts.maxInsns,
    timeoutMs: opts.timeout !== undefined ? opts.timeout * 1000 : undefined,
    onFatalSignal: (_t, sig, info) => reportSignal(prog, sig, info),
    maxTasks: opts.maxTasks,
    waitAll: opts.waitAll,
    fileOwner: opts.fileOwner ?? null,
    aslr: opts.aslr,
    binfmt: fe.binfmt,
    onOops: (_t, o) => process.stderr.write(`sysemu: ${prog}: killed by an oops in system call ${o.call} (${o.origin}): ${o.message} (see --dmesg)\n`),
  });
  bootMessages(kernel, prog, fe.machine);
  updateVvar(image.mm, image.vvarBase, kernel.clock);
  const regs = fe.createRegs(image.mm, image.pc, image.stack.sp, () => kernel.clock.ticks());
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const gid = opts.gid ?? process.getgid?.() ?? 0;
  const task = kernel.spawn(image.mm, regs, stdFiles(), { cwd: process.cwd(), root: "/", umask: process.umask() }, credFor(uid, gid));
  task.vdsoBase = image.vdsoBase;
  // The first session's controlling terminal is sysemu's own stdin when that is one (tty.ts).
  if (isatty(0)) attachTty(task.group, ttyNrFromHostRdev(fstatSync(0).rdev));
  task.exe = prog.startsWith("/") ? prog : `${process.cwd()}/${prog}`;
  placeInTree(task, prog); // cwd and exe as the guest sees them (below --root)
  task.comm = prog.split("/").pop()!.slice(0, 15);
  task.auxv = image.mm.peek(image.stack.auxvAddr, image.stack.auxvBytes);
  firstExecCreds(task, prog, image.stack.auxvAddr);
  Object.assign(task, { argStart: image.stack.argStart, argEnd: image.stack.argEnd, envStart: image.stack.envStart, envEnd: image.stack.envEnd });

  // glibc prints LD_SHOW_AUXV only from ld.so; a static program would print nothing, so we do it.
  // (ld.so looks at the name only: any value, even empty, turns it on; never for AT_SECURE.)
  const env = image.stack.items.filter((i) => i.kind === "envp-string").map((i) => i.text ?? "");
  if (image.interp === null && !isDynamicLoader(image.elf) && env.some((e) => e.startsWith("LD_SHOW_AUXV="))) {
    writeSync(1, formatAuxv(image.stack.auxv, (a) => guestString(image.mm, a)));
  }

  let result: RunResult;
  try {
    result = await kernel.run();
    if (opts.ptree) process.stderr.write(formatPtree(kernel));
    reportLeftovers(kernel, prog, result);
    kernel.shutdown();
  } finally {
    strace?.close();
  }
  if (result.stoppedBy === "timeout") process.stderr.write(`sysemu: ${prog}: stopped after --timeout ${opts.timeout} s (${result.instructions} instructions)\n`);
  if (result.stoppedBy === "deadlock") process.stderr.write(`sysemu: ${prog}: deadlock: every task is blocked for ever\n${result.blocked.map((l) => `sysemu:   ${l}\n`).join("")}`);
  if (result.stoppedBy === "max-insns") process.stderr.write(`sysemu: ${prog}: stopped after --max-insns ${opts.maxInsns} instructions\n`);
  if (opts.stats) printStats(result);
  if (opts.dmesg) writeSync(2, kernel.printk.sinceClear().map(formatDmesg).join(""));
  if (opts.kernelPatch?.length) (await import("../kmod/report.ts")).reportKmod(kernel, prog, opts.kmodReport);
  if (opts.dieOfSignal && result.stoppedBy === "signal" && result.signal) await dieOfSignal(result.signal);
  return result.stoppedBy === "timeout" || result.stoppedBy === "max-insns" || result.stoppedBy === "deadlock" ? EXIT_RUNAWAY : result.status;
}

/** What a booting Linux logs first, so that dmesg inside the guest has a beginning. */
function bootMessages(kernel: Kernel, prog: string, machine: string): void {
  kernel.printk.printk(KERN_NOTICE, `Linux version ${UTS_RELEASE} (sysemu) ${UTS_VERSION}`);
  kernel.printk.printk(KERN_INFO, `Machine model: ${machine}`);
  kernel.printk.printk(KERN_INFO, `Run ${prog} as the first process`);
}

function stdFiles(): FileTable {
  const files = new FileTable();
  const modes = [O_RDONLY, O_WRONLY, O_WRONLY];
  for (let fd = 0; fd < 3; fd++) {
    const f = hostOpenFile(fd, modes[fd]!, `/dev/fd/${fd}`, true);
    if (typeof f !== "number") files.installAt(fd, f as OpenFile, false);
  }
  return files;
}

function openStrace(opt: string | boolean | undefined): { tracer: Strace; close(): void } | null {
  if (opt === undefined || opt === false) return null;
  if (opt === true) return { tracer: new Strace((l) => writeSync(2, l + "\n")), close() {} };
  let fd: number;
  try {
    fd = openSync(opt, "w");
  } catch (e) {
    throw new CliError(null, `--strace ${opt}: ${(e as Error).message}`, EXIT_USAGE);
  }
  return { tracer: new Strace((l) => writeSync(fd, l + "\n")), close: () => closeSync(fd) };
}

/** Processes still there when the first program ended: listed, then sysemu ends them. */
function reportLeftovers(kernel: Kernel, prog: string, r: RunResult): void {
  const left = kernel.leftovers().filter((t) => t.group.life === "alive");
  if (left.length === 0 || r.stoppedBy !== "exit" && r.stoppedBy !== "signal") return;
  const lines = left.map((t) => `sysemu:   pid ${t.tid} (${t.comm}) ${stateLetter(t)}\n`);
  process.stderr.write(`sysemu: ${prog} exited; ending ${left.length} process${left.length > 1 ? "es" : ""} still running (--wait-all waits for them):\n${lines.join("")}`);
}

function reportSignal(prog: string, sig: number, info: SigInfo | null): void {
  // as a shell: a pipeline's reader going away (SIGPIPE) or ^C (SIGINT) is not worth a line
  if (sig === SIGPIPE || sig === SIGINT) return;
  const where = info && info.addr !== undefined && (sig === 11 || sig === 7) ? ` (fault address 0x${BigInt.asUintN(64, info.addr).toString(16)})` : "";
  process.stderr.write(`sysemu: ${prog}: terminated by ${signalName(sig)}${where}\n`);
}

function printStats(r: RunResult): void {
  const secs = r.wallMs / 1000;
  const mips = r.instructions / 1e6 / Math.max(secs, 1e-9);
  const lines = [
    `sysemu: ${r.instructions} instructions in ${secs.toFixed(3)} s: ${mips.toFixed(1)} MIPS`,
    `sysemu: ${[...r.syscalls.values()].reduce((a, b) => a + b, 0)} system calls:`,
    ...[...r.syscalls].sort((a, b) => b[1] - a[1]).map(([name, n]) => `  ${String(n).padStart(9)}  ${name}`),
  ];
  process.stderr.write(lines.join("\n") + "\n");
}

const DT_SONAME = BigInt(DT_SONAME_NR);

/** ld.so run as the program itself (ET_DYN, no PT_INTERP, a DT_SONAME): it prints LD_SHOW_AUXV on its own. */
function isDynamicLoader(elf: ElfFile): boolean {
  if (elf.header.type !== ET_DYN) return false;
  try {
    return readDynamic(elf).some((d) => d.tag === DT_SONAME);
  } catch {
    return false; // a dynamic section the loader did not need to read: not ld.so's
  }
}
