// WebAssembly for one decoded instruction, for the translation tier. Guest registers are i64
// locals (x0 reads as a constant, writes to x0 are dropped); memory goes through the TLB probe
// of probe.ts; what has no inline form calls back into JavaScript through a helper (its operands
// spilled to the register file first, its result reloaded).
//
// Control leaves through the Ctx: exit() ends the region with a pc, the instructions not
// retired and a stop code; jump() continues at a guest address, inside the region if it can.

import type { FpOp } from "../fp/index.ts";
import { Op } from "../opcodes.ts";
import { Code, I64, W } from "./binary.ts";
import { emitProbe, LOAD_MASK, STORE_MASK } from "./probe.ts";
import { RF_F, RF_X } from "../regfile.ts";
import type { MemberOf } from "./memgroup.ts";

/** Locals of a region function (after its parameters s, left, rf). */
export const L_S = 0, L_LEFT = 1, L_RF = 2;
/** x1..x31 are locals 3..33. */
export const regLocal = (r: number) => 2 + r;
export const L_A = 34, L_T = 35, L_XPC = 36, L_H = 37, L_XUN = 38, L_XST = 39, L_E = 40;
/** The valid groups' bits and their host offsets (memgroup.ts): MAX_GROUPS i32s from L_HG. */
export const L_G = 41, L_HG = 42;

/** Return value of a region stopped before an instruction only the interpreter can run (jit/emit.ts's BAIL_OUT). */
export const BAIL = -1;
/** A helper's answer: the instruction changed decoded code (leave after it). */
export const CODE_CHANGED = -2;
/** Return value of a region stopped before a load or store that missed in the TLB (probe.ts). */
export const MISS = -3;

export interface Ctx {
  readonly c: Code;
  /** Blocks opened inside the current label's code (for branch depths). */
  nest: number;
  /** Registers read and written (bit r set): loaded at entry, stored at exit. */
  used: number;
  written: number;
  /**
   * Leaves the region for pc (null: already in L_XPC) with `unretired` instructions handed
   * back, returning `stop` (0 to go on; null: what L_XST holds).
   */
  exit(pc: number | null, unretired: number, stop?: number | null): void;
  /** Continues at guest address `target`. */
  jump(target: number): void;
  /** Continues at the address in L_XPC (a block's last instruction: nothing left unretired). */
  jumpIndirect(): void;
  /** Registers a JavaScript helper the code can call; its index. */
  helper(fn: () => number): number;
  /** The helper import's function index. */
  readonly callFn: number;
  readonly tlbRead: number;
  readonly tlbWrite: number;
}

/** What an instruction needs beyond its slot word. */
export interface Insn {
  w: number;
  imm: number;
  pc: number;
  size: number;
  /** This instruction and the rest of its block: what an exit before it hands back. */
  notRetired: number;
  fp: FpOp | null;
  /** Its TLB check shared with other accesses (memgroup.ts). */
  group?: MemberOf;
}

/** The JavaScript side helpers close over. */
export interface HelperHost {
  readonly regs: BigInt64Array;
  readonly xi: Int32Array;
  run(kind: "fp" | "atomic" | "bitmanip" | "mulh", op: Op, rd: number, rs1: number, rs2: number, imm: number, fp: FpOp | null): () => number;
}

const isSink = (rd: number) => rd === 0 || rd === 32;

export function getReg(x: Ctx, r: number): void {
  if (r === 0) x.c.i64(0n);
  else {
    x.used |= 1 << r;
    x.c.get(regLocal(r));
  }
}

/** Pops the i64 on the stack into rd (dropped for x0). */
export function setReg(x: Ctx, rd: number): void {
  if (isSink(rd)) x.c.op(W.drop);
  else {
    x.used |= 1 << rd;
    x.written |= 1 << rd;
    x.c.set(regLocal(rd));
  }
}

function bin(x: Ctx, rd: number, rs1: number, rs2: number, o: W): void {
  getReg(x, rs1);
  getReg(x, rs2);
  x.c.op(o);
  setReg(x, rd);
}

function binImm(x: Ctx, rd: number, rs1: number, imm: number, o: W): void {
  getReg(x, rs1);
  x.c.i64n(imm);
  x.c.op(o);
  setReg(x, rd);
}

/** rs as an i32 (its low word). */
function lo(x: Ctx, r: number): void {
  getReg(x, r);
  x.c.op(W.i32_wrap_i64);
}

