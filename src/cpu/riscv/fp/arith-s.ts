// Single-precision arithmetic, exactly rounded in all five modes.
// Singles are doubles with 24-bit significands and a narrow exponent range, so a double
// operation plus an error-free transformation always describes the exact result as s + e
// (or s and the sign of the error); roundS then rounds that once to single, avoiding the
// double-rounding trap of Math.fround(a op b). Operands are never NaN here.

import { roundS, twoProdErr, twoSumErr } from "./round.ts";
import { DZ, NV, RDN } from "./types.ts";
import type { FpCpuState } from "./types.ts";

function invalid(cpu: FpCpuState): number {
  cpu.fflags |= NV;
  return NaN;
}

/** a + b for singles in mode rm. */
export function addS(cpu: FpCpuState, a: number, b: number, rm: number): number {
  const s = a + b;
  if (s - s !== 0) return s === s ? s : invalid(cpu); // an infinity, or inf - inf
  const e = twoSumErr(a, b, s);
  if (s === 0 && e === 0) return rm === RDN ? -(-a + -b) : s;
  return roundS(cpu, s, e, rm);
}

/** a * b for singles in mode rm (the double product of two singles is exact). */
export function mulS(cpu: FpCpuState, a: number, b: number, rm: number): number {
  const p = a * b;
  if (p - p !== 0) return p === p ? p : invalid(cpu);
  if (p === 0) return p;
  return roundS(cpu, p, 0, rm);
}

/** a / b for singles in mode rm. */
export function divS(cpu: FpCpuState, a: number, b: number, rm: number): number {
  const q = a / b;
  if (q !== q) return invalid(cpu);
  if (b === 0) {
    if (a - a === 0) cpu.fflags |= DZ;
    return q;
  }
  if (q === 0 || q - q !== 0) return q;
  const p = q * b;
  const r = (a - p) - twoProdErr(q, b, p);
  return roundS(cpu, q, b > 0 ? r : -r, rm);
}

/** sqrt(a) for a single in mode rm. */
export function sqrtS(cpu: FpCpuState, a: number, rm: number): number {
  if (a > 0 && a < Infinity) {
    const s = Math.sqrt(a);
    const p = s * s;
    return roundS(cpu, s, (a - p) - twoProdErr(s, s, p), rm);
  }
  if (a === 0 || a === Infinity) return a;
  return invalid(cpu);
}

/** a * b + c with one rounding, for singles in mode rm. */
export function fmaS(cpu: FpCpuState, a: number, b: number, c: number, rm: number): number {
  const p = a * b; // exact, including the sign of a zero product
  if (p - p !== 0 || c - c !== 0) {
    if (p !== p) return invalid(cpu); // inf * 0
    const r = p + c;
    return r === r ? r : invalid(cpu);
  }
  const s = p + c;
  const e = twoSumErr(p, c, s);
  if (s === 0 && e === 0) return rm === RDN ? -(-p + -c) : s;
  return roundS(cpu, s, e, rm);
}
