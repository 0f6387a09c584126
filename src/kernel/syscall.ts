// The one place a system call goes through: number → handler, arguments typed, the result or
// -errno back in the registers, strace and statistics on the way. Handlers never throw; an
// exception out of one is an oops (a bug in sysemu or in a plug-in), which kills the caller.

import { SyscallArgs } from "../../syscalls/args.ts";
import { kernelApi } from "./api.ts";
import type { TableEntry } from "../../syscalls/table.ts";
import { ENOSYS, ERESTARTSYS, EINTR } from "./errno.ts";
import { oops } from "./oops.ts";
import type { Task } from "./task.ts";

export type SyscallTable = ReadonlyMap<number, TableEntry>;

/** Thrown by a handler that ends its task (exit, exit_group): there is no return value. */
export class TaskExit extends Error {}

const raw = new BigInt64Array(6);
const args = new SyscallArgs(raw);
const warnedMissing = new Set<number>();

/** Handles the system call `t` trapped on. */
export function doSyscall(t: Task): void {
  const k = t.kernel;
  const nr = t.regs.syscallNr();
  t.regs.syscallArgs(raw);
  const entry = k.table.get(nr);
  t.syscallCount++;
  const name = entry?.name ?? `syscall_${nr}`;
  k.syscallCounts.set(name, (k.syscallCounts.get(name) ?? 0) + 1);
  const trace = k.strace?.enter(t, nr, entry?.def ?? null, args) ?? null;
  let ret: number;
  if (!entry) {
    if (!warnedMissing.has(nr)) warnedMissing.add(nr);
    ret = -ENOSYS;
  } else {
    try {
      ret = entry.def.fn(t, args, kernelApi);
    } catch (e) {
      if (e instanceof TaskExit) {
        trace?.exit(null);
        k.strace?.exited(t, (t.exitCode >> 8) & 0xff);
        return;
      }
      oops(t, entry, e);
      return;
    }
  }
  if (ret === -ERESTARTSYS) ret = -EINTR; // no signal delivery yet: nothing to restart for
  trace?.exit(ret);
  if (t.state === "running") t.regs.syscallReturn(BigInt(ret));
}
