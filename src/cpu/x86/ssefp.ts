// SSE/SSE2 floating point: arithmetic on ps/pd/ss/sd, compares, min/max, conversions.
// Conversions to integers round by MXCSR.RC (or truncate for cvtt*); an out-of-range or NaN
// source gives the "integer indefinite" and sets IE. Arithmetic rounds to nearest.

import type { X86Cpu } from "./cpu.ts";
import type { Handler } from "./insn.ts";
import { rdE } from "./ops.ts";
import { IE, raise, srcW, ZE } from "./sse.ts";
import { X86Stop } from "./stop.ts";

const PE = 32, OE = 8, UE = 16;

export const ADD = 0, MUL = 1, SUB = 4, MIN = 5, DIV = 6, MAX = 7, SQRT = 8;

function op(k: number, x: number, y: number): number {
  switch (k) {
    case ADD: return x + y;
    case MUL: return x * y;
    case SUB: return x - y;
    case DIV: return x / y;
    // x86 min/max return the second operand when either is NaN or both are zero
    case MIN: return x < y ? x : y;
    case MAX: return x > y ? x : y;
    default: return Math.sqrt(y);
  }
}

function excepts(k: number, x: number, y: number, r: number): number {
  let f = 0;
  if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) f |= IE;
  if (k === SQRT && y < 0) f |= IE;
  if (k === DIV && y === 0 && x === x && x !== 0 && Number.isFinite(x)) f |= ZE;
  if ((k === MIN || k === MAX) && (Number.isNaN(x) || Number.isNaN(y))) f |= IE;
  return f;
}

/**
 * An arithmetic family on lanes: single (4-byte) or double lanes, all lanes (packed) or the
 * lowest (scalar).
 */
export function fpArith(k: number, double: boolean, scalar: boolean): Handler {
  return (c, d) => {
    const lane = double ? 8 : 4;
    const s = srcW(c, d, scalar ? lane : 16);
    const v = double ? c.xf64 : c.xf32;
    const n = scalar ? 1 : 16 / lane;
    const a = (d.reg * 16) / lane, b = (s * 16) / lane;
    let flags = 0;
    const out = [0, 0, 0, 0];
    for (let j = 0; j < n; j++) {
      const x = v[a + j]!, y = v[b + j]!;
      let r = op(k, x, y);
      if (!double) r = Math.fround(r);
      if ((k === MIN || k === MAX) && (Number.isNaN(x) || Number.isNaN(y) || (x === 0 && y === 0))) r = y;
      flags |= excepts(k, x, y, r);
      out[j] = r;
    }
    if (raise(c, flags)) return X86Stop.FpException;
    for (let j = 0; j < n; j++) {
      if ((k === MIN || k === MAX) && Number.isNaN(out[j]!)) {
        // keep the exact NaN bits of the source operand
        const bytes = c.xu8;
        bytes.copyWithin(d.reg * 16 + j * lane, s * 16 + j * lane, s * 16 + j * lane + lane);
      } else v[a + j] = out[j]!;
    }
    return 0;
  };
}

/** cmpps/cmppd/cmpss/cmpsd V, W, Ib: all-ones or zero per lane */
export function fpCompare(double: boolean, scalar: boolean): Handler {
  return (c, d) => {
    const lane = double ? 8 : 4;
    const s = srcW(c, d, scalar ? lane : 16);
    const v = double ? c.xf64 : c.xf32;
    const n = scalar ? 1 : 16 / lane;
    const a = (d.reg * 16) / lane, b = (s * 16) / lane;
    const pred = d.immN & 7;
    const res: boolean[] = [];
    let flags = 0;
    for (let j = 0; j < n; j++) {
      const x = v[a + j]!, y = v[b + j]!;
      const un = Number.isNaN(x) || Number.isNaN(y);
      if (un && (pred === 1 || pred === 2 || pred === 5 || pred === 6)) flags |= IE;
      const t = [x === y, x < y, x <= y, un, !(x === y), !(x < y), !(x <= y), !un][pred]!;
      res.push(t);
    }
    if (raise(c, flags)) return X86Stop.FpException;
    for (let j = 0; j < n; j++) {
      if (double) c.xmm[d.reg * 2 + j] = res[j] ? -1n : 0n;
      else c.xi32[d.reg * 4 + j] = res[j] ? -1 : 0;
    }
    return 0;
  };
}

