// What the kernel needs from an architecture's trap glue: the syscall number and arguments out
// of the registers, the result back in, signal frames, and a way to run the CPU until the next
// trap.

import type { MM } from "../../mm/mm.ts";
import type { AltStack } from "../signal/signal.ts";

/** Why the CPU stopped, in the kernel's words. */
export type Trap =
  | { kind: "syscall" }
  | { kind: "fault"; signal: number; code: number; addr: bigint }
  | { kind: "budget" };

/** What setup_rt_frame needs besides the registers. */
export interface FrameRequest {
  sig: number;
  handler: bigint;
  /**
   * Where the handler returns to; unset: the architecture's own way back (riscv64: the vDSO's
   * __vdso_rt_sigreturn at vdsoBase).
   */
  restorer?: bigint;
  /** Where the task's vDSO is mapped. */
  vdsoBase?: number;
  /** The encoded siginfo_t. */
  siginfo: Uint8Array;
  /** The mask rt_sigreturn restores. */
  mask: bigint;
  /** uc_stack: the alternate stack as it was when the signal came. */
  ucStack: AltStack;
}

/** What rt_sigreturn found in the frame besides the registers. */
export interface RestoredFrame {
  mask: bigint;
  stack: AltStack;
}

/**
 * A task's CPU state and how the kernel talks to it. An architecture without signal frames or
 * restartable instructions (wasm, whose "syscall" is an import call) leaves the optional ones out.
 */
export interface ArchRegs {
  /** Runs up to `budget` instructions; returns what stopped it. */
  run(budget: number): Trap;
  /** Instructions retired so far. */
  readonly instret: number;
  pc: number;
  syscallNr(): number;
  /** Fills `out` with the six raw argument registers. */
  syscallArgs(out: BigInt64Array): void;
  /** Sets the return value and steps past the syscall instruction. */
  syscallReturn(value: bigint): void;
  /** The return-value register as it stands (what rt_sigreturn restored, for strace). */
  returnValue?(): bigint;
  /** Makes the ecall the task stands on call restart_syscall(2) (ERESTART_RESTARTBLOCK). */
  syscallRestartBlock?(): void;
  /** The stack pointer, for signal frames and clone. */
  sp: bigint;
  /** Set the thread pointer (CLONE_SETTLS). */
  tp: bigint;
  /** Bytes of a signal frame (before alignment; an upper bound where the layout has gaps). */
  readonly sigframeSize?: number;
  /** Bytes below sp the ABI lets code use without moving sp (x86-64's 128-byte red zone): frames skip them. */
  readonly redZone?: number;
  /** get_sigframe's placement for a stack pointer; unset: (sp - sigframeSize) rounded down to 16. */
  sigframeAddress?(sp: bigint): bigint;
  /** Where rt_sigreturn finds the saved signal mask, counted from sp (for strace); unset: riscv64's 168. */
  readonly sigmaskOffset?: number;
  /** Writes a signal frame at `frame` and enters the handler; false when memory refuses it. */
  setupRtFrame?(mm: MM, frame: number, req: FrameRequest): boolean;
  /** rt_sigreturn: restores every register from the frame at sp; null for a bad frame. */
  restoreRtFrame?(mm: MM): RestoredFrame | null;
  /**
   * x86-64's FS and GS segment bases (arch_prctl ARCH_SET_FS ...): reads one, or sets it when a
   * value is given. Architectures without segment bases leave it out.
   */
  segmentBase?(which: "fs" | "gs", value?: bigint): bigint;
  /** Forget decoded instructions (fence.i done by the kernel for riscv_flush_icache). */
  flushIcache(): void;
  /** The task will not run these registers again (exit, or exec gave it new ones): drop what the CPU compiled. */
  release?(): void;
  /** An independent copy of the registers for fork/clone, running in `mm`. */
  clone(mm: MM): ArchRegs;
}

/** The registers of a task that never runs user code: the kernel's own init (pid 1). */
export class KernelThreadRegs implements ArchRegs {
  pc = 0;
  sp = 0n;
  tp = 0n;
  readonly instret = 0;
  run(): Trap {
    throw new Error("a kernel thread has no user code to run");
  }
  syscallNr(): number {
    return -1;
  }
  syscallArgs(): void {}
  syscallReturn(): void {}
  flushIcache(): void {}
  clone(): ArchRegs {
    return new KernelThreadRegs();
  }
}
