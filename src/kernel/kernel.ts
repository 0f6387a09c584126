// The kernel: the process table with its own init (pid 1), the run loop that takes turns
// between tasks until the first program exits, and what happens at a trap (system call, fault,
// used-up time slice). The CPU is synchronous; the loop awaits only when no task can run and it
// must wait for the host (a timer, stdin).

import { RefCounts } from "./refcount.ts";
import { OutOfMemory } from "../mm/physmem.ts";
import { oomKill } from "./proc/oom.ts";
import { Clock, CLOCK_MONOTONIC } from "./time/clock.ts";
import type { OopsReport } from "./oops.ts";
import { Printk } from "./printk.ts";
import { Vfs } from "./vfs/mount.ts";
import { FileTable } from "./fs/file.ts";
import { isHostStdout } from "./fs/hostfile.ts";
import { KernelRandom } from "./random.ts";
import { exitProcessNow } from "./proc/exit.ts";
import { FutexTable } from "./proc/futex.ts";
import { chargeCpu, needsCpuAccounting } from "./time/itimer.ts";
import { Scheduler, WaitQueue } from "./proc/sched.ts";
import { deliverSignals, hasSignalWork } from "./signal/sigdeliver.ts";
import { forceSignal } from "./signal/sigsend.ts";
import { SigHand, signalName, SIGKILL, type SigInfo } from "./signal/signal.ts";
import { doSyscall, type SyscallTable } from "./syscall.ts";
import type { Strace } from "./strace/index.ts";
import { credFor, Task, ThreadGroup, type Cred, type FsContext } from "./proc/task.ts";
import type { Tty } from "./fs/tty.ts";
import { KernelThreadRegs, type ArchRegs, type Trap } from "./trap/arch.ts";
import { MM } from "../mm/mm.ts";
import type { Binfmt } from "./proc/binfmt.ts";
import type { InetTables } from "./net/inet_addr.ts";
import type { UnixTable } from "./net/unix_addr.ts";
import type { FifoKey } from "./fs/fifo.ts";
import type { Pipe } from "./fs/pipe.ts";
import type { TmpFs } from "./vfs/tmpfs.ts";
import type { IpcNamespace } from "./ipc/namespace.ts";
import type { Abi } from "../../syscalls/abi/types.ts";

export interface KernelOptions {
  table: SyscallTable;
  random?: KernelRandom;
  strace?: Strace | null;
  maxInsns?: number;
  timeoutMs?: number;
  /** --sysroot: absolute guest paths that exist below it are taken from there (qemu's -L). */
  sysroot?: string | null;
  /** --root: the host directory the guest sees as "/" (the host's root by default). */
  root?: string;
  /** --ro: that directory is mounted read-only. */
  readOnly?: boolean;
  /** Called when the first program dies of a signal, e.g. to print `terminated by SIGSEGV`. */
  onFatalSignal?: (t: Task, sig: number, info: SigInfo | null) => void;
  /** Called when a system call handler oopses (src/kernel/oops.ts). */
  onOops?: (t: Task, report: OopsReport) => void;
  /** --max-tasks: tasks (threads and zombies included) beyond which fork fails with EAGAIN. */
  maxTasks?: number;
  /** --wait-all: run until every process has exited, not just the first program. */
  waitAll?: boolean;
  /** --file-owner: the guest uid and gid that files owned by the host user appear to have. */
  fileOwner?: { uid: number; gid: number } | null;
  /** --aslr: execve randomizes the layout as Linux does. */
  aslr?: boolean;
  /** The format execve loads (the architecture's ELF loader); none: execve fails with ENOEXEC. */
  binfmt?: Binfmt | null;
  /** The ABI of tasks before their first exec (a run without a binfmt: wasm, tests); default: the binfmt's. */
  abi?: Abi;
  /** Every number the architecture defines, implemented or not: names the ENOSYS warning. */
  syscallNames?: ReadonlyMap<number, string>;
}

