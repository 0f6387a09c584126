// Tricky cases of the rounding arithmetic, per operation and rounding mode.

import { describe, expect, it } from "vitest";
import { d, DZ, hex, NV, NX, OF, RDN, RMM, RNE, RTZ, RUP, run, s, sb, UF } from "./util.ts";

const MAX = Number.MAX_VALUE;
const MIN_NORMAL = 2 ** -1022;
const MAX_SUB = 2 ** -1022 - 2 ** -1074;
const MAXF = 3.4028234663852886e38;
const QNAN_D = 0x7ff8000000000000n;
const QNAN_S = sb(0x7fc00000);
const SNAN_D = 0x7ff0000000000001n;
const SNAN_S = sb(0x7f800001);

/** Expected outcome: result bits and flags. */
function want(bits: bigint, f = 0): { r: string; f: number } {
  return { r: hex(bits), f };
}

type Row = [rm: number, a: bigint, b: bigint, c: bigint, result: bigint, flags: number];

function table(name: string, rows: Row[]): void {
  rows.forEach(([rm, a, b, c, r, f], i) => {
    it(`${name} #${i} rm=${rm}`, () => expect(run(name, rm, a, b, c)).toEqual(want(r, f)));
  });
}

describe("fadd/fsub: ties, signed zeros, overflow per mode", () => {
  const one = d(1);
  const half = d(2 ** -53); // exactly half an ulp of 1
  table("fadd.d", [
    [RNE, one, half, 0n, d(1), NX],
    [RTZ, one, half, 0n, d(1), NX],
    [RDN, one, half, 0n, d(1), NX],
    [RUP, one, half, 0n, d(1 + 2 ** -52), NX],
    [RMM, one, half, 0n, d(1 + 2 ** -52), NX],
    [RNE, d(-1), d(-(2 ** -53)), 0n, d(-1), NX],
    [RDN, d(-1), d(-(2 ** -53)), 0n, d(-1 - 2 ** -52), NX],
    [RUP, d(-1), d(-(2 ** -53)), 0n, d(-1), NX],
    [RMM, d(-1), d(-(2 ** -53)), 0n, d(-1 - 2 ** -52), NX],
    // 1+ulp plus half an ulp: a tie whose even neighbour is above
    [RNE, d(1 + 2 ** -52), half, 0n, d(1 + 2 ** -51), NX],
    [RTZ, d(1 + 2 ** -52), half, 0n, d(1 + 2 ** -52), NX],
    [RNE, d(3), d(-3), 0n, d(0), 0],
    [RDN, d(3), d(-3), 0n, d(-0), 0],
    [RNE, d(0), d(-0), 0n, d(0), 0],
    [RDN, d(0), d(-0), 0n, d(-0), 0],
    [RDN, d(0), d(0), 0n, d(0), 0],
    [RUP, d(-0), d(-0), 0n, d(-0), 0],
    [RNE, d(MAX), d(MAX), 0n, d(Infinity), OF | NX],
    [RTZ, d(MAX), d(MAX), 0n, d(MAX), OF | NX],
    [RDN, d(MAX), d(MAX), 0n, d(MAX), OF | NX],
    [RUP, d(MAX), d(MAX), 0n, d(Infinity), OF | NX],
    [RUP, d(-MAX), d(-MAX), 0n, d(-MAX), OF | NX],
    [RDN, d(-MAX), d(-MAX), 0n, d(-Infinity), OF | NX],
    // MAX + half an ulp: RNE ties to the even "2^1024" (overflow); RTZ stays finite without OF
    [RNE, d(MAX), d(2 ** 970), 0n, d(Infinity), OF | NX],
    [RTZ, d(MAX), d(2 ** 970), 0n, d(MAX), NX],
    [RUP, d(MAX), d(2 ** -1074), 0n, d(Infinity), OF | NX],
    [RNE, d(MAX), d(2 ** -1074), 0n, d(MAX), NX],
    [RNE, d(Infinity), d(-Infinity), 0n, QNAN_D, NV],
    [RNE, d(Infinity), d(MAX), 0n, d(Infinity), 0],
    [RNE, d(MIN_NORMAL), d(-MAX_SUB), 0n, d(2 ** -1074), 0], // subnormal results of a sum are exact
  ]);
  table("fsub.d", [
    [RNE, d(1), d(1), 0n, d(0), 0],
    [RDN, d(1), d(1), 0n, d(-0), 0],
    [RNE, d(-0), d(0), 0n, d(-0), 0],
    [RNE, d(1), d(2 ** -53 + 2 ** -105), 0n, d(1 - 2 ** -53), NX],
  ]);
  table("fadd.s", [
    [RNE, s(1), s(2 ** -24), 0n, s(1), NX],
    [RUP, s(1), s(2 ** -24), 0n, s(1 + 2 ** -23), NX],
    [RMM, s(1), s(2 ** -24), 0n, s(1 + 2 ** -23), NX],
    [RDN, s(-1), s(-(2 ** -24)), 0n, s(-1 - 2 ** -23), NX],
    [RDN, s(2), s(-2), 0n, s(-0), 0],
    [RNE, s(MAXF), s(MAXF), 0n, s(Infinity), OF | NX],
    [RTZ, s(MAXF), s(MAXF), 0n, s(MAXF), OF | NX],
    [RNE, s(MAXF), s(2 ** 103), 0n, s(Infinity), OF | NX],
    [RTZ, s(MAXF), s(2 ** 103), 0n, s(MAXF), NX],
    [RUP, s(MAXF), s(2 ** -149), 0n, s(Infinity), OF | NX],
  ]);
});

