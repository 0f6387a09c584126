// What every host function a wasm guest calls shares: the task it acts for, the checks made on
// each entry into the kernel (counting, --timeout), and the exceptions that unwind the guest's
// wasm stack when the task must not continue (it exited, was killed, or ran out of time).

import type { Kernel } from "../kernel/kernel.ts";
import type { Task } from "../kernel/proc/task.ts";
import type { KernelBridge } from "./bridge.ts";
import type { WasmMM } from "./memory.ts";

/** Thrown through the guest's frames once its task is no longer running (exit, fatal signal). */
export class GuestExit extends Error {
  constructor() {
    super("guest task ended");
  }
}

/** Thrown through the guest's frames when --timeout has passed. */
export class GuestTimeout extends Error {
  constructor() {
    super("guest stopped by --timeout");
  }
}

/** Writes one finished trace line (the same sink the Linux strace writes to). */
export type TraceSink = (line: string) => void;

/** One wasm guest: its task, memory, kernel bridge and limits. */
export class WasmGuest {
  constructor(
    readonly t: Task,
    readonly mm: WasmMM,
    readonly k: KernelBridge,
    readonly trace: TraceSink | null,
    /** performance.now() after which --timeout stops the guest (Infinity: no limit). */
    readonly deadline: number,
  ) {}

  get kernel(): Kernel {
    return this.t.kernel;
  }

  /**
   * Called on every entry from the guest into the host: counts the call for --stats and stops
   * the guest once --timeout has passed. A guest that never calls the host cannot be stopped
   * this way: see runWasm's documentation of --timeout.
   */
  enter(name: string): void {
    const counts = this.t.kernel.syscallCounts;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    this.t.syscallCount++;
    if (this.deadline !== Infinity && performance.now() > this.deadline) throw new GuestTimeout();
  }

  /** Unwinds the guest when its task has ended. */
  leaveIfDead(): void {
    if (this.t.state !== "running") throw new GuestExit();
  }
}

/** strace's column: results start at column 40 when the call is shorter. */
export function traceLine(call: string, result: string): string {
  return (call.length < 40 ? call.padEnd(40) : call + " ") + "= " + result;
}
