// SSE and SSE2: moves, packed integer and floating-point arithmetic, conversions, MXCSR.
// XMM register x occupies bytes 16x..16x+15 of the register file; register 16 is scratch for a
// memory source. Floating-point arithmetic is JavaScript's (round to nearest); conversions to
// integers follow MXCSR.RC, and invalid operations / division by zero set the MXCSR flags (and
// stop with FpException when unmasked).

import type { X86Cpu } from "./cpu.ts";
import { CF, PF, ZF, patchFlags } from "./flags.ts";
import type { Handler, Insn } from "./insn.ts";
import { GP_FAULT } from "./mmu.ts";
import { rdE, wrE } from "./ops.ts";
import { X86Stop } from "./stop.ts";

export const SCRATCH = 16;

const IE = 1, ZE = 4;

/** The source register of W: d.rm, or scratch loaded with `size` bytes from memory. */
export function srcW(c: X86Cpu, d: Insn, size: number, aligned = true): number {
  if (d.rm >= 0) return d.rm;
  const a = c.ea(d);
  const x = SCRATCH;
  const q = c.xmmAll;
  if (size === 16) {
    if (aligned && a % 16 !== 0) throw GP_FAULT;
    q[32] = c.rd(a, 8);
    q[33] = c.rd(a + 8, 8);
  } else {
    q[32] = size === 8 ? c.rd(a, 8) : BigInt(c.rdN(a, size) >>> 0);
    q[33] = 0n;
  }
  return x;
}

function dstW(c: X86Cpu, d: Insn, x: number, size: number, aligned: boolean): void {
  if (d.rm >= 0) {
    c.xmm[d.rm << 1] = c.xmm[x << 1]!;
    c.xmm[(d.rm << 1) + 1] = c.xmm[(x << 1) + 1]!;
    return;
  }
  const a = c.ea(d);
  if (size === 16) {
    if (aligned && a % 16 !== 0) throw GP_FAULT;
    c.wr128(a, x);
  } else if (size === 8) c.wr(a, 8, c.xmm[x << 1]!);
  else c.wrN(a, 4, c.xi32[x << 2]!);
}

const copy = (c: X86Cpu, dst: number, src: number) => {
  c.xmm[dst << 1] = c.xmm[src << 1]!;
  c.xmm[(dst << 1) + 1] = c.xmm[(src << 1) + 1]!;
};

// ---- moves ----

/** movaps/movups/movdqa/movdqu/movapd/movupd V, W */
export function movVW(aligned: boolean): Handler {
  return (c, d) => (copy(c, d.reg, srcW(c, d, 16, aligned)), 0);
}
/** ... W, V (also movntps/movntdq) */
export function movWV(aligned: boolean): Handler {
  return (c, d) => (dstW(c, d, d.reg, 16, aligned), 0);
}

/** movss/movsd V, W: a register source merges the low lane, memory zeroes the rest */
export function movsV(size: number): Handler {
  return (c, d) => {
    const r = d.reg;
    if (d.rm >= 0) {
      if (size === 4) c.xi32[r << 2] = c.xi32[d.rm << 2]!;
      else c.xmm[r << 1] = c.xmm[d.rm << 1]!;
    } else {
      srcW(c, d, size);
      copy(c, r, SCRATCH);
    }
    return 0;
  };
}
export function movsW(size: number): Handler {
  return (c, d) => {
    if (d.rm >= 0) {
      if (size === 4) c.xi32[d.rm << 2] = c.xi32[d.reg << 2]!;
      else c.xmm[d.rm << 1] = c.xmm[d.reg << 1]!;
    } else dstW(c, d, d.reg, size, false);
    return 0;
  };
}