/** How a run ended. `status` is what a shell would report: code, or 128 + signal. */
export interface RunResult {
  status: number;
  signal: number | null;
  stoppedBy: "exit" | "signal" | "timeout" | "max-insns" | "deadlock";
  instructions: number;
  wallMs: number;
  syscalls: Map<string, number>;
  /** With "deadlock": what each blocked task was waiting for. */
  blocked: string[];
}

/** How many instructions a task runs before the kernel looks at the clock and other tasks. */
const TIME_SLICE = 1 << 18;
/** The default --max-tasks. */
export const DEFAULT_MAX_TASKS = 512;
/** pid_max, and where allocation starts again after wrapping (RESERVED_PIDS). */
const PID_MAX = 32768, PID_WRAP = 300;
/** The first program's pid: a busy system's, not 2. */
const FIRST_PID = 1000;

export class Kernel {
  readonly clock = new Clock();
  /**
   * The kernel log's clock: time since boot, or under --seed the instructions retired so far at
   * a nominal 1 GHz, so that a reproducible run logs the same timestamps too.
   */
  readonly printk = new Printk(() => (this.random.seeded ? BigInt(this.retired) / 1000n : this.clock.uptimeNs() / 1000n));
  readonly random: KernelRandom;
  /** Every task by tid: init, the living, and zombies until reaped. */
  readonly tasks = new Map<number, Task>();
  readonly syscallCounts = new Map<string, number>();
  readonly table: SyscallTable;
  strace: Strace | null;
  readonly sysroot: string | null;
  readonly sched = new Scheduler();
  readonly futexes = new FutexTable();
  /** Terminals by tty_nr (the host's, when stdin is one). */
  readonly ttys = new Map<number, Tty>();
  /** Where poll, select and epoll sleep: any file whose readiness changes wakes them. */
  readonly pollWait = new WaitQueue();
  /** Open signalfd files: while there are any, a signal sent wakes the poll queue too (signalfd.ts). */
  signalfds = 0;
  /** pid 1: the kernel's own init, parent of the first program and of every orphan. */
  readonly init: Task;
  readonly maxTasks: number;
  readonly fileOwner: { uid: number; gid: number } | null;
  readonly aslr: boolean;
  readonly binfmt: Binfmt | null;
  /** The ABI tasks start with (init, the first program); exec sets each task's own. */
  readonly abi: Abi;
  /** The mount table, path lookup's roots and the record locks (src/kernel/vfs). */
  readonly vfs: Vfs;
  /** exec's one warning about a NULL argv has been logged (pr_warn_once). */
  warnedNullArgv = false;
  /** The numbers whose ENOSYS has been logged (pr_warn_once per number). */
  readonly warnedNr = new Set<number>();
  /** How many oopses this kernel has had (the [#N] of an oops report). */
  oopsCount = 0;
  /** Instructions retired by every task. */
  retired = 0;
  // The state of subsystems a run may never use, made by each on first use: it lives and dies
  // with this kernel (a grader boots many kernels in one process).
  /** AF_INET port tables (net/inet_addr.ts). */
  inet: InetTables | null = null;
  /** AF_UNIX bound names (net/unix_addr.ts). */
  unix: UnixTable | null = null;
  /** The pipe behind each FIFO inode that is open (fs/fifo.ts). */
  fifos: Map<FifoKey, Pipe> | null = null;
  /** The internal tmpfs memfds live on, Linux's shm_mnt (fs/memfd.ts). */
  shmMnt: TmpFs | null = null;
  /** System V IPC: the one IPC namespace (ipc/namespace.ts). */
  ipc: IpcNamespace | null = null;
  /** /proc/sys/kernel/random/boot_id, fixed at its first read (vfs/proc/sys-text.ts). */
  bootId: string | null = null;
  /** The termios each host terminal (by rdev) was last given: what tcgetattr reads back (fs/hostfile.ts). */
  readonly termios = new Map<bigint | number, Uint8Array>();
  /**
   * Static variables of code layered above src/kernel (a family's counter, a kernel module's
   * instance), which this file must not import: keyed by an object of that code (kernelStatic).
   */
  readonly statics = new Map<object, unknown>();
  private nextPid = FIRST_PID;
  private first: ThreadGroup | null = null;
  private firstStatus: number | null = null;
  private readonly mmRefs = new RefCounts<MM>((mm) => mm.release());
  private readonly filesRefs = new RefCounts<FileTable>((f) => f.closeAll());
  private readonly opts: KernelOptions;

