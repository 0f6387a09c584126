// Integer ALU, moves and conversions.

import type { X86Cpu } from "./cpu.ts";
import { cond, getCF, patchFlags, setAdd, setAddN, setIncDec, setRes, setResN, setSub, setSubN } from "./flags.ts";
import type { Handler, Insn } from "./insn.ts";
import { GP_FAULT } from "./mmu.ts";
import { addrE, rdAt, rdE, trunc, wrAt, wrE } from "./ops.ts";

export const ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7, TEST = 8;
export const ALU_NAMES = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp", "test"];

/** x op y at `size`, setting flags; the value to write back (x itself for cmp/test). */
export function alu(c: X86Cpu, op: number, size: number, x: bigint, y: bigint): bigint {
  let r: bigint;
  switch (op) {
    case ADD: r = trunc(size, x + y); setAdd(c, x, y, r, 0); return r;
    case OR: r = x | y; setRes(c, r, 0); return r;
    case ADC: { const k = getCF(c); r = trunc(size, x + y + BigInt(k)); setAdd(c, x, y, r, k); return r; }
    case SBB: { const k = getCF(c); r = trunc(size, x - y - BigInt(k)); setSub(c, x, y, r, k); return r; }
    case AND: r = x & y; setRes(c, r, 0); return r;
    case SUB: r = trunc(size, x - y); setSub(c, x, y, r, 0); return r;
    case XOR: r = x ^ y; setRes(c, r, 0); return r;
    case CMP: setSub(c, x, y, trunc(size, x - y), 0); return x;
    default: setRes(c, x & y, 0); return x;
  }
}

const writes = (op: number) => op !== CMP && op !== TEST;

/** v (an integer below 2^53 in magnitude) truncated to `size` <= 4 bytes, sign-extended. */
export function sxN(size: number, v: number): number {
  const sh = 32 - size * 8;
  return (v << sh) >> sh;
}

/**
 * alu() on canonical signed numbers for `size` <= 4: the same results and flag records, without
 * the BigInt operations that dominate the 32-bit ALU forms.
 */
export function aluN(c: X86Cpu, op: number, size: number, x: number, y: number): number {
  let r: number;
  switch (op) {
    case ADD: r = sxN(size, x + y); setAddN(c, x, y, r, 0); return r;
    case OR: r = x | y; setResN(c, r, 0); return r;
    case ADC: { const k = getCF(c); r = sxN(size, x + y + k); setAddN(c, x, y, r, k); return r; }
    case SBB: { const k = getCF(c); r = sxN(size, x - y - k); setSubN(c, x, y, r, k); return r; }
    case AND: r = x & y; setResN(c, r, 0); return r;
    case SUB: r = sxN(size, x - y); setSubN(c, x, y, r, 0); return r;
    case XOR: r = x ^ y; setResN(c, r, 0); return r;
    case CMP: setSubN(c, x, y, sxN(size, x - y), 0); return x;
    default: setResN(c, x & y, 0); return x;
  }
}

/** op Eb/Ev, Gb/Gv */
export function aluEG(op: number): Handler {
  const w = writes(op);
  return (c, d) => {
    const s = d.osz;
    if (s !== 8) {
      const y = c.getRegN(d.reg, s);
      if (d.rm >= 0) {
        const r = aluN(c, op, s, c.getRegN(d.rm, s), y);
        if (w) c.setRegN(d.rm, s, r);
      } else {
        const a = c.ea(d);
        const r = aluN(c, op, s, c.rdN(a, s), y);
        if (w) c.wrN(a, s, r);
      }
      return 0;
    }
    const a = addrE(c, d);
    const x = rdAt(c, d, a, s);
    const r = alu(c, op, s, x, c.regs[d.reg]!);
    if (w) wrAt(c, d, a, s, r);
    return 0;
  };
}

