// Exact arithmetic on BigInt significands, rounded once to single or double with any mode.
// This is the slow path and the reference: every result near overflow, near the subnormal range,
// or (for double FMA) outside the fast path's range is computed here.

import { dec, decompose, signBit } from "./bits.ts";
import { NX, OF, RDN, RMM, RNE, RTZ, RUP, UF } from "./types.ts";
import type { FpCpuState } from "./types.ts";

/** A binary interchange format: precision p (with the hidden bit) and exponent range. */
export interface Fmt {
  p: number;
  emin: number;
  emax: number;
  max: number;
  /** 2^(emax+1): the smallest magnitude that overflows (Infinity for double). */
  limit: number;
}

export const FMT_S: Fmt = { p: 24, emin: -126, emax: 127, max: 3.4028234663852886e38, limit: 2 ** 128 };
export const FMT_D: Fmt = { p: 53, emin: -1022, emax: 1023, max: Number.MAX_VALUE, limit: Infinity };

/** Number of significant bits of x > 0. */
function bitLength(x: bigint): number {
  const s = x.toString(16);
  return (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0], 16)));
}

/** Whether a rounding step adds one unit: cls 0 exact, 1 below half, 2 exactly half, 3 above half. */
function roundsUp(rm: number, neg: boolean, cls: number, odd: boolean): boolean {
  switch (rm) {
    case RNE:
      return cls === 3 || (cls === 2 && odd);
    case RTZ:
      return false;
    case RDN:
      return neg && cls !== 0;
    case RUP:
      return !neg && cls !== 0;
    default:
      return cls >= 2;
  }
}

// Set by cut: whether the discarded part was nonzero.
let lost = false;

/** mant (plus sticky below it) shifted right by shift and rounded to an integer with rm. */
function cut(mant: bigint, shift: number, sticky: boolean, neg: boolean, rm: number): bigint {
  let kept: bigint;
  let cls: number;
  if (shift <= 0) {
    kept = mant << BigInt(-shift);
    cls = sticky ? 1 : 0;
  } else {
    const sb = BigInt(shift);
    kept = mant >> sb;
    const rest = mant & ((1n << sb) - 1n);
    const half = 1n << (sb - 1n);
    if (rest > half) cls = 3;
    else if (rest === half) cls = sticky ? 3 : 2;
    else cls = rest !== 0n || sticky ? 1 : 0;
  }
  lost = cls !== 0;
  return roundsUp(rm, neg, cls, (kept & 1n) === 1n) ? kept + 1n : kept;
}

/** The result of an overflow in mode rm: infinity or the largest finite value, with OF and NX. */
export function overflow(cpu: FpCpuState, neg: boolean, fmt: Fmt, rm: number): number {
  cpu.fflags |= OF | NX;
  const toInf = rm === RNE || rm === RMM || (rm === RUP && !neg) || (rm === RDN && neg);
  const m = toInf ? Infinity : fmt.max;
  return neg ? -m : m;
}

/**
 * Rounds (-1)^neg * (mant + s) * 2^exp to fmt with rm, where s is 0 when !sticky and strictly
 * between 0 and 1 otherwise; mant > 0. Returns the value as a double and OR-s NX/UF/OF into fflags.
 * Tininess is detected after rounding, as RISC-V requires.
 */
export function roundExact(
  cpu: FpCpuState, neg: boolean, mant: bigint, exp: number, sticky: boolean, fmt: Fmt, rm: number,
): number {
  const lead = exp + bitLength(mant) - 1;
  if (lead > fmt.emax) return overflow(cpu, neg, fmt, rm);
  const lsb = Math.max(lead - fmt.p + 1, fmt.emin - fmt.p + 1);
  const kept = cut(mant, lsb - exp, sticky, neg, rm);
  const inexact = lost;
  const mag = Number(kept) * 2 ** lsb;
  if (mag >= fmt.limit) return overflow(cpu, neg, fmt, rm);
  if (inexact) {
    let flags = NX;
    // Tiny unless rounding at full precision with an unbounded exponent reaches 2^emin.
    if (lead < fmt.emin) {
      const carries = lead === fmt.emin - 1 &&
        cut(mant, lead - fmt.p + 1 - exp, sticky, neg, rm) === 1n << BigInt(fmt.p);
      if (!carries) flags |= UF;
    }
    cpu.fflags |= flags;
  }
  return neg ? -mag : mag;
}

