// Region chaining inside WebAssembly: compiled regions sit in one funcref table, and a small
// dispatcher calls them in a loop. When a region exits normally with budget left for another,
// the dispatcher looks its next pc up in a jump cache in linear memory (pc -> table index and
// entry slot, with the frame and code generation of the page compiled from) and calls the next
// region at once, without the round trip through JavaScript that each exit otherwise costs. The
// cache holds what the interpreter's chaining cache holds (Mmu.rememberRegion) and is dropped
// with it; an entry whose page was written since (self-modifying code) fails the generation
// check against PhysMem.codeGen, which lives in the same memory.

import { MAX_REGION } from "../jit/region.ts";
import { JCACHE_MASK } from "../mmu.ts";
import { RF_LEFT, RF_PC64 } from "../regfile.ts";
import { buildModule, Code, I32, I64, W } from "./binary.ts";
import { WA } from "../../../wasm/webassembly.ts";

/** Bytes per jump-cache entry: pc tag (i64), table index, slot, frame, generation (i32s). */
export const JENTRY_BYTES = 32;

export type Dispatch = (fn: number, slot: number, left: number, rf: number) => number;

interface FuncTable {
  readonly length: number;
  grow(n: number): number;
  set(i: number, f: unknown): void;
}
const Table = (WA as unknown as { Table: new (d: { element: string; initial: number }) => FuncTable }).Table;

export class RegionTable {
  readonly table: FuncTable = new Table({ element: "anyfunc", initial: 1024 });
  readonly dispatch: Dispatch;
  private used = 0;
  /** Indices given back by CPUs that are gone, for the next regions. */
  private readonly free: number[] = [];

  constructor(memory: unknown, memoryPages: number, jcache: number, codeGenBase: number) {
    const bytes = dispatcherModule(memoryPages, jcache, codeGenBase);
    const inst = new WA.Instance(new WA.Module(bytes), { env: { mem: memory, tbl: this.table } });
    this.dispatch = inst.exports.run as Dispatch;
  }

  /** Entries holding a region now. */
  get inUse(): number {
    return this.used - this.free.length;
  }

  /** Enters a region's function; its index. */
  add(f: unknown): number {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.table.set(reused, f);
      return reused;
    }
    if (this.used === this.table.length) this.table.grow(this.table.length);
    this.table.set(this.used, f);
    return this.used++;
  }

  /**
   * Empties entry i for reuse. The table is shared by every CPU of the memory and held each
   * region's instance, hence its CPU and the CPU's whole process, for as long as sysemu ran: a
   * shell script's thousands of short processes ran the heap out (4 GB after ~15,000).
   */
  remove(i: number): void {
    this.table.set(i, null);
    this.free.push(i);
  }
}

function dispatcherModule(memoryPages: number, jc: number, codeGenBase: number): Uint8Array {
  const FN = 0, SLOT = 1, LEFT = 2, RF = 3, R = 4, PC = 5, E = 6;
  const c = new Code();
  const leave = (v: number | null) => {
    if (v === null) c.get(R);
    else c.i32(v);
    c.op(W.return);
  };
  c.open(W.loop);
  c.get(SLOT).get(LEFT).get(RF).get(FN).op(W.call_indirect).u(1 /* type: a region (after run's own) */).u(0);
  c.tee(R).open(W.if);
  leave(null);
  c.end();
  c.get(RF).mem(W.i32_load, 2, RF_LEFT).tee(LEFT).i32(MAX_REGION).op(W.i32_lt_s).open(W.if);
  leave(0);
  c.end();
  c.get(RF).mem(W.i64_load, 3, RF_PC64).tee(PC);
  c.i64(1n).op(W.i64_shr_u).op(W.i32_wrap_i64).i32(JCACHE_MASK).op(W.i32_and).i32(5).op(W.i32_shl).tee(E);
  c.mem(W.i64_load, 3, jc).get(PC).op(W.i64_ne).open(W.if);
  leave(0);
  c.end();
  c.get(E).mem(W.i32_load, 2, jc + 16).i32(2).op(W.i32_shl).mem(W.i32_load, 2, codeGenBase);
  c.get(E).mem(W.i32_load, 2, jc + 20).op(W.i32_ne).open(W.if);
  leave(0);
  c.end();
  c.get(E).mem(W.i32_load, 2, jc + 8).set(FN);
  c.get(E).mem(W.i32_load, 2, jc + 12).set(SLOT);
  c.br(0);
  c.end();
  c.i32(0);
  return buildModule({
    memoryPages: { min: memoryPages, max: memoryPages, shared: true },
    imports: [],
    table: true,
    params: [I32, I32, I32, I32],
    results: [I32],
    extraTypes: [[[I32, I32, I32], [I32]]],
    locals: [[1, I32], [1, I64], [1, I32]],
    body: [c],
  });
}
