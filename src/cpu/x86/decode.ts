// The decoder: prefixes, REX, the opcode maps built from table.ts, ModRM/SIB/displacement and
// immediates, into an Insn. Undecodable bytes give an Insn whose handler raises SIGILL.

import type { Entry } from "./insn.ts";
import { Insn, SEG_FS, SEG_GS } from "./insn.ts";
import { FAULT } from "./mmu.ts";

/** Where the decoder reads instruction bytes (the Mmu, or a buffer for the disassembler). */
export interface ByteSource {
  fetchByte(a: number): number;
}
import { ud } from "./ctl.ts";
import { ENTRIES } from "./table.ts";
import "./table-sse.ts";
import "./table-mmx.ts";
import "./table-x87.ts";

const MOD_ANY = 0, MOD_MEM = 1, MOD_REG = 2;

interface Cand {
  e: Entry;
  /** mandatory prefix (0, 0x66, 0xf3, 0xf2) */
  pfx: number;
  reg: number;
  mod: number;
  exact: number;
  modrm: boolean;
  /** the opcode's low bits for +r / +cc rows */
  sub: number;
}

/** maps[0] one-byte, [1] 0f, [2] 0f 38, [3] 0f 3a */
const maps: Cand[][][] = [0, 1, 2, 3].map(() => Array.from({ length: 256 }, () => [] as Cand[]));

const MODRM_OPS = /^(E|G|M|V|W|U|N|P|Q|STi$)/;

function addEntry(e: Entry): void {
  const t = e.code.split(" ");
  let pfx = 0;
  if ((t[0] === "66" || t[0] === "f2" || t[0] === "f3") && t.length > 1) pfx = parseInt(t.shift()!, 16);
  let map = 0;
  if (t[0] === "0f") {
    t.shift();
    map = 1;
    const m = t[0] as string;
    if (m === "38" || m === "3a") {
      map = m === "38" ? 2 : 3;
      t.shift();
    }
  }
  const opTok = t.shift()!;
  const [opHex, plus] = opTok.split("+");
  const op = parseInt(opHex!, 16);
  const n = plus === "r" ? 8 : plus === "cc" ? 16 : 1;
  let reg = -1, mod = MOD_ANY, exact = -1, exactN = 1;
  let modrm = e.ops.some((o) => MODRM_OPS.test(o));
  const g = t.shift();
  if (g !== undefined) {
    modrm = true;
    if (g.startsWith("/")) {
      reg = parseInt(g[1]!, 10);
      if (g[2] === "m") mod = MOD_MEM;
      if (g[2] === "r") mod = MOD_REG;
    } else {
      const [b, i] = g.split("+");
      exact = parseInt(b!, 16);
      if (i === "i") exactN = 8;
    }
  }
  for (let k = 0; k < n; k++) {
    for (let x = 0; x < exactN; x++) {
      maps[map]![op + k]!.push({ e, pfx, reg, mod, exact: exact < 0 ? -1 : exact + x, modrm, sub: k });
    }
  }
}
for (const e of ENTRIES) addEntry(e);

