// What the kernel needs from an architecture's trap glue: the syscall number and arguments out
// of the registers, the result back in, and a way to run the CPU until the next trap.

/** Why the CPU stopped, in the kernel's words. */
export type Trap =
  | { kind: "syscall" }
  | { kind: "fault"; signal: number; code: number; addr: number }
  | { kind: "budget" };

/** A task's CPU state and how the kernel talks to it. */
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
  /** Leaves pc on the syscall instruction so it runs again (restart). */
  syscallRestart(): void;
  /** The stack pointer, for signal frames and clone. */
  sp: bigint;
  /** Set the thread pointer (CLONE_SETTLS). */
  tp: bigint;
  /** Forget decoded instructions (fence.i done by the kernel for riscv_flush_icache). */
  flushIcache(): void;
  /** An independent copy of the registers for fork/clone, sharing `mm`. */
  clone(mm: unknown): ArchRegs;
}
