// An address space (Linux's struct mm_struct): the VMAs, the page table, and the page-fault
// handler that the CPU's slow path and uaccess both go through.
//
// Pages are created lazily: a read of an untouched private page maps the shared zero frame, the
// first write allocates (or copies, after fork) a frame: copy-on-write is decided, as in Linux's
// do_wp_page, by whether a private frame is referenced elsewhere.
//
// CPUs cache translations in TLBs. Every change that can make a cached translation wrong bumps
// `gen`; a CPU compares it with the value it saw and flushes when they differ.

import { EINVAL, ENOMEM } from "./errno.ts";
import {
  MAP_ANONYMOUS,
  MAP_GROWSDOWN,
  MAP_PRIVATE,
  MAP_SHARED,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  TASK_SIZE,
  pageAlignUp,
} from "./mman.ts";
import { PageTable, WidePageTable, type PageTableLike } from "./pagetable.ts";
import type { AddressSpace, MappingUser } from "./filemap.ts";
import { imageFrame } from "./imagecache.ts";
import { OutOfMemory, PhysMem, ZERO_FRAME, defaultPhysMem } from "./physmem.ts";
import type { UserMemory } from "./uaccess.ts";
import { VmaList, type Vma } from "./vma.ts";

export type { Vma } from "./vma.ts";
export {
  PAGE_SIZE,
  TASK_SIZE,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  PROT_EXEC,
  MAP_SHARED,
  MAP_PRIVATE,
  MAP_FIXED,
  MAP_ANONYMOUS,
  MAP_GROWSDOWN,
} from "./mman.ts";

/** Kinds of access, as the fault handler sees them. */
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_EXEC = 2;

/** si_code values for SIGSEGV (<uapi/asm-generic/siginfo.h>). */
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
/**
 * What handleFault returns (negated) for a page of a file mapping wholly past the end of the
 * file: SIGBUS with BUS_ADRERR, not SIGSEGV (Linux's VM_FAULT_SIGBUS). Apart from the si_codes.
 */
export const FAULT_SIGBUS = 0x100;

/** Lowest address mmap hands out by itself (Debian's vm.mmap_min_addr). */
export const MMAP_MIN_ADDR = 0x10000;
/** Linux keeps this much free below a stack (stack_guard_gap, 256 pages). */
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;
/** mm/util.c mmap_base(): at least 128 MiB between the stack top and mmap_base. */
const MIN_GAP = 128 * 1024 * 1024;

export class MM implements UserMemory, MappingUser {
  readonly phys: PhysMem;
  /** TASK_SIZE: user space ends here (riscv64's Sv39 by default; x86-64 passes its 47 bits). */
  readonly limit: number;
  /** Top-down mmap searches start below this address. */
  mmapBase: number;
  /** Bottom-up fallback search start, TASK_UNMAPPED_BASE = PAGE_ALIGN(TASK_SIZE / 3). */
  private readonly unmappedBase: number;
  startBrk = 0;
  brk = 0;
  startStack = 0;
  /** end_data - start_data: the initialised data that check_data_rlimit adds to the heap. */
  dataSize = 0;
  /** RLIMIT_STACK: how far a MAP_GROWSDOWN area may grow. */
  stackLimit = 8 * 1024 * 1024;
  /** Bumped whenever a cached translation may have become stale. */
  gen = 0;
  /** The pages [changedFrom, changedTo) whose translations the latest bump of gen invalidated. */
  changedFrom = 0;
  changedTo: number;
  private areas = new VmaList(this);
  private pt: PageTableLike;
  /** Page faults taken (all minor: there is no disk to wait for), for getrusage's ru_minflt. */
  minflt = 0;
  /**
   * Set when a kernel copy (userRead/userWrite/poke) stopped for want of a frame: the copy
   * reports a fault, and the system call dispatcher calls the OOM killer and clears this.
   */
  oom = false;
  private hiwaterRss = 0;

