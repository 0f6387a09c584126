// Shifts and rotates, double shifts, multiply and divide, bit tests and scans.

import type { X86Cpu } from "./cpu.ts";
import { AF, CF, F_NONE, getCF, OF, patchFlags, PF, SF, setRes, setResN, ZF } from "./flags.ts";
import type { Handler, Insn } from "./insn.ts";
import { addrE, rdAt, rdE, trunc, wrAt, zext } from "./ops.ts";
import { X86Stop } from "./stop.ts";

export const SHIFT_NAMES = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"];

/** The shift count operand: 1, CL or an imm8 (which the table says via d.imm2: 0 = CL). */
function count(c: X86Cpu, d: Insn): number {
  const n = d.imm2 === 1 ? 1 : d.imm2 === 2 ? c.ri[2]! & 0xff : d.immN & 0xff;
  return n & (d.osz === 8 ? 63 : 31);
}

/** Computes op x by n (n already masked, nonzero) and sets the flags. */
export function shift(c: X86Cpu, op: number, s: number, x: bigint, n: number): bigint {
  const bits = s * 8;
  const B = BigInt(bits);
  const N = BigInt(n);
  const ux = zext(s, x);
  let r: bigint, cf: number, of: number;
  switch (op) {
    case 0: { // rol
      const k = BigInt(n % bits);
      r = trunc(s, (ux << k) | (ux >> ((B - k) % B)));
      cf = Number(r & 1n);
      of = (r < 0n ? 1 : 0) ^ cf;
      return rotFlags(c, r, cf, of);
    }
    case 1: { // ror
      const k = BigInt(n % bits);
      r = trunc(s, (ux >> k) | (ux << ((B - k) % B)));
      cf = r < 0n ? 1 : 0;
      of = cf ^ Number((r >> (B - 2n)) & 1n);
      return rotFlags(c, r, cf, of);
    }
    case 2: { // rcl: rotate the (bits+1)-bit value CF:x
      const k = BigInt(n % (bits + 1));
      if (k === 0n) return x;
      const w = (BigInt(getCF(c)) << B) | ux;
      const rot = ((w << k) | (w >> (B + 1n - k))) & ((1n << (B + 1n)) - 1n);
      r = trunc(s, rot);
      cf = Number(rot >> B);
      of = (r < 0n ? 1 : 0) ^ cf;
      return rotFlags(c, r, cf, of);
    }
    case 3: { // rcr
      const k = BigInt(n % (bits + 1));
      if (k === 0n) return x;
      const w = (BigInt(getCF(c)) << B) | ux;
      const rot = ((w >> k) | (w << (B + 1n - k))) & ((1n << (B + 1n)) - 1n);
      r = trunc(s, rot);
      cf = Number(rot >> B);
      of = (r < 0n ? 1 : 0) ^ Number((r >> (B - 2n)) & 1n);
      return rotFlags(c, r, cf, of);
    }
    case 4: case 6: { // shl
      const wide = ux << N;
      r = trunc(s, wide);
      cf = Number((wide >> B) & 1n);
      of = (r < 0n ? 1 : 0) ^ cf;
      break;
    }
    case 5: { // shr
      r = trunc(s, ux >> N);
      cf = Number((ux >> (N - 1n)) & 1n);
      // OF is defined for a count of 1 (the old sign); for more, the CPU reports the sign
      // before the last 1-bit step, which is 0 for any shift by 2 or more
      of = n === 1 && x < 0n ? 1 : 0;
      break;
    }
    default: { // sar
      r = x >> N;
      cf = Number((x >> (N - 1n)) & 1n);
      of = 0;
      break;
    }
  }
  setRes(c, r, (cf ? CF : 0) | (of ? OF : 0));
  return r;
}

// Rotates change only CF and OF.
function rotFlags(c: X86Cpu, r: bigint, cf: number, of: number): bigint {
  patchFlags(c, CF | OF, (cf ? CF : 0) | (of ? OF : 0));
  return r;
}

/**
 * shl/shr/sar on canonical signed numbers for `size` <= 4 (n masked to 31, nonzero): the same
 * results and flags as shift() without BigInts.
 */
