// Lazy rflags. Arithmetic records its operands and result (cpu.lz, canonical signed BigInts of
// the operand size) and the kind of operation (cpu.fop); a flag is computed only when read.
// Most flag reads are a jcc/setcc/cmovcc right after a cmp/test/sub, which cond() answers by
// comparing the recorded operands directly.
//
// For values sign-extended from n bits, 64-bit unsigned order equals n-bit unsigned order and
// the BigInt sign is the n-bit sign bit, so none of this needs the operand size.

import type { X86Cpu } from "./cpu.ts";

export const CF = 1 << 0;
export const PF = 1 << 2;
export const AF = 1 << 4;
export const ZF = 1 << 6;
export const SF = 1 << 7;
export const TF = 1 << 8;
export const IF = 1 << 9;
export const DF = 1 << 10;
export const OF = 1 << 11;
export const AC = 1 << 18;
export const ID = 1 << 21;
export const ARITH = CF | PF | AF | ZF | SF | OF;
/** The bits user code may change with popf. */
export const USER_MASK = ARITH | DF | TF | AC | ID;

/** All flags in cpu.fl. */
export const F_NONE = 0;
/** res = dst + src + fcin. */
export const F_ADD = 1;
/** res = dst - src - fcin. */
export const F_SUB = 2;
/** inc/dec: as add/sub of 1, CF kept in fl. */
export const F_INC = 3;
export const F_DEC = 4;
/** ZF, SF, PF from res; CF, OF, AF from fl (logic ops, shifts, multiplies). */
export const F_RES = 5;

const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let p = 1;
  for (let b = i; b !== 0; b >>= 1) p ^= b & 1;
  PARITY[i] = p ? PF : 0;
}

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

export function getFlags(c: X86Cpu): number {
  const op = c.fop;
  if (op === F_NONE) return c.fl;
  const res = c.lz[0]!;
  let f = c.fl & ~(PF | ZF | SF);
  if (res === 0n) f |= ZF;
  if (res < 0n) f |= SF;
  f |= PARITY[Number(res & 0xffn)]!;
  if (op === F_RES) return f;
  const dst = c.lz[1]!;
  const src = c.lz[2]!;
  f &= ~(OF | AF);
  if (((dst ^ src ^ res) & 16n) !== 0n) f |= AF;
  if (op === F_ADD || op === F_INC) {
    if (((dst ^ res) & (src ^ res)) < 0n) f |= OF;
    if (op === F_ADD) {
      const ur = u64(res), ud = u64(dst);
      f = (f & ~CF) | (ur < ud || (c.fcin !== 0 && ur === ud) ? CF : 0);
    }
  } else {
    if (((dst ^ src) & (dst ^ res)) < 0n) f |= OF;
    if (op === F_SUB) {
      const ud = u64(dst), us = u64(src);
      f = (f & ~CF) | (ud < us || (c.fcin !== 0 && ud === us) ? CF : 0);
    }
  }
  return f;
}

/** Sets all of rflags (popf, sahf, syscall return paths): the lazy state is dropped. */
export function setFlags(c: X86Cpu, v: number): void {
  c.fl = (v & USER_MASK) | 0x202 | (c.fl & ~(USER_MASK | 0x202));
  c.fop = F_NONE;
}

/** Changes the flags in `mask` to `bits` (the others keep their values). */
export function patchFlags(c: X86Cpu, mask: number, bits: number): void {
  c.fl = (getFlags(c) & ~mask) | (bits & mask);
  c.fop = F_NONE;
}

export function getCF(c: X86Cpu): number {
  const op = c.fop;
  if (op === F_NONE || op === F_RES || op === F_INC || op === F_DEC) return c.fl & CF;
  return getFlags(c) & CF;
}

export function setAdd(c: X86Cpu, dst: bigint, src: bigint, res: bigint, cin: number): void {
  c.lz[0] = res;
  c.lz[1] = dst;
  c.lz[2] = src;
  c.fcin = cin;
  c.fop = F_ADD;
}