  constructor(phys: PhysMem = defaultPhysMem(), taskSize: number = TASK_SIZE) {
    this.phys = phys;
    this.limit = taskSize;
    this.mmapBase = taskSize - MIN_GAP;
    this.unmappedBase = pageAlignUp(Math.floor(taskSize / 3));
    this.changedTo = taskSize / PAGE_SIZE;
    this.pt = taskSize <= TASK_SIZE ? new PageTable() : new WidePageTable(taskSize / PAGE_SIZE);
  }

  /** The mappings, sorted by address (for /proc/pid/maps). */
  vmas(): readonly Vma[] {
    return this.areas.all();
  }

  /** The mapping containing `addr`, or null. */
  findVma(addr: number): Vma | null {
    return this.areas.find(addr);
  }

  /** Maps [start, start+len) with MAP_FIXED semantics: whatever was there is unmapped first. */
  mapFixed(start: number, len: number, prot: number, info: Partial<Vma> = {}): void {
    const end = start + pageAlignUp(len);
    checkRange(start, end, this.limit);
    // Nothing caches translations of unmapped pages: only a replaced mapping invalidates.
    if (this.dropRange(start, end)) this.changed(start, end);
    this.areas.insert({
      start,
      end,
      prot,
      flags: info.flags ?? MAP_PRIVATE | MAP_ANONYMOUS,
      name: info.name ?? "",
      pgoff: info.pgoff ?? 0,
      ...(info.dev !== undefined ? { dev: info.dev } : {}),
      ...(info.ino !== undefined ? { ino: info.ino } : {}),
      ...(info.mapping !== undefined ? { mapping: info.mapping } : {}),
      ...(info.filePages !== undefined ? { filePages: info.filePages } : {}),
      ...(info.mayWrite !== undefined ? { mayWrite: info.mayWrite } : {}),
    });
  }

  /** Removes every mapping in [start, start+len) and frees its pages. */
  unmap(start: number, len: number): void {
    const end = start + pageAlignUp(len);
    checkRange(start, end, this.limit);
    if (this.dropRange(start, end)) this.changed(start, end);
  }

  /** Changes protections like mprotect(2): 0, or -ENOMEM at the first unmapped page (earlier areas keep the change). */
  protect(start: number, len: number, prot: number): number {
    const end = start + pageAlignUp(len);
    if (start % PAGE_SIZE !== 0 || end > this.limit || end < start) return -EINVAL;
    let pos = start;
    let err = 0;
    for (const v of this.areas.slice(start, end)) {
      if (v.start !== pos) break;
      v.prot = prot;
      pos = v.end;
    }
    if (pos < end) err = -ENOMEM;
    this.areas.mergeAround(start, end);
    if (pos > start) this.changed(start, pos);
    return err;
  }

  /** Picks a free range of `len` bytes like arch_get_unmapped_area_topdown; -ENOMEM if none. */
  getUnmappedArea(len: number, hint = 0): number {
    len = pageAlignUp(len);
    if (len <= 0 || len > this.limit - MMAP_MIN_ADDR) return -ENOMEM;
    if (hint > 0) {
      const addr = pageAlignUp(hint);
      if (addr >= MMAP_MIN_ADDR && addr <= this.limit - len && this.isFree(addr, addr + len)) return addr;
    }
    const top = this.highestGap(len, MMAP_MIN_ADDR, Math.min(this.mmapBase, this.limit));
    if (top >= 0) return top;
    const bottom = this.lowestGap(len, this.unmappedBase, this.limit);
    return bottom >= 0 ? bottom : -ENOMEM;
  }

  /**
   * Kernel write ignoring protections (the loader); false when memory ran out (oom is set).
   * Throws on an unmapped address, a kernel bug.
   */
  poke(addr: number, bytes: Uint8Array): boolean {
    try {
      this.pokeFrames(addr, bytes);
      return true;
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      this.oom = true;
      return false;
    }
  }

