// What the kernel keeps about its student system calls during a run: one record per call (the
// user accesses it made, how it ended) and the findings of the user-memory checks, for a grader
// in the same process (kmodState(kernel)) or `sysemu run --kmod-report FILE`.

import { kernelStatic, type Kernel } from "../kernel/kernel.ts";
import type { Finding, Regions, UserAccess } from "./uaccess-check.ts";

export type CallOutcome = "returned" | "oops" | "soft-lockup" | "stack-protector" | "bug";

export interface CallRecord {
  /** 0, 1, 2 ... over every student call of this kernel. */
  index: number;
  syscall: string;
  nr: number;
  pid: number;
  tid: number;
  comm: string;
  /** The six argument registers, in hex. */
  args: string[];
  /** The value returned to user space; null when the call did not return (the task died). */
  ret: number | null;
  outcome: CallOutcome;
  /** What the kernel log says about an outcome other than "returned". */
  message?: string;
  /** WebAssembly instructions the handler executed. */
  instructions: number;
  accesses: UserAccess[];
  regions: Regions | null;
}

export interface KmodFinding extends Finding {
  syscall: string;
  pid: number;
  tid: number;
  /** The CallRecord.index of the call. */
  call: number;
}

export interface KmodState {
  records: CallRecord[];
  findings: KmodFinding[];
  /** Calls made, even past the records kept (MAX_RECORDS). */
  calls: number;
}

/** Records beyond this many calls are counted but not kept (a loop of a million calls). */
export const MAX_RECORDS = 10_000;

const states = kernelStatic((): KmodState => ({ records: [], findings: [], calls: 0 }));

/** The kmod records and findings of a kernel (empty until a student call runs). */
export function kmodState(kernel: Kernel): KmodState {
  return states(kernel);
}
