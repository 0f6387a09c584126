// Signal numbers, names, default actions and the per-task signal data structures (the kernel's
// include/linux/signal.h, sched/signal.h): sigpending queues with their siginfo, and sighand,
// the table of dispositions that CLONE_SIGHAND shares. Sending is in sigsend.ts, delivery in
// sigdeliver.ts.

import type { Task } from "../proc/task.ts";

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7;
export const SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13;
export const SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19;
export const SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25;
export const SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const SIGRTMIN = 32;
export const NSIG = 64;

// si_code values (<uapi/asm-generic/siginfo.h>)
export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_MESGQ = -3;
export const SI_ASYNCIO = -4, SI_SIGIO = -5, SI_TKILL = -6;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2;
export const BUS_ADRALN = 1, BUS_ADRERR = 2;
export const ILL_ILLOPC = 1, ILL_PRVOPC = 5;
export const TRAP_BRKPT = 1;
export const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5, CLD_CONTINUED = 6;

// sa_flags
export const SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;

const NAMES = [
  "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
  "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
  "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
  "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
];

/** "SIGSEGV" for 11; real-time signals as SIGRTMIN / SIGRT_n like strace. */
export function signalName(sig: number): string {
  if (sig > 0 && sig < NAMES.length) return NAMES[sig]!;
  if (sig >= 32 && sig <= NSIG) return sig === 32 ? "SIGRTMIN" : `SIGRT_${sig - 32}`;
  return String(sig);
}

/** Signals whose default action dumps core (the shell adds "(core dumped)" when a core is written). */
const CORE = new Set([SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS]);
const IGNORE = new Set([SIGCHLD, SIGURG, SIGWINCH, SIGCONT]);
const STOP = new Set([SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU]);

export type DefaultAction = "term" | "core" | "ign" | "stop" | "cont";

/** The default action of a signal (signal(7)). */
export function defaultAction(sig: number): DefaultAction {
  if (sig === SIGCONT) return "cont";
  if (IGNORE.has(sig)) return "ign";
  if (STOP.has(sig)) return "stop";
  return CORE.has(sig) ? "core" : "term";
}

/** Whether sig is a job-control stop signal. */
export function isStopSignal(sig: number): boolean {
  return STOP.has(sig);
}

export const SIG_DFL = 0n, SIG_IGN = 1n;

/** struct k_sigaction, as the guest set it. */
export interface SigAction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}

/** The bit of `sig` in a sigset_t. */
export function sigbit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/** SIGKILL and SIGSTOP: never blocked, caught or ignored. */
export const UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);

/** The signals the kernel raises synchronously for a fault: dequeued before any other. */
export const SYNCHRONOUS = sigbit(SIGSEGV) | sigbit(SIGBUS) | sigbit(SIGILL) | sigbit(SIGTRAP) | sigbit(SIGFPE) | sigbit(SIGSYS);

/** kernel_siginfo: the fields a siginfo_t carries, by layout (siginfo.ts encodes them). */
export interface SigInfo {
  signo: number;
  code: number;
  errno?: number;
  pid?: number;
  uid?: number;
  /** SIGCHLD: exit code or signal; times in clock ticks. */
  status?: number;
  utime?: bigint;
  stime?: bigint;
  /** Faults: the address, all 64 bits of it (a riscv64 address need not fit in a double). */
  addr?: bigint;
  /** sigqueue / timers: the sigval. */
  value?: bigint;
  tid?: number;
  overrun?: number;
  /** SIGPOLL */
  band?: bigint;
  fd?: number;
}

/** struct sigpending: a set of pending signals and the siginfo queued for each. */
export class SigPending {
  signal = 0n;
  readonly queue: SigInfo[] = [];

  /** Queues info; a standard signal already pending is not queued twice (legacy_queue). */
  add(info: SigInfo): void {
    const bit = sigbit(info.signo);
    if (info.signo < SIGRTMIN && this.signal & bit) return;
    this.signal |= bit;
    this.queue.push(info);
  }

  /** Removes and returns the first queued instance of sig (null when not pending). */
  take(sig: number): SigInfo | null {
    const i = this.queue.findIndex((q) => q.signo === sig);
    if (i < 0) return null;
    const [info] = this.queue.splice(i, 1);
    if (!this.queue.some((q) => q.signo === sig)) this.signal &= ~sigbit(sig);
    return info!;
  }

  /** Drops every instance of the signals in mask. */
  flush(mask: bigint): void {
    if ((this.signal & mask) === 0n) return;
    for (let i = this.queue.length - 1; i >= 0; i--) if (mask & sigbit(this.queue[i]!.signo)) this.queue.splice(i, 1);
    this.signal &= ~mask;
  }
}

/** The lowest-numbered signal in mask, synchronous ones first (next_signal); 0 when empty. */
export function nextSignal(mask: bigint): number {
  if (mask === 0n) return 0;
  const sync = mask & SYNCHRONOUS;
  const m = sync !== 0n ? sync : mask;
  for (let s = 1; s <= NSIG; s++) if (m & sigbit(s)) return s;
  return 0;
}

function defaultSigAction(): SigAction {
  return { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
}

/** struct sighand_struct: the dispositions, shared by CLONE_SIGHAND. */
export class SigHand {
  readonly actions: SigAction[] = Array.from({ length: NSIG + 1 }, defaultSigAction);

  /** A copy for fork without CLONE_SIGHAND. */
  clone(): SigHand {
    const s = new SigHand();
    this.actions.forEach((a, i) => (s.actions[i] = { ...a }));
    return s;
  }

  /** exec's flush_signal_handlers: caught signals go back to SIG_DFL, ignored ones stay ignored. */
  flushForExec(): void {
    for (let i = 1; i <= NSIG; i++) {
      const a = this.actions[i]!;
      if (a.handler !== SIG_IGN) this.actions[i] = defaultSigAction();
      else a.flags = 0n;
    }
  }
}

/** stack_t for sigaltstack(2). */
export interface AltStack {
  sp: bigint;
  size: bigint;
  flags: number;
}

export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1 << 31;

/** An alternate stack that is not set up. */
export function noAltStack(): AltStack {
  return { sp: 0n, size: 0n, flags: SS_DISABLE };
}

/** dequeue_signal: takes the lowest pending signal of `mask` for t, its own before its process's. */
export function dequeueSignal(t: Task, mask: bigint): SigInfo | null {
  const own = nextSignal(t.pending.signal & mask);
  if (own) return t.pending.take(own);
  const shared = nextSignal(t.group.shared.signal & mask);
  return shared ? t.group.shared.take(shared) : null;
}
