// Executors for conversions, comparisons, min/max, sign injection, moves and fclass.

import {
  boxedBitsS, CANON_NAN_S, isSNaND, isSNaNS, putBitsS, putD, putS, readS, signBit, words,
} from "./bits.ts";
import { dToS, intToD, intToS, L, toInt, W, WU } from "./convert.ts";
import { roundS } from "./round.ts";
import { DYN, NV } from "./types.ts";
import type { FpCpuState, FpOp } from "./types.ts";

/** Builds fcvt.{w,wu,l,lu}.{s,d}. */
export function cvtToInt(double: boolean, type: number, rd: number, rs1: number, srm: number): FpOp {
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const v = double ? cpu.f[rs1] : readS(words(cpu), rs1);
    const r = toInt(cpu, v, rm, type);
    if (rd !== 0) cpu.x[rd] = r;
    return true;
  };
}

/** The integer operand of fcvt.{s,d}.{w,wu,l,lu} as the value it denotes. */
function intOperand(x: bigint, type: number): bigint {
  switch (type) {
    case W:
      return BigInt.asIntN(32, x);
    case WU:
      return BigInt.asUintN(32, x);
    case L:
      return x;
    default:
      return BigInt.asUintN(64, x);
  }
}

/** Builds fcvt.{s,d}.{w,wu,l,lu}. */
export function cvtFromInt(double: boolean, type: number, rd: number, rs1: number, srm: number): FpOp {
  const small = type === W || type === WU; // exact as a double
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const n = intOperand(cpu.x[rs1], type);
    if (double) {
      cpu.f[rd] = small ? Number(n) : intToD(cpu, n, rm);
    } else {
      putS(words(cpu), rd, small ? roundS(cpu, Number(n), 0, rm) : intToS(cpu, n, rm));
    }
    return true;
  };
}

/** Builds fcvt.s.d. */
export function cvtSD(rd: number, rs1: number, srm: number): FpOp {
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const v = cpu.f[rs1];
    const w = words(cpu);
    if (v !== v) {
      if (isSNaND(w, rs1)) cpu.fflags |= NV;
      putBitsS(w, rd, CANON_NAN_S);
    } else {
      putS(w, rd, dToS(cpu, v, rm));
    }
    return true;
  };
}

/** Builds fcvt.d.s (exact; the rounding mode is still validated). */
export function cvtDS(rd: number, rs1: number, srm: number): FpOp {
  return (cpu) => {
    const rm = srm === DYN ? cpu.frm : srm;
    if (rm > 4) return false;
    const w = words(cpu);
    const v = readS(w, rs1);
    if (v !== v && isSNaNS(w, rs1)) cpu.fflags |= NV;
    putD(cpu, rd, v);
    return true;
  };
}

/** Comparison selectors, as encoded in funct3. */
export const FLE = 0;
export const FLT = 1;
export const FEQ = 2;

/** Builds feq/flt/fle.{s,d}: feq is quiet (NV only for sNaN), flt/fle signal on any NaN. */
export function compare(double: boolean, op: number, rd: number, rs1: number, rs2: number): FpOp {
  return (cpu) => {
    let a: number;
    let b: number;
    const w = words(cpu);
    if (double) {
      a = cpu.f[rs1];
      b = cpu.f[rs2];
    } else {
      a = readS(w, rs1);
      b = readS(w, rs2);
    }
    let r: boolean;
    if (a !== a || b !== b) {
      const snan = double ? isSNaND(w, rs1) || isSNaND(w, rs2) : isSNaNS(w, rs1) || isSNaNS(w, rs2);
      if (op !== FEQ || snan) cpu.fflags |= NV;
      r = false;
    } else {
      r = op === FEQ ? a === b : op === FLT ? a < b : a <= b;
    }
    if (rd !== 0) cpu.x[rd] = r ? 1n : 0n;
    return true;
  };
}

/** minimumNumber/maximumNumber (IEEE 754-2019): a number beats a NaN, -0 < +0. */
function pick(cpu: FpCpuState, a: number, b: number, snan: boolean, max: boolean): number {
  if (a !== a || b !== b) {
    if (snan) cpu.fflags |= NV;
    return a !== a ? b : a; // NaN when both are
  }
  if (a === b) return signBit(a) === max ? b : a;
  return (a < b) === max ? b : a;
}

