// The one place a system call goes through: number → handler, arguments typed, the result or
// -errno back in the registers, strace and statistics on the way. Handlers never throw; an
// exception out of one is an oops (a bug in sysemu or in a plug-in), which kills the caller.
//
// A handler's result may also be one of sysret.ts's internal codes: PARK (the task sleeps; the
// scheduler completes the call later through finishSyscall), JUSTRETURN (execve, rt_sigreturn
// set every register themselves), or an ERESTART* code left for signal delivery to settle.

import { SyscallArgs } from "../../syscalls/args.ts";
import { kernelApi } from "./api.ts";
import type { TableEntry } from "../../syscalls/table.ts";
import { ENOSYS } from "./errno.ts";
import { oops } from "./oops.ts";
import { OutOfMemory } from "../mm/physmem.ts";
import { oomKill } from "./proc/oom.ts";
import type { TraceCall } from "./strace/index.ts";
import { SyscallPark } from "./proc/sched.ts";
import { isRestart, JUSTRETURN, PARK, RETRY } from "./sysret.ts";
import type { Task } from "./proc/task.ts";

export type SyscallTable = ReadonlyMap<number, TableEntry>;

/** Thrown by a handler that ends its task (exit, exit_group): there is no return value. */
export class TaskExit extends Error {}

const raw = new BigInt64Array(6);
const args = new SyscallArgs(raw);

/** Handles the system call `t` trapped on. */
export function doSyscall(t: Task): void {
  const k = t.kernel;
  const nr = t.regs.syscallNr();
  t.regs.syscallArgs(raw);
  const entry = k.table.get(nr);
  t.syscallCount++;
  const name = entry?.name ?? `syscall_${nr}`;
  k.syscallCounts.set(name, (k.syscallCounts.get(name) ?? 0) + 1);
  // A call that sleeps is printed when it completes, after other calls reused `raw`: strace
  // gets arguments of its own.
  const trace = t.retryTrace ?? k.strace?.enter(t, nr, entry?.def ?? null, new SyscallArgs(raw.slice())) ?? null;
  t.retryTrace = null;
  t.blockState?.retry?.();
  const mask = t.blocked;
  let ret: number;
  if (!entry) {
    ret = -ENOSYS;
  } else {
    try {
      ret = entry.def.fn(t, args, kernelApi);
    } catch (e) {
      if (e instanceof SyscallPark && t.sleepRequest) {
        // a mask the call set for its wait (ppoll's) stays on while it sleeps
        if (t.blocked !== mask && t.savedSigmask === null) t.savedSigmask = mask;
        k.sched.commit(t, trace);
        return;
      }
      t.sleepRequest = null;
      if (e instanceof TaskExit) {
        trace?.exit(null);
        k.strace?.exited(t, (t.exitCode >> 8) & 0xff);
        return;
      }
      if (e instanceof OutOfMemory) oomKill(t); // the handler's copy found no free frame
      else oops(t, entry, e);
      return;
    }
  }
  if (ret === PARK && t.sleepRequest) {
    k.sched.commit(t, trace);
    return;
  }
  t.sleepRequest = null; // asked to sleep, then finished after all (a short writev, say)
  finishSyscall(t, ret === PARK ? -ENOSYS : ret, trace);
}

/** Completes a call with `ret`: the result register, a pending restart, or (RETRY) nothing. */
export function finishSyscall(t: Task, ret: number, trace: TraceCall | null): void {
  if (ret === RETRY) return; // pc is still on the ecall: the call runs again
  t.blockState = null;
  if (ret === JUSTRETURN) {
    trace?.exit(t.justReturned);
    return;
  }
  trace?.exit(ret);
  if (t.state === "zombie" || t.state === "dead") return;
  if (isRestart(ret)) t.restart = ret; // signal delivery decides: restart, or EINTR
  else t.regs.syscallReturn(BigInt(ret));
}