/** A 32-bit operation on the low words, sign-extended into rd. */
function word(x: Ctx, rd: number, rs1: number, rs2: number | null, imm: number, o: W): void {
  lo(x, rs1);
  if (rs2 === null) x.c.i32(imm);
  else lo(x, rs2);
  x.c.op(o).op(W.i64_extend_i32_s);
  setReg(x, rd);
}

/** Emits instruction i; false when it has no translation (the region is not compiled). */
export function translate(x: Ctx, i: Insn, host: HelperHost): boolean {
  const w = i.w;
  const op = (w & 0xff) as Op;
  const rd = (w >>> 8) & 63;
  const rs1 = (w >>> 14) & 31;
  const rs2 = (w >>> 19) & 31;
  const imm = i.imm;
  const c = x.c;
  const next = i.pc + i.size;
  switch (op) {
    case Op.LUI: c.i64n(imm); setReg(x, rd); return true;
    case Op.AUIPC: c.i64n(i.pc + imm); setReg(x, rd); return true;
    case Op.JAL: c.i64n(next); setReg(x, rd); x.jump(i.pc + imm); return true;
    case Op.JALR:
      getReg(x, rs1);
      c.i64n(imm).op(W.i64_add).i64(-2n).op(W.i64_and).set(L_XPC);
      c.i64n(next);
      setReg(x, rd);
      if (i.notRetired === 1) x.jumpIndirect();
      else x.exit(null, i.notRetired - 1);
      return true;
    case Op.BEQ: return branch(x, i, rs1, rs2, W.i64_eq);
    case Op.BNE: return branch(x, i, rs1, rs2, W.i64_ne);
    case Op.BLT: return branch(x, i, rs1, rs2, W.i64_lt_s);
    case Op.BGE: return branch(x, i, rs1, rs2, W.i64_ge_s);
    case Op.BLTU: return branch(x, i, rs1, rs2, W.i64_lt_u);
    case Op.BGEU: return branch(x, i, rs1, rs2, W.i64_ge_u);

    case Op.LB: case Op.LBU: case Op.LH: case Op.LHU: case Op.LW: case Op.LWU: case Op.LD:
    case Op.FLW: case Op.FLD:
      return load(x, i, op, rd, rs1, imm);
    case Op.SB: case Op.SH: case Op.SW: case Op.SD: case Op.FSW: case Op.FSD:
      return store(x, i, op, rs1, rs2, imm);

    case Op.ADDI: binImm(x, rd, rs1, imm, W.i64_add); return true;
    case Op.SLTI: getReg(x, rs1); c.i64n(imm).op(W.i64_lt_s).op(W.i64_extend_i32_u); setReg(x, rd); return true;
    case Op.SLTIU: getReg(x, rs1); c.i64n(imm).op(W.i64_lt_u).op(W.i64_extend_i32_u); setReg(x, rd); return true;
    case Op.XORI: binImm(x, rd, rs1, imm, W.i64_xor); return true;
    case Op.ORI: binImm(x, rd, rs1, imm, W.i64_or); return true;
    case Op.ANDI: binImm(x, rd, rs1, imm, W.i64_and); return true;
    case Op.SLLI: binImm(x, rd, rs1, imm, W.i64_shl); return true;
    case Op.SRLI: binImm(x, rd, rs1, imm, W.i64_shr_u); return true;
    case Op.SRAI: binImm(x, rd, rs1, imm, W.i64_shr_s); return true;
    case Op.ADD: bin(x, rd, rs1, rs2, W.i64_add); return true;
    case Op.SUB: bin(x, rd, rs1, rs2, W.i64_sub); return true;
    case Op.SLL: bin(x, rd, rs1, rs2, W.i64_shl); return true; // wasm shifts take the count mod 64, as riscv
    case Op.SLT: getReg(x, rs1); getReg(x, rs2); c.op(W.i64_lt_s).op(W.i64_extend_i32_u); setReg(x, rd); return true;
    case Op.SLTU: getReg(x, rs1); getReg(x, rs2); c.op(W.i64_lt_u).op(W.i64_extend_i32_u); setReg(x, rd); return true;
    case Op.XOR: bin(x, rd, rs1, rs2, W.i64_xor); return true;
    case Op.SRL: bin(x, rd, rs1, rs2, W.i64_shr_u); return true;
    case Op.SRA: bin(x, rd, rs1, rs2, W.i64_shr_s); return true;
    case Op.OR: bin(x, rd, rs1, rs2, W.i64_or); return true;
    case Op.AND: bin(x, rd, rs1, rs2, W.i64_and); return true;
    case Op.ADDIW: word(x, rd, rs1, null, imm, W.i32_add); return true;
    case Op.SLLIW: word(x, rd, rs1, null, imm, W.i32_shl); return true;
    case Op.SRLIW: word(x, rd, rs1, null, imm, W.i32_shr_u); return true;
    case Op.SRAIW: word(x, rd, rs1, null, imm, W.i32_shr_s); return true;
    case Op.ADDW: word(x, rd, rs1, rs2, 0, W.i32_add); return true;
    case Op.SUBW: word(x, rd, rs1, rs2, 0, W.i32_sub); return true;
    case Op.SLLW: word(x, rd, rs1, rs2, 0, W.i32_shl); return true;
    case Op.SRLW: word(x, rd, rs1, rs2, 0, W.i32_shr_u); return true;
    case Op.SRAW: word(x, rd, rs1, rs2, 0, W.i32_shr_s); return true;

    case Op.MUL: bin(x, rd, rs1, rs2, W.i64_mul); return true;
    case Op.MULW: word(x, rd, rs1, rs2, 0, W.i32_mul); return true;
    case Op.DIV: case Op.DIVU: case Op.REM: case Op.REMU:
      divide(x, rd, rs1, rs2, op);
      return true;
    case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW:
      divideWord(x, rd, rs1, rs2, op);
      return true;
    case Op.MULH: case Op.MULHSU: case Op.MULHU:
      if (!isSink(rd)) callHelper(x, i, host.run("mulh", op, rd, rs1, rs2, imm, null), [rs1, rs2], rd, false);
      return true;

    case Op.FENCE: return true;
    case Op.FP:
      callHelper(x, i, host.run("fp", op, rd, rs1, rs2, imm, i.fp), [rs1, rd], rd, true);
      return true;
    default:
      if (op >= Op.LR_W && op <= Op.AMOMAXU_D) {
        callHelper(x, i, host.run("atomic", op, rd, rs1, rs2, imm, null), [rs1, rs2, rd], rd, false);
        return true;
      }
      if (op >= Op.ADD_UW && op <= Op.BSETI) {
        if (isSink(rd)) return true;
        if (!bitmanip(x, op, rd, rs1, rs2, imm)) callHelper(x, i, host.run("bitmanip", op, rd, rs1, rs2, imm, null), [rs1, rs2], rd, false);
        return true;
      }
      return false;
  }
}

