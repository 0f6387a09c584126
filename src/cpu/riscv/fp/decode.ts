// Decoding of the F and D instructions (OP-FP and the four fused multiply-add opcodes) into
// executor closures. Fields are extracted once here; the CPU caches the closure.

import { binaryD, binaryS, fmaOpD, fmaOpS, sqrtOpD, sqrtOpS } from "./exec-arith.ts";
import {
  compare, cvtDS, cvtFromInt, cvtSD, cvtToInt, fclass, minMax, moveFromX, moveToX, signInject,
} from "./exec-misc.ts";
import type { FpOp } from "./types.ts";

const OP_FP = 0x53;
const FMADD = 0x43;
const FMSUB = 0x47;
const FNMSUB = 0x4b;
const FNMADD = 0x4f;

/** True for a rounding-mode field value that can be encoded (5 and 6 are reserved). */
function validRm(rm: number): boolean {
  return rm <= 4 || rm === 7;
}

/** Decodes an F/D instruction into its executor, or null for an illegal encoding. */
export function decodeFp(insn: number): FpOp | null {
  const opcode = insn & 0x7f;
  const fmt = (insn >>> 25) & 3;
  if (fmt > 1) return null; // H and Q are not implemented
  const double = fmt === 1;
  const rd = (insn >>> 7) & 31;
  const rm = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  if (opcode === OP_FP) return decodeOpFp(insn >>> 27, double, rd, rm, rs1, rs2);
  if (!validRm(rm)) return null;
  const rs3 = insn >>> 27;
  const build = double ? fmaOpD : fmaOpS;
  switch (opcode) {
    case FMADD:
      return build(rd, rs1, rs2, rs3, rm, false, false);
    case FMSUB:
      return build(rd, rs1, rs2, rs3, rm, false, true);
    case FNMSUB:
      return build(rd, rs1, rs2, rs3, rm, true, false);
    case FNMADD:
      return build(rd, rs1, rs2, rs3, rm, true, true);
    default:
      return null;
  }
}

/** OP-FP, selected by funct5. */
function decodeOpFp(funct5: number, double: boolean, rd: number, rm: number, rs1: number, rs2: number): FpOp | null {
  switch (funct5) {
    case 0b00000:
    case 0b00001:
    case 0b00010:
    case 0b00011:
      if (!validRm(rm)) return null;
      return double ? binaryD(funct5, rd, rs1, rs2, rm) : binaryS(funct5, rd, rs1, rs2, rm);
    case 0b01011:
      if (rs2 !== 0 || !validRm(rm)) return null;
      return double ? sqrtOpD(rd, rs1, rm) : sqrtOpS(rd, rs1, rm);
    case 0b00100:
      return rm <= 2 ? signInject(double, rm, rd, rs1, rs2) : null;
    case 0b00101:
      return rm <= 1 ? minMax(double, rm === 1, rd, rs1, rs2) : null;
    case 0b01000: // fcvt.s.d (fmt S, rs2 = D) and fcvt.d.s (fmt D, rs2 = S)
      if (!validRm(rm) || rs2 !== (double ? 0 : 1)) return null;
      return double ? cvtDS(rd, rs1, rm) : cvtSD(rd, rs1, rm);
    case 0b10100:
      return rm <= 2 ? compare(double, rm, rd, rs1, rs2) : null;
    case 0b11000:
      if (rs2 > 3 || !validRm(rm)) return null;
      return cvtToInt(double, rs2, rd, rs1, rm);
    case 0b11010:
      if (rs2 > 3 || !validRm(rm)) return null;
      return cvtFromInt(double, rs2, rd, rs1, rm);
    case 0b11100:
      if (rs2 !== 0) return null;
      if (rm === 0) return moveToX(double, rd, rs1);
      return rm === 1 ? fclass(double, rd, rs1) : null;
    case 0b11110:
      return rs2 === 0 && rm === 0 ? moveFromX(double, rd, rs1) : null;
    default:
      return null;
  }
}
