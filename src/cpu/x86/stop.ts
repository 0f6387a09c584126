// Why X86Cpu.run() returned. The kernel's trap glue maps each reason to a signal.

export const enum X86Stop {
  /** rip points after the 2-byte syscall; rcx/r11 already hold the return rip and rflags. */
  Syscall = 1,
  /** A page fault (SIGSEGV): see faultAddr, faultAccess, faultCode. rip at the instruction. */
  Fault = 2,
  /** An undecodable or unsupported instruction (SIGILL): rip at it, bytes in illegalBytes. */
  IllegalInsn = 3,
  /** int3 (SIGTRAP): rip after it. */
  Breakpoint = 4,
  /** The instruction budget is used up. */
  Budget = 5,
  /** #DE (SIGFPE, FPE_INTDIV): rip at the div/idiv. */
  DivideError = 6,
  /** #GP (SIGSEGV, si_addr 0): int 0x80, hlt, privileged instructions, non-canonical addresses. */
  GeneralProtection = 7,
  /** An unmasked SSE or x87 exception (SIGFPE). rip at the instruction. */
  FpException = 8,
}
