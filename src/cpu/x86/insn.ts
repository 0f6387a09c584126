// One decoded instruction: what the decoder found, in the form the handlers read it. Decoded
// once per code address and kept in the page's CodePage until the page's code changes.

import type { X86Cpu } from "./cpu.ts";

/** Runs a decoded instruction; returns 0 to go on or an X86Stop. Faults throw mmu.FAULT. */
export type Handler = (c: X86Cpu, d: Insn) => number;

/** A row of the opcode table (table.ts). */
export interface Entry {
  /** Opcode bytes as written in the table, e.g. "0f af", "80 /0", "66 0f 6f", "50+r". */
  readonly code: string;
  readonly mnem: string;
  /** Operand specifiers: Eb Ev Gv Ib Iz Jb Vx Wx ... (see table.ts). */
  readonly ops: readonly string[];
  readonly fn: Handler;
  /** d64: default 64-bit operand size (push, pop, call); f64: always 64-bit (jcc, call rel). */
  readonly flags: string;
}

export const SEG_NONE = 0;
export const SEG_FS = 1;
export const SEG_GS = 2;

export class Insn {
  fn: Handler;
  ent: Entry | null = null;
  /** Guest address of the first byte, and of the next instruction. */
  addr = 0;
  next = 0;
  len = 0;
  bytes: Uint8Array = new Uint8Array(0);
  /** Operand size in bytes: 1 for byte forms, else 2/4/8 from 66/REX.W. */
  osz = 4;
  /** Address size in bytes (8, or 4 with 0x67). */
  asz = 8;
  /** ModRM.reg (with REX.R); byte registers without REX: 16..19 = ah, ch, dh, bh. */
  reg = 0;
  /** Register operand of ModRM.rm (same numbering as reg), or -1 for a memory operand. */
  rm = -1;
  /** Memory operand: base/index registers (-1 none), scale, displacement (absolute for rip-relative). */
  base = -1;
  index = -1;
  scale = 1;
  disp = 0;
  ripRel = false;
  seg = SEG_NONE;
  modrm = -1;
  imm = 0n;
  immN = 0;
  imm2 = 0;
  /** 0, or 0xf3 / 0xf2 for a rep/repe/repne prefix not used as a mandatory prefix. */
  rep = 0;
  lock = false;
  rex = 0;
  /** Opcode's last byte (condition codes, +r registers). */
  op = 0;
  /** 1 when a 66 operand-size prefix was present (and not consumed as a mandatory prefix). */
  p66 = 0;
  /** A copy with other register operands, made once by handlers that stage operands (mmx.ts). */
  aux: Insn | null = null;

  constructor(fn: Handler) {
    this.fn = fn;
  }
}
