// Instruction decoding: a 16- or 32-bit RV64GC (+ Zba/Zbb/Zbs) instruction to an operation and
// its operands. Compressed instructions are expanded to their 32-bit equivalents here, so the
// executors see one operation per meaning.

import { decodeFp, type FpOp } from "./fp/index.ts";
import { Op } from "./opcodes.ts";

/** Index used for writes to x0: a scratch slot, so that executors need no rd != 0 test. */
export const X0_SINK = 32;

export interface Decoded {
  op: Op;
  rd: number;
  rs1: number;
  rs2: number;
  imm: number;
  /** 2 for compressed instructions, else 4 */
  size: number;
  /** The FP module's executor when op is Op.FP */
  fp: FpOp | null;
}

/** Returns a fresh, reusable decode result. */
export function newDecoded(): Decoded {
  return { op: Op.UNDECODED, rd: 0, rs1: 0, rs2: 0, imm: 0, size: 4, fp: null };
}

/** Decodes `insn` (the low 16 bits only, if compressed) into `d`. */
export function decode(insn: number, d: Decoded): void {
  d.fp = null;
  d.rd = d.rs1 = d.rs2 = d.imm = 0;
  if ((insn & 3) !== 3) {
    d.size = 2;
    decodeCompressed(insn & 0xffff, d);
  } else {
    d.size = 4;
    d.op = (insn & 0x1c) === 0x1c ? Op.ILLEGAL : decode32(insn | 0, d);
  }
  if (d.op === Op.ILLEGAL) d.rd = d.rs1 = d.rs2 = d.imm = 0;
  else if (d.rd === 0 && writesIntRd(d.op)) d.rd = X0_SINK;
}

function writesIntRd(op: Op): boolean {
  switch (op) {
    case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
    case Op.SB: case Op.SH: case Op.SW: case Op.SD:
    case Op.FENCE: case Op.FENCE_I: case Op.ECALL: case Op.EBREAK:
    case Op.FLW: case Op.FLD: case Op.FSW: case Op.FSD: case Op.FP:
      return false;
    default:
      return true;
  }
}

