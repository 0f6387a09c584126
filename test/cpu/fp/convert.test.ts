// Conversions: float -> integer rounding and saturation, integer -> float rounding, S <-> D.

import { describe, expect, it } from "vitest";
import { d, hex, NV, NX, OF, RDN, RMM, RNE, RTZ, RUP, run, s, sb, UF } from "./util.ts";

const X = (v: bigint) => BigInt.asUintN(64, v);
const QNAN_D = 0x7ff8000000000000n;
const QNAN_S = sb(0x7fc00000);

type Row = [rm: number, a: bigint, result: bigint, flags: number];

function table(name: string, rows: Row[]): void {
  rows.forEach(([rm, a, r, f], i) => {
    it(`${name} #${i} rm=${rm}`, () => expect(run(name, rm, a)).toEqual({ r: hex(r), f }));
  });
}

describe("float to integer", () => {
  table("fcvt.w.d", [
    [RNE, d(2.5), 2n, NX],
    [RMM, d(2.5), 3n, NX],
    [RUP, d(2.5), 3n, NX],
    [RDN, d(2.5), 2n, NX],
    [RTZ, d(2.5), 2n, NX],
    [RNE, d(-2.5), X(-2n), NX],
    [RMM, d(-2.5), X(-3n), NX],
    [RDN, d(-2.5), X(-3n), NX],
    [RUP, d(-2.5), X(-2n), NX],
    [RNE, d(3.5), 4n, NX],
    [RNE, d(-0.5), 0n, NX],
    [RNE, d(-0), 0n, 0],
    [RNE, d(NaN), 0x7fffffffn, NV],
    [RNE, 0xfff8000000000000n, 0x7fffffffn, NV], // negative NaN saturates high too
    [RNE, d(Infinity), 0x7fffffffn, NV],
    [RNE, d(-Infinity), X(-(2n ** 31n)), NV],
    [RNE, d(2 ** 31), 0x7fffffffn, NV],
    [RTZ, d(2 ** 31 - 0.5), 0x7fffffffn, NX],
    [RNE, d(2 ** 31 - 0.5), 0x7fffffffn, NV], // rounds to 2^31, out of range
    [RNE, d(-(2 ** 31) - 0.5), X(-(2n ** 31n)), NX], // tie to even lands in range
    [RDN, d(-(2 ** 31) - 0.5), X(-(2n ** 31n)), NV],
  ]);
  table("fcvt.wu.d", [
    [RTZ, d(-0.5), 0n, NX],
    [RNE, d(-1), 0n, NV],
    [RNE, d(2 ** 32 - 1), X(-1n), 0], // 32-bit results are sign-extended, even unsigned ones
    [RNE, d(2 ** 31), X(-(2n ** 31n)), 0],
    [RNE, d(2 ** 32), X(-1n), NV],
    [RNE, d(NaN), X(-1n), NV],
    [RNE, d(-Infinity), 0n, NV],
  ]);
  table("fcvt.l.d", [
    [RNE, d(2 ** 63), 2n ** 63n - 1n, NV],
    [RNE, d(-(2 ** 63)), X(-(2n ** 63n)), 0],
    [RNE, d(2 ** 62 + 2 ** 10), 2n ** 62n + 1024n, 0],
    [RNE, d(NaN), 2n ** 63n - 1n, NV],
    [RNE, d(4503599627370495.5), 4503599627370496n, NX], // 2^52 - 0.5: ties to even
    [RTZ, d(-4503599627370495.5), X(-4503599627370495n), NX],
  ]);
  table("fcvt.lu.d", [
    [RNE, d(2 ** 64), X(-1n), NV],
    [RNE, d(2 ** 64 - 2048), 2n ** 64n - 2048n, 0],
    [RNE, d(NaN), X(-1n), NV],
    [RUP, d(-0.25), 0n, NX],
    [RDN, d(-0.25), 0n, NV],
  ]);
  table("fcvt.w.s", [
    [RNE, s(1.5), 2n, NX],
    [RNE, s(-(2 ** 31)), X(-(2n ** 31n)), 0],
    [RNE, 0x000000003f800000n, 0x7fffffffn, NV], // not NaN-boxed: a NaN
  ]);
  table("fcvt.lu.s", [[RNE, s(2 ** 63), 2n ** 63n, 0]]);
});