function branch(x: Ctx, i: Insn, rs1: number, rs2: number, cmp: W): boolean {
  getReg(x, rs1);
  getReg(x, rs2);
  x.c.op(cmp).open(W.if);
  x.nest++;
  x.jump(i.pc + i.imm);
  x.nest--;
  x.c.end();
  return true;
}

// riscv division never traps: by zero gives all ones (or the dividend for a remainder), and
// the one overflowing quotient is the dividend itself (its remainder 0, which wasm's rem_s gives).
function divide(x: Ctx, rd: number, rs1: number, rs2: number, op: Op): void {
  const c = x.c;
  const isRem = op === Op.REM || op === Op.REMU;
  getReg(x, rs2);
  c.op(W.i64_eqz).open(W.if, I64);
  if (isRem) getReg(x, rs1);
  else c.i64(-1n);
  c.op(W.else);
  if (op === Op.DIV) {
    getReg(x, rs2);
    c.i64(-1n).op(W.i64_eq).open(W.if, I64);
    c.i64(0n);
    getReg(x, rs1);
    c.op(W.i64_sub).op(W.else);
    getReg(x, rs1);
    getReg(x, rs2);
    c.op(W.i64_div_s).end();
  } else {
    getReg(x, rs1);
    getReg(x, rs2);
    c.op(op === Op.DIVU ? W.i64_div_u : op === Op.REM ? W.i64_rem_s : W.i64_rem_u);
  }
  c.end();
  setReg(x, rd);
}

function divideWord(x: Ctx, rd: number, rs1: number, rs2: number, op: Op): void {
  const c = x.c;
  const isRem = op === Op.REMW || op === Op.REMUW;
  lo(x, rs2);
  c.op(W.i32_eqz).open(W.if, 0x7f);
  if (isRem) lo(x, rs1);
  else c.i32(-1);
  c.op(W.else);
  if (op === Op.DIVW) {
    lo(x, rs2);
    c.i32(-1).op(W.i32_eq).open(W.if, 0x7f);
    c.i32(0);
    lo(x, rs1);
    c.op(W.i32_sub).op(W.else);
    lo(x, rs1);
    lo(x, rs2);
    c.op(W.i32_div_s).end();
  } else {
    lo(x, rs1);
    lo(x, rs2);
    c.op(op === Op.DIVUW ? W.i32_div_u : op === Op.REMW ? W.i32_rem_s : W.i32_rem_u);
  }
  c.end().op(W.i64_extend_i32_s);
  setReg(x, rd);
}