const LOADS = [Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU, Op.ILLEGAL];
const STORES = [Op.SB, Op.SH, Op.SW, Op.SD, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL];
const BRANCHES = [Op.BEQ, Op.BNE, Op.ILLEGAL, Op.ILLEGAL, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
const CSRS = [Op.ILLEGAL, Op.CSRRW, Op.CSRRS, Op.CSRRC, Op.ILLEGAL, Op.CSRRWI, Op.CSRRSI, Op.CSRRCI];
// OP (0x33) by funct7 then funct3
const OP_BY_F7: Record<number, readonly Op[]> = {
  0x00: [Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND],
  0x20: [Op.SUB, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.XNOR, Op.SRA, Op.ORN, Op.ANDN],
  0x01: [Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU],
  0x10: [Op.ILLEGAL, Op.ILLEGAL, Op.SH1ADD, Op.ILLEGAL, Op.SH2ADD, Op.ILLEGAL, Op.SH3ADD, Op.ILLEGAL],
  0x05: [Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.MIN, Op.MINU, Op.MAX, Op.MAXU],
  0x30: [Op.ILLEGAL, Op.ROL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ROR, Op.ILLEGAL, Op.ILLEGAL],
  0x24: [Op.ILLEGAL, Op.BCLR, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.BEXT, Op.ILLEGAL, Op.ILLEGAL],
  0x14: [Op.ILLEGAL, Op.BSET, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL],
  0x34: [Op.ILLEGAL, Op.BINV, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL],
};
// OP-32 (0x3b) by funct7 then funct3
const OP32_BY_F7: Record<number, readonly Op[]> = {
  0x00: [Op.ADDW, Op.SLLW, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.SRLW, Op.ILLEGAL, Op.ILLEGAL],
  0x20: [Op.SUBW, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.SRAW, Op.ILLEGAL, Op.ILLEGAL],
  0x01: [Op.MULW, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.DIVW, Op.DIVUW, Op.REMW, Op.REMUW],
  0x04: [Op.ADD_UW, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.ZEXT_H, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL],
  0x10: [Op.ILLEGAL, Op.ILLEGAL, Op.SH1ADD_UW, Op.ILLEGAL, Op.SH2ADD_UW, Op.ILLEGAL, Op.SH3ADD_UW, Op.ILLEGAL],
  0x30: [Op.ILLEGAL, Op.ROLW, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.RORW, Op.ILLEGAL, Op.ILLEGAL],
};
// AMO by funct5, .W forms (the .D form of each follows at a fixed distance)
const AMO_W: Record<number, Op> = {
  0x00: Op.AMOADD_W, 0x01: Op.AMOSWAP_W, 0x04: Op.AMOXOR_W, 0x08: Op.AMOOR_W, 0x0c: Op.AMOAND_W,
  0x10: Op.AMOMIN_W, 0x14: Op.AMOMAX_W, 0x18: Op.AMOMINU_W, 0x1c: Op.AMOMAXU_W,
};

function decode32(insn: number, d: Decoded): Op {
  const rd = (insn >>> 7) & 31;
  const f3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const f7 = insn >>> 25;
  d.rd = rd;
  d.rs1 = rs1;
  d.rs2 = rs2;
  switch (insn & 0x7f) {
    case 0x37: d.imm = insn & ~0xfff; return Op.LUI;
    case 0x17: d.imm = insn & ~0xfff; return Op.AUIPC;
    case 0x6f: d.imm = jImm(insn); return Op.JAL;
    case 0x67: d.imm = insn >> 20; return f3 === 0 ? Op.JALR : Op.ILLEGAL;
    case 0x63: d.imm = bImm(insn); return BRANCHES[f3]!;
    case 0x03: d.imm = insn >> 20; return LOADS[f3]!;
    case 0x23: d.imm = sImm(insn); return STORES[f3]!;
    case 0x07: d.imm = insn >> 20; return f3 === 2 ? Op.FLW : f3 === 3 ? Op.FLD : Op.ILLEGAL;
    case 0x27: d.imm = sImm(insn); return f3 === 2 ? Op.FSW : f3 === 3 ? Op.FSD : Op.ILLEGAL;
    case 0x13: return decodeOpImm(insn, f3, d);
    case 0x1b: return decodeOpImm32(insn, f3, d);
    case 0x33: return OP_BY_F7[f7]?.[f3] ?? Op.ILLEGAL;
    case 0x3b: return f7 === 0x04 && f3 === 4 && rs2 !== 0 ? Op.ILLEGAL : (OP32_BY_F7[f7]?.[f3] ?? Op.ILLEGAL);
    case 0x2f: return decodeAmo(insn, f3, rs2);
    case 0x0f: return f3 === 0 ? Op.FENCE : f3 === 1 ? Op.FENCE_I : Op.ILLEGAL;
    case 0x73:
      if (f3 === 0) return insn === 0x73 ? Op.ECALL : insn === 0x100073 ? Op.EBREAK : Op.ILLEGAL;
      d.imm = insn >>> 20;
      return CSRS[f3]!;
    case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53:
      d.fp = decodeFp(insn);
      return d.fp === null ? Op.ILLEGAL : Op.FP;
    default:
      return Op.ILLEGAL;
  }
}

function decodeOpImm(insn: number, f3: number, d: Decoded): Op {
  const f6 = insn >>> 26;
  const f12 = insn >>> 20;
  d.imm = insn >> 20;
  switch (f3) {
    case 0: return Op.ADDI;
    case 2: return Op.SLTI;
    case 3: return Op.SLTIU;
    case 4: return Op.XORI;
    case 6: return Op.ORI;
    case 7: return Op.ANDI;
    case 1:
      d.imm = (insn >>> 20) & 63;
      if (f6 === 0x00) return Op.SLLI;
      if (f6 === 0x12) return Op.BCLRI;
      if (f6 === 0x0a) return Op.BSETI;
      if (f6 === 0x1a) return Op.BINVI;
      d.imm = 0;
      if (f12 === 0x600) return Op.CLZ;
      if (f12 === 0x601) return Op.CTZ;
      if (f12 === 0x602) return Op.CPOP;
      if (f12 === 0x604) return Op.SEXT_B;
      if (f12 === 0x605) return Op.SEXT_H;
      return Op.ILLEGAL;
    default: // 5
      if (f12 === 0x287) return (d.imm = 0), Op.ORC_B;
      if (f12 === 0x6b8) return (d.imm = 0), Op.REV8;
      d.imm = (insn >>> 20) & 63;
      if (f6 === 0x00) return Op.SRLI;
      if (f6 === 0x10) return Op.SRAI;
      if (f6 === 0x18) return Op.RORI;
      if (f6 === 0x12) return Op.BEXTI;
      return Op.ILLEGAL;
  }
}

function decodeOpImm32(insn: number, f3: number, d: Decoded): Op {
  const f7 = insn >>> 25;
  const rs2 = (insn >>> 20) & 31;
  if (f3 === 0) {
    d.imm = insn >> 20;
    return Op.ADDIW;
  }
  d.imm = rs2;
  if (f3 === 1) {
    if (f7 === 0x00) return Op.SLLIW;
    if (insn >>> 26 === 0x02) return (d.imm = (insn >>> 20) & 63), Op.SLLI_UW;
    if (f7 === 0x30 && rs2 <= 2) {
      d.imm = 0;
      return rs2 === 0 ? Op.CLZW : rs2 === 1 ? Op.CTZW : Op.CPOPW;
    }
    return Op.ILLEGAL;
  }
  if (f3 === 5) {
    if (f7 === 0x00) return Op.SRLIW;
    if (f7 === 0x20) return Op.SRAIW;
    if (f7 === 0x30) return Op.RORIW;
  }
  return Op.ILLEGAL;
}

// The .D operation of every AMO sits this far after its .W operation in Op.
const AMO_D_DISTANCE = Op.AMOSWAP_D - Op.AMOSWAP_W;

function decodeAmo(insn: number, f3: number, rs2: number): Op {
  if (f3 !== 2 && f3 !== 3) return Op.ILLEGAL;
  const wide = f3 === 3;
  const f5 = insn >>> 27;
  if (f5 === 0x02) return rs2 !== 0 ? Op.ILLEGAL : wide ? Op.LR_D : Op.LR_W;
  if (f5 === 0x03) return wide ? Op.SC_D : Op.SC_W;
  const w = AMO_W[f5];
  if (w === undefined) return Op.ILLEGAL;
  return wide ? ((w + AMO_D_DISTANCE) as Op) : w;
}

function jImm(i: number): number {
  return ((i >> 31) << 20) | (((i >>> 12) & 0xff) << 12) | (((i >>> 20) & 1) << 11) | (((i >>> 21) & 0x3ff) << 1);
}

function bImm(i: number): number {
  return ((i >> 31) << 12) | (((i >>> 7) & 1) << 11) | (((i >>> 25) & 0x3f) << 5) | (((i >>> 8) & 0xf) << 1);
}

function sImm(i: number): number {
  return ((i >> 25) << 5) | ((i >>> 7) & 31);
}

// ---- RVC ----

function set(d: Decoded, op: Op, rd: number, rs1: number, rs2: number, imm: number): void {
  d.op = op;
  d.rd = rd;
  d.rs1 = rs1;
  d.rs2 = rs2;
  d.imm = imm;
}

function illegal(d: Decoded): void {
  d.op = Op.ILLEGAL;
}

/** Sign-extends the low `bits` bits of v. */
function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

function decodeCompressed(c: number, d: Decoded): void {
  const f3 = c >>> 13;
  switch (c & 3) {
    case 0: return decodeQ0(c, f3, d);
    case 1: return decodeQ1(c, f3, d);
    default: return decodeQ2(c, f3, d);
  }
}

// CL/CS offsets scaled by 8 (ld/sd/fld/fsd) and by 4 (lw/sw)
const off8 = (c: number) => ((c >>> 7) & 0x38) | ((c << 1) & 0xc0);
const off4 = (c: number) => ((c >>> 7) & 0x38) | ((c >>> 4) & 4) | ((c << 1) & 0x40);

function decodeQ0(c: number, f3: number, d: Decoded): void {
  const rdp = ((c >>> 2) & 7) + 8;
  const rs1p = ((c >>> 7) & 7) + 8;
  switch (f3) {
    case 0: {
      const imm = ((c >>> 7) & 0x30) | ((c >>> 1) & 0x3c0) | ((c >>> 4) & 4) | ((c >>> 2) & 8);
      return imm === 0 ? illegal(d) : set(d, Op.ADDI, rdp, 2, 0, imm); // c.addi4spn
    }
    case 1: return set(d, Op.FLD, rdp, rs1p, 0, off8(c));
    case 2: return set(d, Op.LW, rdp, rs1p, 0, off4(c));
    case 3: return set(d, Op.LD, rdp, rs1p, 0, off8(c));
    case 5: return set(d, Op.FSD, 0, rs1p, rdp, off8(c));
    case 6: return set(d, Op.SW, 0, rs1p, rdp, off4(c));
    case 7: return set(d, Op.SD, 0, rs1p, rdp, off8(c));
    default: return illegal(d);
  }
}

function decodeQ1(c: number, f3: number, d: Decoded): void {
  const rd = (c >>> 7) & 31;
  const imm6 = sext(((c >>> 7) & 0x20) | ((c >>> 2) & 0x1f), 6);
  switch (f3) {
    case 0: return set(d, Op.ADDI, rd, rd, 0, imm6); // c.addi, c.nop
    case 1: return rd === 0 ? illegal(d) : set(d, Op.ADDIW, rd, rd, 0, imm6);
    case 2: return set(d, Op.ADDI, rd, 0, 0, imm6); // c.li
    case 3: {
      if (rd === 2) {
        const imm = sext(
          ((c >>> 3) & 0x200) | ((c >>> 2) & 0x10) | ((c << 1) & 0x40) | ((c << 4) & 0x180) | ((c << 3) & 0x20),
          10,
        );
        return imm === 0 ? illegal(d) : set(d, Op.ADDI, 2, 2, 0, imm); // c.addi16sp
      }
      return imm6 === 0 ? illegal(d) : set(d, Op.LUI, rd, 0, 0, imm6 << 12); // c.lui
    }
    case 4: return decodeQ1Arith(c, d);
    case 5: {
      const imm = sext(
        ((c >>> 1) & 0x800) | ((c >>> 7) & 0x10) | ((c >>> 1) & 0x300) | ((c << 2) & 0x400) |
          ((c >>> 1) & 0x40) | ((c << 1) & 0x80) | ((c >>> 2) & 0xe) | ((c << 3) & 0x20),
        12,
      );
      return set(d, Op.JAL, 0, 0, 0, imm); // c.j
    }
    default: {
      const imm = sext(
        ((c >>> 4) & 0x100) | ((c >>> 7) & 0x18) | ((c << 1) & 0xc0) | ((c >>> 2) & 6) | ((c << 3) & 0x20),
        9,
      );
      return set(d, f3 === 6 ? Op.BEQ : Op.BNE, 0, ((c >>> 7) & 7) + 8, 0, imm); // c.beqz, c.bnez
    }
  }
}

function decodeQ1Arith(c: number, d: Decoded): void {
  const r = ((c >>> 7) & 7) + 8;
  const rs2 = ((c >>> 2) & 7) + 8;
  const shamt = ((c >>> 7) & 0x20) | ((c >>> 2) & 0x1f);
  switch ((c >>> 10) & 3) {
    case 0: return set(d, Op.SRLI, r, r, 0, shamt);
    case 1: return set(d, Op.SRAI, r, r, 0, shamt);
    case 2: return set(d, Op.ANDI, r, r, 0, sext(shamt, 6));
    default: {
      const ops = (c & 0x1000) === 0 ? [Op.SUB, Op.XOR, Op.OR, Op.AND] : [Op.SUBW, Op.ADDW];
      const op = ops[(c >>> 5) & 3];
      return op === undefined ? illegal(d) : set(d, op, r, r, rs2, 0);
    }
  }
}

function decodeQ2(c: number, f3: number, d: Decoded): void {
  const rd = (c >>> 7) & 31;
  const rs2 = (c >>> 2) & 31;
  const bit12 = (c >>> 12) & 1;
  const spOff8 = ((c >>> 7) & 0x20) | ((c >>> 2) & 0x18) | ((c << 4) & 0x1c0);
  const spStore8 = ((c >>> 7) & 0x38) | ((c >>> 1) & 0x1c0);
  switch (f3) {
    case 0: return set(d, Op.SLLI, rd, rd, 0, (bit12 << 5) | rs2);
    case 1: return set(d, Op.FLD, rd, 2, 0, spOff8);
    case 2: {
      const imm = ((c >>> 7) & 0x20) | ((c >>> 2) & 0x1c) | ((c << 4) & 0xc0);
      return rd === 0 ? illegal(d) : set(d, Op.LW, rd, 2, 0, imm);
    }
    case 3: return rd === 0 ? illegal(d) : set(d, Op.LD, rd, 2, 0, spOff8);
    case 4:
      if (bit12 === 0) {
        if (rs2 !== 0) return set(d, Op.ADD, rd, 0, rs2, 0); // c.mv
        return rd === 0 ? illegal(d) : set(d, Op.JALR, 0, rd, 0, 0); // c.jr
      }
      if (rs2 !== 0) return set(d, Op.ADD, rd, rd, rs2, 0); // c.add
      return rd === 0 ? set(d, Op.EBREAK, 0, 0, 0, 0) : set(d, Op.JALR, 1, rd, 0, 0); // c.ebreak, c.jalr
    case 5: return set(d, Op.FSD, 0, 2, rs2, spStore8);
    case 6: return set(d, Op.SW, 0, 2, rs2, ((c >>> 7) & 0x3c) | ((c >>> 1) & 0xc0));
    default: return set(d, Op.SD, 0, 2, rs2, spStore8);
  }
}
