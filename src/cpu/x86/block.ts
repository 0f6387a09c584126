// Basic blocks: a straight run of decoded instructions that ends at a control transfer (or at
// anything that may stop the CPU), decoded once and kept in the code page by start offset. The
// interpreter loop then finds one block per transfer instead of one instruction per step, and
// checks the page (self-modifying code, see mmu.ts) once per block rather than per instruction.
//
// A block never reaches past its page: the decoder reads through a source that refuses bytes
// of other pages, so building one never faults on, or maps, the next page. An instruction that
// itself crosses the page end is a block of its own, which remembers the next page's CodePage:
// its bytes there may change without this page's generation moving, and the CodePage object
// is replaced exactly when they do.

import { PAGE_SIZE } from "../../mm/mman.ts";
import { ud } from "./ctl.ts";
import * as C from "./ctl.ts";
import { type ByteSource, decodeAt } from "./decode.ts";
import type { Handler, Insn } from "./insn.ts";
import type { CodePage, Mmu } from "./mmu.ts";

/** The longest block: bounds the work redone when a block is entered with a smaller budget. */
export const MAX_BLOCK = 64;

/** A compiled block (jit.ts): runs the whole block; returns 0 or an X86Stop like a handler. */
export type BlockFn = (c: import("./cpu.ts").X86Cpu) => number;

export class Block {
  /** Times entered, for the compiler's hotness threshold. */
  hits = 0;
  fn: BlockFn | null = null;
  /** Compilation was tried and declined (or failed): do not try again. */
  noJit = false;
  constructor(
    readonly insns: Insn[],
    /** The page it was decoded from. */
    readonly page: CodePage,
    /** For an instruction across the page end: the page holding its last bytes. */
    readonly page2: CodePage | null = null,
  ) {}
}

// Handlers after which the next instruction is not simply the next one, or the CPU may stop.
const ENDS = new Set<Handler>([C.jcc, C.jmpRel, C.callRel, C.jmpE, C.callE, C.ret, C.loop, C.syscall, C.int3, C.gp, ud, C.xgetbv]);

/** Whether a block must end after d. */
export function endsBlock(d: Insn): boolean {
  return d.ent === null || ENDS.has(d.fn);
}

const OUTSIDE = { outside: true };

/** The bytes of one page, refusing the others (decodeAt passes our sentinel through). */
class PageBytes implements ByteSource {
  constructor(
    private readonly u8: Uint8Array,
    private readonly host: number,
    private readonly base: number,
  ) {}
  fetchByte(a: number): number {
    const off = a - this.base;
    if (off < 0 || off >= PAGE_SIZE) throw OUTSIDE;
    return this.u8[this.host + off]!;
  }
}

/**
 * The block starting at rip, decoding what the page has not decoded yet; null when its first
 * instruction crosses the page end (crossingBlock).
 */
export function buildBlock(page: CodePage, u8: Uint8Array, rip: number): Block | null {
  const src = new PageBytes(u8, page.frame * PAGE_SIZE, page.base);
  const insns: Insn[] = [];
  let at = rip;
  while (insns.length < MAX_BLOCK) {
    const off = at - page.base;
    if (off >= PAGE_SIZE) break;
    let d = page.insns[off];
    if (d === undefined) {
      try {
        d = decodeAt(src, at);
      } catch (e) {
        if (e !== OUTSIDE) throw e;
        break;
      }
      page.insns[off] = d;
    }
    insns.push(d);
    if (endsBlock(d)) break;
    at = d.next;
  }
  return insns.length === 0 ? null : new Block(insns, page);
}

/** The block of the single instruction at rip that crosses the end of page; throws FAULT. */
export function crossingBlock(mmu: Mmu, page: CodePage, rip: number): Block {
  const d = decodeAt(mmu, rip);
  return new Block([d], page, d.next - 1 >= page.base + PAGE_SIZE ? mmu.codePage(d.next - 1) : null);
}
