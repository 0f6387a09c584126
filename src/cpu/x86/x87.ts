// The x87 FPU, enough for glibc's long double paths. Registers compute in doubles (not 64-bit
// significands): arithmetic on long doubles is rounded to double precision. Loads and stores of
// the 80-bit format are exact for values that were only moved (fld m80 / fstp m80 keep the
// original bits beside the double), and exact for every double.

import type { X86Cpu } from "./cpu.ts";
import { doubleToF80, f80ToDouble } from "./f80.ts";
import { CF, PF, ZF, patchFlags, cond } from "./flags.ts";
import type { Handler, Insn } from "./insn.ts";

const C0 = 1 << 8, C1 = 1 << 9, C2 = 1 << 10, C3 = 1 << 14;

export class Fpu {
  /** Physical registers R0..R7; ST(i) is R[(top + i) & 7]. */
  readonly st = new Float64Array(8);
  /** The exact 80-bit value of a register that was loaded and not computed on. */
  readonly rawM = new BigInt64Array(8);
  readonly rawSE = new Uint16Array(8);
  readonly rawOk = new Uint8Array(8);
  readonly empty = new Uint8Array(8).fill(1);
  top = 0;
  cw = 0x37f;
  /** Status word without TOP. */
  sw = 0;

  clone(): Fpu {
    const f = new Fpu();
    f.st.set(this.st);
    f.rawM.set(this.rawM);
    f.rawSE.set(this.rawSE);
    f.rawOk.set(this.rawOk);
    f.empty.set(this.empty);
    f.top = this.top;
    f.cw = this.cw;
    f.sw = this.sw;
    return f;
  }

  reset(): void {
    this.top = 0;
    this.cw = 0x37f;
    this.sw = 0;
    this.empty.fill(1);
    this.rawOk.fill(0);
  }

  status(): number {
    return (this.sw & ~0x3800) | (this.top << 11);
  }

  phys(i: number): number {
    return (this.top + i) & 7;
  }
  get(i: number): number {
    return this.st[(this.top + i) & 7]!;
  }
  set(i: number, v: number): void {
    const p = (this.top + i) & 7;
    this.st[p] = v;
    this.rawOk[p] = 0;
    this.empty[p] = 0;
  }
  push(v: number): void {
    this.top = (this.top - 1) & 7;
    if (this.empty[this.top] === 0) this.sw |= 0x41; // stack overflow: IE | SF (masked)
    this.st[this.top] = v;
    this.rawOk[this.top] = 0;
    this.empty[this.top] = 0;
  }
  pop(): void {
    this.empty[this.top] = 1;
    this.top = (this.top + 1) & 7;
  }

  /** The abridged tag word of FXSAVE: bit i set when R(i) is valid. */
  ftwAbridged(): number {
    let t = 0;
    for (let i = 0; i < 8; i++) if (this.empty[i] === 0) t |= 1 << i;
    return t;
  }

  /** The full tag word (fnstenv): 00 valid, 01 zero, 10 special, 11 empty. */
  ftwFull(): number {
    let t = 0;
    for (let i = 0; i < 8; i++) {
      let tag = 3;
      if (this.empty[i] === 0) {
        const v = this.st[i]!;
        tag = v === 0 ? 1 : Number.isFinite(v) ? 0 : 2;
      }
      t |= tag << (2 * i);
    }
    return t;
  }

  /** Writes ST(i) as 10 bytes at host offset h of dv. */
  store80(dv: DataView, h: number, i: number): void {
    const p = (this.top + i) & 7;
    if (this.rawOk[p] === 0) doubleToF80(this.st[p]!, this.rawM, this.rawSE, p);
    dv.setBigInt64(h, this.rawM[p]!, true);
    dv.setUint16(h + 8, this.rawSE[p]!, true);
  }

  /** Sets physical register p from 10 bytes (exactly kept). */
  load80(p: number, m: bigint, se: number): void {
    this.st[p] = f80ToDouble(m, se);
    this.rawM[p] = m;
    this.rawSE[p] = se;
    this.rawOk[p] = 1;
    this.empty[p] = 0;
  }

  /** The x87 part of the FXSAVE image (bytes 0..23 and the ST registers at 32..159). */
  fxsave(dv: DataView, off: number): void {
    dv.setUint16(off, this.cw, true);
    dv.setUint16(off + 2, this.status(), true);
    dv.setUint8(off + 4, this.ftwAbridged());
    for (let k = 5; k < 24; k++) dv.setUint8(off + k, 0);
    for (let i = 0; i < 8; i++) {
      const h = off + 32 + 16 * i;
      this.store80(dv, h, i);
      for (let k = 10; k < 16; k++) dv.setUint8(h + k, 0);
    }
  }