/** The Zb* operations with a short wasm form; false for the others (they take the helper). */
function bitmanip(x: Ctx, op: Op, rd: number, rs1: number, rs2: number, imm: number): boolean {
  const c = x.c;
  const zext = (r: number) => {
    lo(x, r);
    c.op(W.i64_extend_i32_u);
  };
  const shAdd = (n: number, uw: boolean) => {
    if (uw) zext(rs1);
    else getReg(x, rs1);
    c.i64n(n).op(W.i64_shl);
    getReg(x, rs2);
    c.op(W.i64_add);
  };
  const minmax = (cmp: W) => {
    getReg(x, rs1);
    getReg(x, rs2);
    getReg(x, rs1);
    getReg(x, rs2);
    c.op(cmp).op(W.select);
  };
  const bit = (fromReg: boolean) => {
    c.i64(1n);
    if (fromReg) getReg(x, rs2);
    else c.i64n(imm);
    c.op(W.i64_shl);
  };
  switch (op) {
    case Op.ADD_UW: zext(rs1); getReg(x, rs2); c.op(W.i64_add); break;
    case Op.SH1ADD: shAdd(1, false); break;
    case Op.SH2ADD: shAdd(2, false); break;
    case Op.SH3ADD: shAdd(3, false); break;
    case Op.SH1ADD_UW: shAdd(1, true); break;
    case Op.SH2ADD_UW: shAdd(2, true); break;
    case Op.SH3ADD_UW: shAdd(3, true); break;
    case Op.SLLI_UW: zext(rs1); c.i64n(imm).op(W.i64_shl); break;
    case Op.ANDN: getReg(x, rs1); getReg(x, rs2); c.i64(-1n).op(W.i64_xor).op(W.i64_and); break;
    case Op.ORN: getReg(x, rs1); getReg(x, rs2); c.i64(-1n).op(W.i64_xor).op(W.i64_or); break;
    case Op.XNOR: getReg(x, rs1); getReg(x, rs2); c.op(W.i64_xor).i64(-1n).op(W.i64_xor); break;
    case Op.CLZ: getReg(x, rs1); c.op(W.i64_clz); break;
    case Op.CTZ: getReg(x, rs1); c.op(W.i64_ctz); break;
    case Op.CPOP: getReg(x, rs1); c.op(W.i64_popcnt); break;
    case Op.CLZW: lo(x, rs1); c.op(W.i32_clz).op(W.i64_extend_i32_u); break;
    case Op.CTZW: lo(x, rs1); c.op(W.i32_ctz).op(W.i64_extend_i32_u); break;
    case Op.CPOPW: lo(x, rs1); c.op(W.i32_popcnt).op(W.i64_extend_i32_u); break;
    case Op.MAX: minmax(W.i64_gt_s); break;
    case Op.MIN: minmax(W.i64_lt_s); break;
    case Op.MAXU: minmax(W.i64_gt_u); break;
    case Op.MINU: minmax(W.i64_lt_u); break;
    case Op.SEXT_B: getReg(x, rs1); c.op(W.i64_extend8_s); break;
    case Op.SEXT_H: getReg(x, rs1); c.op(W.i64_extend16_s); break;
    case Op.ZEXT_H: getReg(x, rs1); c.i64(0xffffn).op(W.i64_and); break;
    case Op.ROL: getReg(x, rs1); getReg(x, rs2); c.op(W.i64_rotl); break;
    case Op.ROR: getReg(x, rs1); getReg(x, rs2); c.op(W.i64_rotr); break;
    case Op.RORI: getReg(x, rs1); c.i64n(imm).op(W.i64_rotr); break;
    case Op.ROLW: lo(x, rs1); lo(x, rs2); c.op(W.i32_rotl).op(W.i64_extend_i32_s); break;
    case Op.RORW: lo(x, rs1); lo(x, rs2); c.op(W.i32_rotr).op(W.i64_extend_i32_s); break;
    case Op.RORIW: lo(x, rs1); c.i32(imm).op(W.i32_rotr).op(W.i64_extend_i32_s); break;
    case Op.BCLR: case Op.BCLRI: getReg(x, rs1); bit(op === Op.BCLR); c.i64(-1n).op(W.i64_xor).op(W.i64_and); break;
    case Op.BSET: case Op.BSETI: getReg(x, rs1); bit(op === Op.BSET); c.op(W.i64_or); break;
    case Op.BINV: case Op.BINVI: getReg(x, rs1); bit(op === Op.BINV); c.op(W.i64_xor); break;
    case Op.BEXT: getReg(x, rs1); getReg(x, rs2); c.op(W.i64_shr_u).i64(1n).op(W.i64_and); break;
    case Op.BEXTI: getReg(x, rs1); c.i64n(imm).op(W.i64_shr_u).i64(1n).op(W.i64_and); break;
    default: return false; // ORC_B, REV8
  }
  setReg(x, rd);
  return true;
}