/** op Gb/Gv, Eb/Ev */
export function aluGE(op: number): Handler {
  const w = writes(op);
  return (c, d) => {
    const s = d.osz;
    if (s !== 8) {
      const y = d.rm >= 0 ? c.getRegN(d.rm, s) : c.rdN(c.ea(d), s);
      const r = aluN(c, op, s, c.getRegN(d.reg, s), y);
      if (w) c.setRegN(d.reg, s, r);
      return 0;
    }
    const y = rdE(c, d, s);
    const r = alu(c, op, s, c.regs[d.reg]!, y);
    if (w) c.regs[d.reg] = r;
    return 0;
  };
}

/** op Eb/Ev, imm (also the AL/rAX short forms, decoded with rm = 0) */
export function aluEI(op: number): Handler {
  const w = writes(op);
  return (c, d) => {
    const s = d.osz;
    if (s !== 8) {
      const y = sxN(s, d.immN);
      if (d.rm >= 0) {
        const r = aluN(c, op, s, c.getRegN(d.rm, s), y);
        if (w) c.setRegN(d.rm, s, r);
      } else {
        const a = c.ea(d);
        const r = aluN(c, op, s, c.rdN(a, s), y);
        if (w) c.wrN(a, s, r);
      }
      return 0;
    }
    const a = addrE(c, d);
    const x = rdAt(c, d, a, s);
    const r = alu(c, op, s, x, d.imm);
    if (w) wrAt(c, d, a, s, r);
    return 0;
  };
}

export const incE: Handler = (c, d) => {
  const s = d.osz;
  const a = addrE(c, d);
  const x = rdAt(c, d, a, s);
  const r = trunc(s, x + 1n);
  wrAt(c, d, a, s, r);
  setIncDec(c, x, r, false);
  return 0;
};

export const decE: Handler = (c, d) => {
  const s = d.osz;
  const a = addrE(c, d);
  const x = rdAt(c, d, a, s);
  const r = trunc(s, x - 1n);
  wrAt(c, d, a, s, r);
  setIncDec(c, x, r, true);
  return 0;
};

export const notE: Handler = (c, d) => {
  const s = d.osz;
  const a = addrE(c, d);
  wrAt(c, d, a, s, ~rdAt(c, d, a, s));
  return 0;
};

export const negE: Handler = (c, d) => {
  const s = d.osz;
  const a = addrE(c, d);
  const x = rdAt(c, d, a, s);
  const r = trunc(s, -x);
  wrAt(c, d, a, s, r);
  setSub(c, 0n, x, r, 0);
  return 0;
};

// ---- moves ----

export const movEG: Handler = (c, d) => {
  if (d.osz === 8) {
    if (d.rm >= 0) {
      c.ri[d.rm << 1] = c.ri[d.reg << 1]!;
      c.ri[(d.rm << 1) + 1] = c.ri[(d.reg << 1) + 1]!;
    } else c.st64From(c.ea(d), d.reg);
  } else {
    const v = c.getRegN(d.reg, d.osz);
    if (d.rm >= 0) c.setRegN(d.rm, d.osz, v);
    else c.wrN(c.ea(d), d.osz, v);
  }
  return 0;
};

export const movGE: Handler = (c, d) => {
  if (d.osz === 8) {
    if (d.rm >= 0) {
      c.ri[d.reg << 1] = c.ri[d.rm << 1]!;
      c.ri[(d.reg << 1) + 1] = c.ri[(d.rm << 1) + 1]!;
    } else c.ld64To(c.ea(d), d.reg);
  } else c.setRegN(d.reg, d.osz, d.rm >= 0 ? c.getRegN(d.rm, d.osz) : c.rdN(c.ea(d), d.osz));
  return 0;
};

export const movEI: Handler = (c, d) => {
  if (d.osz === 8) wrE(c, d, 8, d.imm);
  else if (d.rm >= 0) c.setRegN(d.rm, d.osz, d.immN);
  else c.wrN(c.ea(d), d.osz, d.immN);
  return 0;
};

