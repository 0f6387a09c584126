// The division fast paths against BigInt arithmetic, on operands around their boundaries.

import { describe, expect, it } from "vitest";
import { divR, divuR, remR, remuR } from "../../src/cpu/riscv/alu.ts";

const edges = [0n, 1n, 2n, 3n, 7n, 10n, 0x1fffffn, 0x200000n, 0x200001n, 0xffffffffn, 0x100000000n,
  (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, 0x123456789abcdefn];
const values = [...edges, ...edges.map((v) => BigInt.asUintN(64, -v))];

function run(fn: typeof divR, a: bigint, b: bigint): bigint {
  const regs = new BigInt64Array(4);
  const xi = new Int32Array(regs.buffer);
  regs[1] = BigInt.asIntN(64, a);
  regs[2] = BigInt.asIntN(64, b);
  fn(regs, xi, 3, 1, 2);
  return regs[3]!;
}

const MIN = -(1n << 63n);
const ref = {
  div: (a: bigint, b: bigint) => (b === 0n ? -1n : a === MIN && b === -1n ? a : a / b),
  rem: (a: bigint, b: bigint) => (b === 0n ? a : a % b),
  divu: (a: bigint, b: bigint) => (b === 0n ? -1n : BigInt.asIntN(64, BigInt.asUintN(64, a) / BigInt.asUintN(64, b))),
  remu: (a: bigint, b: bigint) => (b === 0n ? a : BigInt.asIntN(64, BigInt.asUintN(64, a) % BigInt.asUintN(64, b))),
};

describe("division", () => {
  for (const [name, fn] of [["div", divR], ["rem", remR], ["divu", divuR], ["remu", remuR]] as const) {
    it(`${name} matches BigInt arithmetic on boundary operands`, () => {
      for (const ua of values) {
        for (const ub of values) {
          const a = BigInt.asIntN(64, ua);
          const b = BigInt.asIntN(64, ub);
          expect(run(fn, a, b), `${name} ${a} ${b}`).toBe(ref[name](a, b));
        }
      }
    });
  }
});