  /** The architecture's name for system call `nr`, implemented or not (null: none). */
  syscallName(nr: number): string | null {
    return this.opts.syscallNames?.get(nr) ?? null;
  }

  constructor(opts: KernelOptions) {
    this.opts = opts;
    this.table = opts.table;
    this.random = opts.random ?? new KernelRandom();
    this.strace = opts.strace ?? null;
    this.sysroot = opts.sysroot ?? null;
    this.maxTasks = opts.maxTasks ?? DEFAULT_MAX_TASKS;
    this.fileOwner = opts.fileOwner ?? null;
    this.aslr = opts.aslr ?? false;
    this.binfmt = opts.binfmt ?? null;
    const abi = opts.abi ?? this.binfmt?.abi;
    if (!abi) throw new Error("a kernel needs a binfmt or an abi");
    this.abi = abi;
    this.vfs = new Vfs({ hostRoot: opts.root, readOnly: opts.readOnly, sysroot: this.sysroot, fileOwner: this.fileOwner });
    this.init = this.makeInit();
  }

  private makeInit(): Task {
    const g = new ThreadGroup(null, 1, 1, new Map());
    g.childWait = new WaitQueue();
    const t = new Task(this, 1, g, new MM(), new KernelThreadRegs(), new FileTable(), { cwd: "/", root: "/", umask: 0o022 }, credFor(0, 0), new SigHand());
    g.leader = t;
    g.threads.push(t);
    t.state = "sleeping"; // in wait(), for ever
    t.comm = "init";
    t.exe = "/sbin/init";
    this.tasks.set(1, t);
    return t;
  }

  /**
   * Creates the first program's task, a child of init. init plays the login shell too: the
   * program runs as a shell runs a command, in a process group of its own inside init's
   * session (session 1, which holds the controlling terminal), so it is not a session leader
   * and job-control signals reach it as they would from a shell.
   */
  spawn(mm: MM, regs: ArchRegs, files: FileTable, fs: FsContext, cred: Cred): Task {
    const pid = this.allocPid();
    const g = new ThreadGroup(this.init.group, pid, this.init.group.sid, new Map());
    g.startedByShell = true;
    g.childWait = new WaitQueue();
    const t = new Task(this, pid, g, mm, regs, files, fs, cred, new SigHand());
    g.leader = t;
    g.threads.push(t);
    g.startNs = t.startNs = this.clock.now(CLOCK_MONOTONIC)!;
    this.init.group.children.push(g);
    this.tasks.set(pid, t);
    this.getMm(mm);
    this.getFiles(files);
    this.first ??= g;
    this.sched.enqueue(t);
    return t;
  }

  /** A free pid: not a task's, nor a living process group's or session's (alloc_pid). */
  allocPid(): number {
    for (;;) {
      const pid = this.nextPid++;
      if (this.nextPid >= PID_MAX) this.nextPid = PID_WRAP;
      if (!this.pidInUse(pid)) return pid;
    }
  }

  private pidInUse(pid: number): boolean {
    if (this.tasks.has(pid)) return true;
    for (const t of this.tasks.values()) if (t.group.pgid === pid || t.group.sid === pid) return true;
    return false;
  }

