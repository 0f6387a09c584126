// struct task_struct, the parts sysemu keeps: identity, address space, registers, files,
// filesystem context, credentials and signal state.

import type { MM } from "../mm/mm.ts";
import type { FileTable } from "./file.ts";
import type { Kernel } from "./kernel.ts";
import type { SignalState } from "./signal.ts";
import type { ArchRegs } from "./trap/arch.ts";

export interface Cred {
  uid: number; euid: number; suid: number; fsuid: number;
  gid: number; egid: number; sgid: number; fsgid: number;
  groups: number[];
}

/** struct fs_struct: where paths start. Paths are guest paths. */
export interface FsContext {
  cwd: string;
  root: string;
  umask: number;
}

export type TaskState = "running" | "sleeping" | "stopped" | "zombie" | "dead";

export class Task {
  state: TaskState = "running";
  /** exit_code as wait(2) encodes it (status << 8, or the signal number). */
  exitCode = 0;
  comm: string;
  /** set_tid_address(2) and CLONE_CHILD_CLEARTID. */
  clearChildTid = 0;
  robustList = 0;
  robustListLen = 0;
  rseq = 0;
  /** Process group and session (setpgid/setsid), and the controlling terminal's tty_nr (0: none). */
  pgid = 0;
  sid = 0;
  ttyNr = 0;
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
  /** setrlimit(2) values that differ from the defaults. */
  rlimits = new Map<number, { cur: bigint; max: bigint }>();
  /** Statistics for --stats. */
  syscallCount = 0;

  constructor(
    readonly kernel: Kernel,
    public pid: number,
    public tid: number,
    public ppid: number,
    public mm: MM,
    public regs: ArchRegs,
    public files: FileTable,
    public fs: FsContext,
    public cred: Cred,
    public sig: SignalState,
  ) {
    this.comm = "";
    this.pgid = pid;
    this.sid = pid;
  }

  /** The thread group id (what getpid returns). */
  get tgid(): number {
    return this.pid;
  }
}

/** Credentials for a user: real, effective, saved and filesystem ids all equal. */
export function credFor(uid: number, gid: number): Cred {
  return { uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, groups: [] };
}
