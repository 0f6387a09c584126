// Virtual memory areas: the sorted, non-overlapping list of mappings of one address space
// (Linux keeps them in a maple tree; a sorted array with binary search is plenty here).

import type { AddressSpace, MappingUser } from "./filemap.ts";
import { MAP_ANONYMOUS, PAGE_SIZE } from "./mman.ts";

export interface Vma {
  start: number;
  end: number;
  /** PROT_READ | PROT_WRITE | PROT_EXEC */
  prot: number;
  /** MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN ... */
  flags: number;
  /** "" (anonymous), "[stack]", "[heap]", "[vdso]", "[vvar]" or the file path */
  name: string;
  /** Offset into the file in pages, like vm_pgoff. */
  pgoff: number;
  dev?: number;
  ino?: number;
  /** A shared file mapping's page cache: each VMA holds a reference (as vm_file does). */
  mapping?: AddressSpace;
  /** A private file mapping: the file's size in pages when mapped (pages from there on: SIGBUS). */
  filePages?: number;
  /** VM_MAYWRITE of a shared file mapping: false when mprotect may not make it writable (EACCES). */
  mayWrite?: boolean;
}

export class VmaList {
  private list: Vma[] = [];

  /** `owner`: the address space whose areas these are, for the page cache's reverse map. */
  constructor(readonly owner: MappingUser) {}

  /** The areas, sorted by address. */
  all(): readonly Vma[] {
    return this.list;
  }

  /** Index of the first area whose end is above `addr` (list.length if none). */
  private lowerBound(addr: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.list[mid]!.end <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The area containing `addr`, or null. */
  find(addr: number): Vma | null {
    const v = this.list[this.lowerBound(addr)];
    return v !== undefined && v.start <= addr ? v : null;
  }

  /** The first area that ends above `addr` (Linux find_vma), or null. */
  findAbove(addr: number): Vma | null {
    return this.list[this.lowerBound(addr)] ?? null;
  }

  /** The last area that ends at or below `addr`, or null. */
  findBelow(addr: number): Vma | null {
    return this.list[this.lowerBound(addr) - 1] ?? null;
  }

  /** Splits areas so that `addr` is a boundary. */
  splitAt(addr: number): void {
    const i = this.lowerBound(addr);
    const v = this.list[i];
    if (v === undefined || v.start >= addr) return;
    const upper: Vma = { ...v, start: addr, pgoff: v.pgoff + (addr - v.start) / PAGE_SIZE };
    upper.mapping?.get(this.owner);
    v.end = addr;
    this.list.splice(i + 1, 0, upper);
  }

  /** Removes every area inside [start, end) after splitting at both ends; returns them (the caller puts their mappings). */
  remove(start: number, end: number): Vma[] {
    this.splitAt(start);
    this.splitAt(end);
    const i = this.lowerBound(start);
    let j = i;
    while (j < this.list.length && this.list[j]!.start < end) j++;
    return this.list.splice(i, j - i);
  }

  /** Areas overlapping [start, end), after splitting so that they lie inside it. */
  slice(start: number, end: number): Vma[] {
    this.splitAt(start);
    this.splitAt(end);
    const out: Vma[] = [];
    for (let i = this.lowerBound(start); i < this.list.length && this.list[i]!.start < end; i++) {
      out.push(this.list[i]!);
    }
    return out;
  }

  /** Inserts an area into a free range and merges it with compatible neighbours. */
  insert(v: Vma): void {
    v.mapping?.get(this.owner);
    const i = this.lowerBound(v.start);
    this.list.splice(i, 0, v);
    this.mergeAround(v.start, v.end);
  }

  /** Merges compatible adjacent areas touching [start, end] (Linux vma_merge). */
  mergeAround(start: number, end: number): void {
    let i = Math.max(0, this.lowerBound(start) - 1);
    while (i + 1 < this.list.length) {
      const a = this.list[i]!;
      const b = this.list[i + 1]!;
      if (a.start > end) break;
      if (canMerge(a, b)) {
        a.end = b.end;
        b.mapping?.put(this.owner);
        this.list.splice(i + 1, 1);
      } else {
        i++;
      }
    }
  }

  /** A deep copy (for fork) owned by `owner`. */
  clone(owner: MappingUser): VmaList {
    const c = new VmaList(owner);
    c.list = this.list.map((v) => ({ ...v }));
    for (const v of c.list) v.mapping?.get(owner);
    return c;
  }
}

function canMerge(a: Vma, b: Vma): boolean {
  if (a.end !== b.start) return false;
  if (a.prot !== b.prot || a.flags !== b.flags || a.name !== b.name) return false;
  if (a.dev !== b.dev || a.ino !== b.ino || a.mapping !== b.mapping || a.filePages !== b.filePages) return false;
  // File pages must continue the same file range; anonymous areas have no file offset to match.
  return (a.flags & MAP_ANONYMOUS) !== 0 || b.pgoff === a.pgoff + (a.end - a.start) / PAGE_SIZE;
}
