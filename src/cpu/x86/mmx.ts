// MMX: the 64-bit packed-integer registers mm0-mm7, which are the significands of the x87
// registers R0-R7 (so fxsave, signal frames and fnsave see them where a CPU keeps them). Any
// MMX instruction but emms makes the x87 stack full (all tags valid) with TOP = 0 and writes
// give the register the exponent word 0xffff; emms empties the stack again.
//
// glibc's x86-64 baseline (the "x86 ISA needed: x86-64-baseline" note of every Debian binary)
// requires the MMX CPUID bit, so MMX is implemented rather than hidden. The packed operations
// run as the SSE2 handler of the same opcode on two staging XMM registers holding the 64-bit
// operands in their low halves; the few operations whose lanes cross the halves differently
// (punpckh*, pack*) rearrange the operands first.

import type { X86Cpu } from "./cpu.ts";
import { doubleToF80, f80ToDouble } from "./f80.ts";
import { Insn, type Handler } from "./insn.ts";
import { rdE, wrE } from "./ops.ts";
import { raise, srcW } from "./sse.ts";
import { intToFloat, roundMx } from "./ssefp.ts";
import { X86Stop } from "./stop.ts";

/** Staging XMM registers (beyond xmm15 and the memory scratch register 16). */
export const MX = 17, MY = 18;

/** mm register i (the significand of physical x87 register i). */
export function mmGet(c: X86Cpu, i: number): bigint {
  const f = c.fpu;
  if (f.rawOk[i] === 0) {
    doubleToF80(f.st[i]!, f.rawM, f.rawSE, i);
    f.rawOk[i] = 1;
  }
  return f.rawM[i]!;
}

export function mmSet(c: X86Cpu, i: number, v: bigint): void {
  const f = c.fpu;
  f.rawM[i] = v;
  f.rawSE[i] = 0xffff;
  f.rawOk[i] = 1;
  f.st[i] = f80ToDouble(v, 0xffff);
}

/** The x87 state change of every MMX instruction but emms. */
export function enterMmx(c: X86Cpu): void {
  c.fpu.top = 0;
  c.fpu.empty.fill(0);
}

/** The 64-bit MMX source Q: mm[rm] or 8 bytes of memory (no alignment required). */
function srcQ(c: X86Cpu, d: Insn): bigint {
  return d.rm >= 0 ? mmGet(c, d.rm & 7) : c.rd(c.ea(d), 8);
}

/** A copy of d whose register operands name the staging registers (built once per instruction). */
function shadow(d: Insn, reg: number, rm: number, immMask: number): Insn {
  let s = d.aux;
  if (s === null) {
    s = Object.assign(new Insn(d.fn), d);
    s.aux = null;
    s.reg = reg;
    s.rm = rm;
    s.immN = d.immN & immMask;
    d.aux = s;
  }
  return s;
}

/** How an SSE2 handler is applied to MMX operands. */
export const enum Mode {
  /** Pq, Qq: dst in MX, src in MY */
  Std,
  /** punpckh*: the high dwords, interleaved by the matching punpckl* */
  High,
  /** pack*: [dst, src] as one 128-bit source packs to dst's 8 bytes then src's */
  Pack,
  /** Nq, Ib shifts: the register in rm */
  ShiftImm,
  /** pextrw Gd, Nq, Ib and pmovmskb Gd, Nq: a general register destination */
  ToGpr,
  /** pinsrw Pq, Ed/Mw, Ib: a general register or memory source */
  FromGpr,
}

/** The MMX form of the SSE2 handler h. */
export function mmx(h: Handler, mode: Mode): Handler {
  return (c, d) => {
    const q = c.xmm;
    switch (mode) {
      case Mode.Std: case Mode.High: case Mode.Pack: {
        let y = srcQ(c, d);
        let x = mmGet(c, d.reg & 7);
        if (mode === Mode.High) {
          x = BigInt.asUintN(64, x) >> 32n;
          y = BigInt.asUintN(64, y) >> 32n;
        }
        q[MX << 1] = x;
        q[(MX << 1) + 1] = mode === Mode.Pack ? y : 0n;
        q[MY << 1] = y;
        q[(MY << 1) + 1] = 0n;
        const r = h(c, shadow(d, MX, mode === Mode.Pack ? MX : MY, 0xff));
        if (r !== 0) return r;
        enterMmx(c);
        mmSet(c, d.reg & 7, q[MX << 1]!);
        return 0;
      }
      case Mode.ShiftImm: {
        q[MX << 1] = mmGet(c, d.rm & 7);
        q[(MX << 1) + 1] = 0n;
        h(c, shadow(d, d.reg, MX, 0xff));
        enterMmx(c);
        mmSet(c, d.rm & 7, q[MX << 1]!);
        return 0;
      }
      case Mode.ToGpr: {
        q[MY << 1] = mmGet(c, d.rm & 7);
        q[(MY << 1) + 1] = 0n;
        h(c, shadow(d, d.reg, MY, 3));
        enterMmx(c);
        return 0;
      }
      default: {
        q[MX << 1] = mmGet(c, d.reg & 7);
        q[(MX << 1) + 1] = 0n;
        h(c, shadow(d, MX, d.rm, 3));
        enterMmx(c);
        mmSet(c, d.reg & 7, q[MX << 1]!);
        return 0;
      }
    }
  };
}

