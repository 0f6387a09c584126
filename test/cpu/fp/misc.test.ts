// Comparisons, min/max, sign injection, fclass and moves: raw-bit and NaN-boxing rules.

import { describe, expect, it } from "vitest";
import { d, hex, NV, RNE, run, s, sb } from "./util.ts";

const QNAN_D = 0x7ff8000000000000n;
const SNAN_D = 0x7ff4000000000000n;
const QNAN_S = sb(0x7fc00000);
const SNAN_S = sb(0x7fa00000);
const UNBOXED = 0x000000003f800000n; // 1.0f without the NaN box

type Row = [a: bigint, b: bigint, result: bigint, flags: number];

function table(name: string, rows: Row[]): void {
  rows.forEach(([a, b, r, f], i) => {
    it(`${name} #${i}`, () => expect(run(name, RNE, a, b)).toEqual({ r: hex(r), f }));
  });
}

describe("comparisons: feq is quiet, flt/fle signal on any NaN", () => {
  table("feq.d", [
    [d(1), d(1), 1n, 0],
    [d(0), d(-0), 1n, 0],
    [QNAN_D, d(1), 0n, 0],
    [SNAN_D, d(1), 0n, NV],
    [QNAN_D, QNAN_D, 0n, 0],
  ]);
  table("flt.d", [
    [d(-0), d(0), 0n, 0],
    [d(1), d(2), 1n, 0],
    [QNAN_D, d(1), 0n, NV],
    [d(-Infinity), d(Infinity), 1n, 0],
  ]);
  table("fle.d", [
    [d(-0), d(0), 1n, 0],
    [d(1), QNAN_D, 0n, NV],
  ]);
  table("feq.s", [
    [s(1), s(1), 1n, 0],
    [UNBOXED, s(1), 0n, 0],
    [SNAN_S, s(1), 0n, NV],
  ]);
  table("fle.s", [[UNBOXED, s(1), 0n, NV]]);
  table("flt.s", [[s(-1), s(1), 1n, 0]]);
});

describe("fmin/fmax: minimumNumber/maximumNumber", () => {
  table("fmin.d", [
    [d(-0), d(0), d(-0), 0],
    [d(0), d(-0), d(-0), 0],
    [QNAN_D, d(1), d(1), 0],
    [d(1), SNAN_D, d(1), NV],
    [QNAN_D, QNAN_D, QNAN_D, 0],
    [SNAN_D, 0xfff8000000000001n, QNAN_D, NV],
    [d(-Infinity), d(1), d(-Infinity), 0],
  ]);
  table("fmax.d", [
    [d(-0), d(0), d(0), 0],
    [d(0), d(-0), d(0), 0],
    [d(2), QNAN_D, d(2), 0],
    [d(3), d(2), d(3), 0],
  ]);
  table("fmin.s", [
    [UNBOXED, s(2), s(2), 0],
    [SNAN_S, s(2), s(2), NV],
    [s(-0), s(0), s(-0), 0],
  ]);
  table("fmax.s", [[QNAN_S, QNAN_S, QNAN_S, 0]]);
});

describe("sign injection works on raw bits; singles are NaN-box checked", () => {
  table("fsgnj.d", [
    [d(1), d(-2), d(-1), 0],
    [0x7ff4000000000123n, d(-1), 0xfff4000000000123n, 0], // NaN payloads pass through
  ]);
  table("fsgnjn.d", [[d(1), d(-2), d(1), 0]]);
  table("fsgnjx.d", [
    [d(-1), d(-2), d(1), 0],
    [d(-1), d(2), d(-1), 0],
  ]);
  table("fsgnj.s", [
    [s(1), s(-2), s(-1), 0],
    [UNBOXED, s(-2), sb(0xffc00000), 0], // canonical NaN, sign injected
    [s(3), UNBOXED, s(3), 0], // canonical NaN's sign is +
  ]);
  table("fsgnjn.s", [[UNBOXED, s(1), sb(0xffc00000), 0]]);
  table("fsgnjx.s", [[sb(0xff800001), s(-1), sb(0x7f800001), 0]]);
});

describe("fclass", () => {
  const cases: [string, bigint, number][] = [
    ["fclass.d", d(-Infinity), 0], ["fclass.d", d(-1), 1], ["fclass.d", d(-(2 ** -1074)), 2],
    ["fclass.d", d(-0), 3], ["fclass.d", d(0), 4], ["fclass.d", d(2 ** -1030), 5], ["fclass.d", d(2 ** -1022), 6],
    ["fclass.d", d(Infinity), 7], ["fclass.d", SNAN_D, 8], ["fclass.d", QNAN_D, 9],
    ["fclass.s", s(-Infinity), 0], ["fclass.s", s(-1), 1], ["fclass.s", s(-(2 ** -149)), 2],
    ["fclass.s", s(-0), 3], ["fclass.s", s(0), 4], ["fclass.s", s(2 ** -127), 5], ["fclass.s", s(2 ** -126), 6],
    ["fclass.s", s(Infinity), 7], ["fclass.s", SNAN_S, 8], ["fclass.s", QNAN_S, 9], ["fclass.s", UNBOXED, 9],
  ];
  cases.forEach(([name, a, bit], i) => {
    it(`${name} #${i} -> bit ${bit}`, () => expect(run(name, RNE, a)).toEqual({ r: hex(1n << BigInt(bit)), f: 0 }));
  });
});

describe("moves", () => {
  it("fmv.x.w sign-extends the raw low word, boxed or not", () => {
    expect(run("fmv.x.w", RNE, sb(0x80000000)).r).toBe("ffffffff80000000");
    expect(run("fmv.x.w", RNE, 0x123456787f800001n).r).toBe("000000007f800001");
  });
  it("fmv.w.x NaN-boxes the low 32 bits", () => {
    expect(run("fmv.w.x", RNE, 0xdeadbeef3f800000n).r).toBe("ffffffff3f800000");
  });
  it("fmv.x.d and fmv.d.x copy 64 bits, signaling NaNs included, without flags", () => {
    expect(run("fmv.x.d", RNE, 0x7ff0000000000001n)).toEqual({ r: "7ff0000000000001", f: 0 });
    expect(run("fmv.d.x", RNE, 0xfff0000000000001n)).toEqual({ r: "fff0000000000001", f: 0 });
  });
});
