// Deterministic operand vectors for the qemu differential test: edge values plus a fixed-seed
// pseudo-random set shaped to hit the hard cases (ties, cancellation, subnormal and overflowing
// results, integer-conversion boundaries, improperly NaN-boxed singles).

import { OPS } from "./ops.ts";
import type { OpSpec } from "./ops.ts";

/** mulberry32: small, fast and reproducible. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number {
    return this.u32() % n;
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

const view = new DataView(new ArrayBuffer(8));
const M64 = (1n << 64n) - 1n;
const BOX = 0xffffffff00000000n;

function dOf(bits: bigint): number {
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}
function bitsOfD(v: number): bigint {
  view.setFloat64(0, v);
  return view.getBigUint64(0);
}
function sOf(bits: number): number {
  view.setUint32(0, bits);
  return view.getFloat32(0);
}
function bitsOfS(v: number): number {
  view.setFloat32(0, v);
  return view.getUint32(0);
}

const EDGE_S = [
  0x00000000, 0x00000001, 0x00000002, 0x007fffff, 0x00400000, 0x00800000, 0x00800001, 0x00ffffff,
  0x01000000, 0x33800000, 0x34000000, 0x3effffff, 0x3f000000, 0x3f000001, 0x3f7fffff, 0x3f800000,
  0x3f800001, 0x3fc00000, 0x40000000, 0x40200000, 0x40400000, 0x4b000000, 0x4b000001, 0x4b7fffff,
  0x4b800000, 0x4effffff, 0x4f000000, 0x4f7fffff, 0x4f800000, 0x5effffff, 0x5f000000, 0x5f7fffff,
  0x5f800000, 0x7f000000, 0x7f7ffffe, 0x7f7fffff, 0x7f800000, 0x7f800001, 0x7fa00000, 0x7fbfffff,
  0x7fc00000, 0x7fc00001, 0x7fffffff,
].flatMap((b) => [b, (b | 0x80000000) >>> 0]);

const EDGE_D = [
  0x0n, 0x1n, 0x2n, 0x000fffffffffffffn, 0x0008000000000000n, 0x0010000000000000n, 0x0010000000000001n,
  0x001fffffffffffffn, 0x0020000000000000n, 0x3ca0000000000000n, 0x3cb0000000000000n,
  0x3fe0000000000000n, 0x3fe0000000000001n, 0x3fefffffffffffffn, 0x3ff0000000000000n,
  0x3ff0000000000001n, 0x3ff8000000000000n, 0x4000000000000000n, 0x4004000000000000n,
  0x4008000000000000n, 0x4330000000000000n, 0x4330000000000001n, 0x433fffffffffffffn,
  0x4340000000000000n, 0x41dfffffffc00000n, 0x41dfffffffe00000n, 0x41e0000000000000n,
  0x41efffffffe00000n, 0x41effffffff00000n, 0x41f0000000000000n, 0x43dfffffffffffffn,
  0x43e0000000000000n, 0x43efffffffffffffn, 0x43f0000000000000n, 0x47efffffe0000000n,
  0x47efffffefffffffn, 0x47effffff0000000n, 0x47f0000000000000n, 0x3810000000000000n,
  0x36a0000000000000n, 0x3690000000000000n, 0x7fe0000000000000n, 0x7fefffffffffffffn,
  0x7ff0000000000000n, 0x7ff0000000000001n, 0x7ff4000000000000n, 0x7ff7ffffffffffffn,
  0x7ff8000000000000n, 0x7ff8000000000001n, 0x7fffffffffffffffn,
].flatMap((b) => [b, b | (1n << 63n)]);

/** A random mantissa of n bits with a shape that makes ties and exact results likely. */
function mantissa(r: Rng, n: number): bigint {
  const full = n > 32 ? (BigInt(r.u32() >>> (64 - n)) << 32n) | BigInt(r.u32()) : BigInt(r.u32() >>> (32 - n));
  const k = BigInt(r.int(n + 1));
  switch (r.int(10)) {
    case 0: case 1: case 2: case 3:
      return full;
    case 4: case 5:
      return full & ~((1n << k) - 1n); // low bits clear
    case 6: case 7:
      return full | ((1n << k) - 1n); // low bits set
    case 8:
      return r.int(2) ? 1n << BigInt(r.int(n)) : 0n;
    default:
      return (full >> k) << k | (1n << (k > 0n ? k - 1n : 0n)); // a lone bit below a random head
  }
}

