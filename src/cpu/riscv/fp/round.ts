// Directed rounding from a round-to-nearest-even result and the sign of its error.
// JS arithmetic rounds to nearest-even only; error-free transformations give the exact error
// (or at least its sign), and one ulp step gives the other modes.

import { awayD, bitsOfS, nextDownD, nextDownS, nextUpD, nextUpS, towardZeroD } from "./bits.ts";
import { FMT_S, overflow } from "./exact.ts";
import { NX, OF, RDN, RMM, RNE, RTZ, RUP, UF } from "./types.ts";
import type { FpCpuState } from "./types.ts";

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's constant for double

/**
 * The exact error a*b - p where p = RN(a*b) (Dekker). Exact only when |a|, |b| < 2^995 (no
 * overflow in the split) and the partial products stay above the subnormal range (|p| >= 2^-960
 * with normal-ish operands): callers check those ranges.
 */
export function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** The exact error (a + b) - s where s = RN(a + b) (Knuth's TwoSum); exact unless s overflows. */
export function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/**
 * The double result in mode rm of an exact value x = s + e, given s = RN(x) normal and well inside
 * the finite range (no overflow or underflow possible) and e with the sign of x - s. For RMM, e must
 * be the exact error (ties are detected from it); callers that only know the sign map RMM to RNE,
 * which is right when ties cannot happen (division, square root).
 */
export function finishD(cpu: FpCpuState, s: number, e: number, rm: number): number {
  if (e === 0) return s;
  cpu.fflags |= NX;
  switch (rm) {
    case RNE:
      return s;
    case RTZ:
      return (e > 0) !== (s > 0) ? towardZeroD(s) : s;
    case RDN:
      return e < 0 ? nextDownD(s) : s;
    case RUP:
      return e > 0 ? nextUpD(s) : s;
    default:
      if ((e > 0) === (s > 0)) {
        const n = awayD(s);
        if (n - s === 2 * e) return n;
      }
      return s;
  }
}

const TWO128 = 2 ** 128;
const MIN_NORMAL_S = 2 ** -126;

/**
 * The single nearest to x = s + e in mode rm, with no flags, where s = RN_double(x) and e has the
 * sign of x - s (e = 0 only when x = s). Picks between the two singles that enclose x.
 */
function pickS(s: number, e: number, rm: number): number {
  const f = Math.fround(s);
  let lo: number;
  let hi: number;
  if (f === s) {
    if (e === 0) return s;
    if (e > 0) {
      lo = s;
      hi = nextUpS(s);
    } else {
      lo = nextDownS(s);
      hi = s;
    }
  } else if (f > s) {
    hi = f;
    lo = nextDownS(f);
  } else {
    lo = f;
    hi = nextUpS(f);
  }
  switch (rm) {
    case RDN:
      return lo;
    case RUP:
      return hi;
    case RTZ:
      return s > 0 ? lo : hi;
    default: {
      // The midpoint of two singles fits in a double; infinity stands for 2^128 here.
      const mid = ((lo === -Infinity ? -TWO128 : lo) + (hi === Infinity ? TWO128 : hi)) / 2;
      if (s !== mid) return s > mid ? hi : lo;
      if (e !== 0) return e > 0 ? hi : lo;
      if (rm === RMM) return s > 0 ? hi : lo;
      return (bitsOfS(lo) & 1) === 0 ? lo : hi;
    }
  }
}

/** True when double s lies exactly halfway between single f = fround(s) and its other neighbour. */
function isMidpointS(s: number, f: number): boolean {
  const g = s + (s - f); // the mirror image of f: a single exactly when s is the midpoint
  return Math.fround(g) === g;
}

/**
 * Rounds x = s + e to single in mode rm with all flags, where s = RN_double(x) is finite and e has
 * the sign of x - s (only the sign is used, and e = 0 means x = s exactly).
 */
export function roundS(cpu: FpCpuState, s: number, e: number, rm: number): number {
  const f = Math.fround(s);
  if (f === s && e === 0) return s;
  // In RNE, fround(s) is already RN(x) unless s sits exactly on a midpoint, where e decides.
  const r = rm === RNE && (e === 0 || f === s || !isMidpointS(s, f)) ? f : pickS(s, e, rm);
  const as = s < 0 ? -s : s;
  // |x| >= 2^128 overflows whatever the mode; below it only a rounding to infinity does.
  if (as > TWO128 || (as === TWO128 && (e === 0 || (e > 0) === (s > 0)))) {
    return overflow(cpu, s < 0, FMT_S, rm);
  }
  if (r === Infinity || r === -Infinity) {
    cpu.fflags |= OF | NX;
    return r;
  }
  let flags = NX;
  if (as < MIN_NORMAL_S || (as === MIN_NORMAL_S && e !== 0 && (e > 0) !== (s > 0))) {
    // Tininess after rounding: round 2x at full precision (2x is in or below the smallest binade).
    const r2 = pickS(2 * s, 2 * e, rm);
    if (r2 < 2 * MIN_NORMAL_S && r2 > -2 * MIN_NORMAL_S) flags |= UF;
  }
  cpu.fflags |= flags;
  return r;
}