  /**
   * The loader's mapping of `n` whole pages of `file` (from page `index`) at addr, a private
   * mapping: the frames exec keeps for the file (mm/imagecache.ts), shared copy-on-write with
   * every other process running it. False when memory ran out (oom is set).
   */
  mapImagePages(addr: number, file: Uint8Array, index: number, n: number): boolean {
    try {
      for (let k = 0; k < n; k++) {
        const f = imageFrame(this.phys, file, index + k);
        const vpn = addr / PAGE_SIZE + k;
        const old = this.pt.get(vpn);
        this.phys.get(f);
        this.pt.set(vpn, f);
        if (old >= 0) this.phys.put(old);
      }
      this.changed(addr, addr + n * PAGE_SIZE);
      return true;
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      this.oom = true;
      return false;
    }
  }

  private pokeFrames(addr: number, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) {
      const a = addr + done;
      const v = this.areas.find(a);
      if (v === null) throw new RangeError(`poke: address 0x${a.toString(16)} is not mapped`);
      const n = Math.min(bytes.length - done, PAGE_SIZE - (a % PAGE_SIZE));
      const f = this.writableFrame(Math.floor(a / PAGE_SIZE), v);
      if (f < 0) throw new RangeError(`poke: address 0x${a.toString(16)} is past the end of its file`);
      this.phys.invalidateCode(f);
      this.phys.u8.set(bytes.subarray(done, done + n), f * PAGE_SIZE + (a % PAGE_SIZE));
      done += n;
    }
  }

  /** Kernel read ignoring protections; throws on an unmapped address, a kernel bug. */
  peek(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let done = 0; done < len; ) {
      const a = addr + done;
      const v = this.areas.find(a);
      if (v === null) throw new RangeError(`peek: address 0x${a.toString(16)} is not mapped`);
      const n = Math.min(len - done, PAGE_SIZE - (a % PAGE_SIZE));
      this.faultInFilePage(v, a); // past the end of the file: reads as zeroes here
      this.readPage(a, out, done, n);
      done += n;
    }
    return out;
  }

  /** Copies up to n bytes from user memory; returns how many were copied before the first fault. */
  userRead(addr: number, dst: Uint8Array, dstOff: number, n: number): number {
    try {
      return this.readFrames(addr, dst, dstOff, n);
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      this.oom = true; // a file page found no frame: the copy reports a fault
      return 0;
    }
  }

  private readFrames(addr: number, dst: Uint8Array, dstOff: number, n: number): number {
    let done = 0;
    while (done < n) {
      const a = addr + done;
      if (!(a >= 0 && a < this.limit)) break;
      const v = this.vmaForAccess(a);
      if (v === null || !allows(v.prot, ACCESS_READ) || this.faultInFilePage(v, a) < 0) break;
      const k = Math.min(n - done, PAGE_SIZE - (a % PAGE_SIZE));
      this.readPage(a, dst, dstOff + done, k);
      done += k;
    }
    return done;
  }

  /** Copies up to n bytes into user memory; returns how many were copied before the first fault. */
  userWrite(addr: number, src: Uint8Array, srcOff: number, n: number): number {
    try {
      return this.writeFrames(addr, src, srcOff, n);
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      this.oom = true; // no frame for a page: the copy reports a fault
      return 0;
    }
  }

  private writeFrames(addr: number, src: Uint8Array, srcOff: number, n: number): number {
    let done = 0;
    while (done < n) {
      const a = addr + done;
      if (!(a >= 0 && a < this.limit)) break;
      const v = this.vmaForAccess(a);
      if (v === null || !allows(v.prot, ACCESS_WRITE)) break;
      const k = Math.min(n - done, PAGE_SIZE - (a % PAGE_SIZE));
      const f = this.writableFrame(Math.floor(a / PAGE_SIZE), v);
      if (f < 0) break;
      this.phys.invalidateCode(f);
      this.phys.u8.set(src.subarray(srcOff + done, srcOff + done + k), f * PAGE_SIZE + (a % PAGE_SIZE));
      done += k;
    }
    return done;
  }

  /**
   * The page-fault handler (Linux handle_mm_fault): makes the page at `addr` accessible for
   * `access` and returns its frame, or -SEGV_MAPERR / -SEGV_ACCERR / -FAULT_SIGBUS.
   */
  handleFault(addr: number, access: number): number {
    if (!(addr >= 0 && addr < this.limit)) return -SEGV_MAPERR;
    const v = this.vmaForAccess(addr);
    if (v === null) return -SEGV_MAPERR;
    if (!allows(v.prot, access)) return -SEGV_ACCERR;
    this.minflt++;
    const vpn = Math.floor(addr / PAGE_SIZE);
    if (access === ACCESS_WRITE) {
      const w = this.writableFrame(vpn, v);
      if (this.pt.resident > this.hiwaterRss) this.hiwaterRss = this.pt.resident;
      return w;
    }
    let f = this.pt.get(vpn);
    if (f < 0) {
      f = this.newPage(v, vpn, false);
      if (f >= 0) this.pt.set(vpn, f);
    }
    return f;
  }

  /** Resident pages now (get_mm_rss), and the most there have been (hiwater_rss). */
  rss(): { now: number; peak: number } {
    if (this.pt.resident > this.hiwaterRss) this.hiwaterRss = this.pt.resident;
    return { now: this.pt.resident, peak: this.hiwaterRss };
  }

  /** A copy of this address space for fork(2) (private pages copy-on-write); null: out of memory. */
  fork(): MM | null {
    try {
      return this.copyForFork();
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      return null; // only the parent's untouched shared pages allocate, before the child exists
    }
  }

  private copyForFork(): MM {
    // A shared page not yet touched would otherwise be allocated separately by each side
    // (a file's pages are found in its page cache by both).
    for (const v of this.areas.all()) {
      if ((v.flags & MAP_SHARED) === 0 || v.mapping !== undefined) continue;
      for (let vpn = v.start / PAGE_SIZE; vpn < v.end / PAGE_SIZE; vpn++) if (this.pt.get(vpn) < 0) this.pt.set(vpn, this.phys.alloc());
    }
    const child = new MM(this.phys, this.limit);
    child.mmapBase = this.mmapBase;
    child.startBrk = this.startBrk;
    child.brk = this.brk;
    child.startStack = this.startStack;
    child.dataSize = this.dataSize;
    child.stackLimit = this.stackLimit;
    child.areas = this.areas.clone(child);
    for (const v of this.areas.all()) {
      const first = v.start / PAGE_SIZE;
      const last = v.end / PAGE_SIZE;
      this.pt.forEach(first, last, (vpn, f) => {
        this.phys.get(f);
        child.pt.set(vpn, f);
      });
    }
    this.changed(0, this.limit); // our writable TLB entries may now point at shared frames
    return child;
  }

  /** Unmaps everything (exit, or execve dropping the old image). */
  release(): void {
    for (const v of this.areas.all()) this.closeVma(v);
    this.areas = new VmaList(this);
    this.changed(0, this.limit);
  }

  /**
   * msync(2)'s work: stores through shared file mappings of [start, end) reach their files.
   * -ENOMEM when part of the range is not mapped (the mapped parts are still written back).
   */
  sync(start: number, end: number): number {
    let pos = start;
    let err = 0;
    for (const v of this.areas.all()) {
      if (v.end <= start || v.start >= end) continue;
      if (v.start > pos) err = -ENOMEM;
      pos = v.end;
      if (v.mapping === undefined) continue;
      const first = v.pgoff + (Math.max(start, v.start) - v.start) / PAGE_SIZE;
      const last = v.pgoff + (Math.min(end, v.end) - v.start) / PAGE_SIZE;
      v.mapping.writeback(first, last);
    }
    return pos < end ? -ENOMEM : err;
  }

  /**
   * mremap's move (move_page_tables): the pages of [from, from+len) go to [to, to+len) with
   * their frames, so shared pages stay shared; the destination must be freshly mapped.
   */
  movePages(from: number, to: number, len: number): void {
    const delta = (to - from) / PAGE_SIZE;
    this.pt.forEach(from / PAGE_SIZE, (from + pageAlignUp(len)) / PAGE_SIZE, (vpn, f) => {
      this.pt.clear(vpn);
      const old = this.pt.get(vpn + delta);
      if (old >= 0) this.phys.put(old);
      this.pt.set(vpn + delta, f);
    });
    this.changed(Math.min(from, to), Math.max(from, to) + pageAlignUp(len));
  }

  /** Truncate's reverse-map walk: the pages of `as` from file page `from` on leave our mappings of it. */
  unmapFilePages(as: AddressSpace, from: number): void {
    for (const v of this.areas.all()) {
      if (v.mapping !== as) continue;
      const first = Math.max(v.start / PAGE_SIZE, v.start / PAGE_SIZE + from - v.pgoff);
      const last = v.end / PAGE_SIZE;
      if (first >= last) continue;
      this.pt.forEach(first, last, (vpn, f) => {
        this.pt.clear(vpn);
        this.phys.put(f);
      });
      this.changed(first * PAGE_SIZE, last * PAGE_SIZE);
    }
  }

  /** The frame behind a page, if one is mapped (tests and debugging). */
  frameOf(addr: number): number {
    return this.pt.get(Math.floor(addr / PAGE_SIZE));
  }

  // The area serving an access at addr, growing a MAP_GROWSDOWN area (the stack) down to it
  // as Linux's expand_stack does: within RLIMIT_STACK and not into another area's guard gap.
  private vmaForAccess(addr: number): Vma | null {
    const v = this.areas.find(addr);
    if (v !== null) return v;
    const above = this.areas.findAbove(addr);
    if (above === null || (above.flags & MAP_GROWSDOWN) === 0) return null;
    const start = addr - (addr % PAGE_SIZE);
    if (above.end - start > this.stackLimit) return null;
    const below = this.areas.findBelow(addr);
    if (below !== null && start - below.end < STACK_GUARD_GAP) return null;
    above.start = start;
    return above;
  }

  // A frame that may be written at vpn: allocates untouched pages, copies shared private ones;
  // -FAULT_SIGBUS past the end of a mapped file.
  private writableFrame(vpn: number, v: Vma): number {
    const f = this.pt.get(vpn);
    if (f < 0) {
      const n = this.newPage(v, vpn, true);
      if (n >= 0) this.pt.set(vpn, n);
      return n;
    }
    if (v.mapping !== undefined) v.mapping.markDirty(fileIndex(v, vpn));
    const cow = f === ZERO_FRAME || ((v.flags & MAP_SHARED) === 0 && this.phys.refcount[f]! > 1);
    if (!cow) return f;
    const n = f === ZERO_FRAME ? this.phys.alloc() : this.phys.copy(f);
    this.phys.put(f);
    this.pt.set(vpn, n);
    this.changed(vpn * PAGE_SIZE, (vpn + 1) * PAGE_SIZE); // TLBs may hold the old frame for reading
    return n;
  }

  // Removes the areas in [start, end) and frees their pages; whether there were any.
  private dropRange(start: number, end: number): boolean {
    this.rss(); // update_hiwater_rss before the pages go
    const removed = this.areas.remove(start, end);
    for (const v of removed) this.closeVma(v);
    return removed.length > 0;
  }

  // Frees an area's pages; a shared file mapping writes its part back (munmap, exit).
  private closeVma(v: Vma): void {
    this.dropPages(v.start, v.end);
    v.mapping?.put(this, v.pgoff, v.pgoff + (v.end - v.start) / PAGE_SIZE);
  }

  // The frame the first touch of page vpn maps: the file's cached page for a shared file
  // mapping, a fresh frame for other shared or written pages, the zero frame for reads;
  // -FAULT_SIGBUS for a page wholly past the end of a mapped file.
  private newPage(v: Vma, vpn: number, write: boolean): number {
    if (v.mapping !== undefined) {
      const index = fileIndex(v, vpn);
      if (v.mapping.beyondEof(index)) return -FAULT_SIGBUS;
      const f = v.mapping.findOrReadPage(index);
      this.phys.get(f);
      if (write) v.mapping.markDirty(index);
      return f;
    }
    if (v.filePages !== undefined && fileIndex(v, vpn) >= v.filePages) return -FAULT_SIGBUS;
    // Shared pages need a real frame at once: the zero frame cannot be shared writably.
    return write || (v.flags & MAP_SHARED) !== 0 ? this.phys.alloc() : ZERO_FRAME;
  }

  // Maps a file page the kernel is about to read (uaccess reads no pte-less page as zeroes
  // unless it is anonymous); a negative fault code when the page cannot be read.
  private faultInFilePage(v: Vma, a: number): number {
    if (v.mapping === undefined && v.filePages === undefined) return 0;
    const vpn = Math.floor(a / PAGE_SIZE);
    if (this.pt.get(vpn) >= 0) return 0;
    const f = this.newPage(v, vpn, false);
    if (f >= 0) this.pt.set(vpn, f);
    return f;
  }

  // Invalidates cached translations of [start, end).
  private changed(start: number, end: number): void {
    this.gen++;
    this.changedFrom = Math.floor(start / PAGE_SIZE);
    this.changedTo = Math.ceil(end / PAGE_SIZE);
  }

  private readPage(a: number, dst: Uint8Array, off: number, n: number): void {
    const f = this.pt.get(Math.floor(a / PAGE_SIZE));
    if (f < 0) {
      dst.fill(0, off, off + n);
    } else {
      const base = f * PAGE_SIZE + (a % PAGE_SIZE);
      dst.set(this.phys.u8.subarray(base, base + n), off);
    }
  }

  private dropPages(start: number, end: number): void {
    this.pt.forEach(start / PAGE_SIZE, end / PAGE_SIZE, (vpn, f) => {
      this.pt.clear(vpn);
      this.phys.put(f);
    });
  }

  private isFree(start: number, end: number): boolean {
    const next = this.areas.findAbove(start);
    return next === null || end <= gapEnd(next);
  }

  // Highest len-sized free range inside [low, high), honouring stack guard gaps.
  private highestGap(len: number, low: number, high: number): number {
    const list = this.areas.all();
    for (let i = list.length; i >= 0; i--) {
      const [from, to] = gapAt(list, i, low, high);
      if (to - from >= len) return to - len;
    }
    return -1;
  }

  // Lowest len-sized free range inside [low, high).
  private lowestGap(len: number, low: number, high: number): number {
    const list = this.areas.all();
    for (let i = 0; i <= list.length; i++) {
      const [from, to] = gapAt(list, i, low, high);
      if (to - from >= len) return from;
    }
    return -1;
  }
}