// The most specific candidate: an exact ModRM beats a /reg group beats a plain row; a present
// mandatory prefix beats none (and is then consumed, not an operand-size or rep prefix).
function pick(list: Cand[], rep: number, p66: boolean, modrm: number): Cand | null {
  let best: Cand | null = null;
  let bestScore = -1;
  const mod3 = modrm >= 0xc0;
  for (const c of list) {
    if (c.pfx === 0x66 ? !p66 : c.pfx !== 0 && c.pfx !== rep) continue;
    if (c.modrm && modrm < 0) continue;
    if (c.exact >= 0 && c.exact !== modrm) continue;
    if (c.reg >= 0 && c.reg !== ((modrm >> 3) & 7)) continue;
    if (c.mod === MOD_MEM && mod3) continue;
    if (c.mod === MOD_REG && !mod3) continue;
    const score = (c.exact >= 0 ? 8 : c.reg >= 0 ? 4 : 0) + (c.pfx === 0 ? 0 : c.pfx === 0x66 ? 1 : 2);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** Whether any candidate of the list wants a ModRM byte. */
function wantsModrm(list: Cand[]): boolean {
  for (const c of list) if (c.modrm) return true;
  return false;
}

class Reader {
  n = 0;
  constructor(private mmu: ByteSource, private at: number) {}
  byte(): number {
    if (this.n >= 15) throw TOO_LONG;
    return this.mmu.fetchByte(this.at + this.n++);
  }
  s8(): number {
    return (this.byte() << 24) >> 24;
  }
  s16(): number {
    const v = this.byte() | (this.byte() << 8);
    return (v << 16) >> 16;
  }
  s32(): number {
    return this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24);
  }
  s64(): bigint {
    const lo = this.s32() >>> 0;
    const hi = this.s32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}
const TOO_LONG = { tooLong: true };

/** Decodes the instruction at rip; throws FAULT if its bytes cannot be fetched. */
export function decodeAt(mmu: ByteSource, rip: number): Insn {
  const r = new Reader(mmu, rip);
  const d = new Insn(ud);
  d.addr = rip;
  try {
    decodeInto(r, d);
  } catch (e) {
    if (e === FAULT) throw e;
    if (e !== TOO_LONG && e !== ILLEGAL) throw e;
    d.fn = ud;
    d.ent = null;
  }
  d.len = Math.max(r.n, 1);
  d.next = rip + d.len;
  const bytes = new Uint8Array(d.len);
  for (let k = 0; k < d.len; k++) bytes[k] = mmu.fetchByte(rip + k);
  d.bytes = bytes;
  if (d.ripRel) d.disp += d.next;
  return d;
}
const ILLEGAL = { illegal: true };

function decodeInto(r: Reader, d: Insn): void {
  let p66 = false, p67 = false, rep = 0, rex = 0;
  let b: number;
  for (;;) {
    b = r.byte();
    if (b === 0x66) p66 = true;
    else if (b === 0x67) p67 = true;
    else if (b === 0xf2 || b === 0xf3) rep = b;
    else if (b === 0xf0) d.lock = true;
    else if (b === 0x64) d.seg = SEG_FS;
    else if (b === 0x65) d.seg = SEG_GS;
    else if (b === 0x2e || b === 0x36 || b === 0x3e || b === 0x26) { /* null segments in long mode */ }
    else if ((b & 0xf0) === 0x40) {
      rex = b;
      b = r.byte();
      if ((b & 0xf0) === 0x40 || b === 0x66 || b === 0x67 || b === 0xf2 || b === 0xf3 || b === 0xf0 || b === 0x64 || b === 0x65) {
        // a REX followed by another prefix is ignored
        rex = 0;
        r.n--;
        continue;
      }
      break;
    } else break;
  }
  let map = 0;
  if (b === 0x0f) {
    map = 1;
    b = r.byte();
    if (b === 0x38 || b === 0x3a) {
      map = b === 0x38 ? 2 : 3;
      b = r.byte();
    }
  }
  d.op = b;
  d.rex = rex;
  const list = maps[map]![b]!;
  if (list.length === 0) throw ILLEGAL;
  const modrm = wantsModrm(list) ? r.byte() : -1;
  const c = pick(list, rep, p66, modrm);
  if (c === null) throw ILLEGAL;
  const e = c.e;
  d.ent = e;
  d.fn = e.fn;
  if (c.pfx === 0x66) p66 = false;
  else if (c.pfx !== 0) rep = 0;
  d.rep = rep;
  d.p66 = p66 ? 1 : 0;
  d.asz = p67 ? 4 : 8;
  const w = (rex & 8) !== 0;
  if (e.flags.includes("f64")) d.osz = 8;
  else if (e.flags.includes("d64")) d.osz = p66 ? 2 : 8;
  else d.osz = w ? 8 : p66 ? 2 : 4;
  const byteOp = e.flags.includes("b") || (e.ops.length > 0 && /^(E|G|Z|O)b$|^AL$/.test(e.ops[0]!));
  if (byteOp) d.osz = 1;
  if (modrm >= 0) modRM(r, d, modrm, rex, p67, c.exact >= 0 || c.mod === MOD_REG);
  operands(r, d, e, rex, c.sub);
}

function modRM(r: Reader, d: Insn, m: number, rex: number, p67: boolean, regOnly: boolean): void {
  d.modrm = m;
  const mod = m >> 6;
  d.reg = ((m >> 3) & 7) | ((rex & 4) << 1);
  const rm = m & 7;
  if (mod === 3 || regOnly) {
    d.rm = rm | ((rex & 1) << 3);
    return;
  }
  d.rm = -1;
  if (rm === 4) {
    const sib = r.byte();
    d.scale = 1 << (sib >> 6);
    const idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
    d.index = idx === 4 ? -1 : idx;
    const base = sib & 7;
    if (base === 5 && mod === 0) {
      d.base = -1;
      d.disp = r.s32();
    } else d.base = base | ((rex & 1) << 3);
  } else if (rm === 5 && mod === 0) {
    d.base = -1;
    d.ripRel = true;
    d.disp = r.s32();
    if (p67) d.asz = 4;
  } else d.base = rm | ((rex & 1) << 3);
  if (mod === 1) d.disp += r.s8();
  else if (mod === 2) d.disp += r.s32();
}

// Byte registers without any REX prefix: 4..7 are ah, ch, dh, bh (our 16..19).
const hiByte = (r: number, rex: number) => (rex === 0 && r >= 4 && r < 8 ? r + 12 : r);

function operands(r: Reader, d: Insn, e: Entry, rex: number, sub: number): void {
  let nImm = 0;
  const hasO = e.ops.some((o) => o[0] === "O");
  for (let k = 0; k < e.ops.length; k++) {
    const o = e.ops[k]!;
    switch (o) {
      case "Eb": if (d.rm >= 0) d.rm = hiByte(d.rm, rex); break;
      case "Gb": d.reg = hiByte(d.reg, rex); break;
      case "Zb": d.rm = hiByte(sub | ((rex & 1) << 3), rex); break;
      case "Zv": d.rm = sub | ((rex & 1) << 3); break;
      case "AL": case "rAX": if (hasO) d.reg = 0; else if (k === 0) d.rm = 0; break;
      case "1": d.imm2 = 1; break;
      case "CL": d.imm2 = 2; break;
      case "Ib": case "Ibs": imm(d, nImm++, BigInt(r.s8())); break;
      case "Iw": imm(d, nImm++, BigInt(r.s16() & 0xffff)); break;
      case "Iz": imm(d, nImm++, BigInt(d.osz === 2 ? r.s16() : r.s32())); break;
      case "Iv": imm(d, nImm++, d.osz === 8 ? r.s64() : BigInt(d.osz === 2 ? r.s16() : r.s32())); break;
      case "Jb": d.immN = r.s8(); break;
      case "Jz": d.immN = r.s32(); break;
      case "Ob": case "Ov": {
        d.rm = -1;
        d.base = d.index = -1;
        const lo = r.s32() >>> 0, hi = r.s32() >>> 0;
        d.disp = hi * 4294967296 + lo;
        break;
      }
    }
  }
  if (e.ops.includes("Jb") || e.ops.includes("Jz")) d.immN += r.n + d.addr;
  // an 8-bit immediate of a byte operation, and the imm8 of shifts, stay as written
  if (e.ops[0] === "Ib" || (e.ops.length === 2 && e.ops[1] === "Ib" && d.osz === 1)) d.immN &= 0xff;
}

function imm(d: Insn, k: number, v: bigint): void {
  if (k === 0) {
    d.imm = v;
    d.immN = Number(BigInt.asIntN(53, v));
    if (d.ent!.mnem === "imul") d.imm2 = 1; // imul Gv, Ev, imm: tells the handler to use it
  } else d.imm2 = Number(v) & 0xff;
}
