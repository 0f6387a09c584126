// The translation tier: a hot region of one code page (found as the block compiler finds it,
// jit/region.ts) becomes a WebAssembly module, instantiated against physical memory.
//
// Its one function `run(slot, left, rf)` is a loop around a br_table on the entry slot: each
// label (an entry point) starts a block whose instructions follow in address order, so straight
// code falls through from label to label, and a branch inside the region sets `slot` and loops.
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
import { L_LEFT, L_RF, L_S, L_XPC, L_XST, L_XUN, regLocal, translate, type Ctx, type HelperHost } from "./translate.ts";
import { WA } from "../../../wasm/webassembly.ts";
import type { RegionTable } from "./chain.ts";

/** What a compiled region needs from its CPU. */
export interface WasmHost extends HelperHost {
  /** Byte offset of the register file in linear memory. */
  readonly rfBase: number;
  readonly pcOut: Float64Array;
  readonly leftOut: Int32Array;
  jpc: number;
  jleft: number;
  /** The TLB-fill import (Mmu.wasmFill). */
  fill(a: bigint, kind: number): number;
  readonly memory: unknown;
  readonly memoryPages: number;
  readonly tlbRead: number;
  readonly tlbWrite: number;
  readonly regions: RegionTable;
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
  let k = -1; // index of the label whose code is being emitted
  const x: Ctx = {
    c: body,
    nest: 0,
    used: 0,
    written: 0,
    callFn: 0,
    fillFn: 1,
    tlbRead: host.tlbRead,
    tlbWrite: host.tlbWrite,
    exit(pc, unretired, stop = 0) {
      if (pc !== null) body.i64(BigInt(pc)).set(L_XPC);
      body.i32(unretired).set(L_XUN);
      if (stop !== null) body.i32(stop).set(L_XST);
      body.br(n - k + this.nest);
    },
    jump(target) {
      const t = (target - page.base) / 2;
      if (inRegion.has(t) && labels.has(t)) body.i32(t).set(L_S).br(n - 1 - k + this.nest);
      else this.exit(target, 0);
    },
    helper(fn) {
      helpers.push(fn);
      return helpers.length - 1;
    },
  };

  // block $exit; loop $L; block $b(n-1) ... block $b0; br_table on slot - first label
  const lo = order[0]!;
  const hi = order[n - 1]!;
  const targets = new Array<number>(hi - lo + 1).fill(n + 1); // not an entry: leave (see below)
  order.forEach((slot, j) => (targets[slot - lo] = j));
  body.open(W.block).open(W.loop);
  for (let j = 0; j < n; j++) body.open(W.block);
  body.get(L_S).i32(lo).op(W.i32_sub).brTable(targets, n + 1);

  let blockLen = 0;
  let inBlock = 0;
  for (let m = 0; m < slots.length; m++) {
    const i = slots[m]!;
    if (labels.has(i)) {
      body.end(); // of block $b(k+1): the code of label k+1 starts here
      k++;
      blockLen = lengthFrom(m);
      inBlock = 0;
      body.get(L_LEFT).i32(blockLen).op(W.i32_lt_s).open(W.if);
      x.nest++;
      x.exit(pcOf(i), 0);
      x.nest--;
      body.end().get(L_LEFT).i32(blockLen).op(W.i32_sub).set(L_LEFT);
    }
    const ok = translate(x, { w: page.code[i]!, imm: page.imm[i]!, pc: pcOf(i), size: size(i) * 2, notRetired: blockLen - inBlock, fp: page.fp?.[i] ?? null }, host);
    if (!ok) return null;
    inBlock++;
    const succ = i + size(i);
    if (!isUnconditional(op(i)) && slots[m + 1] !== succ) {
      if (inRegion.has(succ)) x.jump(pcOf(succ));
      else x.exit(pcOf(succ), blockLen - inBlock);
    }
  }
  // the code of the last label always ends in a jump or an exit; a bad slot lands here too
  x.exit(null, 0, 0);
  body.end().end(); // loop, block $exit

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
      { module: "env", name: "fill", params: [I64, I32], results: [I32] },
    ],
    params: [I32, I32, I32],
    results: [I32],
    locals: [[34, I64], [4, I32]],
    body: [prologue, body],
  });
  const mod = new WA.Module(bytes);
  const call = (h: number) => helpers[h]!();
  const inst = new WA.Instance(mod, { env: { call, fill: (a: bigint, kind: number) => host.fill(a, kind), mem: host.memory } });
  const index = host.regions.add(inst.exports.run);
  const dispatch = host.regions.dispatch;
  const rf = host.rfBase;
  const { pcOut, leftOut } = host;
  // entered through the chaining loop, which goes on into further regions while it can
  const fn: RegionFn & { wasmIndex?: number } = (slot, left) => {
    const r = dispatch(index, slot, left, rf);
    host.jpc = pcOut[0]!;
    host.jleft = leftOut[0]!;
    return r;
  };
  fn.wasmIndex = index;
  return { fn, entries: order };

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