export function setSub(c: X86Cpu, dst: bigint, src: bigint, res: bigint, cin: number): void {
  c.lz[0] = res;
  c.lz[1] = dst;
  c.lz[2] = src;
  c.fcin = cin;
  c.fop = F_SUB;
}

// The same records for operations of <= 32 bits done on numbers (canonical signed int32s):
// each value goes in as two int32 halves, which is the BigInt64 the readers above expect.

function lzN(c: X86Cpu, k: number, v: number): void {
  c.lzi[k << 1] = v;
  c.lzi[(k << 1) + 1] = v >> 31;
}

export function setAddN(c: X86Cpu, dst: number, src: number, res: number, cin: number): void {
  lzN(c, 0, res);
  lzN(c, 1, dst);
  lzN(c, 2, src);
  c.fcin = cin;
  c.fop = F_ADD;
}

export function setSubN(c: X86Cpu, dst: number, src: number, res: number, cin: number): void {
  lzN(c, 0, res);
  lzN(c, 1, dst);
  lzN(c, 2, src);
  c.fcin = cin;
  c.fop = F_SUB;
}

export function setResN(c: X86Cpu, res: number, cfofaf: number): void {
  lzN(c, 0, res);
  c.fl = (c.fl & ~ARITH) | cfofaf;
  c.fop = F_RES;
}

/** inc/dec keep CF: it is saved in fl first. */
export function setIncDec(c: X86Cpu, dst: bigint, res: bigint, dec: boolean): void {
  const cf = getCF(c);
  c.fl = (c.fl & ~CF) | cf;
  c.lz[0] = res;
  c.lz[1] = dst;
  c.lz[2] = 1n;
  c.fop = dec ? F_DEC : F_INC;
}

/** ZF/SF/PF from res; CF, OF and AF as given (logic ops: all 0). */
export function setRes(c: X86Cpu, res: bigint, cfofaf: number): void {
  c.lz[0] = res;
  c.fl = (c.fl & ~ARITH) | cfofaf;
  c.fop = F_RES;
}

/** Whether condition cc (the low nibble of jcc/setcc/cmovcc) holds. */
export function cond(c: X86Cpu, cc: number): boolean {
  const op = c.fop;
  const neg = (cc & 1) !== 0;
  if (op !== F_NONE) {
    // read as int32 halves: a BigInt64Array element read makes a heap BigInt every time
    const z = c.lzi;
    const k = cc >> 1;
    if (k === 2) return (z[0] === 0 && z[1] === 0) !== neg;
    if (k === 4) return (z[1]! < 0) !== neg;
    if (op === F_SUB && c.fcin === 0) {
      const dh = z[3]!, sh = z[5]!;
      const dl = z[2]! >>> 0, sl = z[4]! >>> 0;
      switch (k) {
        case 1: return (dh !== sh ? dh >>> 0 < sh >>> 0 : dl < sl) !== neg;
        case 3: return (dh !== sh ? dh >>> 0 < sh >>> 0 : dl <= sl) !== neg;
        case 6: return (dh !== sh ? dh < sh : dl < sl) !== neg;
        case 7: return (dh !== sh ? dh < sh : dl <= sl) !== neg;
      }
    }
  }
  const f = getFlags(c);
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = (f & OF) !== 0; break;
    case 1: r = (f & CF) !== 0; break;
    case 2: r = (f & ZF) !== 0; break;
    case 3: r = (f & (CF | ZF)) !== 0; break;
    case 4: r = (f & SF) !== 0; break;
    case 5: r = (f & PF) !== 0; break;
    case 6: r = ((f & SF) !== 0) !== ((f & OF) !== 0); break;
    default: r = (f & ZF) !== 0 || ((f & SF) !== 0) !== ((f & OF) !== 0); break;
  }
  return r !== neg;
}

export const CC_NAMES = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