/** mov Zb/Zv, imm: the register is in d.rm */
export const movZI = movEI;

export const lea: Handler = (c, d) => {
  // the address without a segment base, truncated to the operand size
  // exact in doubles only when each register is (below 2^52 in magnitude) and so is the sum
  const b = d.base >= 0 ? c.regN(d.base) : 0;
  const i = d.index >= 0 ? c.regN(d.index) : 0;
  const a = d.disp + b + i * d.scale;
  if (b > -(2 ** 52) && b < 2 ** 52 && i > -(2 ** 49) && i < 2 ** 49 && a > -(2 ** 52) && a < 2 ** 52) {
    if (d.osz === 8) {
      // the exact integer a as int32 halves (lo in [0, 2^32), stored modulo 2^32)
      const hi = Math.floor(a / 4294967296);
      c.ri[d.reg << 1] = a - hi * 4294967296;
      c.ri[(d.reg << 1) + 1] = hi;
    } else c.setRegN(d.reg, d.osz, a);
    return 0;
  }
  let v = BigInt(d.disp);
  if (d.base >= 0) v += c.regs[d.base]!;
  if (d.index >= 0) v += c.regs[d.index]! * BigInt(d.scale);
  c.setReg(d.reg, d.osz, BigInt.asIntN(64, v));
  return 0;
};

// The extending moves work on numbers: their source is at most 32 bits and their destination a
// general register (never ah..bh), which saves the BigInt conversions of getReg/setReg.

/** The `size` <= 4 byte source operand as a signed number. */
function srcN(c: X86Cpu, d: Insn, size: number): number {
  if (d.rm < 0) return c.rdN(c.ea(d), size);
  const rm = d.rm;
  const ri = c.ri;
  switch (size) {
    case 4: return ri[rm << 1]!;
    case 2: return (ri[rm << 1]! << 16) >> 16;
    default: return rm < 16 ? (ri[rm << 1]! << 24) >> 24 : (ri[(rm - 16) << 1]! << 16) >> 24;
  }
}

/** Writes the signed number v (an int32) to register d.reg at d.osz, sign-extending to 64 bits. */
function setRegN(c: X86Cpu, d: Insn, v: number): void {
  const ri = c.ri;
  const r = d.reg << 1;
  switch (d.osz) {
    case 8: ri[r] = v; ri[r + 1] = v < 0 ? -1 : 0; return;
    case 4: ri[r] = v; ri[r + 1] = 0; return;
    default: ri[r] = (ri[r]! & ~0xffff) | (v & 0xffff);
  }
}

export const movzxB: Handler = (c, d) => (setRegN(c, d, srcN(c, d, 1) & 0xff), 0);
export const movzxW: Handler = (c, d) => (setRegN(c, d, srcN(c, d, 2) & 0xffff), 0);
export const movsxB: Handler = (c, d) => (setRegN(c, d, srcN(c, d, 1)), 0);
export const movsxW: Handler = (c, d) => (setRegN(c, d, srcN(c, d, 2)), 0);
export const movsxd: Handler = (c, d) => (setRegN(c, d, srcN(c, d, 4)), 0);

export const xchgEG: Handler = (c, d) => {
  const s = d.osz;
  const a = addrE(c, d);
  const x = rdAt(c, d, a, s);
  const y = c.getReg(d.reg, s);
  wrAt(c, d, a, s, y);
  c.setReg(d.reg, s, x);
  return 0;
};

export const cmovcc: Handler = (c, d) => {
  const v = rdE(c, d, d.osz); // the load happens (and may fault) even when the condition fails
  if (cond(c, d.op & 15)) c.setReg(d.reg, d.osz, v);
  else if (d.osz === 4) c.setReg(d.reg, 4, c.getReg(d.reg, 4)); // 32-bit cmov always zero-extends
  return 0;
};