describe("integer to float", () => {
  table("fcvt.d.l", [
    [RNE, 2n ** 53n + 1n, d(2 ** 53), NX],
    [RUP, 2n ** 53n + 1n, d(2 ** 53 + 2), NX],
    [RMM, 2n ** 53n + 1n, d(2 ** 53 + 2), NX],
    [RNE, 2n ** 53n + 3n, d(2 ** 53 + 4), NX],
    [RTZ, X(-(2n ** 53n) - 1n), d(-(2 ** 53)), NX],
    [RDN, X(-(2n ** 53n) - 1n), d(-(2 ** 53) - 2), NX],
    [RNE, X(-(2n ** 63n)), d(-(2 ** 63)), 0],
    [RNE, 2n ** 63n - 1n, d(2 ** 63), NX],
    [RTZ, 2n ** 63n - 1n, d(2 ** 63 - 1024), NX],
  ]);
  table("fcvt.d.lu", [
    [RNE, X(-1n), d(2 ** 64), NX],
    [RTZ, X(-1n), d(2 ** 64 - 2048), NX],
  ]);
  table("fcvt.d.w", [
    [RNE, 0xdeadbeef80000000n, d(-(2 ** 31)), 0], // upper half ignored
    [RNE, 0x7fffffffn, d(2 ** 31 - 1), 0],
  ]);
  table("fcvt.d.wu", [[RNE, 0x12345678ffffffffn, d(2 ** 32 - 1), 0]]);
  table("fcvt.s.w", [
    [RNE, 16777217n, s(16777216), NX],
    [RUP, 16777217n, s(16777218), NX],
    [RNE, 16777219n, s(16777220), NX],
    [RNE, 0x7fffffffn, s(2 ** 31), NX],
    [RTZ, 0x7fffffffn, s(2 ** 31 - 128), NX],
  ]);
  table("fcvt.s.lu", [
    [RNE, X(-1n), s(2 ** 64), NX],
    [RTZ, X(-1n), sb(0x5f7fffff), NX],
  ]);
  table("fcvt.s.l", [
    // the single ulp at 2^40 is 2^17: 2^16 is a tie, and the + 1 breaks it upwards
    [RNE, 2n ** 40n + 2n ** 16n + 1n, s(2 ** 40 + 2 ** 17), NX],
    [RNE, 2n ** 40n + 2n ** 16n, s(2 ** 40), NX],
  ]);
});

describe("single <-> double", () => {
  table("fcvt.s.d", [
    [RNE, d(1 + 2 ** -24), s(1), NX],
    [RNE, d(1 + 2 ** -24 + 2 ** -52), s(1 + 2 ** -23), NX],
    [RTZ, d(1e300), sb(0x7f7fffff), OF | NX],
    [RNE, d(1e300), s(Infinity), OF | NX],
    [RUP, d(-1e300), sb(0xff7fffff), OF | NX],
    [RNE, d(1e-300), s(0), UF | NX],
    [RUP, d(1e-300), s(2 ** -149), UF | NX],
    [RNE, d(2 ** -126 - 2 ** -150), s(2 ** -126), UF | NX], // tiny: exact at 24 bits, below 2^-126
    [RNE, d(2 ** -126 - 2 ** -151), s(2 ** -126), NX], // rounds to 2^-126 at full precision
    [RNE, d(2 ** -149), s(2 ** -149), 0],
    [RNE, 0x7ff0000000000001n, QNAN_S, NV],
    [RNE, 0xfff8000000000000n, QNAN_S, 0],
    [RNE, d(Infinity), s(Infinity), 0],
  ]);
  table("fcvt.d.s", [
    [RNE, s(2 ** -149), d(2 ** -149), 0],
    [RNE, sb(0x7f800001), QNAN_D, NV],
    [RNE, sb(0xffc00001), QNAN_D, 0],
    [RNE, 0x3ff0000000000000n, QNAN_D, 0], // an unboxed register reads as the canonical NaN
  ]);
});
