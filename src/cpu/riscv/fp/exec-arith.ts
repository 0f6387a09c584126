// Executors for the rounding arithmetic instructions: add, sub, mul, div, sqrt and the four FMAs.
// Each builder returns a closure with its register numbers and static rounding mode bound;
// the closures stay small and monomorphic because they are on the hot path.

import { addD, divD, fmaD, mulD, sqrtD } from "./arith-d.ts";
import { addS, divS, fmaS, mulS, sqrtS } from "./arith-s.ts";
import { CANON_NAN_S, isSNaND, isSNaNS, putBitsS, putD, putS, readS, words } from "./bits.ts";
import { DYN, NV } from "./types.ts";
import type { FpCpuState, FpOp } from "./types.ts";

/** Arithmetic operators as encoded in funct5 (fsqrt is 0b01011). */
export const ADD = 0;
export const SUB = 1;
export const MUL = 2;
export const DIV = 3;

/** Writes the canonical NaN for an operation with a NaN input; NV if any input is signaling. */
function nanD(cpu: FpCpuState, rd: number, rs1: number, rs2: number, rs3: number): void {
  const w = words(cpu);
  if (isSNaND(w, rs1) || isSNaND(w, rs2) || isSNaND(w, rs3)) cpu.fflags |= NV;
  putD(cpu, rd, NaN);
}

function nanS(cpu: FpCpuState, w: Int32Array, rd: number, rs1: number, rs2: number, rs3: number): void {
  if (isSNaNS(w, rs1) || isSNaNS(w, rs2) || isSNaNS(w, rs3)) cpu.fflags |= NV;
  putBitsS(w, rd, CANON_NAN_S);
}

/** Builds fadd/fsub/fmul/fdiv.d. */
export function binaryD(op: number, rd: number, rs1: number, rs2: number, srm: number): FpOp {
  switch (op) {
    case ADD:
    case SUB: {
      const sub = op === SUB;
      return (cpu) => {
        const rm = srm === DYN ? cpu.frm : srm;
        if (rm > 4) return false;
        const a = cpu.f[rs1];
        const b = cpu.f[rs2];
        if (a !== a || b !== b) nanD(cpu, rd, rs1, rs2, rs1);
        else putD(cpu, rd, addD(cpu, a, sub ? -b : b, rm));
        return true;
      };
    }
    case MUL:
      return (cpu) => {
        const rm = srm === DYN ? cpu.frm : srm;
        if (rm > 4) return false;
        const a = cpu.f[rs1];
        const b = cpu.f[rs2];
        if (a !== a || b !== b) nanD(cpu, rd, rs1, rs2, rs1);
        else putD(cpu, rd, mulD(cpu, a, b, rm));
        return true;
      };
    default:
      return (cpu) => {
        const rm = srm === DYN ? cpu.frm : srm;
        if (rm > 4) return false;
        const a = cpu.f[rs1];
        const b = cpu.f[rs2];
        if (a !== a || b !== b) nanD(cpu, rd, rs1, rs2, rs1);
        else putD(cpu, rd, divD(cpu, a, b, rm));
        return true;
      };
  }
}

/** Builds fadd/fsub/fmul/fdiv.s. */
export function binaryS(op: number, rd: number, rs1: number, rs2: number, srm: number): FpOp {
  const fn = op === MUL ? mulS : op === DIV ? divS : addS;
  const sub = op === SUB;
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const w = words(cpu);
    const a = readS(w, rs1);
    const b = readS(w, rs2);
    if (a !== a || b !== b) nanS(cpu, w, rd, rs1, rs2, rs1);
    else putS(w, rd, fn(cpu, a, sub ? -b : b, rm));
    return true;
  };
}

/** Builds fsqrt.d. */
export function sqrtOpD(rd: number, rs1: number, srm: number): FpOp {
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const a = cpu.f[rs1];
    if (a !== a) nanD(cpu, rd, rs1, rs1, rs1);
    else putD(cpu, rd, sqrtD(cpu, a, rm));
    return true;
  };
}

/** Builds fsqrt.s. */
export function sqrtOpS(rd: number, rs1: number, srm: number): FpOp {
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const w = words(cpu);
    const a = readS(w, rs1);
    if (a !== a) nanS(cpu, w, rd, rs1, rs1, rs1);
    else putS(w, rd, sqrtS(cpu, a, rm));
    return true;
  };
}

/** inf * 0 is invalid even when the addend is a quiet NaN (RISC-V unprivileged spec, FMA). */
function infTimesZero(a: number, b: number): boolean {
  return ((a === Infinity || a === -Infinity) && b === 0) || ((b === Infinity || b === -Infinity) && a === 0);
}

/**
 * Builds fmadd/fmsub/fnmsub/fnmadd.d: (negP ? -(a*b) : a*b) + (negC ? -c : c), one rounding.
 */
export function fmaOpD(rd: number, rs1: number, rs2: number, rs3: number, srm: number, negP: boolean, negC: boolean): FpOp {
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const f = cpu.f;
    const a = f[rs1];
    const b = f[rs2];
    const c = f[rs3];
    if (a !== a || b !== b || c !== c) {
      if (infTimesZero(a, b)) cpu.fflags |= NV;
      nanD(cpu, rd, rs1, rs2, rs3);
    } else {
      putD(cpu, rd, fmaD(cpu, negP ? -a : a, b, negC ? -c : c, rm));
    }
    return true;
  };
}

/** Builds fmadd/fmsub/fnmsub/fnmadd.s. */
export function fmaOpS(rd: number, rs1: number, rs2: number, rs3: number, srm: number, negP: boolean, negC: boolean): FpOp {
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const w = words(cpu);
    const a = readS(w, rs1);
    const b = readS(w, rs2);
    const c = readS(w, rs3);
    if (a !== a || b !== b || c !== c) {
      if (infTimesZero(a, b)) cpu.fflags |= NV;
      nanS(cpu, w, rd, rs1, rs2, rs3);
    } else {
      putS(w, rd, fmaS(cpu, negP ? -a : a, b, negC ? -c : c, rm));
    }
    return true;
  };
}
