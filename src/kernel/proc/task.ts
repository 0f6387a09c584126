// struct task_struct, the parts sysemu keeps: identity, address space, registers, files,
// filesystem context, credentials and signal state; and struct signal_struct as ThreadGroup,
// what the threads of one process share (pids of group and session, limits, timers, children).

import type { MM } from "../../mm/mm.ts";
import type { FileTable } from "../fs/file.ts";
import type { Kernel } from "../kernel.ts";
import type { Sleep, Timer, WaitQueue } from "./sched.ts";
import type { KTimer } from "../time/posix-timers.ts";
import type { SemArray, SemUndo } from "../ipc/sem.ts";
import { noAltStack, SigPending, SIGCHLD, type AltStack, type SigHand, type SigInfo } from "../signal/signal.ts";
import type { ArchRegs } from "../trap/arch.ts";
import type { Abi } from "../../../syscalls/abi/types.ts";
import type { DirRef } from "../vfs/pwd.ts";
import type { TraceCall } from "../strace/index.ts";

/** struct cred: real, effective, saved and filesystem ids, groups and capability sets. */
export interface Cred {
  uid: number; euid: number; suid: number; fsuid: number;
  gid: number; egid: number; sgid: number; fsgid: number;
  groups: number[];
  capEffective: bigint;
  capPermitted: bigint;
  capInheritable: bigint;
  /** PR_SET_KEEPCAPS: keep the permitted set when giving up uid 0. */
  keepCaps: boolean;
}

/** Every capability up to CAP_CHECKPOINT_RESTORE (40), the last one Linux 6.12 knows. */
export const CAP_FULL = (1n << 41n) - 1n;

/** struct fs_struct: where paths start. Paths are guest paths. Shared by CLONE_FS. */
export interface FsContext {
  /** The path the working directory was set by (see pwd); assigning a path here moves it. */
  cwd: string;
  /** fs->pwd: the directory itself (vfs/pwd.ts); a copy (fork) shares it, as path_get does. */
  pwd?: DirRef;
  root: string;
  umask: number;
}

export type TaskState = "running" | "sleeping" | "stopped" | "zombie" | "dead";

export interface Rlimit {
  cur: bigint;
  max: bigint;
}

/** An interval timer (setitimer(2)): ns left or the deadline, and the reload interval. */
export interface ItimerState {
  /** ITIMER_REAL: CLOCK_MONOTONIC deadline; VIRTUAL/PROF: CPU ns left. 0n when disarmed. */
  value: bigint;
  interval: bigint;
}

/** What a blocking call keeps across its RETRY runs; retry() is called as each run starts. */
export interface BlockState {
  retry?(): void;
  deadline?: bigint | null;
  [key: string]: unknown;
}

