// Groups of loads or stores off one base register within a label's straight code, so that one
// TLB check serves all of them (glibc's memset and memcpy unroll eight stores off one pointer).
//
// The group's first access (its leader) checks that the whole span base+minOff .. base+maxEnd
// lies in one page that the TLB holds, aligned for every member; if so it keeps the span's host
// offset in a local and sets the group's bit in L_G, and each member then takes its host address
// from that local. Otherwise, or once anything may have changed a translation since (a helper
// call: an atomic's copy-on-write break under a group of loads), L_G is cleared and members
// probe one by one as before; a miss leaves the region (probe.ts), so no fill runs in between.
// A label's code is straight (branches only leave it), so whatever reaches a member has passed
// its leader in the same pass.

import { Op } from "../opcodes.ts";
import { LOAD_MASK, STORE_MASK } from "./probe.ts";

/** Most groups in one label's code: one bit of L_G and one host-offset local each. */
export const MAX_GROUPS = 30;
/** The widest span a group covers: wider ones would cross pages too often to pay. */
const MAX_SPAN = 1024;

export interface GroupCheck {
  minOff: number;
  /** Bytes from the lowest to the highest byte accessed, less one. */
  span: number;
  /** OR of the members' alignment masks: the span's start must be aligned to it. */
  mask: number;
}

/** A member's part in its group. */
export interface MemberOf {
  /** Which group (its bit in L_G and its host-offset local). */
  index: number;
  /** Its offset from the group's lowest. */
  delta: number;
  /** On the leader: the check to make before its own access. */
  leader: GroupCheck | null;
}

interface Access {
  slot: number;
  off: number;
  mask: number;
}

/** Group membership per slot, for the code of one label (slots in layout order). */
export function findGroups(slots: number[], wordOf: (i: number) => number, immOf: (i: number) => number): Map<number, MemberOf> {
  const out = new Map<number, MemberOf>();
  const open = new Map<number, Access[]>(); // key: rs1 * 2 + write
  let count = 0;
  const close = (key: number) => {
    const run = open.get(key);
    open.delete(key);
    if (run === undefined || run.length < 2 || count === MAX_GROUPS) return;
    let minOff = Infinity, maxEnd = -Infinity, mask = 0;
    for (const a of run) {
      minOff = Math.min(minOff, a.off);
      maxEnd = Math.max(maxEnd, a.off + a.mask);
      mask |= a.mask;
    }
    if (maxEnd - minOff > MAX_SPAN) return;
    // each member is aligned whenever the span's start is (masks are 2^k - 1)
    if (run.some((a) => (a.off - minOff) % (a.mask + 1) !== 0)) return;
    const index = count++;
    run.forEach((a, k) => out.set(a.slot, { index, delta: a.off - minOff, leader: k === 0 ? { minOff, span: maxEnd - minOff, mask } : null }));
  };
  const closeBase = (r: number) => {
    close(r * 2);
    close(r * 2 + 1);
  };
  for (const i of slots) {
    const w = wordOf(i);
    const op = (w & 0xff) as Op;
    const rd = (w >>> 8) & 63;
    const rs1 = (w >>> 14) & 31;
    const lm = LOAD_MASK[op];
    const sm = STORE_MASK[op];
    if (lm !== undefined || sm !== undefined) {
      const key = rs1 * 2 + (sm !== undefined ? 1 : 0);
      let run = open.get(key);
      if (run === undefined) open.set(key, (run = []));
      run.push({ slot: i, off: immOf(i), mask: (lm ?? sm)! });
      // an integer load ends the groups off the register it writes (its own base too, after it)
      if (lm !== undefined && op !== Op.FLW && op !== Op.FLD && rd > 0 && rd < 32) closeBase(rd);
      continue;
    }
    if (usesHelper(op)) {
      for (const key of [...open.keys()]) close(key);
      continue;
    }
    if (rd > 0 && rd < 32) closeBase(rd);
  }
  for (const key of [...open.keys()]) close(key);
  return out;
}

// Operations whose translation calls into JavaScript (which clears L_G): the groups before
// them end there.
function usesHelper(op: Op): boolean {
  return op === Op.FP || op === Op.MULH || op === Op.MULHSU || op === Op.MULHU || (op >= Op.LR_W && op <= Op.AMOMAXU_D) || op === Op.ORC_B || op === Op.REV8;
}