/** Builds fmin/fmax.{s,d}. */
export function minMax(double: boolean, max: boolean, rd: number, rs1: number, rs2: number): FpOp {
  if (double) {
    return (cpu) => {
      const a = cpu.f[rs1];
      const b = cpu.f[rs2];
      const snan = (a !== a || b !== b) && (isSNaND(words(cpu), rs1) || isSNaND(words(cpu), rs2));
      putD(cpu, rd, pick(cpu, a, b, snan, max));
      return true;
    };
  }
  return (cpu) => {
    const w = words(cpu);
    const a = readS(w, rs1);
    const b = readS(w, rs2);
    const snan = (a !== a || b !== b) && (isSNaNS(w, rs1) || isSNaNS(w, rs2));
    putS(w, rd, pick(cpu, a, b, snan, max));
    return true;
  };
}

/** Sign-injection selectors, as encoded in funct3. */
export const SGNJ = 0;
export const SGNJN = 1;
export const SGNJX = 2;

/** The sign bit (bit 31 of hi) that fsgnj* gives for magnitude word a and sign word b. */
function injected(op: number, a: number, b: number): number {
  const sign = op === SGNJ ? b : op === SGNJN ? ~b : a ^ b;
  return (a & 0x7fffffff) | (sign & 0x80000000);
}

/** Builds fsgnj/fsgnjn/fsgnjx.{s,d}: raw bits, but singles go through the NaN-box check. */
export function signInject(double: boolean, op: number, rd: number, rs1: number, rs2: number): FpOp {
  if (double) {
    return (cpu) => {
      const w = words(cpu);
      const lo = w[2 * rs1];
      const hi = injected(op, w[2 * rs1 + 1], w[2 * rs2 + 1]);
      w[2 * rd] = lo;
      w[2 * rd + 1] = hi;
      return true;
    };
  }
  return (cpu) => {
    const w = words(cpu);
    putBitsS(w, rd, injected(op, boxedBitsS(w, rs1), boxedBitsS(w, rs2)));
    return true;
  };
}

/** Builds fmv.x.w (sign-extended low word) and fmv.x.d. */
export function moveToX(double: boolean, rd: number, rs1: number): FpOp {
  if (rd === 0) return () => true;
  if (double) {
    return (cpu) => {
      cpu.x[rd] = cpu.fbits[rs1];
      return true;
    };
  }
  return (cpu) => {
    cpu.x[rd] = BigInt(words(cpu)[2 * rs1]);
    return true;
  };
}

/** Builds fmv.w.x (NaN-boxes the low 32 bits) and fmv.d.x. */
export function moveFromX(double: boolean, rd: number, rs1: number): FpOp {
  if (double) {
    return (cpu) => {
      cpu.fbits[rd] = cpu.x[rs1];
      return true;
    };
  }
  return (cpu) => {
    putBitsS(words(cpu), rd, Number(BigInt.asIntN(32, cpu.x[rs1])));
    return true;
  };
}

/** The fclass mask of v (a NaN's kind given by snan), for a format whose least normal is minNormal. */
function classify(v: number, snan: boolean, minNormal: number): bigint {
  let bit: number;
  if (v !== v) bit = snan ? 8 : 9;
  else if (v === -Infinity) bit = 0;
  else if (v === Infinity) bit = 7;
  else if (v === 0) bit = signBit(v) ? 3 : 4;
  else if (v < 0) bit = v > -minNormal ? 2 : 1;
  else bit = v < minNormal ? 5 : 6;
  return BigInt(1 << bit);
}

/** Builds fclass.{s,d}. */
export function fclass(double: boolean, rd: number, rs1: number): FpOp {
  return (cpu) => {
    const w = words(cpu);
    const m = double
      ? classify(cpu.f[rs1], isSNaND(w, rs1), 2 ** -1022)
      : classify(readS(w, rs1), isSNaNS(w, rs1), 2 ** -126);
    if (rd !== 0) cpu.x[rd] = m;
    return true;
  };
}
