// The memory slow paths of the interpreter: TLB misses, misaligned and page-crossing accesses,
// faults. Linux riscv emulates misaligned loads and stores for user space, so they work here,
// byte by byte, even across pages; a page-crossing access that faults reports the first byte
// of the bad page and leaves memory and registers unchanged.

import { ACCESS_READ, ACCESS_WRITE } from "../../mm/mm.ts";
import { TASK_SIZE } from "../../mm/mman.ts";
import type { RiscvCpu } from "./cpu.ts";
import { STORE_FAULT, STORE_HIT_CODE, STORE_OK } from "./mmu.ts";
import { Op } from "./opcodes.ts";

export const LOAD_FAULT = 0;
export const LOAD_DONE = 1;
export const LOAD_RETRY = 2;
export const STORE_RETRY = 3;

/** Access size - 1 per memory operation (also the alignment mask of the inline fast path). */
export const SIZE_MASK = new Uint8Array(Op.COUNT);
SIZE_MASK[Op.LB] = SIZE_MASK[Op.LBU] = SIZE_MASK[Op.SB] = 0;
SIZE_MASK[Op.LH] = SIZE_MASK[Op.LHU] = SIZE_MASK[Op.SH] = 1;
SIZE_MASK[Op.LW] = SIZE_MASK[Op.LWU] = SIZE_MASK[Op.SW] = SIZE_MASK[Op.FLW] = SIZE_MASK[Op.FSW] = 3;
SIZE_MASK[Op.LD] = SIZE_MASK[Op.SD] = SIZE_MASK[Op.FLD] = SIZE_MASK[Op.FSD] = 7;

/**
 * Loads what the inline path left out: LOAD_FAULT (details in cpu.mmu), LOAD_DONE, or
 * LOAD_RETRY after filling the TLB for an aligned access (most slow loads are just TLB misses).
 */
export function loadSlow(cpu: RiscvCpu, w: number, off: number): number {
  const op = w & 0xff;
  const mask = SIZE_MASK[op]!;
  const mmu = cpu.mmu;
  const r = (w >>> 13) & 62;
  const near = cpu.xi[r + 1]! * 4294967296 + (cpu.xi[r]! >>> 0) + off; // exact when in range
  if (near >= 0 && near < TASK_SIZE && (near & mask) === 0) {
    return mmu.translate(near, ACCESS_READ) < 0 ? LOAD_FAULT : LOAD_RETRY;
  }
  const a = mmu.effectiveAddr(cpu.regs[r >> 1]!, off, ACCESS_READ);
  if (a < 0 || !mmu.load(a, mask + 1)) return LOAD_FAULT;
  const v = mmu.val[0]!;
  const rd = (w >>> 8) & 63;
  switch (op) {
    case Op.LB: cpu.regs[rd] = BigInt.asIntN(8, v); break;
    case Op.LH: cpu.regs[rd] = BigInt.asIntN(16, v); break;
    case Op.LW: cpu.regs[rd] = BigInt.asIntN(32, v); break;
    case Op.FLW: cpu.fbits[rd & 31] = v | -0x1_0000_0000n; break;
    case Op.FLD: cpu.fbits[rd & 31] = v; break;
    default: cpu.regs[rd] = v; break; // zero-extended loads and LD
  }
  return LOAD_DONE;
}

/**
 * Stores what the inline path left out: STORE_FAULT, STORE_OK, STORE_HIT_CODE, or STORE_RETRY
 * after filling the write TLB for an aligned store to a page without decoded code.
 */
export function storeSlow(cpu: RiscvCpu, w: number, off: number): number {
  const op = w & 0xff;
  const mask = SIZE_MASK[op]!;
  const mmu = cpu.mmu;
  const r = (w >>> 13) & 62;
  const near = cpu.xi[r + 1]! * 4294967296 + (cpu.xi[r]! >>> 0) + off;
  let hitCode = false;
  if (near >= 0 && near < TASK_SIZE && (near & mask) === 0) {
    mmu.codeChanged = false;
    if (mmu.translate(near, ACCESS_WRITE) < 0) return STORE_FAULT;
    if (!mmu.codeChanged) return STORE_RETRY;
    hitCode = true; // the page held code (or its frame was copied): finish here, then revalidate
  }
  const a = mmu.effectiveAddr(cpu.regs[r >> 1]!, off, ACCESS_WRITE);
  if (a < 0) return STORE_FAULT;
  const rs2 = (w >>> 19) & 31;
  const v = op === Op.FSW || op === Op.FSD ? cpu.fbits[rs2]! : cpu.regs[rs2]!;
  const res = mmu.store(a, mask + 1, v);
  return res === STORE_OK && hitCode ? STORE_HIT_CODE : res;
}