// Calls helper fn with `spill` stored to the register file and `reload` read back after. A
// helper answers 0 (go on), CODE_CHANGED, BAIL (the interpreter re-runs the instruction, which
// changed nothing), or a StopReason. `fp`: the helper may write x0 in the file, which must stay 0.
function callHelper(x: Ctx, i: Insn, fn: () => number, spill: number[], reload: number, fp: boolean): void {
  const c = x.c;
  for (const r of new Set(spill)) {
    if (isSink(r)) continue;
    // the local is authoritative wherever the region may have written it (maybe later in the
    // layout, earlier at run time): always store, and so always load at entry
    x.used |= 1 << r;
    c.get(L_RF).get(regLocal(r)).mem(W.i64_store, 3, RF_X + 8 * r);
  }
  c.i32(x.helper(fn)).call(x.callFn).tee(L_XST);
  c.i32(0).set(L_G); // JavaScript may have moved pages (an atomic's copy-on-write)
  c.open(W.if);
  x.nest++;
  c.get(L_XST).i32(CODE_CHANGED).op(W.i32_eq).open(W.if);
  x.nest++;
  reloadReg(x, reload);
  x.exit(i.pc + i.size, i.notRetired - 1);
  x.nest--;
  c.end();
  x.exit(i.pc, i.notRetired, null); // BAIL or a StopReason, as the helper answered
  x.nest--;
  c.end();
  if (fp) c.get(L_RF).i64(0n).mem(W.i64_store, 3, RF_X);
  reloadReg(x, reload);
}

function reloadReg(x: Ctx, r: number): void {
  if (isSink(r)) return;
  x.c.get(L_RF).mem(W.i64_load, 3, RF_X + 8 * r);
  setReg(x, r);
}

function load(x: Ctx, i: Insn, op: Op, rd: number, rs1: number, imm: number): boolean {
  const c = x.c;
  emitProbe(x, i, rs1, imm, LOAD_MASK[op]!, false);
  const fd = RF_F + 8 * (rd & 31);
  switch (op) {
    case Op.LD: c.get(L_H).mem(W.i64_load, 3); break;
    case Op.LW: c.get(L_H).mem(W.i64_load32_s, 2); break;
    case Op.LWU: c.get(L_H).mem(W.i64_load32_u, 2); break;
    case Op.LH: c.get(L_H).mem(W.i64_load16_s, 1); break;
    case Op.LHU: c.get(L_H).mem(W.i64_load16_u, 1); break;
    case Op.LB: c.get(L_H).mem(W.i64_load8_s, 0); break;
    case Op.LBU: c.get(L_H).mem(W.i64_load8_u, 0); break;
    case Op.FLD: c.get(L_RF).get(L_H).mem(W.i64_load, 3).mem(W.i64_store, 3, fd); return true;
    default: // FLW, NaN-boxed
      c.get(L_RF).get(L_H).mem(W.i64_load32_u, 2).i64(-0x1_0000_0000n).op(W.i64_or).mem(W.i64_store, 3, fd);
      return true;
  }
  setReg(x, rd);
  return true;
}

function store(x: Ctx, i: Insn, op: Op, rs1: number, rs2: number, imm: number): boolean {
  const c = x.c;
  emitProbe(x, i, rs1, imm, STORE_MASK[op]!, true);
  c.get(L_H);
  switch (op) {
    case Op.SD: getReg(x, rs2); c.mem(W.i64_store, 3); break;
    case Op.SW: getReg(x, rs2); c.mem(W.i64_store32, 2); break;
    case Op.SH: getReg(x, rs2); c.mem(W.i64_store16, 1); break;
    case Op.SB: getReg(x, rs2); c.mem(W.i64_store8, 0); break;
    case Op.FSD: c.get(L_RF).mem(W.i64_load, 3, RF_F + 8 * rs2).mem(W.i64_store, 3); break;
    default: c.get(L_RF).mem(W.i32_load, 2, RF_F + 8 * rs2).mem(W.i32_store, 2); break; // FSW
  }
  return true;
}