  /** Takes a reference on an address space (mm_users). */
  getMm(mm: MM): void {
    this.mmRefs.get(mm);
  }
  /** Drops a reference; the last one frees the pages (mmput). */
  putMm(mm: MM): void {
    this.mmRefs.put(mm);
  }
  /** How many tasks use mm. */
  mmUsers(mm: MM): number {
    return this.mmRefs.users(mm);
  }
  /** Takes a reference on a descriptor table (CLONE_FILES shares one). */
  getFiles(f: FileTable): void {
    this.filesRefs.get(f);
  }
  /** Drops a reference; the last one closes every descriptor. */
  putFiles(f: FileTable): void {
    this.filesRefs.put(f);
  }
  /** How many tasks share descriptor table f. */
  filesUsers(f: FileTable): number {
    return this.filesRefs.users(f);
  }


  /** Tells the embedder (the CLI) that a handler oopsed. */
  reportOops(t: Task, report: OopsReport): void {
    this.opts.onOops?.(t, report);
  }

  /** A process died of signal `sig`: the first program's death is reported. */
  reportKilled(g: ThreadGroup, sig: number, info: SigInfo | null): void {
    if (g === this.first) this.opts.onFatalSignal?.(g.leader, sig, info);
  }

  /** A process became a zombie (exit.ts): the first program's status ends the run. */
  processExited(g: ThreadGroup): void {
    if (g === this.first) this.firstStatus = g.exitCode;
  }

  /** Whether g is the first program's process (init keeps its zombie for --ptree). */
  isFirst(g: ThreadGroup): boolean {
    return g === this.first;
  }

  /** Kills `t`'s process with `sig` now (an oops); `quiet` leaves out the fatal-signal report. */
  killBySignal(t: Task, sig: number, trap: Trap | null, quiet = false): void {
    const info = trap && trap.kind === "fault" ? { signo: trap.signal, code: trap.code, addr: trap.addr } : null;
    exitProcessNow(t.group, sig, info, t, !quiet);
  }

  /**
   * Runs until the first program has exited and no other process can still write to sysemu's
   * stdout or stderr (with waitAll: until every process has exited), or a limit stops it.
   */
  async run(): Promise<RunResult> {
    const start = performance.now();
    const deadline = this.opts.timeoutMs !== undefined ? start + this.opts.timeoutMs : Infinity;
    const maxInsns = this.opts.maxInsns ?? Infinity;
    let stoppedBy: RunResult["stoppedBy"] | null = null;
    let blocked: string[] = [];
    while (!this.finished()) {
      if (this.retired >= maxInsns) { stoppedBy = "max-insns"; break; }
      if (deadline !== Infinity && performance.now() > deadline) { stoppedBy = "timeout"; break; }
      const t = this.sched.pickNext();
      if (t === null) {
        if (!(await this.idle(deadline))) {
          blocked = this.describeBlocked();
          if (this.firstStatus === null) stoppedBy = "deadlock";
          break;
        }
        continue;
      }
      this.runSlice(t, Math.min(TIME_SLICE, maxInsns - this.retired));
      if (t.state === "running") this.sched.enqueue(t);
      if (this.sched.timers.length > 0) this.sched.expire(this.clock.now(CLOCK_MONOTONIC)!);
    }
    if (stoppedBy !== null && this.first && this.first.life === "alive") {
      // A limit kills like SIGKILL, without the fatal-signal report: the caller says why.
      exitProcessNow(this.first, SIGKILL, null, this.first.leader, false);
    }
    const code = this.firstStatus ?? SIGKILL;
    const signal = code & 0x7f ? code & 0x7f : null;
    return {
      status: signal ? 128 + signal : (code >> 8) & 0xff,
      signal,
      stoppedBy: stoppedBy ?? (signal ? "signal" : "exit"),
      instructions: this.retired,
      wallMs: performance.now() - start,
      syscalls: this.syscallCounts,
      blocked,
    };
  }

  /** How many tasks other than init have not exited (strace's "[pid N]" shows while more than one). */
  liveTasks(): number {
    let n = 0;
    for (const t of this.tasks.values()) if (t.state !== "zombie" && t.state !== "dead" && !t.isInit) n++;
    return n;
  }

