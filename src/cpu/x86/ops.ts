// Operand access shared by the handlers: the ModRM operands at a given size, truncation.

import type { X86Cpu } from "./cpu.ts";
import type { Insn } from "./insn.ts";

/** v truncated to `size` bytes, sign-extended (the canonical form of values in handlers). */
export function trunc(size: number, v: bigint): bigint {
  switch (size) {
    case 8: return BigInt.asIntN(64, v);
    case 4: return BigInt.asIntN(32, v);
    case 2: return BigInt.asIntN(16, v);
    default: return BigInt.asIntN(8, v);
  }
}

/** v zero-extended from `size` bytes. */
export function zext(size: number, v: bigint): bigint {
  switch (size) {
    case 8: return BigInt.asUintN(64, v);
    case 4: return BigInt.asUintN(32, v);
    case 2: return BigInt.asUintN(16, v);
    default: return BigInt.asUintN(8, v);
  }
}

export function rdE(c: X86Cpu, d: Insn, size: number): bigint {
  return d.rm >= 0 ? c.getReg(d.rm, size) : c.rd(c.ea(d), size);
}

export function wrE(c: X86Cpu, d: Insn, size: number, v: bigint): void {
  if (d.rm >= 0) c.setReg(d.rm, size, v);
  else c.wr(c.ea(d), size, v);
}

/** The memory address of the rm operand, or -1 for a register (read-modify-write helpers). */
export function addrE(c: X86Cpu, d: Insn): number {
  return d.rm >= 0 ? -1 : c.ea(d);
}

export function rdAt(c: X86Cpu, d: Insn, a: number, size: number): bigint {
  return a < 0 ? c.getReg(d.rm, size) : c.rd(a, size);
}

export function wrAt(c: X86Cpu, d: Insn, a: number, size: number, v: bigint): void {
  if (a < 0) c.setReg(d.rm, size, v);
  else c.wr(a, size, v);
}
