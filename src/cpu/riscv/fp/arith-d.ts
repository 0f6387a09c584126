// Double-precision arithmetic, exactly rounded in all five modes.
// Operands are never NaN here (the executor handles NaN inputs first); NaN results are invalid
// operations and come back as NaN for the caller to write as the canonical NaN.

import { addExact, divExact, FMT_D, fmaExact, mulExact } from "./exact.ts";
import { finishD, twoProdErr, twoSumErr } from "./round.ts";
import { DZ, NV, RDN, RMM, RNE } from "./types.ts";
import type { FpCpuState } from "./types.ts";
import { fmaFastD } from "./fma-fast.ts";

// Ranges inside which the error-free transformations are exact and no result can overflow or
// come near the subnormal range; anything outside takes the exact BigInt path.
const BIG = 2 ** 1020;
const SPLIT_MAX = 2 ** 995;
const LOW = 2 ** -960;

function isInf(v: number): boolean {
  return v === Infinity || v === -Infinity;
}

function invalid(cpu: FpCpuState): number {
  cpu.fflags |= NV;
  return NaN;
}

/** a + b for doubles in mode rm. */
export function addD(cpu: FpCpuState, a: number, b: number, rm: number): number {
  const s = a + b;
  if (Math.abs(a) < BIG && Math.abs(b) < BIG) {
    const e = twoSumErr(a, b, s);
    if (e !== 0) return finishD(cpu, s, e, rm);
    // An exact zero sum is -0 when rounding down unless both addends are +0.
    return s === 0 && rm === RDN ? -(-a + -b) : s;
  }
  if (isInf(a) || isInf(b)) return s === s ? s : invalid(cpu);
  return addExact(cpu, a, b, FMT_D, rm);
}

/** a * b for doubles in mode rm. */
export function mulD(cpu: FpCpuState, a: number, b: number, rm: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (ap >= LOW && ap < BIG && aa >= LOW && aa < SPLIT_MAX && ab >= LOW && ab < SPLIT_MAX) {
    return finishD(cpu, p, twoProdErr(a, b, p), rm);
  }
  if (p !== p) return invalid(cpu);
  if (isInf(a) || isInf(b) || a === 0 || b === 0) return p;
  return mulExact(cpu, a, b, FMT_D, rm);
}

/** a / b for doubles in mode rm. */
export function divD(cpu: FpCpuState, a: number, b: number, rm: number): number {
  const q = a / b;
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  const aq = Math.abs(q);
  if (aa >= LOW && aa < SPLIT_MAX && ab >= LOW && ab < SPLIT_MAX && aq >= LOW && aq < SPLIT_MAX) {
    const p = q * b;
    const r = (a - p) - twoProdErr(q, b, p);
    // a/b - q has the sign of r/b; a quotient is never a tie, so RMM is RNE here.
    return finishD(cpu, q, b > 0 ? r : -r, rm === RMM ? RNE : rm);
  }
  return divSpecialD(cpu, a, b, q, rm);
}

function divSpecialD(cpu: FpCpuState, a: number, b: number, q: number, rm: number): number {
  if (q !== q) return invalid(cpu); // 0/0, inf/inf
  if (b === 0) {
    if (!isInf(a)) cpu.fflags |= DZ;
    return q;
  }
  if (a === 0 || isInf(a) || isInf(b)) return q;
  return divExact(cpu, a, b, FMT_D, rm);
}

const SQ_LOW = 2 ** -900;
const SQ_HIGH = 2 ** 900;

/** sqrt(a) for a double in mode rm. */
export function sqrtD(cpu: FpCpuState, a: number, rm: number): number {
  if (a > 0 && a < Infinity) {
    // Scaling by an even power of two is exact both ways, and roots never leave the normal range.
    let x = a;
    let scale = 1;
    if (a < SQ_LOW) {
      x = a * 2 ** 1000;
      scale = 2 ** -500;
    } else if (a > SQ_HIGH) {
      x = a * 2 ** -1000;
      scale = 2 ** 500;
    }
    // Math.sqrt is the hardware's correctly rounded square root in V8 (ECMAScript only asks
    // for an approximation); the qemu differential test would catch an engine that differs.
    const s = Math.sqrt(x);
    const p = s * s;
    const r = (x - p) - twoProdErr(s, s, p);
    return finishD(cpu, s, r, rm === RMM ? RNE : rm) * scale;
  }
  if (a === 0 || a === Infinity) return a;
  return invalid(cpu);
}

/** a * b + c with one rounding, for doubles in mode rm (the fused multiply-adds negate operands). */
export function fmaD(cpu: FpCpuState, a: number, b: number, c: number, rm: number): number {
  const infP = isInf(a) || isInf(b);
  if (infP || isInf(c)) {
    if (infP) {
      if (a === 0 || b === 0) return invalid(cpu);
      const p = a * b;
      return isInf(c) && c !== p ? invalid(cpu) : p;
    }
    return c;
  }
  const r = fmaFastD(cpu, a, b, c, rm);
  return r === r ? r : fmaExact(cpu, a, b, c, FMT_D, rm);
}