  fxrstor(dv: DataView, off: number): void {
    this.cw = dv.getUint16(off, true);
    const sw = dv.getUint16(off + 2, true);
    this.top = (sw >> 11) & 7;
    this.sw = sw & ~0x3800;
    const tw = dv.getUint8(off + 4);
    for (let i = 0; i < 8; i++) {
      const h = off + 32 + 16 * i;
      const p = (this.top + i) & 7;
      this.load80(p, dv.getBigInt64(h, true), dv.getUint16(h + 8, true));
    }
    for (let p = 0; p < 8; p++) this.empty[p] = (tw >> p) & 1 ? 0 : 1;
  }
}

/** Rounds v to an integer by the x87 rounding control. */
export function roundRC(v: number, rc: number): number {
  switch (rc) {
    case 0: {
      const r = Math.round(v);
      return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r; // Math.round rounds halves up: make it even
    }
    case 1: return Math.floor(v);
    case 2: return Math.ceil(v);
    default: return Math.trunc(v);
  }
}

// ---- memory operands ----

function ldMem(c: X86Cpu, d: Insn, kind: number): number {
  const a = c.ea(d);
  switch (kind) {
    case 0: return f32(c.rdN(a, 4));
    case 1: return f64(c.rd(a, 8));
    case 2: return c.rdN(a, 2);
    case 3: return c.rdN(a, 4);
    default: return Number(c.rd(a, 8));
  }
}
const cvt = new DataView(new ArrayBuffer(8));
function f32(bits: number): number {
  cvt.setInt32(0, bits);
  return cvt.getFloat32(0);
}
function f64(bits: bigint): number {
  cvt.setBigInt64(0, bits);
  return cvt.getFloat64(0);
}
function f32bits(v: number): number {
  cvt.setFloat32(0, v);
  return cvt.getInt32(0);
}
function f64bits(v: number): bigint {
  cvt.setFloat64(0, v);
  return cvt.getBigInt64(0);
}

// ---- arithmetic: op 0 add, 1 mul, 2 com, 3 comp, 4 sub, 5 subr, 6 div, 7 divr ----

function arith(f: Fpu, op: number, x: number, y: number): number {
  switch (op) {
    case 0: return x + y;
    case 1: return x * y;
    case 4: return x - y;
    case 5: return y - x;
    case 6: return x / y;
    default: return y / x;
  }
}

function compare(f: Fpu, x: number, y: number): void {
  let cc = 0;
  if (Number.isNaN(x) || Number.isNaN(y)) cc = C0 | C2 | C3;
  else if (x < y) cc = C0;
  else if (x === y) cc = C3;
  f.sw = (f.sw & ~(C0 | C1 | C2 | C3)) | cc;
}

/** d8 /n, dc /n (m32fp, m64fp), da /n, de /n (m32int, m16int) */
export function arithMem(op: number, kind: number): Handler {
  return (c, d) => {
    const f = c.fpu;
    const y = ldMem(c, d, kind);
    if (op === 2 || op === 3) {
      compare(f, f.get(0), y);
      if (op === 3) f.pop();
    } else f.set(0, arith(f, op, f.get(0), y));
    return 0;
  };
}

/** d8 c0+i: ST(0) = ST(0) op ST(i); dc c0+i: ST(i) = ST(i) op ST(0) (sub/div reversed); de: and pop */
export function arithReg(op: number, toSti: boolean, pop: boolean): Handler {
  return (c, d) => {
    const f = c.fpu;
    const i = d.modrm & 7;
    if (op === 2 || op === 3) {
      compare(f, f.get(0), f.get(i));
      if (op === 3) f.pop();
      return 0;
    }
    if (toSti) f.set(i, arith(f, op, f.get(i), f.get(0)));
    else f.set(0, arith(f, op, f.get(0), f.get(i)));
    if (pop) f.pop();
    return 0;
  };
}

/** fld m32/m64/m16int/m32int/m64int */
export function fldMem(kind: number): Handler {
  return (c, d) => {
    c.fpu.push(ldMem(c, d, kind));
    return 0;
  };
}

export const fld80: Handler = (c, d) => {
  const a = c.ea(d);
  const m = c.rd(a, 8);
  const se = c.rdN(a + 8, 2) & 0xffff;
  const f = c.fpu;
  f.push(0);
  f.load80(f.top, m, se);
  return 0;
};