/** Random single bits (uint32). */
export function randS(r: Rng): number {
  if (r.int(100) < 12) return r.pick(EDGE_S);
  const c = r.int(20);
  const e = c < 7 ? r.int(256) : c < 12 ? 127 - 30 + r.int(61) : c < 15 ? r.int(30) : c < 18 ? 226 + r.int(30) : r.pick([0, 255, 1, 254]);
  return ((r.int(2) << 31) | (e << 23) | Number(mantissa(r, 23))) >>> 0;
}

/** Random double bits. */
export function randD(r: Rng): bigint {
  if (r.int(100) < 12) return r.pick(EDGE_D);
  const c = r.int(20);
  const e = c < 6 ? r.int(2048) : c < 11 ? 1023 - 40 + r.int(81) : c < 13 ? r.int(60) : c < 15 ? 1988 + r.int(60)
    : c < 18 ? 1023 - 155 + r.int(285) : r.pick([0, 2047, 1, 2046]);
  return (BigInt(r.int(2)) << 63n) | (BigInt(e) << 52n) | mantissa(r, 52);
}

/** f-register contents for a single: NaN-boxed, or (rarely) deliberately not. */
function boxS(r: Rng, bits: number): bigint {
  if (r.int(100) < 3) return (BigInt(r.pick([0, 0x7fffffff, 0xfffffffe, r.u32()])) << 32n) | BigInt(bits);
  return BOX | BigInt(bits);
}

/** A second operand related to the first: near-equal, opposite, or at a chosen exponent distance. */
export function relatedS(r: Rng, a: number, op: string): number {
  const e = (a >>> 23) & 0xff;
  switch (r.int(5)) {
    case 0:
      return (a + r.int(7) - 3) >>> 0;
    case 1:
      return ((a ^ 0x80000000) + r.int(5) - 2) >>> 0;
    case 2: {
      // Products and quotients whose exponent lands near the subnormal or overflow boundary.
      const target = r.int(2) ? -126 - r.int(28) : 126 + r.int(4);
      const eb = op.includes("div") ? e - 127 - target + 127 : target - (e - 127) + 127;
      return ((r.int(2) << 31) | (Math.max(0, Math.min(255, eb)) << 23) | Number(mantissa(r, 23))) >>> 0;
    }
    default: {
      const eb = Math.max(0, Math.min(254, e + r.int(61) - 30));
      return ((r.int(2) << 31) | (eb << 23) | Number(mantissa(r, 23))) >>> 0;
    }
  }
}

export function relatedD(r: Rng, a: bigint, op: string): bigint {
  const e = Number((a >> 52n) & 0x7ffn);
  const pos = a & M64;
  switch (r.int(5)) {
    case 0:
      return (pos + BigInt(r.int(7) - 3)) & M64;
    case 1:
      return ((pos ^ (1n << 63n)) + BigInt(r.int(5) - 2)) & M64;
    case 2: {
      const target = r.int(2) ? -1022 - r.int(56) : 1022 + r.int(4);
      const eb = op.includes("div") ? e - 1023 - target + 1023 : target - (e - 1023) + 1023;
      return (BigInt(r.int(2)) << 63n) | (BigInt(Math.max(0, Math.min(2047, eb))) << 52n) | mantissa(r, 52);
    }
    default: {
      const eb = Math.max(0, Math.min(2046, e + r.int(121) - 60));
      return (BigInt(r.int(2)) << 63n) | (BigInt(eb) << 52n) | mantissa(r, 52);
    }
  }
}