function shiftN(c: X86Cpu, op: number, s: number, x: number, n: number): number {
  const bits = s * 8;
  const sh = 32 - bits;
  const ux = s === 4 ? x >>> 0 : x & ((1 << bits) - 1);
  let r: number, cf: number, of: number;
  if (op === 5) { // shr
    r = ((ux >>> n) << sh) >> sh;
    cf = (ux >>> (n - 1)) & 1;
    of = n === 1 && x < 0 ? 1 : 0;
  } else if (op === 7) { // sar
    r = x >> n;
    cf = (x >> (n - 1)) & 1;
    of = 0;
  } else { // shl
    r = ((ux << n) << sh) >> sh;
    cf = n > bits ? 0 : (ux >>> (bits - n)) & 1;
    of = (r < 0 ? 1 : 0) ^ cf;
  }
  setResN(c, r, (cf ? CF : 0) | (of ? OF : 0));
  return r;
}

export function shiftGroup(op: number): Handler {
  return SHIFT_HANDLERS[op]!;
}

function makeShift(op: number): Handler {
  const numeric = op >= 4;
  return (c, d) => {
    const s = d.osz;
    const n = count(c, d);
    if (numeric && s !== 8) {
      if (d.rm >= 0) {
        const x = c.getRegN(d.rm, s);
        c.setRegN(d.rm, s, n === 0 ? x : shiftN(c, op, s, x, n));
      } else {
        const a = c.ea(d);
        const x = c.rdN(a, s);
        c.wrN(a, s, n === 0 ? x : shiftN(c, op, s, x, n));
      }
      return 0;
    }
    const a = addrE(c, d);
    const x = rdAt(c, d, a, s);
    // a count of 0 changes no flags, but a 32-bit register is still written (zero-extended)
    wrAt(c, d, a, s, n === 0 ? x : shift(c, op, s, x, n));
    return 0;
  };
}

/** One handler per group number (the table's rows and the block compiler share them). */
export const SHIFT_HANDLERS: Handler[] = [0, 1, 2, 3, 4, 5, 6, 7].map(makeShift);

/** shld/shrd Ev, Gv, Ib/CL (d.imm2 = 2 for CL) */
export function doubleShift(left: boolean): Handler {
  return (c, d) => {
    const s = d.osz;
    const n = count(c, d);
    const a = addrE(c, d);
    const x = rdAt(c, d, a, s);
    if (n === 0) {
      wrAt(c, d, a, s, x); // zero-extends a 32-bit register, as the CPU does
      return 0;
    }
    const bits = BigInt(s * 8);
    const N = BigInt(n);
    const ux = zext(s, x), uy = zext(s, c.getReg(d.reg, s));
    let r: bigint, cf: number;
    if (left) {
      const w = ((ux << bits) | uy) << N; // x:y shifted left; the result is the top half
      r = trunc(s, w >> bits);
      cf = Number((w >> (bits * 2n)) & 1n);
    } else {
      const w = (uy << bits) | ux;
      r = trunc(s, w >> N);
      cf = Number((w >> (N - 1n)) & 1n);
    }
    const of = ((r ^ x) < 0n) ? 1 : 0;
    wrAt(c, d, a, s, r);
    setRes(c, r, (cf ? CF : 0) | (of ? OF : 0));
    return 0;
  };
}

// ---- multiply / divide ----

/** mul/imul with one operand: rDX:rAX = rAX * src */
export function mul1(signed: boolean): Handler {
  return (c, d) => {
    const s = d.osz;
    const y = rdE(c, d, s);
    const x = c.getReg(0, s);
    const p = signed ? x * y : zext(s, x) * zext(s, y);
    const lo = trunc(s, p);
    const hi = trunc(s, p >> BigInt(s * 8));
    if (s === 1) c.setReg(0, 2, (hi << 8n) | BigInt.asUintN(8, lo));
    else {
      c.setReg(0, s, lo);
      c.setReg(2, s, hi);
    }
    const over = signed ? trunc(s, p) !== p : hi !== 0n;
    setRes(c, lo, over ? CF | OF : 0);
    return 0;
  };
}

