// Bit-level access to floating-point values and to the f register file.
// Typed-array views assume a little-endian host (x86-64 and AArch64 both are).

import type { FpCpuState } from "./types.ts";

const scratch = new ArrayBuffer(8);
const f64 = new Float64Array(scratch);
const u32 = new Uint32Array(scratch);
const f32 = new Float32Array(scratch, 0, 1);
const i32 = new Int32Array(scratch, 0, 1);

export const CANON_NAN_S = 0x7fc00000;
/** High word of the canonical double NaN 0x7ff8000000000000 (low word 0). */
export const CANON_NAN_D_HI = 0x7ff80000;

// One cached 32-bit view over the register file: harts rarely alternate, so a single entry suffices.
let viewOf: Float64Array | null = null;
let view: Int32Array = new Int32Array(0);

/** The f register file as 32-bit words: register i is words[2i] (low) and words[2i+1] (high). */
export function words(cpu: FpCpuState): Int32Array {
  const f = cpu.f;
  if (f !== viewOf) {
    viewOf = f;
    view = new Int32Array(f.buffer, f.byteOffset, f.length * 2);
  }
  return view;
}

/** The single held in register i, as a double; an improperly NaN-boxed register reads as NaN. */
export function readS(w: Int32Array, i: number): number {
  if (w[2 * i + 1] !== -1) return NaN;
  i32[0] = w[2 * i];
  return f32[0];
}

/** The 32 bits a single-precision operation sees in register i (canonical NaN when not NaN-boxed). */
export function boxedBitsS(w: Int32Array, i: number): number {
  return w[2 * i + 1] === -1 ? w[2 * i] : CANON_NAN_S;
}

/** Writes raw single bits to register i, NaN-boxed. */
export function putBitsS(w: Int32Array, i: number, bits: number): void {
  w[2 * i] = bits;
  w[2 * i + 1] = -1;
}

/** Writes a single result (any NaN becomes the canonical NaN), NaN-boxed. */
export function putS(w: Int32Array, i: number, v: number): void {
  if (v !== v) {
    w[2 * i] = CANON_NAN_S;
  } else {
    f32[0] = v;
    w[2 * i] = i32[0];
  }
  w[2 * i + 1] = -1;
}

/** Writes a double result; any NaN becomes the canonical NaN (JS NaN bits are host-defined). */
export function putD(cpu: FpCpuState, i: number, v: number): void {
  if (v === v) {
    cpu.f[i] = v;
  } else {
    const w = words(cpu);
    w[2 * i] = 0;
    w[2 * i + 1] = CANON_NAN_D_HI;
  }
}

/** The bits of a single-representable double, as a signed 32-bit integer. */
export function bitsOfS(v: number): number {
  f32[0] = v;
  return i32[0];
}

/** The single whose bits are given, as a double. */
export function sOfBits(bits: number): number {
  i32[0] = bits;
  return f32[0];
}

/** True when single bits encode a signaling NaN. */
export function isSNaNBitsS(bits: number): boolean {
  return (bits & 0x7fc00000) === 0x7f800000 && (bits & 0x003fffff) !== 0;
}

/** True when register i holds a signaling double NaN. */
export function isSNaND(w: Int32Array, i: number): boolean {
  const hi = w[2 * i + 1];
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x0007ffff) !== 0 || w[2 * i] !== 0);
}

/** True when register i, read as a single, is a signaling NaN (an unboxed value reads as quiet). */
export function isSNaNS(w: Int32Array, i: number): boolean {
  return w[2 * i + 1] === -1 && isSNaNBitsS(w[2 * i]);
}

/** The next double away from zero (|v| grows by one ulp); v finite. */
export function awayD(v: number): number {
  f64[0] = v;
  const lo = (u32[0] + 1) >>> 0;
  u32[0] = lo;
  if (lo === 0) u32[1] = u32[1] + 1;
  return f64[0];
}

/** The next double toward zero; v finite and nonzero. */
export function towardZeroD(v: number): number {
  f64[0] = v;
  const lo = u32[0];
  u32[0] = lo - 1;
  if (lo === 0) u32[1] = u32[1] - 1;
  return f64[0];
}

/** The next double above v (v finite, not the largest finite). */
export function nextUpD(v: number): number {
  if (v === 0) return 5e-324;
  return v > 0 ? awayD(v) : towardZeroD(v);
}

/** The next double below v (v finite, not the most negative finite). */
export function nextDownD(v: number): number {
  if (v === 0) return -5e-324;
  return v > 0 ? towardZeroD(v) : awayD(v);
}

/** The next single above v; v is a single or +-Infinity (then returns -MAX / stays +Infinity). */
export function nextUpS(v: number): number {
  if (v === 0) return sOfBits(1);
  const b = bitsOfS(v);
  return sOfBits(v > 0 ? b + 1 : b - 1);
}

/** The next single below v; v is a single or +-Infinity. */
export function nextDownS(v: number): number {
  if (v === 0) return sOfBits(0x80000001 | 0);
  const b = bitsOfS(v);
  return sOfBits(v > 0 ? b - 1 : b + 1);
}

/** Output of decompose: |v| = m * 2^e, m an integer below 2^53. Reused to avoid allocation. */
export const dec = { m: 0, e: 0 };

/** Splits finite |v| into dec.m * 2^dec.e exactly. */
export function decompose(v: number): void {
  f64[0] = v;
  const hi = u32[1];
  const be = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * 4294967296 + u32[0];
  if (be === 0) {
    dec.m = frac;
    dec.e = -1074;
  } else {
    dec.m = frac + 4503599627370496;
    dec.e = be - 1075;
  }
}

/** True when the sign bit of v is set (distinguishes -0 from +0). */
export function signBit(v: number): boolean {
  return v < 0 || (v === 0 && 1 / v < 0);
}

/** True when the last significand bit of double v is set. */
export function isOddD(v: number): boolean {
  f64[0] = v;
  return (u32[0] & 1) === 1;
}