/** movq V, Wq (f3 0f 7e): zero-extends */
export const movqVW: Handler = (c, d) => {
  const s = srcW(c, d, 8);
  c.xmm[d.reg << 1] = c.xmm[s << 1]!;
  c.xmm[(d.reg << 1) + 1] = 0n;
  return 0;
};
/** movq Wq, V (66 0f d6) */
export const movqWV: Handler = (c, d) => {
  if (d.rm >= 0) {
    c.xmm[d.rm << 1] = c.xmm[d.reg << 1]!;
    c.xmm[(d.rm << 1) + 1] = 0n;
  } else c.wr(c.ea(d), 8, c.xmm[d.reg << 1]!);
  return 0;
};
/** movd/movq V, Ey */
export const movdVE: Handler = (c, d) => {
  const v = rdE(c, d, d.osz === 8 ? 8 : 4);
  c.xmm[d.reg << 1] = d.osz === 8 ? v : BigInt.asUintN(32, v);
  c.xmm[(d.reg << 1) + 1] = 0n;
  return 0;
};
/** movd/movq Ey, V */
export const movdEV: Handler = (c, d) => {
  const s = d.osz === 8 ? 8 : 4;
  wrE(c, d, s, s === 8 ? c.xmm[d.reg << 1]! : BigInt(c.xi32[d.reg << 2]!));
  return 0;
};
/** movlps/movlpd V, M and movhps/movhpd (hi = 1) */
export function movHalfVM(hi: number): Handler {
  return (c, d) => {
    c.xmm[(d.reg << 1) + hi] = c.rd(c.ea(d), 8);
    return 0;
  };
}
export function movHalfMV(hi: number): Handler {
  return (c, d) => {
    c.wr(c.ea(d), 8, c.xmm[(d.reg << 1) + hi]!);
    return 0;
  };
}
/** movhlps V, U (0f 12 reg) / movlhps V, U (0f 16 reg) */
export const movhlps: Handler = (c, d) => ((c.xmm[d.reg << 1] = c.xmm[(d.rm << 1) + 1]!), 0);
export const movlhps: Handler = (c, d) => ((c.xmm[(d.reg << 1) + 1] = c.xmm[d.rm << 1]!), 0);

export const movnti: Handler = (c, d) => (wrE(c, d, d.osz, c.getReg(d.reg, d.osz)), 0);

/** pmovmskb / movmskps / movmskpd Gd, U: the sign bits of the lanes */
export function movmsk(lane: number): Handler {
  return (c, d) => {
    const n = 16 / lane;
    let m = 0;
    const u8 = c.xu8;
    for (let k = 0; k < n; k++) if (u8[d.rm * 16 + k * lane + lane - 1]! & 0x80) m |= 1 << k;
    c.setReg(d.reg, 4, BigInt(m));
    return 0;
  };
}

// ---- packed integers ----

type Lanes = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** A lane-wise binary op over the view chosen by `view` (lanes per register = 16 / bytes). */
export function packed(view: (c: X86Cpu) => Lanes, f: (x: number, y: number) => number): Handler {
  return (c, d) => {
    const s = srcW(c, d, 16);
    const v = view(c);
    const n = 16 / v.BYTES_PER_ELEMENT;
    const a = d.reg * n, b = s * n;
    for (let k = 0; k < n; k++) v[a + k] = f(v[a + k]!, v[b + k]!);
    return 0;
  };
}

export const V = {
  i8: (c: X86Cpu) => c.xi8, u8: (c: X86Cpu) => c.xu8, i16: (c: X86Cpu) => c.xi16,
  u16: (c: X86Cpu) => c.xu16, i32: (c: X86Cpu) => c.xi32, u32: (c: X86Cpu) => c.xu32,
};

const sat = (lo: number, hi: number) => (v: number) => (v < lo ? lo : v > hi ? hi : v);
export const SAT = { s8: sat(-128, 127), u8: sat(0, 255), s16: sat(-32768, 32767), u16: sat(0, 65535) };

/** 64-bit lanes: paddq, psubq, pmuludq, pand/por/pxor/pandn */
export function packed64(f: (x: bigint, y: bigint) => bigint): Handler {
  return (c, d) => {
    const s = srcW(c, d, 16);
    const q = c.xmm;
    for (let k = 0; k < 2; k++) q[(d.reg << 1) + k] = BigInt.asIntN(64, f(q[(d.reg << 1) + k]!, q[(s << 1) + k]!));
    return 0;
  };
}

/** punpckl* / punpckh* with lane bytes `lane`; hi selects the upper halves */
export function unpack(lane: number, hi: boolean): Handler {
  return (c, d) => {
    const s = srcW(c, d, 16);
    const u8 = c.xu8;
    const a = u8.slice(d.reg * 16, d.reg * 16 + 16), b = u8.slice(s * 16, s * 16 + 16);
    const from = hi ? 8 : 0;
    for (let k = 0; k < 8 / lane; k++) {
      for (let j = 0; j < lane; j++) {
        u8[d.reg * 16 + 2 * k * lane + j] = a[from + k * lane + j]!;
        u8[d.reg * 16 + (2 * k + 1) * lane + j] = b[from + k * lane + j]!;
      }
    }
    return 0;
  };
}