/** imul Gv, Ev [, imm] (d.imm2 = 1 when there is an immediate) */
export const imul2: Handler = (c, d) => {
  const s = d.osz;
  const y = rdE(c, d, s);
  const x = d.imm2 === 1 ? trunc(s, d.imm) : c.getReg(d.reg, s);
  const p = x * y;
  const r = trunc(s, p);
  c.setReg(d.reg, s, r);
  setRes(c, r, r !== p ? CF | OF : 0);
  return 0;
};

export function div1(signed: boolean): Handler {
  return (c, d) => {
    const s = d.osz;
    const y = rdE(c, d, s);
    if (y === 0n) return X86Stop.DivideError;
    const B = BigInt(s * 8);
    let n: bigint;
    if (s === 1) n = signed ? c.getReg(0, 2) : BigInt.asUintN(16, c.getReg(0, 2));
    else if (signed) n = (c.getReg(2, s) << B) | zext(s, c.getReg(0, s));
    else n = (zext(s, c.getReg(2, s)) << B) | zext(s, c.getReg(0, s));
    const dv = signed ? y : zext(s, y);
    const q = n / dv; // BigInt division truncates toward zero, as idiv does
    const r = n % dv;
    if (signed ? trunc(s, q) !== q : zext(s, q) !== q) return X86Stop.DivideError;
    if (s === 1) c.setReg(0, 2, (BigInt.asUintN(8, r) << 8n) | BigInt.asUintN(8, q));
    else {
      c.setReg(0, s, q);
      c.setReg(2, s, r);
    }
    return 0;
  };
}

// ---- bit test / scan ----

/** bt/bts/btr/btc (kind 0..3) with a register (imm = false) or imm8 bit offset */
export function bitTest(kind: number, imm: boolean): Handler {
  return (c, d) => {
    const s = d.osz;
    const bits = s * 8;
    let a = addrE(c, d);
    let off: number;
    if (imm) off = d.immN & (bits - 1);
    else {
      const o = c.getReg(d.reg, s);
      if (a >= 0) {
        // a register offset addresses memory beyond the operand, signed
        const word = o >> BigInt(Math.log2(bits));
        a = c.eaPlus(a, Number(word) * s);
      }
      off = Number(BigInt.asUintN(32, o)) & (bits - 1);
    }
    const x = rdAt(c, d, a, s);
    const m = 1n << BigInt(off);
    const bit = (x & m) !== 0n;
    if (kind !== 0) {
      const r = kind === 1 ? x | m : kind === 2 ? x & ~m : x ^ m;
      wrAt(c, d, a, s, trunc(s, r));
    }
    patchFlags(c, CF, bit ? CF : 0);
    return 0;
  };
}

/** bsf / bsr: ZF when the source is 0 (the destination is left alone) */
export function bitScan(reverse: boolean): Handler {
  return (c, d) => {
    const s = d.osz;
    const x = zext(s, rdE(c, d, s));
    if (x === 0n) {
      patchFlags(c, ZF, ZF);
      return 0;
    }
    const n = reverse ? x.toString(2).length - 1 : lowestBit(x);
    c.setReg(d.reg, s, BigInt(n));
    patchFlags(c, ZF | CF | OF | SF | AF | PF, 0);
    return 0;
  };
}

function lowestBit(x: bigint): number {
  const lo = Number(x & 0xffffffffn);
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  const hi = Number((x >> 32n) & 0xffffffffn);
  return 63 - Math.clz32(hi & -hi);
}

export const popcnt: Handler = (c, d) => {
  const s = d.osz;
  let x = zext(s, rdE(c, d, s));
  let n = 0;
  while (x !== 0n) {
    n += bits32(Number(x & 0xffffffffn));
    x >>= 32n;
  }
  c.setReg(d.reg, s, BigInt(n));
  c.fl = (c.fl & ~(CF | OF | SF | AF | PF | ZF)) | (n === 0 ? ZF : 0);
  c.fop = F_NONE;
  return 0;
};

function bits32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
