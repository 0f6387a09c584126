// A two-level radix table from virtual page number to frame, sized for Sv39 user space
// (2^26 pages): 8192 directory slots of 8192-entry leaves, a leaf allocated on first use.
// Entries hold frame + 1 so that a fresh Int32Array reads as "nothing mapped".

import { TASK_PAGES } from "./mman.ts";
import { ZERO_FRAME } from "./physmem.ts";

const LEAF_BITS = 13;
const LEAF_SIZE = 1 << LEAF_BITS;
const LEAF_MASK = LEAF_SIZE - 1;
const DIR_SIZE = Math.ceil(TASK_PAGES / LEAF_SIZE);

export class PageTable {
  private readonly dir: (Int32Array | null)[] = new Array<Int32Array | null>(DIR_SIZE).fill(null);
  /** Pages mapped to a frame of their own (not the shared zero frame): the resident set. */
  resident = 0;

  /** Returns the frame mapped at `vpn`, or -1. */
  get(vpn: number): number {
    const leaf = this.dir[vpn >>> LEAF_BITS];
    return leaf ? leaf[vpn & LEAF_MASK]! - 1 : -1;
  }

  /** Maps `vpn` to `frame` (the caller manages reference counts). */
  set(vpn: number, frame: number): void {
    const d = vpn >>> LEAF_BITS;
    let leaf = this.dir[d];
    if (!leaf) leaf = this.dir[d] = new Int32Array(LEAF_SIZE);
    const i = vpn & LEAF_MASK;
    this.resident += (frame !== ZERO_FRAME ? 1 : 0) - (leaf[i]! > ZERO_FRAME + 1 ? 1 : 0);
    leaf[i] = frame + 1;
  }

  /** Unmaps `vpn`; returns the frame it held, or -1. */
  clear(vpn: number): number {
    const leaf = this.dir[vpn >>> LEAF_BITS];
    if (!leaf) return -1;
    const i = vpn & LEAF_MASK;
    const old = leaf[i]! - 1;
    if (old > ZERO_FRAME) this.resident--;
    leaf[i] = 0;
    return old;
  }

  /** Calls fn for each mapped page in [from, to), skipping empty leaves wholesale. */
  forEach(from: number, to: number, fn: (vpn: number, frame: number) => void): void {
    for (let vpn = from; vpn < to; ) {
      const leaf = this.dir[vpn >>> LEAF_BITS];
      const leafEnd = Math.min(to, ((vpn >>> LEAF_BITS) + 1) * LEAF_SIZE);
      if (leaf) {
        for (; vpn < leafEnd; vpn++) {
          const e = leaf[vpn & LEAF_MASK]!;
          if (e !== 0) fn(vpn, e - 1);
        }
      }
      vpn = leafEnd;
    }
  }
}

/** What MM needs of a page table. */
export interface PageTableLike {
  resident: number;
  get(vpn: number): number;
  set(vpn: number, frame: number): void;
  clear(vpn: number): number;
  forEach(from: number, to: number, fn: (vpn: number, frame: number) => void): void;
}

const MID_PAGES = DIR_SIZE * LEAF_SIZE;

/**
 * The same table for a 47-bit user space (x86-64's 2^35 pages): a top level of PageTables,
 * each covering the 2^26 pages of an Sv39 space, allocated on first use. Page numbers above
 * 2^32 are divided, not shifted.
 */
export class WidePageTable implements PageTableLike {
  private readonly top: (PageTable | null)[];

  constructor(pages: number) {
    this.top = new Array<PageTable | null>(Math.ceil(pages / MID_PAGES)).fill(null);
  }

  get resident(): number {
    let n = 0;
    for (const t of this.top) if (t) n += t.resident;
    return n;
  }
  set resident(_v: number) {
    throw new Error("WidePageTable.resident is derived");
  }

  get(vpn: number): number {
    const t = this.top[Math.floor(vpn / MID_PAGES)];
    return t ? t.get(vpn % MID_PAGES) : -1;
  }

  set(vpn: number, frame: number): void {
    const i = Math.floor(vpn / MID_PAGES);
    (this.top[i] ??= new PageTable()).set(vpn % MID_PAGES, frame);
  }

  clear(vpn: number): number {
    const t = this.top[Math.floor(vpn / MID_PAGES)];
    return t ? t.clear(vpn % MID_PAGES) : -1;
  }

  forEach(from: number, to: number, fn: (vpn: number, frame: number) => void): void {
    for (let i = Math.floor(from / MID_PAGES); i * MID_PAGES < to && i < this.top.length; i++) {
      const t = this.top[i];
      if (!t) continue;
      const base = i * MID_PAGES;
      t.forEach(Math.max(from, base) - base, Math.min(to, base + MID_PAGES) - base, (vpn, f) => fn(base + vpn, f));
    }
  }
}
