// Signal numbers, names and per-task signal state. Delivery to handlers comes with the process
// issue; for now a task records its dispositions and dies of a fatal signal by its default action.

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7;
export const SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13;
export const SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19;
export const SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25;
export const SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const NSIG = 64;

// si_code values for faults
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2;
export const BUS_ADRALN = 1, BUS_ADRERR = 2;
export const ILL_ILLOPC = 1, ILL_PRVOPC = 5;
export const TRAP_BRKPT = 1;

const NAMES = [
  "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
  "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
  "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
  "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
];

/** "SIGSEGV" for 11; real-time signals as SIGRTMIN+n like strace. */
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

export const SIG_DFL = 0n, SIG_IGN = 1n;

/** struct k_sigaction, as the guest set it. */
export interface SigAction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}

/** Per-task (and for now per-process) signal state. */
export class SignalState {
  readonly actions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n }));
  blocked = 0n;
  pending = 0n;
  altstack = { sp: 0n, flags: 2 /* SS_DISABLE */, size: 0n };

  /** A copy for fork (dispositions and mask are inherited, pending signals are not). */
  clone(): SignalState {
    const s = new SignalState();
    this.actions.forEach((a, i) => (s.actions[i] = { ...a }));
    s.blocked = this.blocked;
    return s;
  }
}

/** The bit of `sig` in a sigset_t. */
export function sigbit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}
