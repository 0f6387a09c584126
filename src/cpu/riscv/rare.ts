// The interpreter's less common instructions, out of RiscvCpu.run's switch. TurboFan compiles
// run speculatively from its type feedback, so a case of run met for the first time after run
// was optimised deoptimises all of it (and run costs 20-100 ms to recompile). Behind a single
// call site here, an opcode met late deoptimises only this function. What stays in run is what
// start-up code executes at once (control transfer, the common loads and stores, addition and
// logic), so run's first optimisation has feedback for all of it.

import * as alu from "./alu.ts";
import { atomic } from "./atomic.ts";
import { bitmanip, ltu } from "./bitmanip.ts";
import type { CodePage } from "./codepage.ts";
import type { RiscvCpu } from "./cpu.ts";
import { csrAccess } from "./csr.ts";
import { STORE_FAULT, STORE_OK, TLB_MASK } from "./mmu.ts";
import { Op } from "./opcodes.ts";
import { LOAD_DONE, LOAD_RETRY, SIZE_MASK, STORE_RETRY, loadSlow, storeSlow } from "./slowpath.ts";
import { StopReason } from "./stop.ts";
import { PAGE_SIZE } from "../../mm/mman.ts";

/** The instruction retired; the interpreter goes on with the next one. */
export const RARE_NEXT = 0;
/** The instruction retired and may have changed code: the interpreter revalidates its page. */
export const RARE_REVALIDATE = -1;

/**
 * Executes the instruction w at slot i of page; done counts the instructions run() has retired
 * so far, this one included. Returns RARE_NEXT, RARE_REVALIDATE, or a StopReason for an
 * instruction that did not retire (registers and memory unchanged).
 */
export function runRare(cpu: RiscvCpu, w: number, i: number, page: CodePage, done: number): number {
  const regs = cpu.regs;
  const xi = cpu.xi;
  const op = w & 0xff;
  const rd = (w >>> 8) & 63;
  switch (op) {
    case Op.LB: case Op.LH: case Op.LHU: case Op.LWU: case Op.FLW: case Op.FLD:
      return load(cpu, w, page.imm[i]!);
    case Op.SH: case Op.FSW: case Op.FSD:
      return store(cpu, w, page.imm[i]!);

    case Op.SLTI:
      regs[rd] = regs[(w >>> 14) & 31]! < page.immB[i]! ? 1n : 0n;
      break;
    case Op.SLT:
      regs[rd] = regs[(w >>> 14) & 31]! < regs[(w >>> 19) & 31]! ? 1n : 0n;
      break;
    case Op.SLTU:
      regs[rd] = ltu(xi, (w >>> 13) & 62, (w >>> 18) & 62) ? 1n : 0n;
      break;
    case Op.SLL:
      regs[rd] = alu.sll64(regs[(w >>> 14) & 31]!, xi[(w >>> 18) & 62]! & 63);
      break;
    case Op.SRL:
      alu.srl64(xi, (w >>> 7) & 126, (w >>> 13) & 62, xi[(w >>> 18) & 62]! & 63);
      break;
    case Op.SRA:
      alu.sra64(xi, (w >>> 7) & 126, (w >>> 13) & 62, xi[(w >>> 18) & 62]! & 63);
      break;
    case Op.SUBW:
      regs[rd] = BigInt((xi[(w >>> 13) & 62]! - xi[(w >>> 18) & 62]!) | 0);
      break;
    case Op.SLLW:
      regs[rd] = BigInt(xi[(w >>> 13) & 62]! << (xi[(w >>> 18) & 62]! & 31));
      break;
    case Op.SRLW:
      regs[rd] = BigInt((xi[(w >>> 13) & 62]! >>> (xi[(w >>> 18) & 62]! & 31)) | 0);
      break;
    case Op.SRAW:
      regs[rd] = BigInt(xi[(w >>> 13) & 62]! >> (xi[(w >>> 18) & 62]! & 31));
      break;

    case Op.MULH:
      regs[rd] = alu.mulh(regs[(w >>> 14) & 31]!, regs[(w >>> 19) & 31]!);
      break;
    case Op.MULHSU:
      regs[rd] = alu.mulhsu(regs[(w >>> 14) & 31]!, regs[(w >>> 19) & 31]!);
      break;
    case Op.MULHU:
      regs[rd] = alu.mulhu(regs[(w >>> 14) & 31]!, regs[(w >>> 19) & 31]!);
      break;
    case Op.DIV:
      alu.divR(regs, xi, rd, (w >>> 14) & 31, (w >>> 19) & 31);
      break;
    case Op.DIVU:
      alu.divuR(regs, xi, rd, (w >>> 14) & 31, (w >>> 19) & 31);
      break;
    case Op.REM:
      alu.remR(regs, xi, rd, (w >>> 14) & 31, (w >>> 19) & 31);
      break;
    case Op.REMU:
      alu.remuR(regs, xi, rd, (w >>> 14) & 31, (w >>> 19) & 31);
      break;
    case Op.MULW:
      regs[rd] = BigInt(Math.imul(xi[(w >>> 13) & 62]!, xi[(w >>> 18) & 62]!));
      break;
    case Op.DIVW:
      regs[rd] = BigInt(alu.divw(xi[(w >>> 13) & 62]!, xi[(w >>> 18) & 62]!));
      break;
    case Op.DIVUW:
      regs[rd] = BigInt(alu.divuw(xi[(w >>> 13) & 62]!, xi[(w >>> 18) & 62]!));
      break;
    case Op.REMW:
      regs[rd] = BigInt(alu.remw(xi[(w >>> 13) & 62]!, xi[(w >>> 18) & 62]!));
      break;
    case Op.REMUW:
      regs[rd] = BigInt(alu.remuw(xi[(w >>> 13) & 62]!, xi[(w >>> 18) & 62]!));
      break;

    case Op.FENCE:
      break;
    case Op.FENCE_I:
      cpu.mmu.flushCode();
      return RARE_REVALIDATE;
    case Op.EBREAK:
      return StopReason.Breakpoint;
    case Op.ILLEGAL:
      cpu.illegalInsn = page.raw[i]! >>> 0;
      return StopReason.IllegalInsn;
    case Op.FP:
      if (!page.fp[i]!(cpu)) {
        cpu.illegalInsn = page.raw[i]! >>> 0;
        return StopReason.IllegalInsn;
      }
      regs[0] = 0n; // an FP result written to x0 must not stick
      break;
    case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI: {
      const rs1 = (w >>> 14) & 31;
      const immediate = op === Op.CSRRWI || op === Op.CSRRSI || op === Op.CSRRCI;
      const operand = immediate ? BigInt(rs1) : regs[rs1]!;
      const writes = op === Op.CSRRW || op === Op.CSRRWI || rs1 !== 0;
      const old = csrAccess(cpu, op, page.imm[i]!, operand, writes, cpu.instret + done - 1);
      if (old === null) {
        cpu.illegalInsn = page.raw[i]! >>> 0;
        return StopReason.IllegalInsn;
      }
      regs[rd] = old;
      break;
    }
    default: {
      if (op >= Op.LR_W && op <= Op.AMOMAXU_D) {
        const mmu = cpu.mmu;
        mmu.codeChanged = false;
        const s = atomic(cpu, op, rd, (w >>> 14) & 31, (w >>> 19) & 31);
        if (s !== 0) return s;
        if (mmu.codeChanged) return RARE_REVALIDATE;
      } else {
        bitmanip(regs, xi, op, rd, (w >>> 14) & 31, (w >>> 19) & 31, page.imm[i]!, page.immB[i]!);
      }
      break;
    }
  }
  return RARE_NEXT;
}

