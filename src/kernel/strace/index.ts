// strace(1)'s output format, driven by the argument kinds in the syscall table: each call is
// printed when it returns, as `name(args...) = result`, padded to column 40 as strace does.

import type { SyscallArgs } from "../../../syscalls/args.ts";
import type { ArgKind, SyscallDef } from "../../../syscalls/types.ts";
import { errnoName, errnoText } from "../errno.ts";
import { signalName, type SigInfo } from "../signal/signal.ts";
import type { Task } from "../proc/task.ts";
import type { Trap } from "../trap/arch.ts";
import { siCodeName } from "./flags.ts";
import { addrOrNull } from "./decode.ts";
import { DECODERS } from "./kinds.ts";
import { siginfoText } from "./kinds-proc.ts";

export interface TraceCall {
  exit(ret: number | null): void;
}

export class Strace {
  constructor(private readonly out: (line: string) => void) {}

  /** Called before a handler runs; the returned object prints the line when it returns. */
  enter(t: Task, nr: number, def: SyscallDef | null, a: SyscallArgs): TraceCall {
    if (!def) {
      const text = `syscall_0x${nr.toString(16)}(${[0, 1, 2, 3, 4, 5].map((i) => "0x" + a.ulong(i).toString(16)).join(", ")})`;
      return { exit: (ret) => this.line(t, text, ret, "int") };
    }
    const before = def.args.map((k, i) => (isOut(k) ? null : formatArg(t, k, a, i, null)));
    return {
      exit: (ret) => {
        const parts = def.args.map((k, i) => before[i] ?? formatArg(t, k, a, i, ret));
        // a "ret:<name>" decoder adds what strace shows after a success: `= 1 ([{fd=0, revents=POLLIN}])`
        const note = ret !== null && ret >= 0 ? DECODERS.get(`ret:${def.name}`)?.({ t, a, i: -1, ret, failed: false }) : undefined;
        this.line(t, `${def.name}(${omitUnused(def, a, parts).join(", ")})`, ret, def.ret ?? "int", note);
      },
    };
  }

  /** `--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---` */
  signal(t: Task, trap: Extract<Trap, { kind: "fault" }>): void {
    const name = signalName(trap.signal);
    const addr = addrOrNull(trap.addr);
    this.out(`${this.prefix(t)}--- ${name} {si_signo=${name}, si_code=${siCodeName(trap.signal, trap.code)}, si_addr=${addr}} ---`);
  }

  /** `--- SIGHUP {si_signo=SIGHUP, si_code=SI_TKILL, si_pid=1000, si_uid=0} ---` as a signal is delivered. */
  signalDelivered(t: Task, info: SigInfo): void {
    this.out(`${this.prefix(t)}--- ${signalName(info.signo)} ${siginfoText(info)} ---`);
  }

  /** `+++ killed by SIGSEGV +++` (with "(core dumped)" left out: sysemu writes no core). */
  killed(t: Task, sig: number): void {
    this.out(`${this.prefix(t)}+++ killed by ${signalName(sig)} +++`);
  }

  /** `+++ exited with 0 +++` */
  exited(t: Task, code: number): void {
    this.out(`${this.prefix(t)}+++ exited with ${code} +++`);
  }

  private prefix(t: Task): string {
    // as strace -f: "[pid %5u] " while more than one traced task is alive (an exiting one counts)
    const live = t.kernel.liveTasks() + (t.state === "zombie" || t.state === "dead" ? 1 : 0);
    return live > 1 ? `[pid ${String(t.tid).padStart(5)}] ` : "";
  }

  private line(t: Task, call: string, ret: number | null, kind: string, note?: string): void {
    const head = this.prefix(t) + call;
    const pad = head.length < 40 ? head.padEnd(40) + "= " : head + " = ";
    this.out(pad + formatRet(ret, kind) + (note ? ` ${note}` : ""));
    // signals the task ignored, shown after the call they arrived in as a tracer would see them
    for (const info of t.straceNotes.splice(0)) this.signalDelivered(t, info);
  }
}

function isOut(k: ArgKind): boolean {
  return k.endsWith("_out");
}

/** openat's mode is shown only when O_CREAT or O_TMPFILE makes it meaningful, like strace. */
function omitUnused(def: SyscallDef, a: SyscallArgs, parts: string[]): string[] {
  const m = def.args.indexOf("mode");
  const f = def.args.indexOf("oflags");
  if (m >= 0 && f >= 0 && (a.int(f) & (0o100 | 0o20000000)) === 0) parts = parts.filter((_, i) => i !== m);
  return parts.filter((p) => p !== ""); // a decoder returns "" for an argument strace leaves out (clone's, futex's)
}

/** The kernel-internal restart codes, as strace shows a call a signal interrupted. */
const RESTART_TEXT: Record<number, string> = {
  512: "ERESTARTSYS (To be restarted if SA_RESTART is set)",
  513: "ERESTARTNOINTR (To be restarted)",
  514: "ERESTARTNOHAND (To be restarted if no handler)",
  516: "ERESTART_RESTARTBLOCK (Interrupted by signal)",
};

function formatRet(ret: number | null, kind: string): string {
  if (ret === null) return "?";
  if (RESTART_TEXT[-ret]) return `? ${RESTART_TEXT[-ret]}`;
  if (ret < 0 && ret > -4096) {
    const name = errnoName(-ret);
    return `-1 ${name ?? "E???"} (${errnoText(-ret)})`;
  }
  return kind === "hex" ? "0x" + ret.toString(16) : String(ret);
}


function formatArg(t: Task, k: ArgKind, a: SyscallArgs, i: number, ret: number | null): string {
  const decode = DECODERS.get(k);
  if (!decode) return "0x" + a.ulong(i).toString(16);
  return decode({ t, a, i, ret, failed: ret !== null && ret < 0 });
}