/** An addend near -(a*b): the cancellation cases of the fused multiply-adds. */
export function cancelling(r: Rng, single: boolean, a: bigint, b: bigint): bigint {
  const k = r.int(9) - 4;
  if (single) {
    const p = Math.fround(sOf(Number(a & 0xffffffffn)) * sOf(Number(b & 0xffffffffn)));
    if (!Number.isFinite(p)) return BOX | BigInt(randS(r));
    return BOX | BigInt((bitsOfS(-p) + k) >>> 0);
  }
  const p = dOf(a) * dOf(b);
  if (!Number.isFinite(p)) return randD(r);
  return (bitsOfD(-p) + BigInt(k)) & M64;
}

/**
 * A multiplicand b such that a*b lands near a midpoint of c's ulp grid, so that a*b + c is close
 * to a rounding tie and only the low product bits decide (the hard case of a fused multiply-add).
 */
export function nearTie(r: Rng, single: boolean, a: bigint, c: bigint): bigint {
  const av = single ? sOf(Number(a & 0xffffffffn)) : dOf(a);
  const cv = single ? sOf(Number(c & 0xffffffffn)) : dOf(c);
  if (!Number.isFinite(av) || !Number.isFinite(cv) || av === 0 || cv === 0) return operandF(r, single);
  const ulp = 2 ** (Math.floor(Math.log2(Math.abs(cv))) - (single ? 23 : 52));
  const target = ulp * (r.int(4) + 0.5) * (r.int(2) ? -1 : 1);
  const b = target / av;
  if (single) return BOX | BigInt((bitsOfS(Math.fround(b)) + r.int(3) - 1) >>> 0);
  return (bitsOfD(b) + BigInt(r.int(3) - 1)) & M64;
}

/** A value near an integer boundary of the conversions, as double bits. */
function nearIntD(r: Rng): bigint {
  const bases = [0, 1, 2, 3, 2 ** 23, 2 ** 24, 2 ** 31, 2 ** 32, 2 ** 52, 2 ** 53, 2 ** 63, 2 ** 64];
  const base = r.int(3) ? r.pick(bases) + r.int(5) - 2 : Math.floor(2 ** r.int(66) * (r.u32() / 2 ** 32));
  const frac = r.pick([0, 0.5, 0.25, 0.75, 0.5 + 2 ** -20, 0.5 - 2 ** -20, r.u32() / 2 ** 32]);
  const v = (base + frac) * (r.int(2) ? -1 : 1);
  return (bitsOfD(v) + BigInt(r.int(5) - 2)) & M64;
}

/** An integer register value: random, of a random width, or a rounding tie at precision 24/53. */
function randX(r: Rng, narrow: boolean): bigint {
  const width = narrow ? 32 : 64;
  let v: bigint;
  const c = r.int(10);
  if (c < 2) {
    v = r.u64();
  } else if (c < 5) {
    const k = 1 + r.int(width);
    v = (r.u64() & ((1n << BigInt(k)) - 1n)) | (1n << BigInt(k - 1));
  } else {
    const p = narrow ? 24 : r.pick([24, 53]);
    const k = Math.min(width, p + 1 + r.int(width - p > 0 ? width - p : 1));
    const head = (r.u64() & ((1n << BigInt(p - 1)) - 1n)) | (1n << BigInt(p - 1));
    const rest = k - p; // bits below the head: a tie bit then a tail
    const tail = r.pick([0n, 1n, (1n << BigInt(Math.max(rest - 1, 0))) - 1n]);
    const tie = BigInt(r.int(2));
    v = rest > 0 ? (head << BigInt(rest)) | (tie << BigInt(rest - 1)) | (tail & ((1n << BigInt(rest - 1)) - 1n)) : head;
  }
  if (r.int(2)) v = -v;
  v &= M64;
  // 32-bit sources ignore the upper half: fill it with garbage.
  if (narrow) v = (v & 0xffffffffn) | (r.int(2) ? r.u64() & 0xffffffff00000000n : 0n);
  return v;
}