  /** Processes other than init still alive (or zombies nobody reaped) after the run. */
  leftovers(): Task[] {
    return [...this.tasks.values()].filter((t) => !t.isInit && t.group.leader === t && !(t.group === this.first && t.group.life !== "alive"));
  }

  /** Ends every process but init, silently (sysemu is exiting). */
  shutdown(): void {
    const strace = this.strace;
    this.strace = null;
    for (const t of this.leftovers()) if (t.group.life === "alive") exitProcessNow(t.group, SIGKILL, null, t, false);
    this.strace = strace;
  }

  private finished(): boolean {
    if (this.firstStatus === null) return false;
    if (this.opts.waitAll) return this.leftovers().length === 0;
    // As whoever reads sysemu's output through a pipe waits for its end, the run goes on while
    // a process can still write to sysemu's stdout or stderr (children printing after their
    // parent is gone, as on Linux); the others (daemons, which let go of them) are ended.
    return !this.leftovers().some((t) => t.group.life === "alive" && t.files.entries().some(([, f]) => isHostStdout(f)));
  }

  /** Runs t for up to `budget` instructions, handling its traps, until it sleeps, exits or yields. */
  private runSlice(t: Task, budget: number): void {
    const sched = this.sched;
    sched.current = t;
    sched.needResched = false;
    let left = budget;
    for (;;) {
      if (hasSignalWork(t)) deliverSignals(t);
      if (t.state !== "running" || left <= 0 || sched.needResched) break;
      const regs = t.regs;
      const before = regs.instret;
      let trap;
      try {
        trap = regs.run(left);
      } catch (e) {
        // the CPU's page fault found no free frame (a handler's copies say so without throwing)
        if (!(e instanceof OutOfMemory)) throw e;
        oomKill(t);
        break;
      }
      const n = regs.instret - before;
      left -= n;
      this.retired += n;
      if (trap.kind === "syscall") doSyscall(t);
      else if (trap.kind === "fault") forceSignal(t, { signo: trap.signal, code: trap.code, addr: trap.addr });
      else break;
    }
    sched.current = null;
    if (needsCpuAccounting(t)) chargeCpu(t, BigInt(budget - left));
  }

  /**
   * Nothing can run: waits for the next timer (a sleep's end, an itimer, a look at the host's
   * streams); false when there is none, so nothing will ever wake a task again.
   */
  private async idle(deadline: number): Promise<boolean> {
    const next = this.sched.nextDeadline();
    if (next === null) return false;
    const now = this.clock.now(CLOCK_MONOTONIC)!;
    let ms = Number(next - now) / 1e6;
    if (deadline !== Infinity) ms = Math.min(ms, Math.max(0, deadline - performance.now()));
    if (ms > 0) await new Promise((r) => setTimeout(r, Math.ceil(ms)));
    this.sched.expire(this.clock.now(CLOCK_MONOTONIC)!);
    return true;
  }

  /** One line per task that sleeps or is stopped, for the deadlock report. */
  private describeBlocked(): string[] {
    const out: string[] = [];
    for (const t of this.tasks.values()) {
      if (t.isInit || t.state === "zombie" || t.state === "dead") continue;
      const what = t.state === "stopped" ? "stopped" : t.sleep?.what ?? t.state;
      out.push(`pid ${t.tid} (${t.comm}): ${what}`);
    }
    return out;
  }
}

export { signalName };

/**
 * A per-kernel static variable for code above src/kernel: `const nrCalls = kernelStatic(() =>
 * ({ n: 0 }))`, then `nrCalls(k).n++`. The value is made on first use and kept in k.statics.
 */
export function kernelStatic<T>(init: (k: Kernel) => T): (k: Kernel) => T {
  const get = (k: Kernel): T => {
    let v = k.statics.get(get) as T | undefined;
    if (v === undefined) k.statics.set(get, (v = init(k)));
    return v;
  };
  return get;
}
