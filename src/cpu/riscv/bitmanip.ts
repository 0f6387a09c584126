// Zba, Zbb and Zbs executors (less frequent than the base ISA, so kept out of the main switch),
// and the unsigned compare on register halves that branches share.

import * as alu from "./alu.ts";
import { Op } from "./opcodes.ts";

/** Unsigned 64-bit a < b on register halves (indices are 2 * register number). */
export function ltu(xi: Int32Array, a: number, b: number): boolean {
  const ha = xi[a + 1]! >>> 0;
  const hb = xi[b + 1]! >>> 0;
  return ha < hb || (ha === hb && xi[a]! >>> 0 < xi[b]! >>> 0);
}

/** Unsigned 64-bit a < sign-extended imm on register halves (a is 2 * register number). */
export function ltuImm(xi: Int32Array, a: number, imm: number): boolean {
  const ha = xi[a + 1]! >>> 0;
  const hb = imm < 0 ? 0xffffffff : 0;
  return ha < hb || (ha === hb && xi[a]! >>> 0 < imm >>> 0);
}

/** Executes a Zba/Zbb/Zbs operation on the registers. */
export function bitmanip(
  regs: BigInt64Array,
  xi: Int32Array,
  op: number,
  rd: number,
  rs1: number,
  rs2: number,
  imm: number,
  immB: bigint,
): void {
  const a = regs[rs1]!;
  const b = regs[rs2]!;
  const lo = xi[rs1 * 2]!;
  const hi = xi[rs1 * 2 + 1]!;
  let v: bigint;
  switch (op) {
    case Op.ADD_UW: v = BigInt.asUintN(32, a) + b; break;
    case Op.SH1ADD: v = (a << 1n) + b; break;
    case Op.SH2ADD: v = (a << 2n) + b; break;
    case Op.SH3ADD: v = (a << 3n) + b; break;
    case Op.SH1ADD_UW: v = (BigInt.asUintN(32, a) << 1n) + b; break;
    case Op.SH2ADD_UW: v = (BigInt.asUintN(32, a) << 2n) + b; break;
    case Op.SH3ADD_UW: v = (BigInt.asUintN(32, a) << 3n) + b; break;
    case Op.SLLI_UW: v = BigInt.asUintN(32, a) * alu.POW2[imm]!; break;
    case Op.ANDN: v = a & ~b; break;
    case Op.ORN: v = a | ~b; break;
    case Op.XNOR: v = ~(a ^ b); break;
    case Op.CLZ: v = BigInt(alu.clz64(lo, hi)); break;
    case Op.CLZW: v = BigInt(Math.clz32(lo)); break;
    case Op.CTZ: v = BigInt(alu.ctz64(lo, hi)); break;
    case Op.CTZW: v = BigInt(alu.ctz32(lo)); break;
    case Op.CPOP: v = BigInt(alu.cpop32(lo) + alu.cpop32(hi)); break;
    case Op.CPOPW: v = BigInt(alu.cpop32(lo)); break;
    case Op.MAX: v = a > b ? a : b; break;
    case Op.MAXU: v = ltu(xi, rs2 * 2, rs1 * 2) ? a : b; break;
    case Op.MIN: v = a < b ? a : b; break;
    case Op.MINU: v = ltu(xi, rs1 * 2, rs2 * 2) ? a : b; break;
    case Op.SEXT_B: v = BigInt.asIntN(8, a); break;
    case Op.SEXT_H: v = BigInt.asIntN(16, a); break;
    case Op.ZEXT_H: v = BigInt.asUintN(16, a); break;
    case Op.ROL: v = alu.rol64(a, b & 63n); break;
    case Op.ROR: v = alu.ror64(a, b & 63n); break;
    case Op.RORI: v = alu.ror64(a, immB); break;
    case Op.ROLW: v = BigInt(alu.ror32(lo, (32 - (xi[rs2 * 2]! & 31)) & 31)); break;
    case Op.RORW: v = BigInt(alu.ror32(lo, xi[rs2 * 2]! & 31)); break;
    case Op.RORIW: v = BigInt(alu.ror32(lo, imm)); break;
    case Op.ORC_B: v = alu.join64(alu.orcb32(lo), alu.orcb32(hi)); break;
    case Op.REV8: v = alu.join64(alu.bswap32(hi), alu.bswap32(lo)); break;
    case Op.BCLR: v = a & ~alu.POW2[xi[rs2 * 2]! & 63]!; break;
    case Op.BCLRI: v = a & ~alu.POW2[imm]!; break;
    case Op.BSET: v = a | alu.POW2[xi[rs2 * 2]! & 63]!; break;
    case Op.BSETI: v = a | alu.POW2[imm]!; break;
    case Op.BINV: v = a ^ alu.POW2[xi[rs2 * 2]! & 63]!; break;
    case Op.BINVI: v = a ^ alu.POW2[imm]!; break;
    case Op.BEXT: v = BigInt(alu.bit64(xi, rs1 * 2, xi[rs2 * 2]! & 63)); break;
    case Op.BEXTI: v = BigInt(alu.bit64(xi, rs1 * 2, imm)); break;
    default: throw new Error(`sysemu: no executor for op ${op}`);
  }
  regs[rd] = BigInt.asIntN(64, v);
}
