// The grader's strace: the same hooks `--strace` uses, recording each call's name and result as
// an event instead of formatting a line, so trace properties ("calls hello2 exactly 3 times",
// "no call fails with EFAULT") are checked on data, not on parsed text.

import type { SyscallArgs } from "../../syscalls/args.ts";
import type { SyscallDef } from "../../syscalls/types.ts";
import type { Task } from "../kernel/proc/task.ts";
import { Strace, type TraceCall } from "../kernel/strace/index.ts";

export interface CallEvent {
  tid: number;
  nr: number;
  name: string;
  /** The result, or null for a call that did not return (exit, a kill). */
  ret: number | null;
}

export class EventTrace extends Strace {
  readonly calls: CallEvent[] = [];
  /** Called when a call enters (kmod's per-call uaccess recording starts there). */
  onEnter: ((t: Task, nr: number) => void) | null = null;
  /** Called when a call returns. */
  onExit: ((t: Task, ev: CallEvent) => void) | null = null;

  constructor() {
    super(() => {});
  }

  override enter(t: Task, nr: number, def: SyscallDef | null, _a: SyscallArgs): TraceCall {
    this.onEnter?.(t, nr);
    const name = def?.name ?? `syscall_${nr}`;
    return {
      exit: (ret) => {
        const ev = { tid: t.tid, nr, name, ret };
        this.calls.push(ev);
        this.onExit?.(t, ev);
      },
    };
  }

  override signal(): void {}
  override signalDelivered(): void {}
  override killed(): void {}
  override exited(): void {}
}