describe("fmul: tininess is detected after rounding", () => {
  const justBelow = d(1 - 2 ** -53);
  table("fmul.d", [
    // (1 - 2^-53) * 2^-1022 = 2^-1022 - 2^-1075: tiny even when it rounds up to 2^-1022
    [RNE, justBelow, d(MIN_NORMAL), 0n, d(MIN_NORMAL), UF | NX],
    [RUP, justBelow, d(MIN_NORMAL), 0n, d(MIN_NORMAL), UF | NX],
    [RTZ, justBelow, d(MIN_NORMAL), 0n, d(MAX_SUB), UF | NX],
    [RDN, justBelow, d(MIN_NORMAL), 0n, d(MAX_SUB), UF | NX],
    [RMM, justBelow, d(MIN_NORMAL), 0n, d(MIN_NORMAL), UF | NX],
    // (1 + 2^-52)(2^-1022 - 2^-1074) = 2^-1022 - 2^-1126: rounds to 2^-1022 at full precision
    [RNE, d(1 + 2 ** -52), d(MAX_SUB), 0n, d(MIN_NORMAL), NX],
    [RUP, d(1 + 2 ** -52), d(MAX_SUB), 0n, d(MIN_NORMAL), NX],
    [RTZ, d(1 + 2 ** -52), d(MAX_SUB), 0n, d(MAX_SUB), UF | NX],
    [RNE, d(2 ** -600), d(2 ** -600), 0n, d(0), UF | NX],
    [RUP, d(2 ** -600), d(2 ** -600), 0n, d(2 ** -1074), UF | NX],
    [RDN, d(-(2 ** -600)), d(2 ** -600), 0n, d(-(2 ** -1074)), UF | NX],
    [RNE, d(2 ** -1000), d(2 ** -74), 0n, d(2 ** -1074), 0], // exact subnormal: no UF
    [RNE, d(Infinity), d(0), 0n, QNAN_D, NV],
    [RNE, d(-0), d(5), 0n, d(-0), 0],
    [RTZ, d(2 ** 600), d(2 ** 600), 0n, d(MAX), OF | NX],
  ]);
  table("fmul.s", [
    [RNE, s(1 - 2 ** -24), s(2 ** -126), 0n, s(2 ** -126), UF | NX],
    [RTZ, s(1 - 2 ** -24), s(2 ** -126), 0n, s(2 ** -126 - 2 ** -149), UF | NX],
    [RNE, s(1 + 2 ** -23), s(2 ** -126 - 2 ** -149), 0n, s(2 ** -126), NX],
    [RNE, s(2 ** -100), s(2 ** -49), 0n, s(2 ** -149), 0],
    [RNE, s(2 ** -100), s(2 ** -50), 0n, s(0), UF | NX], // exactly half the least subnormal: ties to 0
    [RMM, s(2 ** -100), s(2 ** -50), 0n, s(2 ** -149), UF | NX],
    [RUP, s(-(2 ** 100)), s(2 ** 100), 0n, s(-MAXF), OF | NX],
  ]);
});

describe("fdiv and fsqrt", () => {
  const SQRT2 = 0x3ff6a09e667f3bcdn; // RN(sqrt 2), above the true root
  table("fdiv.d", [
    [RNE, d(1), d(0), 0n, d(Infinity), DZ],
    [RNE, d(-1), d(0), 0n, d(-Infinity), DZ],
    [RNE, d(1), d(-0), 0n, d(-Infinity), DZ],
    [RNE, d(0), d(0), 0n, QNAN_D, NV],
    [RNE, d(Infinity), d(0), 0n, d(Infinity), 0],
    [RNE, d(Infinity), d(Infinity), 0n, QNAN_D, NV],
    [RNE, d(1), d(3), 0n, d(1 / 3), NX],
    [RUP, d(1), d(3), 0n, d(1 / 3 + 2 ** -54), NX],
    [RTZ, d(-1), d(3), 0n, d(-1 / 3), NX],
    [RDN, d(-1), d(3), 0n, d(-1 / 3 - 2 ** -54), NX],
    [RNE, d(MAX), d(0.5), 0n, d(Infinity), OF | NX],
    [RDN, d(MAX), d(0.5), 0n, d(MAX), OF | NX],
    [RNE, d(MIN_NORMAL), d(3), 0n, d(MIN_NORMAL / 3), UF | NX],
  ]);
  table("fsqrt.d", [
    [RNE, d(2), 0n, 0n, SQRT2, NX],
    [RMM, d(2), 0n, 0n, SQRT2, NX],
    [RUP, d(2), 0n, 0n, SQRT2, NX],
    [RDN, d(2), 0n, 0n, SQRT2 - 1n, NX],
    [RTZ, d(2), 0n, 0n, SQRT2 - 1n, NX],
    [RNE, d(-0), 0n, 0n, d(-0), 0],
    [RNE, d(-1), 0n, 0n, QNAN_D, NV],
    [RNE, d(-Infinity), 0n, 0n, QNAN_D, NV],
    [RNE, d(2 ** -1074), 0n, 0n, d(2 ** -537), 0],
    [RUP, d(2 ** -1073), 0n, 0n, d(Math.sqrt(2 ** -1073)), NX], // RN is above sqrt(2)*2^-537 here too
    [RNE, d(MAX), 0n, 0n, d(Math.sqrt(MAX)), NX],
  ]);
  table("fsqrt.s", [
    [RNE, s(2), 0n, 0n, s(Math.fround(Math.SQRT2)), NX],
    [RDN, s(2), 0n, 0n, s(1.4142135381698608), NX],
    [RUP, s(2), 0n, 0n, s(1.4142136573791504), NX],
    [RNE, s(-2), 0n, 0n, QNAN_S, NV],
  ]);
  table("fdiv.s", [
    [RNE, s(1), s(3), 0n, s(Math.fround(1 / 3)), NX],
    [RUP, s(1), s(3), 0n, s(0.3333333432674408), NX],
    [RDN, s(1), s(3), 0n, s(0.3333333134651184), NX],
    [RNE, s(-5), s(0), 0n, s(-Infinity), DZ],
  ]);
});