/** The sum of two zeros: their sign if equal, else +0 (-0 when rounding down). */
export function zeroSum(a: number, b: number, rm: number): number {
  if (signBit(a) === signBit(b)) return a;
  return rm === RDN ? -0 : 0;
}

/** Signed big integer for finite v: sign(v) * m * 2^(e - base), with e from decompose. */
function scaled(v: number, base: number): bigint {
  decompose(v);
  const m = BigInt(dec.m) << BigInt(dec.e - base);
  return v < 0 ? -m : m;
}

/** Rounds a nonzero signed big integer times 2^exp, or gives the exact-zero sign. */
function roundSigned(cpu: FpCpuState, s: bigint, exp: number, fmt: Fmt, rm: number): number {
  if (s === 0n) return rm === RDN ? -0 : 0;
  return s < 0n ? roundExact(cpu, true, -s, exp, false, fmt, rm) : roundExact(cpu, false, s, exp, false, fmt, rm);
}

/** a + b exactly rounded; a and b finite. */
export function addExact(cpu: FpCpuState, a: number, b: number, fmt: Fmt, rm: number): number {
  if (a === 0 && b === 0) return zeroSum(a, b, rm);
  decompose(a);
  const ea = dec.e;
  decompose(b);
  const base = Math.min(ea, dec.e);
  return roundSigned(cpu, scaled(a, base) + scaled(b, base), base, fmt, rm);
}

/** a * b exactly rounded; a and b finite. */
export function mulExact(cpu: FpCpuState, a: number, b: number, fmt: Fmt, rm: number): number {
  const neg = signBit(a) !== signBit(b);
  if (a === 0 || b === 0) return neg ? -0 : 0;
  decompose(a);
  const ma = BigInt(dec.m);
  const ea = dec.e;
  decompose(b);
  return roundExact(cpu, neg, ma * BigInt(dec.m), ea + dec.e, false, fmt, rm);
}

// Extra quotient and root bits: enough that the sticky bit lies below the rounding position.
const QBITS = 110;

/** a / b exactly rounded; a and b finite and nonzero. */
export function divExact(cpu: FpCpuState, a: number, b: number, fmt: Fmt, rm: number): number {
  const neg = signBit(a) !== signBit(b);
  decompose(a);
  const num = BigInt(dec.m) << BigInt(QBITS);
  const ea = dec.e;
  decompose(b);
  const den = BigInt(dec.m);
  const q = num / den;
  return roundExact(cpu, neg, q, ea - dec.e - QBITS, q * den !== num, fmt, rm);
}

/** floor(sqrt(n)) for n > 0. */
function isqrt(n: bigint): bigint {
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  if (x === 0n) x = 1n;
  // Newton's steps double the ~50 correct bits of the guess; stop once a step moves by <= 1.
  for (;;) {
    const y = (x + n / x) >> 1n;
    const moved = y > x ? y - x : x - y;
    x = y;
    if (moved <= 1n) break;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/** sqrt(a) exactly rounded; a finite and > 0. */
export function sqrtExact(cpu: FpCpuState, a: number, fmt: Fmt, rm: number): number {
  decompose(a);
  let m = BigInt(dec.m);
  let e = dec.e;
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  m <<= BigInt(2 * QBITS);
  e -= 2 * QBITS;
  const r = isqrt(m);
  return roundExact(cpu, false, r, e / 2, r * r !== m, fmt, rm);
}

/** a * b + c with a single rounding; a, b, c finite. */
export function fmaExact(cpu: FpCpuState, a: number, b: number, c: number, fmt: Fmt, rm: number): number {
  const negP = signBit(a) !== signBit(b);
  if (a === 0 || b === 0) return c === 0 ? zeroSum(negP ? -0 : 0, c, rm) : c;
  decompose(a);
  const ma = BigInt(dec.m);
  const ea = dec.e;
  decompose(b);
  const ep = ea + dec.e;
  let p = ma * BigInt(dec.m);
  if (negP) p = -p;
  if (c === 0) return roundSigned(cpu, p, ep, fmt, rm);
  decompose(c);
  const base = Math.min(ep, dec.e);
  return roundSigned(cpu, (p << BigInt(ep - base)) + scaled(c, base), base, fmt, rm);
}
