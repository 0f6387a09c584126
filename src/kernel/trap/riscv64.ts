// riscv64's trap glue: the Linux syscall convention (a7 = number, a0..a5 = arguments, a0 =
// result, `ecall` is 4 bytes) and the mapping from the CPU's stop reasons to signals.

import { RISCV64_SYSCALL_NAMES } from "../../../syscalls/tbl/riscv64-names.ts";
import { syscallNr } from "../../../syscalls/tbl/nr.ts";
import { RiscvCpu, StopReason } from "../../cpu/riscv/cpu.ts";
import { FAULT_SIGBUS, type MM } from "../../mm/mm.ts";
import { BUS_ADRALN, BUS_ADRERR, ILL_ILLOPC, SIGBUS, SIGILL, SIGSEGV, SIGTRAP, TRAP_BRKPT } from "../signal/signal.ts";
import type { ArchRegs, FrameRequest, RestoredFrame, Trap } from "./arch.ts";
import { vdsoSymbolOffset } from "../../vdso/image.ts";
import { restoreRtFrame, RT_SIGFRAME_SIZE, setupRtFrame } from "./riscv64-sigframe.ts";

const A0 = 10, A7 = 17, SP = 2, TP = 4;
const NR_RESTART_SYSCALL = BigInt(syscallNr(RISCV64_SYSCALL_NAMES, "restart_syscall"));
const SYSCALL: Trap = { kind: "syscall" };
const BUDGET: Trap = { kind: "budget" };

export class Riscv64Regs implements ArchRegs {
  constructor(readonly cpu: RiscvCpu) {}

  /** A fresh register file for `mm`, starting at `pc` with stack pointer `sp`. */
  static create(mm: MM, pc: number, sp: number, readTime: () => bigint): Riscv64Regs {
    const cpu = new RiscvCpu(mm);
    cpu.pc = pc;
    cpu.x[SP] = BigInt(sp);
    cpu.readTime = readTime;
    return new Riscv64Regs(cpu);
  }

  run(budget: number): Trap {
    const why = this.cpu.run(budget);
    switch (why) {
      case StopReason.Ecall: return SYSCALL;
      case StopReason.Budget: return BUDGET;
      case StopReason.Fault:
        // a page of a file mapping past the end of the file: SIGBUS, as filemap_fault answers
        if (this.cpu.faultCode === FAULT_SIGBUS) return { kind: "fault", signal: SIGBUS, code: BUS_ADRERR, addr: this.cpu.faultAddrBig };
        return { kind: "fault", signal: SIGSEGV, code: this.cpu.faultCode, addr: this.cpu.faultAddrBig };
      case StopReason.Misaligned: return { kind: "fault", signal: SIGBUS, code: BUS_ADRALN, addr: this.cpu.faultAddrBig };
      case StopReason.IllegalInsn: return { kind: "fault", signal: SIGILL, code: ILL_ILLOPC, addr: BigInt(this.cpu.pc) };
      case StopReason.Breakpoint: return { kind: "fault", signal: SIGTRAP, code: TRAP_BRKPT, addr: BigInt(this.cpu.pc) };
      default: throw new Error(`unknown CPU stop reason ${why as number}`);
    }
  }

  get instret(): number {
    return this.cpu.instret;
  }
  get pc(): number {
    return this.cpu.pc;
  }
  set pc(v: number) {
    this.cpu.pc = v;
  }
  get sp(): bigint {
    return this.cpu.x[SP]!;
  }
  set sp(v: bigint) {
    this.cpu.x[SP] = v;
  }
  get tp(): bigint {
    return this.cpu.x[TP]!;
  }
  set tp(v: bigint) {
    this.cpu.x[TP] = v;
  }
  syscallNr(): number {
    return Number(BigInt.asUintN(32, this.cpu.x[A7]!));
  }
  syscallArgs(out: BigInt64Array): void {
    for (let i = 0; i < 6; i++) out[i] = this.cpu.x[A0 + i]!;
  }
  syscallReturn(value: bigint): void {
    this.cpu.x[A0] = value;
    this.cpu.pc += 4;
  }
  returnValue(): bigint {
    return this.cpu.x[A0]!;
  }
  syscallRestartBlock(): void {
    this.cpu.x[A7] = NR_RESTART_SYSCALL; // as Linux does: pc stays on the ecall, a7 changes
  }
  get sigframeSize(): number {
    return RT_SIGFRAME_SIZE;
  }
  setupRtFrame(mm: MM, frame: number, req: FrameRequest): boolean {
    const restorer = req.restorer ?? BigInt((req.vdsoBase ?? 0) + vdsoSymbolOffset("__vdso_rt_sigreturn"));
    return setupRtFrame(this.cpu, mm, frame, { ...req, restorer });
  }
  restoreRtFrame(mm: MM): RestoredFrame | null {
    return restoreRtFrame(this.cpu, mm);
  }
  flushIcache(): void {
    this.cpu.flushDecodeCache();
  }
  release(): void {
    this.cpu.release();
  }
  clone(mm: MM): ArchRegs {
    const c = new RiscvCpu(mm);
    c.x.set(this.cpu.x);
    c.fbits.set(this.cpu.fbits);
    c.fflags = this.cpu.fflags;
    c.frm = this.cpu.frm;
    c.pc = this.cpu.pc;
    c.readTime = this.cpu.readTime;
    return new Riscv64Regs(c);
  }
}
