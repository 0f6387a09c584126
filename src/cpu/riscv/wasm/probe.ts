// The inline TLB probe of a load or store (see tlb.ts for the tables): leaves the host offset
// of the access in L_H. A miss calls the fill import, which walks the page tables through the
// Mmu and enters the page; when it cannot (a fault, a misaligned access, a store to decoded
// code) the region exits before the instruction, and the interpreter's slow path re-runs it:
// the fault is then reported exactly as the interpreter reports it.

import { ACCESS_READ, ACCESS_WRITE } from "../../../mm/mm.ts";
import { Op } from "../opcodes.ts";
import { TLB_MASK } from "../mmu.ts";
import { W } from "./binary.ts";
import { BAIL, getReg, L_A, L_E, L_H, type Ctx, type Insn } from "./translate.ts";

export const LOAD_MASK: Partial<Record<Op, number>> = {
  [Op.LB]: 0, [Op.LBU]: 0, [Op.LH]: 1, [Op.LHU]: 1, [Op.LW]: 3, [Op.LWU]: 3, [Op.LD]: 7, [Op.FLW]: 3, [Op.FLD]: 7,
};
export const STORE_MASK: Partial<Record<Op, number>> = { [Op.SB]: 0, [Op.SH]: 1, [Op.SW]: 3, [Op.SD]: 7, [Op.FSW]: 3, [Op.FSD]: 7 };

export function emitProbe(x: Ctx, i: Insn, rs1: number, imm: number, mask: number, write: boolean): void {
  const c = x.c;
  const table = write ? x.tlbWrite : x.tlbRead;
  getReg(x, rs1);
  if (imm !== 0) c.i64(BigInt(imm)).op(W.i64_add);
  c.tee(L_A);
  // entry address: ((a >> 12) & TLB_MASK) * 16
  c.i64(12n).op(W.i64_shr_u).op(W.i32_wrap_i64).i32(TLB_MASK).op(W.i32_and).i32(4).op(W.i32_shl).tee(L_E);
  c.mem(W.i64_load, 3, table);
  c.get(L_A).i64(BigInt(-4096 | mask)).op(W.i64_and).op(W.i64_ne);
  c.open(W.if);
  x.nest++;
  c.get(L_A).i32((write ? ACCESS_WRITE : ACCESS_READ) | (mask << 1)).call(x.fillFn).tee(L_H).i32(0).op(W.i32_lt_s);
  c.open(W.if);
  x.nest++;
  x.exit(i.pc, i.notRetired, BAIL);
  x.nest--;
  c.end();
  c.op(W.else);
  c.get(L_E).mem(W.i32_load, 2, table + 8).get(L_A).op(W.i32_wrap_i64).i32(4095).op(W.i32_and).op(W.i32_add).set(L_H);
  x.nest--;
  c.end();
}
