// The shape of a system call definition: the handler and what strace needs to print it. Family
// files (fs.ts, mm.ts, ...) export these; a table file binds them to numbers per architecture.

import type { KernelApi } from "../src/kernel/api.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import type { SyscallArgs } from "./args.ts";

/**
 * How strace shows an argument: a name from src/kernel/strace/kinds*.ts ("int", "fd", "path",
 * "buf_in", "stat_out" ...). Kinds ending in "_out" point at memory the call fills: they are
 * decoded after the call, the others before it. A family with kinds of its own adds a decoder
 * file there; the table test checks every kind used has a decoder.
 */
export type ArgKind = string;

export type RetKind = "int" | "hex" | "fd" | "none";

/**
 * A handler: the result, or a negative errno, as the kernel's SYSCALL_DEFINE returns. `k` is the
 * kernel API (uaccess, errno, printk, random) that plug-ins use too.
 */
export type SyscallFn = (task: Task, args: SyscallArgs, k: KernelApi) => number;

export interface SyscallDef {
  /** The name strace prints (without sys_). */
  name: string;
  args: readonly ArgKind[];
  ret?: RetKind;
  fn: SyscallFn;
  /** How much of the call's contract is implemented, as gVisor's tables say it. */
  support?: "full" | "partial";
  note?: string;
}

/** Declares a system call (a typed identity: keeps definitions checked and greppable). */
export function defineSyscall(def: SyscallDef): SyscallDef {
  return def;
}