export function fstp80(): Handler {
  return (c, d) => {
    const a = c.ea(d);
    c.probeWrite(a, 10);
    const f = c.fpu;
    const p = f.top;
    if (f.rawOk[p] === 0) doubleToF80(f.st[p]!, f.rawM, f.rawSE, p);
    c.wr(a, 8, f.rawM[p]!);
    c.wrN(a + 8, 2, f.rawSE[p]!);
    f.pop();
    return 0;
  };
}

/** fst/fstp m32/m64 */
export function fstMem(kind: number, pop: boolean): Handler {
  return (c, d) => {
    const f = c.fpu;
    const a = c.ea(d);
    const v = f.get(0);
    if (kind === 0) c.wrN(a, 4, f32bits(v));
    else c.wr(a, 8, f64bits(v));
    if (pop) f.pop();
    return 0;
  };
}

/** fist/fistp/fisttp m16/m32/m64 (size 2/4/8) */
export function fistMem(size: number, pop: boolean, truncate: boolean): Handler {
  return (c, d) => {
    const f = c.fpu;
    const a = c.ea(d);
    const r = roundRC(f.get(0), truncate ? 3 : (f.cw >> 10) & 3);
    const lim = 2 ** (size * 8 - 1);
    let v: bigint;
    if (!Number.isFinite(r) || r >= lim || r < -lim) {
      v = -(1n << BigInt(size * 8 - 1)); // the integer indefinite
      f.sw |= 1; // IE (masked)
    } else v = BigInt(r);
    c.wr(a, size, v);
    if (pop) f.pop();
    return 0;
  };
}

export const fldSti: Handler = (c, d) => {
  const f = c.fpu;
  const p = f.phys(d.modrm & 7);
  const v = f.st[p]!;
  const ok = f.rawOk[p]!, m = f.rawM[p]!, se = f.rawSE[p]!;
  f.push(v);
  if (ok) f.load80(f.top, m, se);
  return 0;
};

/** fst/fstp ST(i) */
export function fstSti(pop: boolean): Handler {
  return (c, d) => {
    const f = c.fpu;
    const src = f.phys(0), dst = f.phys(d.modrm & 7);
    f.st[dst] = f.st[src]!;
    f.rawOk[dst] = f.rawOk[src]!;
    f.rawM[dst] = f.rawM[src]!;
    f.rawSE[dst] = f.rawSE[src]!;
    f.empty[dst] = 0;
    if (pop) f.pop();
    return 0;
  };
}

export const fxch: Handler = (c, d) => {
  const f = c.fpu;
  const a = f.phys(0), b = f.phys(d.modrm & 7);
  for (const arr of [f.st, f.rawM, f.rawSE, f.rawOk, f.empty] as const) {
    const t = arr[a]!;
    (arr as Float64Array)[a] = arr[b] as number;
    (arr as Float64Array)[b] = t as number;
  }
  return 0;
};

/** fcomi/fucomi (+ pop): ZF, PF, CF */
export function fcomi(pop: boolean): Handler {
  return (c, d) => {
    const f = c.fpu;
    const x = f.get(0), y = f.get(d.modrm & 7);
    let fl = 0;
    if (Number.isNaN(x) || Number.isNaN(y)) fl = ZF | PF | CF;
    else if (x < y) fl = CF;
    else if (x === y) fl = ZF;
    patchFlags(c, ZF | PF | CF | 0x880 | 0x10, fl); // OF, SF, AF cleared
    if (pop) f.pop();
    return 0;
  };
}

/** fucom/fucomp/fucompp, fcompp */
export function fucom(pops: number): Handler {
  return (c, d) => {
    const f = c.fpu;
    compare(f, f.get(0), f.get(pops === 2 ? 1 : d.modrm & 7));
    for (let k = 0; k < pops; k++) f.pop();
    return 0;
  };
}

/** fcmovcc: cc as jcc's condition codes */
export function fcmov(cc: number): Handler {
  return (c, d) => {
    if (cond(c, cc)) {
      const f = c.fpu;
      const src = f.phys(d.modrm & 7), dst = f.phys(0);
      f.st[dst] = f.st[src]!;
      f.rawOk[dst] = f.rawOk[src]!;
      f.rawM[dst] = f.rawM[src]!;
      f.rawSE[dst] = f.rawSE[src]!;
    }
    return 0;
  };
}