function operandF(r: Rng, single: boolean): bigint {
  return single ? boxS(r, randS(r)) : randD(r);
}

/** One vector's operands (a, b, c) for op. */
function operands(r: Rng, op: OpSpec): [bigint, bigint, bigint] {
  const single = op.src === "s";
  if (op.src === "x") {
    const narrow = /\.(w|wu)$/.test(op.name);
    return [op.name.startsWith("fmv") ? r.u64() : randX(r, narrow), 0n, 0n];
  }
  let a = operandF(r, single);
  if (op.kind === "XF" && op.name.startsWith("fcvt") && r.int(2)) {
    const d = nearIntD(r);
    a = single ? BOX | BigInt(bitsOfS(Math.fround(dOf(d)))) : d;
  }
  if (op.name === "fcvt.s.d" && r.int(2)) {
    a = (BigInt(r.int(2)) << 63n) | (BigInt(1023 - 155 + r.int(285)) << 52n) |
      (mantissa(r, 23) << 29n) | r.pick([0n, 0x10000000n, 0x0fffffffn, 0x10000001n, mantissa(r, 29)]);
  }
  if (op.name.startsWith("fsqrt") && r.int(8)) a &= ~(1n << (single ? 31n : 63n));
  if (op.kind === "FF" || op.kind === "XF") return [a, 0n, 0n];
  let b: bigint;
  if (r.int(2)) {
    b = single ? boxS(r, relatedS(r, Number(a & 0xffffffffn), op.name)) : relatedD(r, a, op.name);
  } else {
    b = operandF(r, single);
  }
  if (op.kind !== "FFFF") return [a, b, 0n];
  const k = r.int(6);
  if (k < 2) {
    const c = operandF(r, single);
    return [a, nearTie(r, single, a, c), c];
  }
  return [a, b, k < 4 ? cancelling(r, single, a, b) : operandF(r, single)];
}

/** The vector set: records of op, rm and three operands, ready for fpvec's stdin. */
export interface VectorSet {
  count: number;
  op: Uint8Array;
  rm: Uint8Array;
  a: BigUint64Array;
  b: BigUint64Array;
  c: BigUint64Array;
}

/** Vectors per op and rounding mode (rounding ops get all five modes), and for the other ops. */
export const PER_MODE = 700;
export const PER_PLAIN = 2000;

/** Generates the deterministic vector set over all OPS. */
export function generate(seed = 0x5eed_f00d): VectorSet {
  const r = new Rng(seed);
  const total = OPS.reduce((n, o) => n + (o.rounding ? 5 * PER_MODE : PER_PLAIN), 0);
  const set: VectorSet = {
    count: total, op: new Uint8Array(total), rm: new Uint8Array(total),
    a: new BigUint64Array(total), b: new BigUint64Array(total), c: new BigUint64Array(total),
  };
  let i = 0;
  OPS.forEach((op, n) => {
    for (let rm = 0; rm < (op.rounding ? 5 : 1); rm++) {
      for (let k = 0; k < (op.rounding ? PER_MODE : PER_PLAIN); k++, i++) {
        const [a, b, c] = operands(r, op);
        set.op[i] = n;
        set.rm[i] = rm;
        set.a[i] = a;
        set.b[i] = b;
        set.c[i] = c;
      }
    }
  });
  return set;
}

/** fpvec's stdin: 32-byte little-endian records. */
export function encodeInput(set: VectorSet): Buffer {
  const buf = Buffer.alloc(set.count * 32);
  for (let i = 0; i < set.count; i++) {
    buf.writeUInt32LE(set.op[i], 32 * i);
    buf.writeUInt32LE(set.rm[i], 32 * i + 4);
    buf.writeBigUInt64LE(set.a[i], 32 * i + 8);
    buf.writeBigUInt64LE(set.b[i], 32 * i + 16);
    buf.writeBigUInt64LE(set.c[i], 32 * i + 24);
  }
  return buf;
}