/** struct signal_struct plus the process bookkeeping Linux keeps per thread group. */
export class ThreadGroup {
  /** The first thread; its tid is the process id. */
  leader!: Task;
  readonly threads: Task[] = [];
  /** The parent process (real_parent's group); null only for init. */
  parent: ThreadGroup | null;
  /** Child processes, zombies included until reaped. */
  readonly children: ThreadGroup[] = [];
  /** Signals sent to the process rather than to one thread. */
  readonly shared = new SigPending();
  pgid: number;
  sid: number;
  /** The session's controlling terminal as /proc/pid/stat encodes it (0: none). */
  ttyNr = 0;
  rlimits: Map<number, Rlimit>;
  /** The signal the parent gets at our death (clone's CSIGNAL byte; SIGCHLD for fork). */
  exitSignal = SIGCHLD;
  /** Set once the whole group is going away (SIGNAL_GROUP_EXIT): the wait status. */
  groupExit: number | null = null;
  /** The wait status once every thread has exited. */
  exitCode = 0;
  /** "alive" until the last thread exits, then "zombie" until reaped. */
  life: "alive" | "zombie" | "reaped" = "alive";
  /** Group stop: the stopping signal, and whether wait(WUNTRACED) has reported it. */
  stopSig = 0;
  stopReported = true;
  /** Continued after a stop and not yet reported to wait(WCONTINUED). */
  continuedUnreported = false;
  /** wait4/waitid sleepers (wait_chldexit). */
  childWait!: WaitQueue;
  readonly itimers: ItimerState[] = [0, 1, 2].map(() => ({ value: 0n, interval: 0n }));
  /** PR_SET_CHILD_SUBREAPER */
  subreaper = false;
  /** PR_SET_DUMPABLE */
  dumpable = true;
  /** personality(2) */
  personality = 0;
  /** The process has exec'ed since fork (setpgid refuses to move such a child: EACCES). */
  execed = false;
  /**
   * The first program: init started it as a job-control shell starts a command, so init also
   * stands for that shell (its group keeps a parent outside it in the session: not orphaned).
   */
  startedByShell = false;
  /** CPU time of threads that have exited (instructions). */
  deadInsns = 0;
  /** CPU time of reaped children (instructions), for times(2) and RUSAGE_CHILDREN. */
  childInsns = 0;
  /** Memory use of address spaces the process has left (exec, exit): peak resident pages and faults. */
  maxrssPages = 0;
  minflt = 0;
  /** The same, the most and the sum over reaped children (RUSAGE_CHILDREN). */
  childMaxrssPages = 0;
  childMinflt = 0;
  /** When the process started, in ns of CLOCK_MONOTONIC. */
  startNs = 0n;
  /** RLIMIT_CPU: the CPU second at which SIGXCPU is next due. */
  cpuSignalledSecs = 0n;
  /** ITIMER_REAL's pending expiry (time/itimer.ts). */
  realTimer: Timer | null = null;
  /** timer_create's timers by id (time/posix-timers.ts), made with the first. */
  posixTimers: Map<number, KTimer> | null = null;
  /** SEM_UNDO adjustments by semaphore set, applied at exit (ipc/sem.ts), made with the first. */
  semUndo: Map<SemArray, SemUndo> | null = null;

  constructor(parent: ThreadGroup | null, pgid: number, sid: number, rlimits: Map<number, Rlimit>) {
    this.parent = parent;
    this.pgid = pgid;
    this.sid = sid;
    this.rlimits = rlimits;
  }

  /** The process id. */
  get pid(): number {
    return this.leader.tid;
  }

  /** Threads that have not exited yet. */
  liveThreads(): Task[] {
    return this.threads.filter((t) => t.state !== "zombie" && t.state !== "dead");
  }
}