/** Rounds by MXCSR.RC (or truncates). */
export function roundMx(c: X86Cpu, v: number, truncate: boolean): number {
  const rc = truncate ? 3 : (c.mxcsr >> 13) & 3;
  switch (rc) {
    case 0: {
      const r = Math.round(v);
      return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
    case 1: return Math.floor(v);
    case 2: return Math.ceil(v);
    default: return Math.trunc(v);
  }
}

/** cvt(t)ss2si / cvt(t)sd2si Gy, W */
export function cvtToInt(double: boolean, truncate: boolean): Handler {
  return (c, d) => {
    const s = srcW(c, d, double ? 8 : 4);
    const v = double ? c.xf64[s << 1]! : c.xf32[s << 2]!;
    const size = d.osz === 8 ? 8 : 4;
    const r = roundMx(c, v, truncate);
    const lim = 2 ** (size * 8 - 1);
    let flags = 0;
    let out: bigint;
    if (!(r >= -lim && r < lim)) {
      flags = IE;
      out = -(1n << BigInt(size * 8 - 1));
    } else {
      out = BigInt(r);
      if (r !== v) flags = 32; // PE
    }
    if (raise(c, flags)) return X86Stop.FpException;
    c.setReg(d.reg, size, out);
    return 0;
  };
}

/** cvtsi2ss / cvtsi2sd V, Ey: rounds by MXCSR.RC */
export function cvtFromInt(double: boolean): Handler {
  return (c, d) => {
    const size = d.osz === 8 ? 8 : 4;
    const x = rdE(c, d, size);
    const r = intToFloat(c, x, double);
    if (double) c.xf64[d.reg << 1] = r;
    else c.xf32[d.reg << 2] = r;
    return 0;
  };
}

/** The integer x as a double or single, rounded by MXCSR.RC. */
export function intToFloat(c: X86Cpu, x: bigint, double: boolean): number {
  let r = Number(x); // nearest-even
  if (!double) r = Math.fround(r);
  const rc = (c.mxcsr >> 13) & 3;
  if (rc !== 0) {
    const back = BigInt(r);
    if (back !== x) {
      const up = back < x; // r is below x
      if ((rc === 2 && up) || (rc === 1 && !up) || (rc === 3 && (x > 0n ? !up : up))) {
        r = step(r, rc === 2 || (rc === 3 && x < 0n) ? 1 : -1, double);
      }
    }
  }
  return r;
}

const sc = new DataView(new ArrayBuffer(8));
/** The next representable value after r toward +inf (dir 1) or -inf (dir -1). */
export function step(r: number, dir: number, double: boolean): number {
  if (double) {
    sc.setFloat64(0, r);
    let b = sc.getBigInt64(0);
    if (r === 0) b = dir > 0 ? 1n : -0x7fffffffffffffffn - 1n + 1n;
    else b += (r > 0) === (dir > 0) ? 1n : -1n;
    sc.setBigInt64(0, b);
    return sc.getFloat64(0);
  }
  sc.setFloat32(0, r);
  let b = sc.getInt32(0);
  if (r === 0) b = dir > 0 ? 1 : 0x80000001 | 0;
  else b += (r > 0) === (dir > 0) ? 1 : -1;
  sc.setInt32(0, b);
  return sc.getFloat32(0);
}

/** cvtss2sd / cvtsd2ss V, W */
export function cvtScalar(toDouble: boolean): Handler {
  return (c, d) => {
    const s = srcW(c, d, toDouble ? 4 : 8);
    if (toDouble) c.xf64[d.reg << 1] = c.xf32[s << 2]!;
    else c.xf32[d.reg << 2] = roundToSingle(c, c.xf64[s << 1]!);
    return 0;
  };
}

/** Whether v rounded to a single with an unbounded exponent passes FLT_MAX (the overflow rule). */
function overflowsSingle(c: X86Cpu, v: number): boolean {
  const a = Math.abs(v);
  const rc = (c.mxcsr >> 13) & 3;
  if (rc === 0) return a >= 2 ** 128 - 2 ** 103; // halfway between FLT_MAX and 2^128
  const outward = (rc === 2 && v > 0) || (rc === 1 && v < 0);
  return outward ? a > 3.4028234663852886e38 : a >= 2 ** 128;
}

function roundToSingle(c: X86Cpu, v: number): number {
  let r = Math.fround(v);
  const rc = (c.mxcsr >> 13) & 3;
  if (rc !== 0 && r !== v && Number.isFinite(v)) {
    const below = r < v;
    if (rc === 2 && below) r = step(r, 1, false);
    else if (rc === 1 && !below) r = step(r, -1, false);
    else if (rc === 3 && (v > 0 ? !below : below)) r = step(r, v > 0 ? -1 : 1, false);
  }
  return r;
}

/** The packed conversions (0f 5a, 5b, e6) */
export function cvtPacked(kind: string): Handler {
  return (c, d) => {
    const src = kind === "ps2pd" || kind === "dq2pd" ? 8 : 16;
    const s = srcW(c, d, src);
    const f32 = Array.from(c.xf32.subarray(s * 4, s * 4 + 4));
    const f64 = Array.from(c.xf64.subarray(s * 2, s * 2 + 2));
    const i32 = Array.from(c.xi32.subarray(s * 4, s * 4 + 4));
    const r = d.reg;
    let flags = 0;
    // the precision flag (and overflow, underflow for a narrowing) as the hardware sets them
    const toInt = (v: number, t: boolean) => {
      const x = roundMx(c, v, t);
      if (x >= -(2 ** 31) && x < 2 ** 31) {
        if (x !== v) flags |= PE;
        return x;
      }
      flags |= IE;
      return -(2 ** 31);
    };
    const toSingle = (v: number) => {
      const x = roundToSingle(c, v);
      if (x !== v && !Number.isNaN(v)) {
        flags |= PE;
        if (Number.isFinite(v) && overflowsSingle(c, v)) flags |= OE;
        else if (Math.abs(x) < 2 ** -126 || (Math.abs(v) < 2 ** -126 && x === 0)) flags |= UE;
      }
      return x;
    };
    const fromInt = (i: number) => {
      const x = intToFloat(c, BigInt(i), false);
      if (x !== i) flags |= PE;
      return x;
    };
    switch (kind) {
      case "ps2pd": c.xf64[r * 2] = f32[0]!; c.xf64[r * 2 + 1] = f32[1]!; break;
      case "pd2ps": c.xf32.set([toSingle(f64[0]!), toSingle(f64[1]!), 0, 0], r * 4); break;
      case "dq2ps": c.xf32.set(i32.map(fromInt), r * 4); break;
      case "ps2dq": c.xi32.set(f32.map((x) => toInt(x, false)), r * 4); break;
      case "tps2dq": c.xi32.set(f32.map((x) => toInt(x, true)), r * 4); break;
      case "dq2pd": c.xf64[r * 2] = i32[0]!; c.xf64[r * 2 + 1] = i32[1]!; break;
      case "pd2dq": c.xi32.set([toInt(f64[0]!, false), toInt(f64[1]!, false), 0, 0], r * 4); break;
      default: c.xi32.set([toInt(f64[0]!, true), toInt(f64[1]!, true), 0, 0], r * 4); break; // tpd2dq
    }
    return raise(c, flags) ? X86Stop.FpException : 0;
  };
}

/** rcpps/rcpss/rsqrtps/rsqrtss: exact reciprocals (within the architected 1.5*2^-12 error) */
export function approx(sqrt: boolean, scalar: boolean): Handler {
  return (c, d) => {
    const s = srcW(c, d, scalar ? 4 : 16);
    const n = scalar ? 1 : 4;
    const x = Array.from(c.xf32.subarray(s * 4, s * 4 + n));
    for (let j = 0; j < n; j++) c.xf32[d.reg * 4 + j] = sqrt ? 1 / Math.sqrt(x[j]!) : 1 / x[j]!;
    return 0;
  };
}

