// The shape of a system call definition: the handler and what strace needs to print it. Family
// files (fs.ts, mm.ts, ...) export these; a table file binds them to numbers per architecture.

import type { Task } from "../src/kernel/task.ts";
import type { SyscallArgs } from "./args.ts";

/**
 * How strace shows an argument. Kinds ending in "_out" point at memory the call fills: they
 * are decoded after the call, the others before it.
 */
export type ArgKind =
  | "int" | "uint" | "long" | "ulong" | "hex" | "size" | "fd" | "dirfd" | "ptr"
  | "path" | "str"                       // NUL-terminated strings
  | "buf_in" | "buf_out"                 // (buf, count) pairs: the next argument is the length
  | "iovec_in" | "iovec_out"             // (iov, iovcnt)
  | "oflags" | "mode" | "access_mode" | "atflags" | "whence" | "prot" | "mapflags" | "mremapflags"
  | "clockid" | "signal" | "sigprocmask_how" | "ioctl_req" | "grnd_flags" | "fcntl_cmd"
  | "timespec" | "timespec_out" | "timeval_out" | "stat_out" | "statx_out" | "utsname_out"
  | "sigaction" | "sigaction_out" | "sigset" | "sigset_out" | "rlimit" | "rlimit_out" | "resource"
  | "pollfd" | "hello2_in" | "hello2_out";

export type RetKind = "int" | "hex" | "fd" | "none";

/** A handler: the result, or a negative errno, as the kernel's SYSCALL_DEFINE returns. */
export type SyscallFn = (task: Task, args: SyscallArgs) => number;

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