export class Task {
  state: TaskState = "running";
  /** This thread's own exit status as wait(2) encodes it (status << 8, or the signal number). */
  exitCode = 0;
  comm: string;
  /** set_tid_address(2) and CLONE_CHILD_CLEARTID. */
  clearChildTid = 0;
  robustList = 0;
  robustListLen = 0;
  rseq = 0;
  /** Signals sent to this thread, the blocked mask, and the mask sigsuspend/ppoll restore. */
  readonly pending = new SigPending();
  blocked = 0n;
  savedSigmask: bigint | null = null;
  /** The mask sigtimedwait unblocked its set from (real_blocked): those wake it but never kill. */
  realBlocked = 0n;
  /**
   * The strace record of a call that woke to run again (RETRY): its rerun completes it, or a
   * signal delivered before the rerun shows it interrupted, as strace shows ERESTARTNOHAND.
   */
  retryTrace: TraceCall | null = null;
  /** sigaltstack(2) */
  sas: AltStack = noAltStack();
  /** PR_SET_PDEATHSIG */
  pdeathSig = 0;
  /** setpriority(2)'s nice value, -20..19. */
  nice = 0;
  /** PR_SET_NO_NEW_PRIVS: exec grants nothing (set-user-ID bits are ignored); inherited. */
  noNewPrivs = false;
  /** When the task started, in ns of CLOCK_MONOTONIC (for /proc/pid/stat's starttime). */
  startNs = 0n;
  /** What exec left for /proc/pid/{auxv,cmdline,environ,exe}: the program path and the auxv's
   *  bytes, and where argv and envp strings are in the task's memory (mm->arg_start ...). */
  exe = "";
  auxv: Uint8Array = new Uint8Array(0);
  argStart = 0;
  argEnd = 0;
  envStart = 0;
  envEnd = 0;
  /** Where exec put the vDSO (mm->context.vdso): signal handlers return through it. */
  vdsoBase = 0;
  /** The ABI of the program the task runs (struct layouts, clone's order): set by exec's binary format. */
  abi: Abi;
  /** Statistics for --stats. */
  syscallCount = 0;
  /** Instructions retired by register files this task had before its current one (exec). */
  insnsBefore = 0;
  /** What the task sleeps on, while state is "sleeping". */
  sleep: Sleep | null = null;
  /** A sleep a handler asked for, committed by the dispatcher when the handler returns PARK. */
  sleepRequest: Sleep | null = null;
  /** An ERESTART* result waiting for signal delivery to decide between restart and EINTR. */
  restart = 0;
  /** restart_syscall(2)'s continuation for ERESTART_RESTARTBLOCK. */
  restartBlock: (() => number) | null = null;
  /** Progress a blocking handler keeps across RETRY runs of the same call (a partial pipe
   *  write, a timeout's deadline); cleared when the call completes. */
  blockState: BlockState | null = null;
  /** The parent sleeping in vfork until this child execs or exits. */
  vforkParent: Task | null = null;
  /** Signals dropped as ignored, for strace to show after the task's current call. */
  readonly straceNotes: SigInfo[] = [];
  /** The register value rt_sigreturn and execve leave for strace. */
  justReturned = 0;

  constructor(
    readonly kernel: Kernel,
    public tid: number,
    public group: ThreadGroup,
    public mm: MM,
    public regs: ArchRegs,
    public files: FileTable,
    public fs: FsContext,
    public cred: Cred,
    public sighand: SigHand,
  ) {
    this.comm = "";
    this.abi = kernel.abi;
  }

  /** The thread group id (what getpid returns). */
  get tgid(): number {
    return this.group.pid;
  }
  /** The process id, as /proc and getpid see it. */
  get pid(): number {
    return this.group.pid;
  }
  /** The parent's process id (1 once orphaned). */
  get ppid(): number {
    return this.group.parent?.pid ?? 0;
  }
  get pgid(): number {
    return this.group.pgid;
  }
  set pgid(v: number) {
    this.group.pgid = v;
  }
  get sid(): number {
    return this.group.sid;
  }
  set sid(v: number) {
    this.group.sid = v;
  }
  get ttyNr(): number {
    return this.group.ttyNr;
  }
  set ttyNr(v: number) {
    this.group.ttyNr = v;
  }
  /** setrlimit(2) values that differ from the defaults (per process). */
  get rlimits(): Map<number, Rlimit> {
    return this.group.rlimits;
  }
  /** Instructions this task has retired: its CPU time at a nominal 1 GHz. */
  get cpuInsns(): number {
    return this.insnsBefore + this.regs.instret;
  }
  /** Whether this is the kernel's own init (pid 1), which never runs guest code. */
  get isInit(): boolean {
    return this === this.kernel.init;
  }
}

/** Credentials for a user: real, effective, saved and filesystem ids all equal; root has every capability. */
export function credFor(uid: number, gid: number): Cred {
  const caps = uid === 0 ? CAP_FULL : 0n;
  return {
    uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, groups: [],
    capEffective: caps, capPermitted: caps, capInheritable: 0n, keepCaps: false,
  };
}

/** capable(cap): whether the credentials hold capability `cap` in their effective set. */
export function capable(cred: Cred, cap: number): boolean {
  return (cred.capEffective & (1n << BigInt(cap))) !== 0n;
}

export const CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_KILL = 5, CAP_SETGID = 6, CAP_SETUID = 7;
export const CAP_SETPCAP = 8, CAP_SYS_ADMIN = 21, CAP_SYS_RESOURCE = 24, CAP_SYS_NICE = 23;
