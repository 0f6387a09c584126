// The inline TLB probe of a load or store (see tlb.ts for the tables): leaves the host offset
// of the access in L_H. A miss leaves the region before the instruction with its address and
// access kind in the register file (RF_MISS) and the answer MISS: the caller fills the TLB
// through the Mmu (compile.ts), and the interpreter runs the instruction, faulting exactly as it
// would. Region code then makes no calls on its memory paths, which spares TurboFan spilling
// every live register around them.

import { ACCESS_READ, ACCESS_WRITE } from "../../../mm/mm.ts";
import { Op } from "../opcodes.ts";
import { TLB_MASK } from "../mmu.ts";
import { W } from "./binary.ts";
import { getReg, L_A, L_E, L_G, L_H, L_HG, L_RF, MISS, type Ctx, type Insn } from "./translate.ts";
import { RF_MISS } from "../regfile.ts";
import type { GroupCheck } from "./memgroup.ts";

export const LOAD_MASK: Partial<Record<Op, number>> = {
  [Op.LB]: 0, [Op.LBU]: 0, [Op.LH]: 1, [Op.LHU]: 1, [Op.LW]: 3, [Op.LWU]: 3, [Op.LD]: 7, [Op.FLW]: 3, [Op.FLD]: 7,
};
export const STORE_MASK: Partial<Record<Op, number>> = { [Op.SB]: 0, [Op.SH]: 1, [Op.SW]: 3, [Op.SD]: 7, [Op.FSW]: 3, [Op.FSD]: 7 };

export function emitProbe(x: Ctx, i: Insn, rs1: number, imm: number, mask: number, write: boolean): void {
  const g = i.group;
  if (g === undefined) return probeOne(x, i, rs1, imm, mask, write);
  const c = x.c;
  const bit = 1 << g.index;
  if (g.leader !== null) groupCheck(x, rs1, g.leader, write, bit, L_HG + g.index);
  c.get(L_G).i32(bit).op(W.i32_and).open(W.if);
  x.nest++;
  c.get(L_HG + g.index);
  if (g.delta !== 0) c.i32(g.delta).op(W.i32_add);
  c.set(L_H);
  c.op(W.else);
  probeOne(x, i, rs1, imm, mask, write);
  x.nest--;
  c.end();
}

// The leader's check (memgroup.ts): the span in one page the TLB holds, its start aligned.
function groupCheck(x: Ctx, rs1: number, g: GroupCheck, write: boolean, bit: number, hg: number): void {
  const c = x.c;
  const table = write ? x.tlbWrite : x.tlbRead;
  getReg(x, rs1);
  if (g.minOff !== 0) c.i64n(g.minOff).op(W.i64_add);
  c.tee(L_A);
  c.i64(12n).op(W.i64_shr_u).op(W.i32_wrap_i64).i32(TLB_MASK).op(W.i32_and).i32(4).op(W.i32_shl).tee(L_E);
  c.mem(W.i64_load, 3, table);
  c.get(L_A).i64n(-4096 | g.mask).op(W.i64_and).op(W.i64_eq);
  c.get(L_A).op(W.i32_wrap_i64).i32(4095).op(W.i32_and).i32(4095 - g.span).op(W.i32_le_u).op(W.i32_and);
  c.open(W.if);
  c.get(L_E).mem(W.i32_load, 2, table + 8).get(L_A).op(W.i32_wrap_i64).i32(4095).op(W.i32_and).op(W.i32_add).set(hg);
  c.get(L_G).i32(bit).op(W.i32_or).set(L_G);
  c.op(W.else);
  c.get(L_G).i32(~bit).op(W.i32_and).set(L_G);
  c.end();
}

function probeOne(x: Ctx, i: Insn, rs1: number, imm: number, mask: number, write: boolean): void {
  const c = x.c;
  const table = write ? x.tlbWrite : x.tlbRead;
  getReg(x, rs1);
  if (imm !== 0) c.i64n(imm).op(W.i64_add);
  c.tee(L_A);
  // entry address: ((a >> 12) & TLB_MASK) * 16
  c.i64(12n).op(W.i64_shr_u).op(W.i32_wrap_i64).i32(TLB_MASK).op(W.i32_and).i32(4).op(W.i32_shl).tee(L_E);
  c.mem(W.i64_load, 3, table);
  c.get(L_A).i64n(-4096 | mask).op(W.i64_and).op(W.i64_ne);
  c.open(W.if);
  x.nest++;
  c.get(L_RF).get(L_A).mem(W.i64_store, 3, RF_MISS);
  c.get(L_RF).i32((write ? ACCESS_WRITE : ACCESS_READ) | (mask << 1)).mem(W.i32_store, 2, RF_MISS + 8);
  x.exit(i.pc, i.notRetired, MISS);
  c.op(W.else);
  c.get(L_E).mem(W.i32_load, 2, table + 8).get(L_A).op(W.i32_wrap_i64).i32(4095).op(W.i32_and).op(W.i32_add).set(L_H);
  x.nest--;
  c.end();
}
