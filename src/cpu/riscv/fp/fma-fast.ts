// Double fused multiply-add without BigInt, for operands in a safe range.
//
// After Boldo and Melquiond's emulated FMA (round-to-odd), with our own guard so that the
// argument below is self-contained:
//   uh + ul = a*b exactly (Dekker), th + tl = c + uh exactly (TwoSum),
//   v = RO(tl + ul) (round to odd: the odd neighbour when inexact), z + w = th + v (TwoSum).
// If tl + ul was exact (d = 0), x = a*b + c = z + w exactly, and finishD rounds from (z, w).
// Otherwise v is odd and x lies strictly within ulp(v) of th + v. When |v| < |th|/8, th and z
// are multiples of 4 ulp(v), so every representable number and every midpoint of z's precision
// is an even multiple of ulp(v), while th + v is an odd one: none lies between th + v and x.
// Hence z = RN(x), x is not a tie, and x - z has the sign of w (nonzero). Anything else falls
// back to exact BigInt arithmetic.

import { isOddD, nextDownD, nextUpD } from "./bits.ts";
import { finishD, twoProdErr, twoSumErr } from "./round.ts";
import { RDN, RMM, RNE } from "./types.ts";
import type { FpCpuState } from "./types.ts";

const LOW = 2 ** -960;
const SPLIT_MAX = 2 ** 995;
const HIGH = 2 ** 1000;
const BIG = 2 ** 1020;

/** a*b + c in mode rm for finite doubles, or NaN (no flags touched) when outside the safe range. */
export function fmaFastD(cpu: FpCpuState, a: number, b: number, c: number, rm: number): number {
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  const uh = a * b;
  const ap = Math.abs(uh);
  if (!(aa >= LOW && aa < SPLIT_MAX && ab >= LOW && ab < SPLIT_MAX && ap >= LOW && ap < HIGH)) return NaN;
  if (!(Math.abs(c) < HIGH)) return NaN;
  const ul = twoProdErr(a, b, uh);
  const th = c + uh;
  const tl = twoSumErr(c, uh, th);
  const u = tl + ul;
  const d = twoSumErr(tl, ul, u);
  let v = u;
  if (d !== 0) {
    if (!(Math.abs(u) * 8 < Math.abs(th))) return NaN;
    if (!isOddD(u)) v = d > 0 ? nextUpD(u) : nextDownD(u);
  }
  const z = th + v;
  const w = twoSumErr(th, v, z);
  if (z === 0) {
    // th = -v: with d = 0 an exact cancellation, otherwise excluded by the guard above.
    if (d !== 0 || w !== 0) return NaN;
    return rm === RDN ? -0 : 0;
  }
  const az = Math.abs(z);
  if (!(az >= LOW && az < BIG)) return NaN;
  if (d === 0) return finishD(cpu, z, w, rm);
  return finishD(cpu, z, w, rm === RMM ? RNE : rm);
}