// The page of the file that page vpn of a file mapping shows.
function fileIndex(v: Vma, vpn: number): number {
  return v.pgoff + vpn - v.start / PAGE_SIZE;
}

// The free range just below list[i] (or above the last area), clipped to [low, high).
function gapAt(list: readonly Vma[], i: number, low: number, high: number): [number, number] {
  const from = Math.max(low, i > 0 ? list[i - 1]!.end : 0);
  const to = Math.min(high, i < list.length ? gapEnd(list[i]!) : high);
  return [from, to];
}

/** Whether protections `prot` allow an access; riscv maps PROT_WRITE pages readable. */
export function allows(prot: number, access: number): boolean {
  if (access === ACCESS_READ) return (prot & (PROT_READ | PROT_WRITE)) !== 0;
  if (access === ACCESS_WRITE) return (prot & PROT_WRITE) !== 0;
  return (prot & PROT_EXEC) !== 0;
}

// The end of the free range below an area: a stack keeps its guard gap (vm_start_gap).
function gapEnd(v: Vma): number {
  return (v.flags & MAP_GROWSDOWN) !== 0 ? Math.max(0, v.start - STACK_GUARD_GAP) : v.start;
}

function checkRange(start: number, end: number, limit: number): void {
  if (start % PAGE_SIZE !== 0 || start < 0 || end > limit || end < start) {
    throw new RangeError(`mm: bad range 0x${start.toString(16)}-0x${end.toString(16)}`);
  }
}
