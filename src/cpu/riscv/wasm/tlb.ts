// The software TLB that WebAssembly-tier code probes, in linear memory (qemu softmmu style).
//
// Two direct-mapped tables, reads then writes, of TLB_SIZE 16-byte entries: an i64 tag, the
// page's guest address, and an i32 addend, the byte offset of its frame. A probe of an access
// of size 2^k at address a compares the tag with a & ~(4095 ^ (2^k - 1)): one compare rejects a
// miss, a misaligned access (whose low bits survive the mask) and an address past TASK_SIZE or
// negative (no tag is). Empty entries hold -1, which no such masked address equals.
//
// There is one table per physical memory, lent to the Mmu that ran last (`claim`): a CPU that
// takes it over flushes it, so entries never outlive the Mmu state they were copied from. The
// Mmu mirrors into it every invalidation of its own TLBs while it holds it.

import { PAGE_SIZE } from "../../../mm/mman.ts";
import type { PhysMem } from "../../../mm/physmem.ts";
import { JCACHE_MASK, JCACHE_SIZE, TLB_MASK, TLB_SIZE } from "../mmu.ts";
import { JENTRY_BYTES, RegionTable } from "./chain.ts";

export const ENTRY_BYTES = 16;
const TABLE_BYTES = TLB_SIZE * ENTRY_BYTES;
const JCACHE_BYTES = JCACHE_SIZE * JENTRY_BYTES;

export class WasmTlb {
  /** Byte offset of the read table in linear memory; the write table follows it. */
  readonly base: number;
  readonly wbase: number;
  private readonly tags: BigInt64Array;
  private readonly addends: Int32Array;
  /** The jump cache of compiled regions (see chain.ts), after the tables. */
  readonly jbase: number;
  private readonly jtags: BigInt64Array;
  private readonly jwords: Int32Array;
  /** The compiled regions' functions and the loop that chains them. */
  readonly regions: RegionTable;
  /** The Mmu whose translations the table holds now. */
  owner: object | null = null;

  constructor(phys: PhysMem) {
    const frames = phys.allocContiguous((2 * TABLE_BYTES + JCACHE_BYTES) / PAGE_SIZE);
    this.base = frames * PAGE_SIZE;
    this.wbase = this.base + TABLE_BYTES;
    this.jbase = this.base + 2 * TABLE_BYTES;
    this.tags = new BigInt64Array(phys.buffer, this.base, (2 * TABLE_BYTES) / 8);
    this.addends = new Int32Array(phys.buffer, this.base, (2 * TABLE_BYTES) / 4);
    this.jtags = new BigInt64Array(phys.buffer, this.jbase, JCACHE_BYTES / 8);
    this.jwords = new Int32Array(phys.buffer, this.jbase, JCACHE_BYTES / 4);
    this.regions = new RegionTable(phys.memory, phys.buffer.byteLength / 65536, this.jbase, phys.codeGenBase);
    this.flush();
  }

  /** Records that guest pc enters region `fn` (a table index) at `slot` of the page from frame@gen. */
  jset(pc: number, fn: number, slot: number, frame: number, gen: number): void {
    const e = (pc >> 1) & JCACHE_MASK;
    this.jtags[e * 4] = BigInt(pc);
    const w = e * 8;
    this.jwords[w + 2] = fn;
    this.jwords[w + 3] = slot;
    this.jwords[w + 4] = frame;
    this.jwords[w + 5] = gen;
  }

  /** Forgets every chaining entry. */
  jflush(): void {
    for (let e = 0; e < JCACHE_SIZE; e++) this.jtags[e * 4] = -1n;
  }

  /** Makes `mmu` the owner; true when it changed (the table was flushed). */
  claim(mmu: object): boolean {
    if (this.owner === mmu) return false;
    this.flush();
    this.owner = mmu;
    return true;
  }

  flush(): void {
    this.tags.fill(-1n);
    this.jflush();
  }

  flushWrites(): void {
    this.tags.fill(-1n, TLB_SIZE * 2);
  }

  /** Drops the entries of page vpn. */
  drop(vpn: number): void {
    const e = vpn & TLB_MASK;
    const tag = BigInt(vpn * PAGE_SIZE);
    if (this.tags[e * 2] === tag) this.tags[e * 2] = -1n;
    if (this.tags[(TLB_SIZE + e) * 2] === tag) this.tags[(TLB_SIZE + e) * 2] = -1n;
  }

  /** Drops the entries of pages [from, to). */
  dropRange(from: number, to: number): void {
    if (to - from >= TLB_SIZE) this.tags.fill(-1n);
    else for (let vpn = from; vpn < to; vpn++) this.drop(vpn);
  }

  /** Enters page vpn at frame offset `host` for reading, and for writing too when `write`. */
  set(vpn: number, host: number, write: boolean): void {
    const e = vpn & TLB_MASK;
    const tag = BigInt(vpn * PAGE_SIZE);
    this.tags[e * 2] = tag;
    this.addends[e * 4 + 2] = host;
    if (write) {
      const w = TLB_SIZE + e;
      this.tags[w * 2] = tag;
      this.addends[w * 4 + 2] = host;
    }
  }
}

const tables = new WeakMap<PhysMem, WasmTlb>();

/** The table of phys, made on first use (when the first region is compiled). */
export function wasmTlbOf(phys: PhysMem): WasmTlb {
  let t = tables.get(phys);
  if (t === undefined) {
    t = new WasmTlb(phys);
    tables.set(phys, t);
  }
  return t;
}
