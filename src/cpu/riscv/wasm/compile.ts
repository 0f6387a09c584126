// The translation tier: a hot region of one code page (found as the block compiler finds it,
// jit/region.ts) becomes a WebAssembly module, instantiated against physical memory.
//
// Its one function `run(slot, left, rf)` is a loop around a br_table on the entry slot: each
// label (an entry point) starts a block whose instructions follow in address order, so straight
// code falls through from label to label. A branch forward inside the region is a plain `br`
// out of the blocks before its label; a label whose own code branches back to it is a wasm
// `loop`; any other branch back sets `slot` and goes round the br_table. Returns and other
// indirect jumps to a label of the region go round it too, and leave (through $bad when the
// slot is in range but no label) only when the target is elsewhere.
// Guest registers are i64 locals, loaded from the register file `rf` at entry and stored back
// at the one shared exit, which also leaves the next pc and the remaining budget there. Each
// block takes its instruction count from the budget up front (it runs only if the budget covers
// all of it), and an exit in its middle hands back what did not retire: --max-insns stays exact.

import type { CodePage } from "../codepage.ts";
import { SIZE_SHIFT } from "../codepage.ts";
import { Op } from "../opcodes.ts";
import { discoverRegion } from "../jit/region.ts";
import type { RegionFn } from "../jit/compile.ts";
import { RF_LEFT, RF_PC, RF_PC64, RF_X } from "../regfile.ts";
import { buildModule, Code, I32, I64, W } from "./binary.ts";
import { BAIL, L_A, L_LEFT, L_RF, L_S, L_XPC, L_XST, L_XUN, MISS, regLocal, translate, type Ctx, type HelperHost } from "./translate.ts";
import { WA } from "../../../wasm/webassembly.ts";
import type { RegionTable } from "./chain.ts";
import { findGroups, MAX_GROUPS, type MemberOf } from "./memgroup.ts";

/** What a compiled region needs from its CPU. */
export interface WasmHost extends HelperHost {
  /** Byte offset of the register file in linear memory. */
  readonly rfBase: number;
  readonly pcOut: Float64Array;
  readonly leftOut: Int32Array;
  /** What a region that missed in the TLB leaves (RF_MISS). */
  readonly missAddr: BigInt64Array;
  readonly missKind: Int32Array;
  jpc: number;
  jleft: number;
  /** The TLB-fill import (Mmu.wasmFill). */
  fill(a: bigint, kind: number): number;
  readonly memory: unknown;
  readonly memoryPages: number;
  readonly tlbRead: number;
  readonly tlbWrite: number;
  readonly regions: RegionTable;
  /** Enters a region's function in the table, for as long as this CPU lives. */
  addRegion(f: unknown): number;
}