// ---- moves ----

/** movd/movq Pq, Ey (0f 6e) */
export const movdPE: Handler = (c, d) => {
  const v = rdE(c, d, d.osz === 8 ? 8 : 4);
  enterMmx(c);
  mmSet(c, d.reg & 7, d.osz === 8 ? v : BigInt.asUintN(32, v));
  return 0;
};
/** movd/movq Ey, Pq (0f 7e) */
export const movdEP: Handler = (c, d) => {
  const v = mmGet(c, d.reg & 7);
  wrE(c, d, d.osz === 8 ? 8 : 4, d.osz === 8 ? v : BigInt.asIntN(32, v));
  enterMmx(c);
  return 0;
};
/** movq Pq, Qq (0f 6f) */
export const movqPQ: Handler = (c, d) => {
  const v = srcQ(c, d);
  enterMmx(c);
  mmSet(c, d.reg & 7, v);
  return 0;
};
/** movq Qq, Pq (0f 7f) and movntq Mq, Pq (0f e7) */
export const movqQP: Handler = (c, d) => {
  const v = mmGet(c, d.reg & 7);
  if (d.rm >= 0) mmSet(c, d.rm & 7, v);
  else c.wr(c.ea(d), 8, v);
  enterMmx(c);
  return 0;
};
/** movdq2q Pq, Uq (f2 0f d6) */
export const movdq2q: Handler = (c, d) => {
  enterMmx(c);
  mmSet(c, d.reg & 7, c.xmm[d.rm << 1]!);
  return 0;
};
/** movq2dq Vx, Nq (f3 0f d6) */
export const movq2dq: Handler = (c, d) => {
  c.xmm[d.reg << 1] = mmGet(c, d.rm & 7);
  c.xmm[(d.reg << 1) + 1] = 0n;
  enterMmx(c);
  return 0;
};
/** maskmovq Pq, Nq (0f f7): the bytes of Pq whose mask byte has its top bit set, at [rdi] */
export const maskmovq: Handler = (c, d) => {
  const v = mmGet(c, d.reg & 7);
  const m = mmGet(c, d.rm & 7);
  let a = c.regN(7);
  if (d.asz === 4) a %= 4294967296;
  for (let k = 0; k < 8; k++) {
    if (((m >> BigInt(8 * k + 7)) & 1n) !== 0n) c.wrN(a + k, 1, Number((v >> BigInt(8 * k)) & 0xffn));
  }
  enterMmx(c);
  return 0;
};

export const emms: Handler = (c) => {
  c.fpu.empty.fill(1);
  return 0;
};

// The conversions between packed floats and MMX int32 pairs (cvtpi2ps, cvtpi2pd, cvt(t)ps2pi,
// cvt(t)pd2pi). An MMX register operand makes the x87 state switch to MMX, a memory one does
// not (Intel SDM vol. 2, their "FPU transition" notes); the rounding and exceptions are SSE's.

const PE = 32;

/** cvtpi2ps Vx, Qq (0f 2a): the low two singles from two int32 (MXCSR rounding); the high two kept */
export const cvtpi2ps: Handler = (c, d) => {
  const v = srcQ(c, d);
  const lo = BigInt.asIntN(32, v), hi = BigInt.asIntN(32, v >> 32n);
  let flags = 0;
  const a = intToFloat(c, lo, false), b = intToFloat(c, hi, false);
  if (BigInt(a) !== lo || BigInt(b) !== hi) flags |= PE;
  if (raise(c, flags)) return X86Stop.FpException;
  c.xf32[d.reg * 4] = a;
  c.xf32[d.reg * 4 + 1] = b;
  if (d.rm >= 0) enterMmx(c);
  return 0;
};

/** cvtpi2pd Vx, Qq (66 0f 2a): two doubles from two int32 (exact) */
export const cvtpi2pd: Handler = (c, d) => {
  const v = srcQ(c, d);
  c.xf64[d.reg * 2] = Number(BigInt.asIntN(32, v));
  c.xf64[d.reg * 2 + 1] = Number(BigInt.asIntN(32, v >> 32n));
  if (d.rm >= 0) enterMmx(c);
  return 0;
};

/** cvt(t)ps2pi Pq, Wq (0f 2d, 0f 2c) and cvt(t)pd2pi Pq, Wx (66 0f 2d, 66 0f 2c): two int32 */
export function cvtToPi(double: boolean, truncate: boolean): Handler {
  return (c, d) => {
    const s = srcW(c, d, double ? 16 : 8);
    const x = double ? [c.xf64[s * 2]!, c.xf64[s * 2 + 1]!] : [c.xf32[s * 4]!, c.xf32[s * 4 + 1]!];
    let flags = 0;
    const out = x.map((v) => {
      const r = roundMx(c, v, truncate);
      if (!(r >= -(2 ** 31) && r < 2 ** 31)) {
        flags |= 1; // IE: the integer indefinite
        return 0x80000000n;
      }
      if (r !== v) flags |= PE;
      return BigInt.asUintN(32, BigInt(r));
    });
    if (raise(c, flags)) return X86Stop.FpException;
    enterMmx(c);
    mmSet(c, d.reg & 7, out[0]! | (out[1]! << 32n));
    return 0;
  };
}
