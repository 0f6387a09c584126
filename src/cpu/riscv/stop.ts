// Why RiscvCpu.run() returned.

export const enum StopReason {
  /** An ecall: pc points at it; it counts as retired (the kernel completes it and adds 4). */
  Ecall = 1,
  /** A page fault (SIGSEGV): see faultAddr, faultAccess, faultCode (SEGV_MAPERR / SEGV_ACCERR). */
  Fault = 2,
  /** An illegal instruction (SIGILL): illegalInsn holds its bits. */
  IllegalInsn = 3,
  /** ebreak / c.ebreak (SIGTRAP). */
  Breakpoint = 4,
  /** The instruction budget given to run() is used up. */
  Budget = 5,
  /** A misaligned atomic access or pc (SIGBUS, BUS_ADRALN): see faultAddr. */
  Misaligned = 6,
}

/** si_code for SIGBUS on a misaligned access (<uapi/asm-generic/siginfo.h>). */
export const BUS_ADRALN = 1;
