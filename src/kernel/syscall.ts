// The one place a system call goes through: number → handler, arguments typed, the result or
// -errno back in the registers, strace and statistics on the way. How a handler's result says
// that the call is done, sleeps, restarts, set the registers itself or ended the task is
// sysret.ts's protocol; runHandler() is the only caller of handlers (the trap path here, the
// WebAssembly bridge and the unit tests through runToEnd), and the only place an exception
// from one is caught: as an oops (a bug in sysemu or in a plug-in), which kills the caller.

import { SyscallArgs } from "../../syscalls/args.ts";
import { kernelApi } from "./api.ts";
import type { TableEntry } from "../../syscalls/table.ts";
import type { SyscallDef } from "../../syscalls/types.ts";
import { EINTR, ENOSYS } from "./errno.ts";
import { sleepMs } from "./fs/hostfile.ts";
import { KERN_WARNING } from "./printk.ts";
import { oops } from "./oops.ts";
import { oomKill } from "./proc/oom.ts";
import { EXITED, finishSyscall, isRestart, PARK, RETRY, type SysRet } from "./sysret.ts";
import type { Task } from "./proc/task.ts";

/** A handler and what an oops report names it by (a TableEntry is one). */
export interface CallSite {
  nr: number;
  name: string;
  origin: string;
  def: SyscallDef;
}

export type SyscallTable = ReadonlyMap<number, TableEntry>;

/**
 * Runs one call of a handler: its SysRet, never an exception. An exception is an oops (the
 * task is killed: EXITED); a copy that found no free frame gets the OOM killer; a sleep asked
 * for and then not returned (a short writev) is forgotten.
 */
export function runHandler(t: Task, site: CallSite, args: SyscallArgs): SysRet {
  t.blockState?.retry?.(); // a rerun (RETRY) starts from the progress the call kept
  let ret: SysRet;
  try {
    ret = site.def.fn(t, args, kernelApi);
  } catch (e) {
    t.sleepRequest = null;
    oops(t, site, e);
    return EXITED;
  }
  if (t.mm.oom) {
    t.mm.oom = false;
    oomKill(t); // the handler saw -EFAULT or -ENOMEM; SIGKILL ends the task on its way out
  }
  if (ret !== PARK) t.sleepRequest = null;
  else if (t.sleepRequest === null) return -ENOSYS; // PARK without sleepOn: a handler bug
  return ret;
}

const raw = new BigInt64Array(6);
const args = new SyscallArgs(raw);

/** Handles the system call `t` trapped on. */
export function doSyscall(t: Task): void {
  const k = t.kernel;
  const nr = t.regs.syscallNr();
  t.regs.syscallArgs(raw);
  const site = k.table.get(nr);
  count(t, site?.name ?? `syscall_${nr}`);
  // A call that sleeps is printed when it completes, after other calls reused `raw`: strace
  // gets arguments of its own.
  const trace = t.retryTrace ?? k.strace?.enter(t, nr, site?.def ?? null, new SyscallArgs(raw.slice())) ?? null;
  t.retryTrace = null;
  const mask = t.blocked;
  const ret = site ? runHandler(t, site, args) : missing(t, nr);
  if (ret === PARK) {
    // a mask the call set for its wait (ppoll's) stays on while it sleeps
    if (t.blocked !== mask && t.savedSigmask === null) t.savedSigmask = mask;
    k.sched.commit(t, trace);
  } else {
    finishSyscall(t, ret, trace);
    if (ret === EXITED && (t.exitCode & 0x7f) === 0) k.strace?.exited(t, (t.exitCode >> 8) & 0xff);
  }
}

function count(t: Task, name: string): void {
  const counts = t.kernel.syscallCounts;
  t.syscallCount++;
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

/** A number no handler has: -ENOSYS, said once per number in the kernel log (pr_warn_once). */
function missing(t: Task, nr: number): SysRet {
  const k = t.kernel;
  if (!k.warnedNr.has(nr)) {
    k.warnedNr.add(nr);
    const name = k.syscallName(nr);
    k.printk.printk(KERN_WARNING, `sysemu: unimplemented syscall ${nr}${name ? ` (${name})` : ""} from ${t.comm}[${t.tid}]`);
  }
  return -ENOSYS;
}

const CLOCK_MONOTONIC = 1;

/**
 * Runs a call to its end on the host thread, for callers that cannot leave it unfinished (a
 * WebAssembly import, a unit test): a sleep is waited out until its deadline (nothing else
 * runs meanwhile), a RETRY runs the call again. A sleep with no deadline could never end:
 * `forever` says what then (EINTR by default). `setArgs` fills the arguments before each run
 * (a nested call may have reused them). The result, a restart turned into EINTR.
 */
export function runToEnd(t: Task, site: CallSite, args: SyscallArgs, setArgs: () => void, forever: () => SysRet = () => -EINTR): SysRet {
  for (;;) {
    setArgs();
    let r = runHandler(t, site, args);
    if (r === PARK) {
      const s = t.sleepRequest!;
      t.sleepRequest = null;
      if (s.deadline === null) {
        r = forever();
      } else {
        sleepUntil(t, s.deadline);
        r = s.resume("timeout", 0);
      }
    }
    if (r === RETRY) continue;
    t.blockState = null; // the call is complete (finishSyscall's job, which this path bypasses)
    return isRestart(r) || r === EXITED ? -EINTR : r;
  }
}

/** Blocks the host thread until CLOCK_MONOTONIC reaches `deadline` (ns). */
export function sleepUntil(t: Task, deadline: bigint): void {
  for (;;) {
    const now = t.kernel.clock.now(CLOCK_MONOTONIC)!;
    if (now >= deadline) return;
    sleepMs(Math.min(Number((deadline - now) / 1_000_000n) + 1, 1000));
  }
}