/** d9 e0..ff one-operand and constant forms */
export function unary(k: number): Handler {
  return (c) => {
    const f = c.fpu;
    const x = f.get(0);
    switch (k) {
      case 0xe0: f.set(0, -x); break;
      case 0xe1: f.set(0, Math.abs(x)); break;
      case 0xe4: compare(f, x, 0); break;
      case 0xe5: fxam(f); break;
      case 0xe8: f.push(1); break;
      case 0xe9: f.push(Math.LN10 / Math.LN2); break;
      case 0xea: f.push(Math.LOG2E); break;
      case 0xeb: f.push(Math.PI); break;
      case 0xec: f.push(Math.LOG10E * Math.LN2); break;
      case 0xed: f.push(Math.LN2); break;
      case 0xee: f.push(0); break;
      case 0xf0: f.set(0, 2 ** x - 1); break;
      case 0xf1: f.set(1, f.get(1) * Math.log2(x)); f.pop(); break;
      case 0xf2: f.set(0, Math.tan(x)); f.push(1); break;
      case 0xf3: f.set(1, Math.atan2(f.get(1), x)); f.pop(); break;
      case 0xf4: { // fxtract
        const e = x === 0 ? -Infinity : Math.floor(Math.log2(Math.abs(x)));
        f.set(0, e);
        f.push(x / 2 ** e);
        break;
      }
      case 0xf5: case 0xf8: { // fprem1, fprem
        const y = f.get(1);
        const q = k === 0xf8 ? Math.trunc(x / y) : roundRC(x / y, 0);
        f.set(0, x - q * y);
        f.sw &= ~(C0 | C1 | C2 | C3);
        break;
      }
      case 0xf6: f.top = (f.top - 1) & 7; break;
      case 0xf7: f.top = (f.top + 1) & 7; break;
      case 0xf9: f.set(1, f.get(1) * Math.log2(x + 1)); f.pop(); break;
      case 0xfa: f.set(0, Math.sqrt(x)); break;
      case 0xfb: f.set(0, Math.sin(x)); f.push(Math.cos(x)); break;
      case 0xfc: f.set(0, roundRC(x, (f.cw >> 10) & 3)); break;
      case 0xfd: f.set(0, x * 2 ** Math.trunc(f.get(1))); break;
      case 0xfe: f.set(0, Math.sin(x)); break;
      case 0xff: f.set(0, Math.cos(x)); break;
    }
    return 0;
  };
}

function fxam(f: Fpu): void {
  const p = f.top;
  const v = f.st[p]!;
  let cc: number;
  if (f.empty[p]) cc = C3 | C0;
  else if (Number.isNaN(v)) cc = C0;
  else if (!Number.isFinite(v)) cc = C2 | C0;
  else if (v === 0) cc = C3;
  else if (f.rawOk[p] ? (f.rawSE[p]! & 0x7fff) === 0 : Math.abs(v) < 2 ** -16382) cc = C3 | C2;
  else cc = C2;
  if (f.rawOk[p] ? (f.rawSE[p]! & 0x8000) !== 0 : v < 0 || Object.is(v, -0)) cc |= C1;
  f.sw = (f.sw & ~(C0 | C1 | C2 | C3)) | cc;
}

export const ffree: Handler = (c, d) => {
  c.fpu.empty[c.fpu.phys(d.modrm & 7)] = 1;
  return 0;
};
export const fnstcw: Handler = (c, d) => (c.wrN(c.ea(d), 2, c.fpu.cw), 0);
export const fldcw: Handler = (c, d) => ((c.fpu.cw = c.rdN(c.ea(d), 2) & 0xffff), 0);
export const fnstswM: Handler = (c, d) => (c.wrN(c.ea(d), 2, c.fpu.status()), 0);
export const fnstswAX: Handler = (c) => (c.setReg(0, 2, BigInt(c.fpu.status())), 0);
export const fnclex: Handler = (c) => ((c.fpu.sw &= 0x7f00), 0);
export const fninit: Handler = (c) => (c.fpu.reset(), 0);

/** fnstenv / fldenv: the 28-byte protected-mode environment */
export const fnstenv: Handler = (c, d) => {
  const a = c.ea(d);
  const f = c.fpu;
  c.probeWrite(a, 28);
  const words = [f.cw | 0xffff0000, f.status() | 0xffff0000, f.ftwFull() | 0xffff0000, 0, 0, 0, 0xffff0000];
  for (let k = 0; k < 7; k++) c.wrN(a + 4 * k, 4, words[k]!);
  f.cw |= 0x3f; // fnstenv masks all exceptions afterwards
  return 0;
};
export const fldenv: Handler = (c, d) => {
  const a = c.ea(d);
  const f = c.fpu;
  const cw = c.rdN(a, 2), sw = c.rdN(a + 4, 2), tw = c.rdN(a + 8, 2);
  f.cw = cw & 0xffff;
  f.top = (sw >> 11) & 7;
  f.sw = sw & 0xc7ff;
  for (let p = 0; p < 8; p++) f.empty[p] = ((tw >> (2 * p)) & 3) === 3 ? 1 : 0;
  return 0;
};