/** The region entered at `entry` as a function, with the slots it can be entered at; null if there is nothing to compile. */
export function compileWasmRegion(
  host: WasmHost,
  page: CodePage,
  entry: number,
  word: (i: number) => number,
): { fn: RegionFn; entries: number[] } | null {
  const region = discoverRegion(page, entry, word);
  if (region.slots.length === 0) return null;
  const { slots, labels } = region;
  const inRegion = new Set(slots);
  const size = (i: number) => (page.code[i]! >>> SIZE_SHIFT) >> 1; // in slots
  const op = (i: number) => (page.code[i]! & 0xff) as Op;
  const isTransfer = (o: Op) => o >= Op.JAL && o <= Op.BGEU;
  const isUnconditional = (o: Op) => o === Op.JAL || o === Op.JALR;
  const pcOf = (i: number) => page.base + 2 * i;

  // A successor that is not the next instruction laid out must be reached by a jump: label it.
  for (let k = 0; k < slots.length; k++) {
    const i = slots[k]!;
    const succ = i + size(i);
    if (!isUnconditional(op(i)) && inRegion.has(succ) && slots[k + 1] !== succ) labels.add(succ);
  }
  const order = slots.filter((i) => labels.has(i)); // labels in layout order
  const n = order.length;
  const helpers: (() => number)[] = [];
  const body = new Code();
  const labelIndex = new Map<number, number>(order.map((slot, j) => [slot, j]));
  const selfLoop = selfLoops();
  let k = -1; // index of the label whose code is being emitted
  let inner = 0; // 1 inside the `loop` of a self-looping label's code
  // Depths from label k's code (at nest 0): $self (when inner), blocks $b(k+1)..$b(n-1), the
  // dispatch loop $L, $bad, $exit.
  const toLoop = () => n - 1 - k + inner + x.nest;
  const toBad = () => n - k + inner + x.nest;
  const x: Ctx = {
    c: body,
    nest: 0,
    used: 0,
    written: 0,
    callFn: 0,
    tlbRead: host.tlbRead,
    tlbWrite: host.tlbWrite,
    exit(pc, unretired, stop = 0) {
      if (pc !== null) body.i64n(pc).set(L_XPC);
      body.i32(unretired).set(L_XUN);
      if (stop !== null) body.i32(stop).set(L_XST);
      body.br(toBad() + 1);
    },
    jump(target) {
      const t = (target - page.base) / 2;
      const j = labelIndex.get(t);
      if (j === undefined) this.exit(target, 0);
      else if (j === k && inner === 1) body.br(this.nest); // the next iteration of a self-loop
      else if (j > k) body.br(j - k - 1 + inner + this.nest); // forward: out of block $b(j), into label j's code
      else body.i32(t).set(L_S).br(toLoop());
    },
    jumpIndirect() {
      // L_XPC holds the target: a label of this region goes on through the dispatch, any other
      // address leaves (a slot in range that is no label takes br_table's way to $bad)
      body.get(L_XPC).i64n(pcOf(lo)).op(W.i64_sub).tee(L_A).i64n(2 * (hi - lo + 1)).op(W.i64_lt_u).open(W.if);
      this.nest++;
      body.get(L_A).op(W.i32_wrap_i64).i32(1).op(W.i32_shr_u).i32(lo).op(W.i32_add).set(L_S).br(toLoop());
      this.nest--;
      body.end();
      this.exit(null, 0);
    },
    helper(fn) {
      helpers.push(fn);
      return helpers.length - 1;
    },
  };

  // block $exit; block $bad; loop $L; block $b(n-1) ... block $b0; br_table on slot - first label
  const lo = order[0]!;
  const hi = order[n - 1]!;
  const targets = new Array<number>(hi - lo + 1).fill(n + 1); // not an entry: $bad
  order.forEach((slot, j) => (targets[slot - lo] = j));
  body.i64n(pcOf(lo)).get(L_S).i32(lo).op(W.i32_sub).i32(1).op(W.i32_shl).op(W.i64_extend_i32_s).op(W.i64_add).set(L_XPC);
  body.open(W.block).open(W.block).open(W.loop);
  for (let j = 0; j < n; j++) body.open(W.block);
  body.get(L_S).i32(lo).op(W.i32_sub).brTable(targets, n + 1);

  const groups = new Map<number, MemberOf>();
  for (let j = 0; j < n; j++) {
    const from = slots.indexOf(order[j]!);
    const to = j + 1 < n ? slots.indexOf(order[j + 1]!) : slots.length;
    for (const [slot, g] of findGroups(slots.slice(from, to), (i) => page.code[i]!, (i) => page.imm[i]!)) groups.set(slot, g);
  }

  let blockLen = 0;
  let inBlock = 0;
  for (let m = 0; m < slots.length; m++) {
    const i = slots[m]!;
    if (labels.has(i)) {
      if (inner === 1) body.end(); // of the previous label's self-loop
      body.end(); // of block $b(k+1): the code of label k+1 starts here
      k++;
      inner = selfLoop[k] ? 1 : 0;
      if (inner === 1) body.open(W.loop);
      blockLen = lengthFrom(m);
      inBlock = 0;
      body.get(L_LEFT).i32(blockLen).op(W.i32_lt_s).open(W.if);
      x.nest++;
      x.exit(pcOf(i), 0);
      x.nest--;
      body.end().get(L_LEFT).i32(blockLen).op(W.i32_sub).set(L_LEFT);
    }
    const ok = translate(x, { w: page.code[i]!, imm: page.imm[i]!, pc: pcOf(i), size: size(i) * 2, notRetired: blockLen - inBlock, fp: page.fp?.[i] ?? null, group: groups.get(i) }, host);
    if (!ok) return null;
    inBlock++;
    const succ = i + size(i);
    if (!isUnconditional(op(i)) && slots[m + 1] !== succ) {
      if (inRegion.has(succ)) x.jump(pcOf(succ));
      else x.exit(pcOf(succ), blockLen - inBlock);
    }
  }
  // the code of the last label always ends in a jump or an exit
  if (inner === 1) body.end();
  inner = 0;
  x.exit(null, 0, 0);
  body.end().end(); // loop $L, block $bad
  // $bad: an indirect jump to a slot of the region that is no entry; L_XPC holds its target
  body.i32(0).set(L_XUN).i32(0).set(L_XST);
  body.end(); // block $exit

  // epilogue: the written registers, the next pc and budget back to the register file
  const prologue = new Code();
  for (let r = 1; r < 32; r++) {
    if ((x.used & (1 << r)) !== 0) prologue.get(L_RF).mem(W.i64_load, 3, RF_X + 8 * r).set(regLocal(r));
  }
  for (let r = 1; r < 32; r++) {
    if ((x.written & (1 << r)) !== 0) body.get(L_RF).get(regLocal(r)).mem(W.i64_store, 3, RF_X + 8 * r);
  }
  body.get(L_RF).get(L_XPC).op(0xb9 as W /* f64.convert_i64_s */).mem(W.f64_store, 3, RF_PC);
  body.get(L_RF).get(L_XPC).mem(W.i64_store, 3, RF_PC64);
  body.get(L_RF).get(L_LEFT).get(L_XUN).op(W.i32_add).mem(W.i32_store, 2, RF_LEFT);
  body.get(L_XST);

  const bytes = buildModule({
    memoryPages: { min: host.memoryPages, max: host.memoryPages, shared: true },
    imports: [
      { module: "env", name: "call", params: [I32], results: [I32] },
    ],
    params: [I32, I32, I32],
    results: [I32],
    locals: [[34, I64], [5 + MAX_GROUPS, I32]],
    body: [prologue, body],
  });
  const mod = new WA.Module(bytes);
  const call = (h: number) => helpers[h]!();
  const inst = new WA.Instance(mod, { env: { call, mem: host.memory } });
  const index = host.addRegion(inst.exports.run);
  const dispatch = host.regions.dispatch;
  const rf = host.rfBase;
  const { pcOut, leftOut, missAddr, missKind } = host;
  // entered through the chaining loop, which goes on into further regions while it can
  const fn: RegionFn & { wasmIndex?: number } = (slot, left) => {
    const r = dispatch(index, slot, left, rf);
    host.jpc = pcOut[0]!;
    host.jleft = leftOut[0]!;
    if (r !== MISS) return r;
    // enter the page for next time; the interpreter does this access (and reports its fault)
    host.fill(missAddr[0]!, missKind[0]!);
    return BAIL;
  };
  fn.wasmIndex = index;
  return { fn, entries: order };

  // Per label (in layout order): whether its own code branches back to it, a loop that then
  // stays a wasm `loop` instead of going round the dispatch.
  function selfLoops(): boolean[] {
    const out = new Array<boolean>(n).fill(false);
    let j = -1;
    for (const i of slots) {
      if (labels.has(i)) j++;
      const o = op(i);
      if ((o === Op.JAL || (o >= Op.BEQ && o <= Op.BGEU)) && i + (page.imm[i]! >> 1) === order[j]) out[j] = true;
    }
    return out;
  }

  // Instructions from slots[m] to the end of its block (as jit/compile.ts counts them).
  function lengthFrom(m: number): number {
    let len = 0;
    for (let j = m; j < slots.length; j++) {
      const i = slots[j]!;
      if (j > m && labels.has(i)) break;
      len++;
      if (isTransfer(op(i))) break;
      if (slots[j + 1] !== i + size(i)) break;
    }
    return len;
  }
}
