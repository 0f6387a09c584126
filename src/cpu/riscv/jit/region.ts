// Region discovery for the block compiler: from a hot entry slot, the instructions of the same
// code page reachable by static control flow (fallthrough, branches, direct jumps), up to a size
// limit. Indirect jumps, jumps off the page and instructions the compiler leaves to the
// interpreter end a path.

import { SIZE_SHIFT, type CodePage } from "../codepage.ts";
import { Op } from "../opcodes.ts";

/** Most instructions in one compiled region. */
export const MAX_REGION = 200;

export interface Region {
  /** Slots of the region's instructions, ascending. */
  slots: number[];
  /** Slots where execution may enter (the entry, branch targets, return sites). */
  labels: Set<number>;
}

/** Whether the compiler hands this operation back to the interpreter. */
export function leavesToInterpreter(op: Op): boolean {
  switch (op) {
    case Op.UNDECODED: case Op.ILLEGAL: case Op.PAGE_END: case Op.CROSS_PAGE:
    case Op.ECALL: case Op.EBREAK: case Op.FENCE_I:
    case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
      return true;
    default:
      return false;
  }
}

function isBranch(op: Op): boolean {
  return op >= Op.BEQ && op <= Op.BGEU;
}

/** Finds the region reachable from `entry`; `word(i)` returns slot i's decoded word. */
export function discoverRegion(page: CodePage, entry: number, word: (i: number) => number): Region {
  const inRegion = new Set<number>();
  const labels = new Set<number>([entry]);
  const work = [entry];
  const slotCount = page.imm.length;
  while (work.length > 0 && inRegion.size < MAX_REGION) {
    let i = work.pop()!;
    while (i < slotCount && !inRegion.has(i) && inRegion.size < MAX_REGION) {
      const w = word(i);
      const op = (w & 0xff) as Op;
      if (leavesToInterpreter(op)) break;
      inRegion.add(i);
      const next = i + ((w >>> SIZE_SHIFT) >> 1);
      if (isBranch(op) || op === Op.JAL) {
        const t = i + (page.imm[i]! >> 1);
        if (t >= 0 && t < slotCount && page.base + 2 * t < page.end) {
          labels.add(t);
          work.push(t);
        }
        if (op === Op.JAL) {
          if (((w >>> 8) & 63) !== 32) addReturnSite(next);
          break;
        }
        labels.add(next);
        i = next;
        continue;
      }
      if (op === Op.JALR) {
        if (((w >>> 8) & 63) !== 32) addReturnSite(next);
        break;
      }
      i = next;
    }
  }
  return { slots: [...inRegion].sort((a, b) => a - b), labels: new Set([...labels].filter((l) => inRegion.has(l))) };

  // A call's fallthrough is where the callee returns to: an entry of its own.
  function addReturnSite(next: number): void {
    if (next < slotCount) {
      labels.add(next);
      work.push(next);
    }
  }
}