/** packsswb / packuswb / packssdw: narrow with saturation */
export function pack(wide: 2 | 4, clamp: (v: number) => number): Handler {
  return (c, d) => {
    const s = srcW(c, d, 16);
    const src = wide === 2 ? c.xi16 : c.xi32;
    const n = 16 / wide;
    const a = Array.from(src.subarray(d.reg * n, d.reg * n + n));
    const b = Array.from(src.subarray(s * n, s * n + n));
    const out = wide === 2 ? c.xu8 : c.xu16;
    const o = d.reg * 2 * n;
    for (let k = 0; k < n; k++) {
      out[o + k] = clamp(a[k]!);
      out[o + n + k] = clamp(b[k]!);
    }
    return 0;
  };
}

/** pshufd / pshuflw / pshufhw V, W, Ib */
export function pshuf(kind: "d" | "lw" | "hw"): Handler {
  return (c, d) => {
    const s = srcW(c, d, 16);
    const imm = d.immN & 0xff;
    if (kind === "d") {
      const x = Array.from(c.xi32.subarray(s * 4, s * 4 + 4));
      for (let k = 0; k < 4; k++) c.xi32[d.reg * 4 + k] = x[(imm >> (2 * k)) & 3]!;
    } else {
      const base = kind === "lw" ? 0 : 4;
      const x = Array.from(c.xi16.subarray(s * 8, s * 8 + 8));
      for (let k = 0; k < 8; k++) {
        c.xi16[d.reg * 8 + k] = k >= base && k < base + 4 ? x[base + ((imm >> (2 * (k - base))) & 3)]! : x[k]!;
      }
    }
    return 0;
  };
}

/** shufps / shufpd V, W, Ib */
export function shufp(double: boolean): Handler {
  return (c, d) => {
    const s = srcW(c, d, 16);
    const imm = d.immN & 0xff;
    if (double) {
      const a = c.xmm[(d.reg << 1) + (imm & 1)]!, b = c.xmm[(s << 1) + ((imm >> 1) & 1)]!;
      c.xmm[d.reg << 1] = a;
      c.xmm[(d.reg << 1) + 1] = b;
    } else {
      const x = Array.from(c.xi32.subarray(d.reg * 4, d.reg * 4 + 4));
      const y = Array.from(c.xi32.subarray(s * 4, s * 4 + 4));
      c.xi32.set([x[imm & 3]!, x[(imm >> 2) & 3]!, y[(imm >> 4) & 3]!, y[(imm >> 6) & 3]!], d.reg * 4);
    }
    return 0;
  };
}

/** psrlw/psraw/psllw... by imm (U, Ib) or by the low quadword of W */
export function pshift(lane: number, kind: "l" | "r" | "a", byImm: boolean): Handler {
  return (c, d) => {
    let n: number;
    let r: number;
    if (byImm) {
      n = d.immN & 0xff;
      r = d.rm;
    } else {
      const s = srcW(c, d, 16);
      const q = BigInt.asUintN(64, c.xmm[s << 1]!);
      n = q > 255n ? 255 : Number(q);
      r = d.reg;
    }
    const bits = lane * 8;
    if (lane === 8) {
      for (let k = 0; k < 2; k++) {
        const v = BigInt.asUintN(64, c.xmm[(r << 1) + k]!);
        c.xmm[(r << 1) + k] = n >= 64 ? 0n : BigInt.asIntN(64, kind === "l" ? v << BigInt(n) : v >> BigInt(n));
      }
      return 0;
    }
    const v = lane === 2 ? (kind === "a" ? c.xi16 : c.xu16) : kind === "a" ? c.xi32 : c.xu32;
    const m = 16 / lane;
    for (let k = 0; k < m; k++) {
      const x = v[r * m + k]!;
      if (kind === "a") v[r * m + k] = n >= bits ? (x < 0 ? -1 : 0) : x >> n;
      else if (n >= bits) v[r * m + k] = 0;
      else v[r * m + k] = kind === "l" ? x << n : x >>> n;
    }
    return 0;
  };
}