// The load forms run() leaves out, with its TLB probe; a TLB miss fills the TLB and probes again.
function load(cpu: RiscvCpu, w: number, off: number): number {
  const mmu = cpu.mmu;
  const { i8, u16, i16, u32, i32, i64 } = mmu.phys;
  const xi = cpu.xi;
  const op = w & 0xff;
  for (;;) {
    const r = (w >>> 13) & 62;
    const a = xi[r + 1]! * 4294967296 + (xi[r]! >>> 0) + off;
    const vpn = Math.floor(a / PAGE_SIZE);
    const e = vpn & TLB_MASK;
    if (mmu.rtag[e] !== vpn || (a & SIZE_MASK[op]!) !== 0) {
      const s = loadSlow(cpu, w, off);
      if (s === LOAD_DONE) return RARE_NEXT;
      if (s === LOAD_RETRY) continue;
      return StopReason.Fault;
    }
    const h = mmu.rbase[e]! + (a & 4095);
    const rd = (w >>> 8) & 63;
    switch (op) {
      case Op.LB: cpu.regs[rd] = BigInt(i8[h]!); break;
      case Op.LH: cpu.regs[rd] = BigInt(i16[h >> 1]!); break;
      case Op.LHU: cpu.regs[rd] = BigInt(u16[h >> 1]!); break;
      case Op.LWU: cpu.regs[rd] = BigInt(u32[h >> 2]!); break;
      case Op.FLD: cpu.fbits[rd & 31] = i64[h >> 3]!; break;
      default: // FLW
        cpu.fi[(rd & 31) * 2] = i32[h >> 2]!;
        cpu.fi[(rd & 31) * 2 + 1] = -1; // NaN-boxing
        break;
    }
    return RARE_NEXT;
  }
}

// The store forms run() leaves out, likewise.
function store(cpu: RiscvCpu, w: number, off: number): number {
  const mmu = cpu.mmu;
  const { u16, i32, i64 } = mmu.phys;
  const xi = cpu.xi;
  const op = w & 0xff;
  for (;;) {
    const r = (w >>> 13) & 62;
    const a = xi[r + 1]! * 4294967296 + (xi[r]! >>> 0) + off;
    const vpn = Math.floor(a / PAGE_SIZE);
    const e = vpn & TLB_MASK;
    if (mmu.wtag[e] !== vpn || (a & SIZE_MASK[op]!) !== 0) {
      const s = storeSlow(cpu, w, off);
      if (s === STORE_OK) return RARE_NEXT;
      if (s === STORE_RETRY) continue;
      if (s === STORE_FAULT) return StopReason.Fault;
      return RARE_REVALIDATE; // the store changed code
    }
    const h = mmu.wbase[e]! + (a & 4095);
    const s2 = (w >>> 18) & 62;
    switch (op) {
      case Op.SH: u16[h >> 1] = xi[s2]!; break;
      case Op.FSD: i64[h >> 3] = cpu.fbits[s2 >> 1]!; break;
      default: i32[h >> 2] = cpu.fi[s2]!; break; // FSW
    }
    return RARE_NEXT;
  }
}
