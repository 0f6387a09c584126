// x86-64's trap glue: the Linux syscall convention (`syscall` with the number in rax, arguments
// in rdi, rsi, rdx, r10, r8, r9, the result in rax; rcx and r11 clobbered by the instruction)
// and the mapping from the CPU's stop reasons to the signals arch/x86/kernel/traps.c sends.
//
// The kernel expects a task stopped at a system call to stand ON the instruction until
// syscallReturn (a restart simply runs it again), so a Syscall stop steps rip back over the
// 2-byte `syscall`; rax still holds the number until the result replaces it, which is what
// Linux's restart (rax = orig_ax, rip -= 2) amounts to.
//
// Choices, as on a current distribution kernel:
// - no IA32 emulation (CONFIG_IA32_EMULATION=n): `int $0x80` is a #GP, SIGSEGV with si_code
//   SI_KERNEL and si_addr 0, as for any privileged instruction;
// - no vsyscall page (CONFIG_LEGACY_VSYSCALL_NONE): 0xffffffffff600000 is unmapped, and a call
//   there faults like any other address above the user range (SIGSEGV).

import { X86_64_SYSCALL_NAMES } from "../../../syscalls/tbl/x86_64-names.ts";
import { syscallNr } from "../../../syscalls/tbl/nr.ts";
import { X86Cpu, X86Stop } from "../../cpu/x86/cpu.ts";
import { FAULT_SIGBUS, type MM } from "../../mm/mm.ts";
import { BUS_ADRERR, ILL_ILLOPC, SI_KERNEL, SIGBUS, SIGILL, SIGSEGV, SIGTRAP } from "../signal/signal.ts";
import type { ArchRegs, FrameRequest, RestoredFrame, Trap } from "./arch.ts";
import { RED_ZONE, restoreRtFrame, setupRtFrame, sigframeAddress, SIGMASK_FROM_SP, X86_SIGFRAME_SIZE } from "./x86_64-sigframe.ts";

const RAX = 0, RSP = 4, RDI = 7, RSI = 6, RDX = 2, R10 = 10, R8 = 8, R9 = 9;
const ARG_REGS = [RDI, RSI, RDX, R10, R8, R9];
const NR_RESTART_SYSCALL = BigInt(syscallNr(X86_64_SYSCALL_NAMES, "restart_syscall"));
const SYSCALL_INSN_LEN = 2;
const SIGFPE = 8;
const FPE_INTDIV = 1, FPE_FLTDIV = 3, FPE_FLTOVF = 4, FPE_FLTUND = 5, FPE_FLTRES = 6, FPE_FLTINV = 7;
const SYSCALL: Trap = { kind: "syscall" };
const BUDGET: Trap = { kind: "budget" };

export class X86_64Regs implements ArchRegs {
  constructor(readonly cpu: X86Cpu) {}

  /** A fresh register file for `mm`, starting at `pc` with stack pointer `sp` (ELF_PLAT_INIT: the rest zero). */
  static create(mm: MM, pc: number, sp: number, readTime: () => bigint): X86_64Regs {
    const cpu = new X86Cpu(mm);
    cpu.rip = pc;
    cpu.regs[RSP] = BigInt(sp);
    cpu.readTime = readTime;
    return new X86_64Regs(cpu);
  }

  run(budget: number): Trap {
    const why = this.cpu.run(budget);
    switch (why) {
      case X86Stop.Syscall:
        this.cpu.rip -= SYSCALL_INSN_LEN;
        return SYSCALL;
      case X86Stop.Budget: return BUDGET;
      case X86Stop.Fault: {
        const c = this.cpu;
        if (c.faultCode === FAULT_SIGBUS) return { kind: "fault", signal: SIGBUS, code: BUS_ADRERR, addr: c.faultAddrBig };
        return { kind: "fault", signal: SIGSEGV, code: c.faultCode, addr: c.faultAddrBig };
      }
      // do_general_protection: force_sig(SIGSEGV), SI_KERNEL, no address
      case X86Stop.GeneralProtection: return { kind: "fault", signal: SIGSEGV, code: SI_KERNEL, addr: 0n };
      case X86Stop.IllegalInsn: return { kind: "fault", signal: SIGILL, code: ILL_ILLOPC, addr: BigInt(this.cpu.rip) };
      // do_int3: SIGTRAP with SI_KERNEL, rip past the int3
      case X86Stop.Breakpoint: return { kind: "fault", signal: SIGTRAP, code: SI_KERNEL, addr: 0n };
      case X86Stop.DivideError: return { kind: "fault", signal: SIGFPE, code: FPE_INTDIV, addr: BigInt(this.cpu.rip) };
      case X86Stop.FpException: return { kind: "fault", signal: SIGFPE, code: this.fpeCode(), addr: BigInt(this.cpu.rip) };
      default: throw new Error(`unknown CPU stop reason ${why as number}`);
    }
  }

