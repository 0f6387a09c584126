// The kernel: the process table, the run loop that takes turns between tasks until the first
// program exits, and what happens at a trap (system call, fault, used-up time slice).

import { Clock } from "./clock.ts";
import type { OopsReport } from "./oops.ts";
import { Printk } from "./printk.ts";
import type { FileTable } from "./file.ts";
import { KernelRandom } from "./random.ts";
import { defaultAction, signalName, SIGKILL, type SignalState } from "./signal.ts";
import { doSyscall, type SyscallTable } from "./syscall.ts";
import type { Strace } from "./strace/index.ts";
import { Task, type Cred, type FsContext } from "./task.ts";
import type { ArchRegs, Trap } from "./trap/arch.ts";
import type { MM } from "../mm/mm.ts";

export interface KernelOptions {
  table: SyscallTable;
  random?: KernelRandom;
  strace?: Strace | null;
  maxInsns?: number;
  timeoutMs?: number;
  /** --sysroot: absolute guest paths that exist below it are taken from there (qemu's -L). */
  sysroot?: string | null;
  /** Called once per task death by a signal, e.g. to print `terminated by SIGSEGV`. */
  onFatalSignal?: (t: Task, sig: number, trap: Trap | null) => void;
  /** Called when a system call handler oopses (src/kernel/oops.ts). */
  onOops?: (t: Task, report: OopsReport) => void;
}

/** How a run ended. `status` is what a shell would report: code, or 128 + signal. */
export interface RunResult {
  status: number;
  signal: number | null;
  stoppedBy: "exit" | "signal" | "timeout" | "max-insns";
  instructions: number;
  wallMs: number;
  syscalls: Map<string, number>;
}

/** How many instructions a task runs before the kernel looks at the clock and other tasks. */
const TIME_SLICE = 1 << 18;

export class Kernel {
  readonly clock = new Clock();
  readonly printk = new Printk(() => this.clock.uptimeNs() / 1000n);
  readonly random: KernelRandom;
  readonly tasks = new Map<number, Task>();
  readonly syscallCounts = new Map<string, number>();
  readonly table: SyscallTable;
  strace: Strace | null;
  readonly sysroot: string | null;
  private nextPid = 1000;
  private init: Task | null = null;
  private readonly opts: KernelOptions;

  constructor(opts: KernelOptions) {
    this.opts = opts;
    this.table = opts.table;
    this.random = opts.random ?? new KernelRandom();
    this.strace = opts.strace ?? null;
    this.sysroot = opts.sysroot ?? null;
  }

  /** Creates the first task (the program `sysemu run` starts). */
  spawn(mm: MM, regs: ArchRegs, files: FileTable, fs: FsContext, cred: Cred, sig: SignalState): Task {
    const pid = this.nextPid++;
    const t = new Task(this, pid, pid, 1, mm, regs, files, fs, cred, sig);
    this.tasks.set(pid, t);
    this.init ??= t;
    return t;
  }

  /** How many oopses this kernel has had (the [#N] of an oops report). */
  oopsCount = 0;

  /** Tells the embedder (the CLI) that a handler oopsed. */
  reportOops(t: Task, report: OopsReport): void {
    this.opts.onOops?.(t, report);
  }

  /** Ends the whole thread group of `t` with exit status `code` (exit_group(2)). */
  exitGroup(t: Task, code: number): void {
    for (const other of this.tasks.values()) {
      if (other.tgid !== t.tgid) continue;
      other.state = "zombie";
      other.exitCode = (code & 0xff) << 8;
    }
  }

  /** Kills `t`'s thread group with `sig` by the signal's default action. */
  killBySignal(t: Task, sig: number, trap: Trap | null, quiet = false): void {
    const act = defaultAction(sig);
    if (act === "ign" || act === "cont" || act === "stop") return;
    if (!quiet) this.opts.onFatalSignal?.(t, sig, trap);
    this.strace?.killed(t, sig);
    for (const other of this.tasks.values()) {
      if (other.tgid !== t.tgid) continue;
      other.state = "zombie";
      other.exitCode = sig | (act === "core" ? 0x80 : 0);
    }
  }

  /** Runs until the first program exits (or a limit stops it). */
  run(): RunResult {
    const start = performance.now();
    const deadline = this.opts.timeoutMs !== undefined ? start + this.opts.timeoutMs : Infinity;
    const maxInsns = this.opts.maxInsns ?? Infinity;
    const first = this.init;
    if (!first) throw new Error("no task to run");
    let retired = 0;
    let stoppedBy: RunResult["stoppedBy"] | null = null;
    while (first.state !== "zombie" && first.state !== "dead") {
      const t = first; // one task until the scheduler arrives with the process issue
      const before = t.regs.instret;
      const budget = Math.min(TIME_SLICE, maxInsns - retired);
      const trap = t.regs.run(budget);
      retired += t.regs.instret - before;
      if (trap.kind === "syscall") doSyscall(t);
      else if (trap.kind === "fault") {
        this.strace?.signal(t, trap);
        this.killBySignal(t, trap.signal, trap);
      }
      if (t.state !== "running") break;
      if (retired >= maxInsns) { stoppedBy = "max-insns"; break; }
      if (deadline !== Infinity && performance.now() > deadline) { stoppedBy = "timeout"; break; }
    }
    if (stoppedBy) {
      // The limit kills like SIGKILL, without the fatal-signal report: the caller says why.
      this.strace?.killed(first, SIGKILL);
      first.state = "zombie";
      first.exitCode = SIGKILL;
    }
    const code = first.exitCode;
    const signal = code & 0x7f ? code & 0x7f : null;
    return {
      status: signal ? 128 + signal : (code >> 8) & 0xff,
      signal,
      stoppedBy: stoppedBy ?? (signal ? "signal" : "exit"),
      instructions: retired,
      wallMs: performance.now() - start,
      syscalls: this.syscallCounts,
    };
  }
}

export { signalName };
