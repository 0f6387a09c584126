// The fast paths (error-free transformations on doubles) against the exact BigInt reference,
// on many more random operands than the qemu vectors hold, in all five rounding modes.

import { describe, expect, it } from "vitest";
import { addD, divD, fmaD, mulD, sqrtD } from "../../../src/cpu/riscv/fp/arith-d.ts";
import { addS, divS, fmaS, mulS, sqrtS } from "../../../src/cpu/riscv/fp/arith-s.ts";
import { addExact, divExact, fmaExact, FMT_D, FMT_S, mulExact, sqrtExact } from "../../../src/cpu/riscv/fp/exact.ts";
import type { Fmt } from "../../../src/cpu/riscv/fp/exact.ts";
import { fmaFastD } from "../../../src/cpu/riscv/fp/fma-fast.ts";
import type { FpCpuState } from "../../../src/cpu/riscv/fp/index.ts";
import { newCpu } from "./harness.ts";
import { hex, d as bitsD, fromD, MODES } from "./util.ts";
import { cancelling, nearTie, randD, randS, relatedD, relatedS, Rng } from "./vectors.ts";

const N = 3000;

type Fast = (cpu: FpCpuState, a: number, b: number, c: number, rm: number) => number;
type Exact = (cpu: FpCpuState, a: number, b: number, c: number, fmt: Fmt, rm: number) => number;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function sOfBits(bits: number): number {
  u32[0] = bits;
  return f32[0];
}

/** Operand triples of finite, non-NaN values in the op's format. */
function operands(r: Rng, single: boolean, op: string): number[] {
  const one = (): number => {
    for (;;) {
      const v = single ? sOfBits(randS(r)) : fromD(randD(r));
      if (Number.isFinite(v)) return v;
    }
  };
  const a = one();
  const bBits = single ? BigInt(relatedS(r, u32fromS(a), op)) : relatedD(r, bitsD(a), op);
  let b = r.int(2) ? (single ? sOfBits(Number(bBits)) : fromD(bBits)) : one();
  if (!Number.isFinite(b)) b = one();
  let c = one();
  if (op === "fma") {
    const box = (v: number) => (single ? 0xffffffff00000000n | BigInt(u32fromS(v)) : bitsD(v));
    const k = r.int(3);
    if (k === 0) b = decode(nearTie(r, single, box(a), box(c)), single);
    if (k === 1) c = decode(cancelling(r, single, box(a), box(b)), single);
    if (!Number.isFinite(b)) b = one();
    if (!Number.isFinite(c)) c = one();
  }
  return [a, b, c];
}

function u32fromS(v: number): number {
  f32[0] = v;
  return u32[0];
}

function decode(bits: bigint, single: boolean): number {
  return single ? sOfBits(Number(bits & 0xffffffffn)) : fromD(bits);
}

/** Runs fast and exact on the same inputs in every mode; returns the first disagreements. */
function crossCheck(op: string, single: boolean, fast: Fast, exact: Exact, valid: (a: number, b: number) => boolean): string[] {
  const r = new Rng(0xc0ffee ^ op.length ^ (single ? 77 : 0));
  const fmt = single ? FMT_S : FMT_D;
  const bad: string[] = [];
  for (let i = 0; i < N; i++) {
    const [a, b, c] = operands(r, single, op);
    if (!valid(a, b)) continue;
    for (const rm of MODES) {
      const c1 = newCpu();
      const c2 = newCpu();
      const got = fast(c1, a, b, c, rm);
      const want = exact(c2, a, b, c, fmt, rm);
      if (bitsD(got) !== bitsD(want) || c1.fflags !== c2.fflags) {
        if (bad.length < 10) bad.push(`${op} rm=${rm} ${hex(bitsD(a))} ${hex(bitsD(b))} ${hex(bitsD(c))}: ` +
          `${hex(bitsD(got))}/${c1.fflags} vs ${hex(bitsD(want))}/${c2.fflags}`);
      }
    }
  }
  return bad;
}

const any = () => true;
const divisible = (_a: number, b: number) => b !== 0;
const positive = (a: number) => a > 0;

describe("fast paths agree with exact BigInt arithmetic", () => {
  for (const single of [false, true]) {
    const t = single ? "s" : "d";
    const [add, mul, div, sqrt, fma] = single ? [addS, mulS, divS, sqrtS, fmaS] : [addD, mulD, divD, sqrtD, fmaD];
    it(`add.${t}`, () => {
      expect(crossCheck("add", single, (cpu, a, b, _c, rm) => add(cpu, a, b, rm), (cpu, a, b, _c, f, rm) => addExact(cpu, a, b, f, rm), any)).toEqual([]);
    });
    it(`mul.${t}`, () => {
      expect(crossCheck("mul", single, (cpu, a, b, _c, rm) => mul(cpu, a, b, rm), (cpu, a, b, _c, f, rm) => mulExact(cpu, a, b, f, rm), any)).toEqual([]);
    });
    it(`div.${t}`, () => {
      expect(crossCheck("div", single, (cpu, a, b, _c, rm) => div(cpu, a, b, rm), (cpu, a, b, _c, f, rm) => divExact(cpu, a, b, f, rm), divisible)).toEqual([]);
    });
    it(`sqrt.${t}`, () => {
      expect(crossCheck("sqrt", single, (cpu, a, _b, _c, rm) => sqrt(cpu, a, rm), (cpu, a, _b, _c, f, rm) => sqrtExact(cpu, a, f, rm), positive)).toEqual([]);
    });
    it(`fma.${t}`, () => {
      expect(crossCheck("fma", single, fma, fmaExact, any)).toEqual([]);
    });
  }

  it("the BigInt-free double FMA handles most operands and all near-ties exactly", () => {
    const r = new Rng(1234);
    let fast = 0;
    let total = 0;
    const bad: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = fromD(randD(r));
      const c = fromD(randD(r));
      const b = fromD(nearTie(r, false, bitsD(a), bitsD(c)));
      if (![a, b, c].every(Number.isFinite)) continue;
      for (const rm of MODES) {
        total++;
        const c1 = newCpu();
        const got = fmaFastD(c1, a, b, c, rm);
        if (got !== got) continue;
        fast++;
        const c2 = newCpu();
        const want = fmaExact(c2, a, b, c, FMT_D, rm);
        if ((bitsD(got) !== bitsD(want) || c1.fflags !== c2.fflags) && bad.length < 10) {
          bad.push(`rm=${rm} ${a} ${b} ${c}: ${got}/${c1.fflags} vs ${want}/${c2.fflags}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(fast / total).toBeGreaterThan(0.5);
  });
});