export const setcc: Handler = (c, d) => {
  wrE(c, d, 1, cond(c, d.op & 15) ? 1n : 0n);
  return 0;
};

/** cbw / cwde / cdqe */
export const cbw: Handler = (c, d) => {
  const s = d.osz;
  c.setReg(0, s, c.getReg(0, s / 2));
  return 0;
};

/** cwd / cdq / cqo */
export const cwd: Handler = (c, d) => {
  const s = d.osz;
  c.setReg(2, s, c.getReg(0, s) < 0n ? -1n : 0n);
  return 0;
};

export const bswap: Handler = (c, d) => {
  const r = d.rm;
  if (d.osz === 8) {
    const v = BigInt.asUintN(64, c.regs[r]!);
    let o = 0n;
    for (let k = 0n; k < 64n; k += 8n) o |= ((v >> k) & 0xffn) << (56n - k);
    c.regs[r] = BigInt.asIntN(64, o);
  } else {
    const v = c.ri[r << 1]!;
    c.ri[r << 1] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
    c.ri[(r << 1) + 1] = 0;
  }
  return 0;
};

// ---- atomics (a single CPU: lock changes nothing) ----

export const xaddEG: Handler = (c, d) => {
  const s = d.osz;
  const a = addrE(c, d);
  const x = rdAt(c, d, a, s);
  const y = c.getReg(d.reg, s);
  const r = trunc(s, x + y);
  wrAt(c, d, a, s, r);
  c.setReg(d.reg, s, x);
  setAdd(c, x, y, r, 0);
  return 0;
};

export const cmpxchgEG: Handler = (c, d) => {
  const s = d.osz;
  const a = addrE(c, d);
  const x = rdAt(c, d, a, s);
  const acc = c.getReg(0, s);
  setSub(c, acc, x, trunc(s, acc - x), 0);
  if (x === acc) {
    wrAt(c, d, a, s, c.getReg(d.reg, s));
  } else {
    if (a >= 0) c.wr(a, s, x); // the processor always writes the destination
    c.setReg(0, s, x);
  }
  return 0;
};

/** cmpxchg8b / cmpxchg16b m */
export const cmpxchg8b: Handler = (c, d) => {
  const a = c.ea(d);
  if (d.osz === 8) {
    if (a % 16 !== 0) throw GP_FAULT;
    const lo = c.rd(a, 8), hi = c.rd(a + 8, 8);
    c.probeWrite(a, 16);
    if (lo === c.regs[0] && hi === c.regs[2]) {
      c.wr(a, 8, c.regs[3]!);
      c.wr(a + 8, 8, c.regs[1]!);
      patchFlags(c, 0x40, 0x40);
    } else {
      c.regs[0] = lo;
      c.regs[2] = hi;
      patchFlags(c, 0x40, 0);
    }
  } else {
    const v = BigInt.asUintN(64, c.rd(a, 8));
    const lo = BigInt.asIntN(32, v), hi = BigInt.asIntN(32, v >> 32n);
    if (lo === c.getReg(0, 4) && hi === c.getReg(2, 4)) {
      c.wr(a, 8, (BigInt.asUintN(32, c.getReg(1, 4)) << 32n) | BigInt.asUintN(32, c.getReg(3, 4)));
      patchFlags(c, 0x40, 0x40);
    } else {
      c.setReg(0, 4, lo);
      c.setReg(2, 4, hi);
      patchFlags(c, 0x40, 0);
    }
  }
  return 0;
};

/** 90+r: xchg with rAX; plain 90 (no REX.B) is nop, which does not zero-extend eax */
export const xchgZA: Handler = (c, d) => {
  if (d.rm === 0) return 0;
  const s = d.osz;
  const x = c.getReg(d.rm, s);
  c.setReg(d.rm, s, c.getReg(0, s));
  c.setReg(0, s, x);
  return 0;
};