/** psrldq / pslldq U, Ib: whole-register byte shifts */
export function pbyteShift(left: boolean): Handler {
  return (c, d) => {
    const n = Math.min(d.immN & 0xff, 16);
    const o = d.rm * 16;
    const x = c.xu8.slice(o, o + 16);
    for (let k = 0; k < 16; k++) {
      const from = left ? k - n : k + n;
      c.xu8[o + k] = from >= 0 && from < 16 ? x[from]! : 0;
    }
    return 0;
  };
}

export const pinsrw: Handler = (c, d) => {
  const v = Number(rdE(c, d, 2) & 0xffffn);
  c.xu16[d.reg * 8 + (d.immN & 7)] = v;
  return 0;
};
export const pextrw: Handler = (c, d) => {
  c.setReg(d.reg, 4, BigInt(c.xu16[d.rm * 8 + (d.immN & 7)]!));
  return 0;
};

export const psadbw: Handler = (c, d) => {
  const s = srcW(c, d, 16);
  for (let h = 0; h < 2; h++) {
    let sum = 0;
    for (let k = 0; k < 8; k++) sum += Math.abs(c.xu8[d.reg * 16 + h * 8 + k]! - c.xu8[s * 16 + h * 8 + k]!);
    c.xmm[(d.reg << 1) + h] = BigInt(sum);
  }
  return 0;
};

export const pmaddwd: Handler = (c, d) => {
  const s = srcW(c, d, 16);
  const a = Array.from(c.xi16.subarray(d.reg * 8, d.reg * 8 + 8));
  const b = Array.from(c.xi16.subarray(s * 8, s * 8 + 8));
  for (let k = 0; k < 4; k++) c.xi32[d.reg * 4 + k] = a[2 * k]! * b[2 * k]! + a[2 * k + 1]! * b[2 * k + 1]!;
  return 0;
};

export const pmuludq: Handler = (c, d) => {
  const s = srcW(c, d, 16);
  for (let k = 0; k < 2; k++) {
    c.xmm[(d.reg << 1) + k] = BigInt.asIntN(64, BigInt(c.xu32[d.reg * 4 + 2 * k]!) * BigInt(c.xu32[s * 4 + 2 * k]!));
  }
  return 0;
};

// ---- MXCSR ----

export const ldmxcsr: Handler = (c, d) => {
  const v = c.rdN(c.ea(d), 4);
  if ((v & ~0xffff) !== 0) return X86Stop.GeneralProtection;
  c.mxcsr = v & 0xffff;
  return 0;
};
export const stmxcsr: Handler = (c, d) => (c.wrN(c.ea(d), 4, c.mxcsr), 0);

/** Records exception flags; true when one of them is unmasked (the instruction must not retire). */
export function raise(c: X86Cpu, flags: number): boolean {
  if (flags === 0) return false;
  if ((flags & ~(c.mxcsr >> 7) & 0x3f) !== 0) return true;
  c.mxcsr |= flags;
  return false;
}

/** ucomiss/ucomisd/comiss/comisd: ZF PF CF, OF SF AF cleared */
export function ucomis(double: boolean, signaling: boolean): Handler {
  return (c, d) => {
    const s = srcW(c, d, double ? 8 : 4);
    const x = double ? c.xf64[d.reg << 1]! : c.xf32[d.reg << 2]!;
    const y = double ? c.xf64[s << 1]! : c.xf32[s << 2]!;
    let f = 0;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      f = ZF | PF | CF;
      if ((signaling || isSNaN(c, d.reg, s, double)) && raise(c, IE)) return X86Stop.FpException;
    } else if (x < y) f = CF;
    else if (x === y) f = ZF;
    patchFlags(c, ZF | PF | CF | 0x800 | 0x80 | 0x10, f);
    return 0;
  };
}

function isSNaN(c: X86Cpu, a: number, b: number, double: boolean): boolean {
  const quiet = (r: number) => (double ? (c.xu32[r * 4 + 1]! & 0x7ff80000) === 0x7ff80000 : (c.xu32[r * 4]! & 0x7fc00000) === 0x7fc00000);
  const nan = (r: number) => Number.isNaN(double ? c.xf64[r * 2]! : c.xf32[r * 4]!);
  return (nan(a) && !quiet(a)) || (nan(b) && !quiet(b));
}

export { ZE, IE };
