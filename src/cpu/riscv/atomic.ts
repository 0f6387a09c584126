// The A extension: LR/SC with a single reservation, and the AMOs. Atomics must be naturally
// aligned; a misaligned one stops with Misaligned, as Linux sends SIGBUS for them (its
// misaligned-access emulation covers plain loads and stores only).

import { ACCESS_READ, ACCESS_WRITE } from "../../mm/mm.ts";
import { TASK_SIZE } from "../../mm/mman.ts";
import type { Mmu } from "./mmu.ts";
import { Op } from "./opcodes.ts";
import { BUS_ADRALN, StopReason } from "./stop.ts";

const TASK_SIZE_N = BigInt(TASK_SIZE);

export interface AtomicState {
  readonly regs: BigInt64Array;
  readonly xi: Int32Array;
  readonly mmu: Mmu;
  /** Reserved address of the last LR, or -1. */
  resAddr: number;
  resSize: number;
}

/** Executes an LR, SC or AMO; returns 0, or the StopReason of a fault (details in the mmu). */
export function atomic(st: AtomicState, op: Op, rd: number, rs1: number, rs2: number): number {
  const wide = op === Op.LR_D || op === Op.SC_D || (op >= Op.AMOSWAP_D && op <= Op.AMOMAXU_D);
  const size = wide ? 8 : 4;
  const isLoad = op === Op.LR_W || op === Op.LR_D;
  const access = isLoad ? ACCESS_READ : ACCESS_WRITE;
  const A = BigInt.asUintN(64, st.regs[rs1]!);
  if ((A & BigInt(size - 1)) !== 0n) {
    st.mmu.fault(A, access, BUS_ADRALN);
    return StopReason.Misaligned;
  }
  if (A >= TASK_SIZE_N) {
    st.mmu.fault(A, access, 1 /* SEGV_MAPERR */);
    return StopReason.Fault;
  }
  const a = Number(A);
  if (op === Op.SC_W || op === Op.SC_D) return storeConditional(st, a, size, rd, rs2);
  const h = st.mmu.translate(a, access);
  if (h < 0) return StopReason.Fault;
  if (isLoad) {
    st.resAddr = a;
    st.resSize = size;
  }
  if (wide) amo64(st, op, h, rd, rs2);
  else amo32(st, op, h, rd, rs2);
  return 0;
}

function storeConditional(st: AtomicState, a: number, size: number, rd: number, rs2: number): number {
  const reserved = st.resAddr === a && st.resSize === size;
  st.resAddr = -1;
  if (!reserved) {
    st.regs[rd] = 1n;
    return 0;
  }
  const h = st.mmu.translate(a, ACCESS_WRITE);
  if (h < 0) return StopReason.Fault;
  const phys = st.mmu.phys;
  if (size === 8) phys.i64[h >> 3] = st.regs[rs2]!;
  else phys.i32[h >> 2] = st.xi[rs2 * 2]!;
  st.regs[rd] = 0n;
  return 0;
}

function amo32(st: AtomicState, op: Op, h: number, rd: number, rs2: number): void {
  const mem = st.mmu.phys.i32;
  const i = h >> 2;
  const old = mem[i]!;
  const src = st.xi[rs2 * 2]!;
  switch (op) {
    case Op.LR_W: break;
    case Op.AMOSWAP_W: mem[i] = src; break;
    case Op.AMOADD_W: mem[i] = (old + src) | 0; break;
    case Op.AMOXOR_W: mem[i] = old ^ src; break;
    case Op.AMOAND_W: mem[i] = old & src; break;
    case Op.AMOOR_W: mem[i] = old | src; break;
    case Op.AMOMIN_W: mem[i] = old < src ? old : src; break;
    case Op.AMOMAX_W: mem[i] = old > src ? old : src; break;
    case Op.AMOMINU_W: mem[i] = old >>> 0 < src >>> 0 ? old : src; break;
    default: mem[i] = old >>> 0 > src >>> 0 ? old : src; break; // AMOMAXU_W
  }
  st.regs[rd] = BigInt(old);
}

function amo64(st: AtomicState, op: Op, h: number, rd: number, rs2: number): void {
  const mem = st.mmu.phys.i64;
  const i = h >> 3;
  const old = mem[i]!;
  const src = st.regs[rs2]!;
  switch (op) {
    case Op.LR_D: break;
    case Op.AMOSWAP_D: mem[i] = src; break;
    case Op.AMOADD_D: mem[i] = BigInt.asIntN(64, old + src); break;
    case Op.AMOXOR_D: mem[i] = old ^ src; break;
    case Op.AMOAND_D: mem[i] = old & src; break;
    case Op.AMOOR_D: mem[i] = old | src; break;
    case Op.AMOMIN_D: mem[i] = old < src ? old : src; break;
    case Op.AMOMAX_D: mem[i] = old > src ? old : src; break;
    case Op.AMOMINU_D: mem[i] = BigInt.asUintN(64, old) < BigInt.asUintN(64, src) ? old : src; break;
    default: mem[i] = BigInt.asUintN(64, old) > BigInt.asUintN(64, src) ? old : src; break; // AMOMAXU_D
  }
  st.regs[rd] = old;
}
