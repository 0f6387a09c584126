// The types of a sysemu plug-in (`sysemu run --syscalls FILE`): reference this file from a
// plug-in written in TypeScript, e.g.
//
//   import type { PluginSyscall } from "sysemu/sysemu-plugin.d.ts";   // or a relative path
//   export default [{ nr: 1000, name: "hello3", args: ["str", "ptr", "size"], fn(t, a, k) { ... } }] satisfies PluginSyscall[];
//
// The types are sysemu's own (the handler API of syscalls/hello.ts), so they cannot drift from
// what the loader passes. The loader checks at load time what types cannot: the number range
// and that every argument kind has a strace decoder.

import type { KernelApi } from "./src/kernel/api.ts";
import type { Task } from "./src/kernel/proc/task.ts";
import type { SyscallArgs } from "./syscalls/args.ts";
import type { RetKind } from "./syscalls/types.ts";

export type { KernelApi, Task, SyscallArgs, RetKind };

/**
 * How strace shows an argument. The common kinds are listed (numbers, pointers, strings and
 * buffers); every kind of src/kernel/strace/kinds*.ts is accepted ("stat_out", "sockaddr" ...),
 * and an unknown one is an error when the plug-in is loaded. Kinds ending in "_out" are
 * decoded after the call (memory the call fills), the others before it.
 */
export type ArgKind =
  | "int" | "uint" | "long" | "ulong" | "size" | "hex" | "fd" | "dirfd" | "ptr"
  | "str" | "path" | "buf_in" | "buf_out" | "mode" | "oflags" | "signal"
  | (string & {});

/**
 * Numbers: PLUGIN_NR_FIRST..PLUGIN_NR_LAST (1000..1999) are kept for plug-ins; 400 and 401 may
 * replace sys_hello/sys_hello2 when sysemu runs with --no-hello. Any other number is refused
 * (Linux's, now or later), as is a number another plug-in took.
 */
export interface PluginSyscall {
  nr: number;
  /** The name strace and `sysemu syscalls` print (a word, without sys_). */
  name: string;
  /** At most six, one per argument register. */
  args: readonly ArgKind[];
  /** How strace shows the result (default "int"). */
  ret?: RetKind;
  /** The handler: the result, or a negative errno (-k.errno.EFAULT ...), as SYSCALL_DEFINE returns. */
  fn(t: Task, a: SyscallArgs, k: KernelApi): number;
  support?: "full" | "partial";
  note?: string;
}