describe("fused multiply-add: one rounding", () => {
  const a = 1 + 2 ** -30;
  const b = 1 - 2 ** -30;
  table("fmadd.d", [
    [RNE, d(a), d(b), d(-1), d(-(2 ** -60)), 0], // an unfused a*b - 1 would give 0
    [RNE, d(0), d(5), d(-0), d(0), 0],
    [RDN, d(0), d(5), d(-0), d(-0), 0],
    [RNE, d(-0), d(5), d(-0), d(-0), 0],
    [RDN, d(2), d(3), d(-6), d(-0), 0],
    [RNE, d(2), d(3), d(-6), d(0), 0],
    [RNE, d(Infinity), d(0), QNAN_D, QNAN_D, NV], // inf*0 is invalid even with a quiet NaN addend
    [RNE, d(1), d(1), SNAN_D, QNAN_D, NV],
    [RNE, d(1), d(1), QNAN_D, QNAN_D, 0],
    [RNE, d(Infinity), d(1), d(-Infinity), QNAN_D, NV],
    [RNE, d(2 ** 1000), d(2 ** 1000), d(-Infinity), d(-Infinity), 0],
    [RNE, d(MAX), d(2), d(-MAX), d(MAX), 0],
    // 1 + 2^-52 + 2^-53 (a tie) minus a little: ties must be broken by the product's low bits
    [RNE, d(1 + 2 ** -52), d(1), d(2 ** -53 - 2 ** -106), d(1 + 2 ** -52), NX],
    [RNE, d(1 + 2 ** -52), d(1), d(2 ** -53), d(1 + 2 ** -51), NX],
    [RMM, d(1), d(1), d(2 ** -53), d(1 + 2 ** -52), NX],
  ]);
  table("fnmadd.d", [
    [RNE, d(2), d(3), d(1), d(-7), 0],
    [RNE, d(0), d(1), d(0), d(-0), 0],
  ]);
  table("fmsub.d", [[RNE, d(2), d(3), d(1), d(5), 0]]);
  table("fnmsub.d", [[RNE, d(2), d(3), d(1), d(-5), 0]]);
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 is a single-precision tie; the addend 2^-60 breaks it upwards.
  // Rounding a*b + c to double first would land on the tie and then round to even (wrongly down).
  const t = 1 + 2 ** -12;
  table("fmadd.s", [
    [RNE, s(t), s(t), s(2 ** -60), s(1 + 2 ** -11 + 2 ** -23), NX],
    [RNE, s(t), s(t), s(-(2 ** -60)), s(1 + 2 ** -11), NX],
    [RNE, s(t), s(t), s(0), s(1 + 2 ** -11), NX],
    [RMM, s(t), s(t), s(0), s(1 + 2 ** -11 + 2 ** -23), NX],
    [RDN, s(2), s(3), s(-6), s(-0), 0],
    [RNE, s(0), s(Infinity), QNAN_S, QNAN_S, NV],
  ]);
});

describe("NaN handling", () => {
  table("fadd.d", [
    [RNE, 0x7ff8000000000123n, d(1), 0n, QNAN_D, 0], // no payload propagation
    [RNE, 0xfff0000000000001n, d(1), 0n, QNAN_D, NV],
  ]);
  table("fadd.s", [
    [RNE, 0x000000003f800000n, s(1), 0n, QNAN_S, 0], // not NaN-boxed: reads as the canonical NaN
    [RNE, SNAN_S, s(1), 0n, QNAN_S, NV],
    [RNE, 0x7fffffff7f800001n, s(1), 0n, QNAN_S, 0], // an unboxed sNaN pattern is just canonical
  ]);
});
