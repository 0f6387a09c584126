// The block compiler: turns a hot region of one code page into a JavaScript function (via
// `new Function`), which TurboFan then compiles to machine code.
//
// The function is a `for (;;) switch (slot)` over the region's entry points. Instructions are
// laid out in address order, so straight-line code falls through from one case label to the
// next; branches inside the region set `slot` and loop; everything else returns to the
// interpreter with cpu.jpc / cpu.jleft set. Each label starts a block and takes the block's
// instruction count from the budget up front (a block runs only if the budget covers all of
// it); an exit in the middle hands back what did not retire, so instret stays exact.

import type { CodePage } from "../codepage.ts";
import { SIZE_SHIFT } from "../codepage.ts";
import type { FpOp } from "../fp/index.ts";
import { Op } from "../opcodes.ts";
import { emit, type InsnCtx } from "./emit.ts";
import { discoverRegion } from "./region.ts";

/** A compiled region: enter at a label slot with the instruction budget; returns 0 or a StopReason. */
export type RegionFn = (slot: number, left: number) => number;

/** What the generated code needs from the CPU. */
export interface JitHost {
  readonly regs: BigInt64Array;
  readonly xi: Int32Array;
  readonly fbits: BigInt64Array;
  readonly fi: Int32Array;
  jpc: number;
  jleft: number;
}

/** Views and helpers the generated code closes over. */
export interface JitEnv {
  mem: { u8: Uint8Array; i8: Int8Array; u16: Uint16Array; i16: Int16Array; i32: Int32Array; u32: Uint32Array; i64: BigInt64Array };
  tlb: { rtag: Float64Array; rbase: Int32Array; wtag: Float64Array; wbase: Int32Array };
  helpers: object;
}

const PARAMS = ["cpu", "regs", "xi", "fbits", "fi", "u8", "i8", "u16", "i16", "i32", "u32", "i64", "rtag", "rbase", "wtag", "wbase", "fp", "H"];

/** Compiles the region entered at `entry`: the function and the slots it can be entered at; null when there is nothing to compile. */
export function compileRegion(
  host: JitHost,
  env: JitEnv,
  page: CodePage,
  entry: number,
  word: (i: number) => number,
): { fn: RegionFn; entries: number[] } | null {
  const { u8, i8, u16, i16, i32, u32, i64 } = env.mem;
  const { rtag, rbase, wtag, wbase } = env.tlb;
  const bind = (c: Compiled) => c.factory(host, host.regs, host.xi, host.fbits, host.fi, u8, i8, u16, i16, i32, u32, i64, rtag, rbase, wtag, wbase, c.fpOps, env.helpers);
  const cache = page.frame >= 0 ? compiledFor(env.mem) : null;
  const key = `${page.frame}:${page.gen}:${page.base}:${entry}`;
  const hit = cache?.get(key);
  if (hit !== undefined) return { fn: bind(hit), entries: hit.entries };
  const c = generate(page, entry, word);
  if (c === null) return null;
  if (cache !== null) {
    if (cache.size >= MAX_KNOWN) cache.clear(); // stale generations pile up: start over now and then
    cache.set(key, c);
  }
  return { fn: bind(c), entries: c.entries };
}

/** A region's generated code, not yet bound to a CPU. */
interface Compiled {
  factory: (...args: unknown[]) => RegionFn;
  fpOps: (FpOp | null)[];
  entries: number[];
}

// The source of a region depends only on its page's decoded slots (the frame's bytes at one guest
// address), so processes running the same code (fork children, each run of one binary) share
// the generated factory and bind it to their own CPU: no discovery, code generation or parse, and
// V8 shares the function's bytecode.
const MAX_KNOWN = 4096; // of a few KiB of source each
const known = new WeakMap<object, Map<string, Compiled>>();
function compiledFor(mem: object): Map<string, Compiled> {
  let m = known.get(mem);
  if (m === undefined) known.set(mem, (m = new Map()));
  return m;
}

function generate(page: CodePage, entry: number, word: (i: number) => number): Compiled | null {
  const region = discoverRegion(page, entry, word);
  if (region.slots.length === 0) return null;
  const { slots, labels } = region;
  const inRegion = new Set(slots);
  const size = (i: number) => (page.code[i]! >>> SIZE_SHIFT) >> 1; // in slots
  const op = (i: number) => (page.code[i]! & 0xff) as Op;
  const isTransfer = (o: Op) => (o >= Op.JAL && o <= Op.BGEU);
  const isUnconditional = (o: Op) => o === Op.JAL || o === Op.JALR;

  // A successor that is not the next instruction laid out must be reached by a jump: label it.
  for (let k = 0; k < slots.length; k++) {
    const i = slots[k]!;
    const succ = i + size(i);
    if (!isUnconditional(op(i)) && inRegion.has(succ) && slots[k + 1] !== succ) labels.add(succ);
  }

  const fpOps: (FpOp | null)[] = [];
  let out = "";
  let blockLen = 0;
  let k = 0;
  const pcOf = (i: number) => page.base + 2 * i;
  // Exits only assign locals: one shared epilogue, run on every exit, does the rest.
  const exit = (pcExpr: string, unretired: number, stop = "0") =>
    `{ xpc = ${pcExpr};${unretired > 0 ? ` xun = ${unretired};` : ""}${stop !== "0" ? ` xst = ${stop};` : ""} break loop; }`;

  for (let n = 0; n < slots.length; n++) {
    const i = slots[n]!;
    if (labels.has(i)) {
      blockLen = lengthFrom(n);
      k = 0;
      out += `case ${i}: if (left < ${blockLen}) ${exit(String(pcOf(i)), 0)} left -= ${blockLen};\n`;
    }
    const ctx: InsnCtx = {
      w: page.code[i]!,
      imm: page.imm[i]!,
      pc: pcOf(i),
      size: size(i) * 2,
      exit,
      jump(target) {
        const t = (target - page.base) / 2;
        return inRegion.has(t) && labels.has(t) ? `{ s = ${t}; continue loop; }` : exit(String(target), 0);
      },
      fpIndex() {
        fpOps.push(page.fp?.[i] ?? null);
        return fpOps.length - 1;
      },
    };
    out += emit(ctx, k, blockLen) + "\n";
    k++;
    const succ = i + size(i);
    if (!isUnconditional(op(i)) && slots[n + 1] !== succ) {
      out += inRegion.has(succ) ? `s = ${succ}; continue loop;\n` : exit(String(pcOf(succ)), blockLen - k) + "\n";
    }
  }

  const name = `rv_${page.base.toString(16)}_${entry}`;
  const body =
    `"use strict"; return function ${name}(s, left) {\n` +
    `let a = 0, v = 0, e = 0, h = 0, xpc = 0, xun = 0, xst = 0;\n` +
    `loop: for (;;) { switch (s) {\n${out}default: ${exit(`${page.base} + 2 * s`, 0)} } }\n` +
    `cpu.jpc = xpc; cpu.jleft = left + xun; return xst; };`;
  const factory = new Function(...PARAMS, body) as (...args: unknown[]) => RegionFn;
  return { factory, fpOps, entries: [...labels] };

  // Instructions from slots[n] to the end of its block: through the next control transfer, up
  // to the next label, or up to where the laid-out code stops following the control flow.
  function lengthFrom(n: number): number {
    let len = 0;
    for (let j = n; j < slots.length; j++) {
      const i = slots[j]!;
      if (j > n && labels.has(i)) break;
      len++;
      if (isTransfer(op(i))) break;
      if (slots[j + 1] !== i + size(i)) break;
    }
    return len;
  }
}
