// Decoded instructions of one 4 KiB code page, filled lazily slot by slot (a slot per 2 bytes,
// since compressed instructions may start at any even address).
//
// A slot packs the operation and its registers into one int32 so that the interpreter fetches
// one word: op | rd << 8 | rs1 << 14 | rs2 << 19 | size << 24. The immediate sits beside it,
// as an int32 and (for ALU use, where BigInt arithmetic needs it) as a BigInt.
//
// A page remembers the frame and the frame's code generation it was decoded from; when the
// frame is written (self-modifying code) or freed, PhysMem bumps the generation and the page is
// dropped at the next lookup.
//
// The decoded slots depend only on the frame's bytes and the guest address they sit at, so every
// process that maps the same frame at the same address (a fork child, each run of the same static
// binary: its text is one set of page-cache frames) shares them. A shell script forks and execs
// hundreds of short processes, and each used to decode (and allocate 40 KiB for) every page of
// its text afresh. The heat counters stay a page's own, as do the compiled regions (they close
// over one CPU): shared heat made short processes compile regions they then left at once
// (15% more CPU on a fork-and-exec loop).

import { decode, newDecoded, type Decoded } from "./decode.ts";
import type { FpOp } from "./fp/index.ts";
import type { RegionFn } from "./jit/compile.ts";
import { Op } from "./opcodes.ts";

export const SLOTS = 2048;

/** Slot word fields */
export const RD_SHIFT = 8;
export const RS1_SHIFT = 14;
export const RS2_SHIFT = 19;
export const SIZE_SHIFT = 24;

export class CodePage {
  /** SLOTS entries plus a PAGE_END sentinel (and one more for a page of a single crossing insn). */
  readonly code: Int32Array;
  readonly imm: Int32Array;
  /** The immediate as a BigInt; for AUIPC the result (pc + imm), for JAL/JALR the link (pc + size). */
  readonly immB: BigInt64Array;
  /** FP operations by slot (sparse); shared with the pages decoded alike, so never replaced. */
  readonly fp: (FpOp | null)[];
  /** Raw instruction bits per slot, kept for SIGILL reports and the block compiler. */
  readonly raw: Int32Array;
  /** Execution counts of block entries (for the block compiler). */
  readonly heat: Uint16Array;
  /** Compiled regions by entry slot. */
  blocks: (RegionFn | undefined)[] | null = null;

  /**
   * @param base  guest address of the first byte
   * @param end   first guest address not served by this page
   * @param frame the frame decoded from (-1 for a transient page)
   * @param gen   the frame's code generation at decode time
   * @param like  a page decoded from the same frame, generation and address, whose slots to share
   */
  constructor(
    readonly base: number,
    readonly end: number,
    readonly frame: number,
    readonly gen: number,
    slots = SLOTS,
    like: DecodedSlots | null = null,
  ) {
    this.heat = new Uint16Array(slots);
    if (like !== null) {
      this.code = like.code;
      this.imm = like.imm;
      this.immB = like.immB;
      this.raw = like.raw;
      this.fp = like.fp;
      return;
    }
    // one backing store instead of four: each is an external allocation V8 accounts for in GC
    const buf = new ArrayBuffer(8 * slots + 4 * (slots + 2) + 4 * slots + 4 * slots);
    this.immB = new BigInt64Array(buf, 0, slots);
    this.code = new Int32Array(buf, 8 * slots, slots + 2);
    this.imm = new Int32Array(buf, 8 * slots + 4 * (slots + 2), slots);
    this.raw = new Int32Array(buf, 8 * slots + 4 * (slots + 2) + 4 * slots, slots);
    this.code[slots] = this.code[slots + 1] = Op.PAGE_END;
    this.fp = [];
  }

  /** Decodes the instruction `bits` into slot i and returns the slot word. */
  fill(i: number, bits: number, d: Decoded = scratch): number {
    decode(bits, d);
    return this.store(i, bits, d);
  }

  /** Marks slot i as a 32-bit instruction continuing on the next page. */
  fillCrossing(i: number, lowHalf: number): number {
    this.raw[i] = lowHalf;
    return (this.code[i] = Op.CROSS_PAGE | (4 << SIZE_SHIFT));
  }

  private store(i: number, bits: number, d: Decoded): number {
    this.raw[i] = d.size === 2 ? bits & 0xffff : bits;
    this.imm[i] = d.imm;
    // pc-relative values are constants of the slot: compute them once here, not per execution
    const pc = this.base + 2 * i;
    if (d.op === Op.AUIPC) this.immB[i] = BigInt(pc + d.imm);
    else if (d.op === Op.JAL || d.op === Op.JALR) this.immB[i] = BigInt(pc + d.size);
    else this.immB[i] = BigInt(d.imm);
    if (d.fp !== null) this.fp[i] = d.fp;
    const w = d.op | (d.rd << RD_SHIFT) | (d.rs1 << RS1_SHIFT) | (d.rs2 << RS2_SHIFT) | (d.size << SIZE_SHIFT);
    this.code[i] = w;
    return w;
  }
}

const scratch: Decoded = newDecoded();

/**
 * What pages of one frame, generation and address share: the decoded slots alone. Never a
 * CodePage, whose compiled regions hold on to their CPU (and through it to a whole process).
 */
interface DecodedSlots {
  readonly base: number;
  readonly gen: number;
  readonly code: Int32Array;
  readonly imm: Int32Array;
  readonly immB: BigInt64Array;
  readonly raw: Int32Array;
  readonly fp: (FpOp | null)[];
}

/** The last page decoded from each frame, per physical memory (frame numbers are its own). */
const decodedFrames = new WeakMap<object, Map<number, DecodedSlots>>();
/** Entries (40 KiB each) kept before the stale ones are swept. */
const SWEEP_AT = 2048;

/**
 * A page for guest addresses [base, base + 4 KiB) decoded from `frame` at generation `gen`,
 * sharing the decoded slots of an earlier page of the same frame, address and generation.
 */
export function codePageFor(phys: { codeGen: Int32Array }, base: number, frame: number, gen: number): CodePage {
  let byFrame = decodedFrames.get(phys);
  if (byFrame === undefined) decodedFrames.set(phys, (byFrame = new Map()));
  const last = byFrame.get(frame);
  const like = last !== undefined && last.base === base && last.gen === gen ? last : null;
  const page = new CodePage(base, base + SLOTS * 2, frame, gen, SLOTS, like);
  if (like === null) {
    // frames freed or rewritten since leave stale entries: drop them now and then, and all of
    // them if they are all current (a bound on the memory, not on correctness)
    if (byFrame.size >= SWEEP_AT && last === undefined) {
      for (const [f, p] of byFrame) if (p.gen !== phys.codeGen[f]) byFrame.delete(f);
      if (byFrame.size >= SWEEP_AT) byFrame.clear();
    }
    const { code, imm, immB, raw, fp } = page;
    byFrame.set(frame, { base, gen, code, imm, immB, raw, fp });
  }
  return page;
}
