// Conversions between floating-point values and integers, and between single and double.

import { roundS, finishD } from "./round.ts";
import { NV, NX, RDN, RNE, RTZ, RUP } from "./types.ts";
import type { FpCpuState } from "./types.ts";

/** Destination integer type of fcvt.{w,wu,l,lu}.*: index into the tables below (the rs2 field). */
export const W = 0;
export const WU = 1;
export const L = 2;
export const LU = 3;

// Range of each integer type as [MIN, END) in doubles (END is a power of two, so it is exact);
// out of range after rounding is invalid.
const MIN = [-(2 ** 31), 0, -(2 ** 63), 0];
const END = [2 ** 31, 2 ** 32, 2 ** 63, 2 ** 64];
// Saturated results (as x-register values, sign-extended) for too small, too large and NaN.
const SAT_LOW = [-(2n ** 31n), 0n, -(2n ** 63n), 0n];
const SAT_HIGH = [2n ** 31n - 1n, -1n, 2n ** 63n - 1n, -1n];

const TWO52 = 2 ** 52;
const TWO53 = 2 ** 53;

let inexact = false;

/** v (finite or infinite) rounded to an integer in mode rm; sets `inexact`. */
function roundInt(v: number, rm: number): number {
  inexact = false;
  if (!(v < TWO52 && v > -TWO52)) return v;
  const t = Math.trunc(v);
  const frac = v - t; // exact
  if (frac === 0) return t;
  inexact = true;
  switch (rm) {
    case RTZ:
      return t;
    case RDN:
      return Math.floor(v);
    case RUP:
      return Math.ceil(v);
    case RNE: {
      const af = Math.abs(frac);
      if (af < 0.5 || (af === 0.5 && t % 2 === 0)) return t;
      return frac > 0 ? t + 1 : t - 1;
    }
    default: // RMM
      if (Math.abs(frac) < 0.5) return t;
      return frac > 0 ? t + 1 : t - 1;
  }
}

/** fcvt.{w,wu,l,lu}.{s,d}: v rounded with rm and saturated, as the sign-extended x-register value. */
export function toInt(cpu: FpCpuState, v: number, rm: number, type: number): bigint {
  if (v !== v) {
    cpu.fflags |= NV;
    return SAT_HIGH[type];
  }
  const r = roundInt(v, rm);
  if (r < MIN[type]) {
    cpu.fflags |= NV;
    return SAT_LOW[type];
  }
  if (r >= END[type]) {
    cpu.fflags |= NV;
    return SAT_HIGH[type];
  }
  if (inexact) cpu.fflags |= NX;
  // 32-bit results are sign-extended to 64 bits, even unsigned ones.
  return type <= WU ? BigInt(r | 0) : BigInt(r);
}

/** The value of a 64-bit integer (signed or already made unsigned) rounded to double in mode rm. */
export function intToD(cpu: FpCpuState, n: bigint, rm: number): number {
  const d = Number(n); // round to nearest even
  if (d < TWO53 && d > -TWO53) return d;
  return finishD(cpu, d, Number(n - BigInt(d)), rm);
}

/** The value of a 64-bit integer rounded to single in mode rm. */
export function intToS(cpu: FpCpuState, n: bigint, rm: number): number {
  const d = Number(n);
  if (d < TWO53 && d > -TWO53) return roundS(cpu, d, 0, rm);
  return roundS(cpu, d, Number(n - BigInt(d)), rm);
}

/** fcvt.s.d on a non-NaN double. */
export function dToS(cpu: FpCpuState, v: number, rm: number): number {
  if (v - v !== 0) return v;
  return roundS(cpu, v, 0, rm);
}