  /** fpu__exception_code: the first unmasked exception, SSE's MXCSR first, then the x87 status. */
  private fpeCode(): number {
    const mx = this.cpu.mxcsr;
    let err = ~(mx >> 7) & mx & 0x3f;
    if (err === 0) err = this.cpu.fpu.status() & ~this.cpu.fpu.cw & 0x3f;
    if (err & 0x01) return FPE_FLTINV;
    if (err & 0x04) return FPE_FLTDIV;
    if (err & 0x08) return FPE_FLTOVF;
    if (err & 0x12) return FPE_FLTUND;
    if (err & 0x20) return FPE_FLTRES;
    return 0;
  }

  get instret(): number {
    return this.cpu.instret;
  }
  get pc(): number {
    return this.cpu.rip;
  }
  set pc(v: number) {
    this.cpu.rip = v;
  }
  get sp(): bigint {
    return this.cpu.regs[RSP]!;
  }
  set sp(v: bigint) {
    this.cpu.regs[RSP] = v;
  }
  /** The thread pointer is the FS base (CLONE_SETTLS sets it, as do_set_thread_area_64 does). */
  get tp(): bigint {
    return this.cpu.fsBase;
  }
  set tp(v: bigint) {
    this.cpu.fsBase = v;
  }
  segmentBase(which: "fs" | "gs", value?: bigint): bigint {
    if (value !== undefined) {
      if (which === "fs") this.cpu.fsBase = value;
      else this.cpu.gsBase = value;
    }
    return which === "fs" ? this.cpu.fsBase : this.cpu.gsBase;
  }
  syscallNr(): number {
    // syscall_64's nr is an int: the high half of rax does not matter, a negative one is ENOSYS
    return Number(BigInt.asIntN(32, this.cpu.regs[RAX]!));
  }
  syscallArgs(out: BigInt64Array): void {
    for (let i = 0; i < 6; i++) out[i] = this.cpu.regs[ARG_REGS[i]!]!;
  }
  syscallReturn(value: bigint): void {
    this.cpu.regs[RAX] = value;
    this.cpu.rip += SYSCALL_INSN_LEN;
  }
  returnValue(): bigint {
    return this.cpu.regs[RAX]!;
  }
  syscallRestartBlock(): void {
    this.cpu.regs[RAX] = NR_RESTART_SYSCALL; // rip stays on the syscall, rax changes
  }
  get sigframeSize(): number {
    return X86_SIGFRAME_SIZE;
  }
  get redZone(): number {
    return RED_ZONE;
  }
  sigframeAddress(sp: bigint): bigint {
    return sigframeAddress(sp);
  }
  get sigmaskOffset(): number {
    return SIGMASK_FROM_SP;
  }
  setupRtFrame(mm: MM, frame: number, req: FrameRequest): boolean {
    // x86-64 has no kernel-provided way back: without SA_RESTORER the frame is refused (SIGSEGV)
    if (req.restorer === undefined) return false;
    return setupRtFrame(this.cpu, mm, frame, { ...req, restorer: req.restorer });
  }
  restoreRtFrame(mm: MM): RestoredFrame | null {
    return restoreRtFrame(this.cpu, mm);
  }
  flushIcache(): void {
    this.cpu.flushIcache();
  }
  clone(mm: MM): ArchRegs {
    return new X86_64Regs(this.cpu.clone(mm));
  }
}
