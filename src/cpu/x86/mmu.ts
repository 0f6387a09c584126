// The x86 CPU's view of memory, built like the riscv64 one (../riscv/mmu.ts): direct-mapped
// software TLBs for reads and writes in front of MM.handleFault, and decoded code pages.
//
// Tags are doubles holding the virtual page number, NaN when empty, so one comparison rejects a
// miss and any out-of-range address. A frame holding decoded code never enters the write TLB:
// every store to it takes translate(), which invalidates the frame's decoded instructions
// (PhysMem.codeGen), and the interpreter notices the new generation before its next fetch.
//
// Faults are thrown (the singleton FAULT): x86 instructions touch memory in many places, and
// the handlers do all their loads and the store before changing any register, so unwinding to
// the interpreter loop leaves the architectural state as it was before the instruction.

import { ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE, type MM } from "../../mm/mm.ts";
import { PAGE_SIZE } from "../../mm/mman.ts";
import type { PhysMem } from "../../mm/physmem.ts";
import type { Block } from "./block.ts";
import type { Insn } from "./insn.ts";

export const TLB_BITS = 13;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;

/** Thrown by memory accesses that fault; the details are in the Mmu. */
export const FAULT = { fault: true };
/** Thrown for a non-canonical address (#GP: SIGSEGV with si_addr 0). */
export const GP_FAULT = { gp: true };

/** The decoded instructions of one 4 KiB page, by byte offset. */
export class CodePage {
  readonly insns: (Insn | undefined)[] = new Array<Insn | undefined>(PAGE_SIZE).fill(undefined);
  /** Basic blocks (block.ts) by start offset. */
  readonly blocks: (Block | undefined)[] = new Array<Block | undefined>(PAGE_SIZE).fill(undefined);
  constructor(
    readonly base: number,
    readonly frame: number,
    readonly gen: number,
  ) {}
}

export class Mmu {
  readonly rtag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly rbase = new Int32Array(TLB_SIZE);
  readonly wtag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly wbase = new Int32Array(TLB_SIZE);
  readonly xtag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly xpage: (CodePage | null)[] = new Array<CodePage | null>(TLB_SIZE).fill(null);
  private icache = new Map<number, CodePage>();

  phys: PhysMem;
  private seenMM: MM;
  private seenGen = -1;
  private seenCodeMarks = -1;

  faultAddr = 0n;
  faultAccess = ACCESS_READ;
  faultCode = 0;

  constructor(public mm: MM) {
    this.phys = mm.phys;
    this.seenMM = mm;
  }

  /** Drops stale translations; call before running. */
  sync(): void {
    const mm = this.mm;
    if (mm !== this.seenMM) {
      this.seenMM = mm;
      this.phys = mm.phys;
      this.icache.clear();
      this.flush();
    } else if (mm.gen !== this.seenGen) {
      if (mm.gen === this.seenGen + 1 && mm.changedTo - mm.changedFrom <= 64) {
        this.flushRange(mm.changedFrom, mm.changedTo);
        this.seenGen = mm.gen;
      } else {
        this.flush();
      }
    } else if (this.phys.codeMarks !== this.seenCodeMarks) {
      this.wtag.fill(NaN);
      this.seenCodeMarks = this.phys.codeMarks;
    }
  }

  flush(): void {
    this.rtag.fill(NaN);
    this.wtag.fill(NaN);
    this.xtag.fill(NaN);
    this.xpage.fill(null);
    this.seenGen = this.mm.gen;
    this.seenCodeMarks = this.phys.codeMarks;
  }

  flushRange(from: number, to: number): void {
    for (let vpn = from; vpn < to; vpn++) {
      const e = vpn & TLB_MASK;
      if (this.rtag[e] === vpn) this.rtag[e] = NaN;
      if (this.wtag[e] === vpn) this.wtag[e] = NaN;
      if (this.xtag[e] === vpn) {
        this.xtag[e] = NaN;
        this.xpage[e] = null;
      }
    }
  }

  flushCode(): void {
    this.icache.clear();
    this.xtag.fill(NaN);
    this.xpage.fill(null);
  }

  /** Host byte offset of guest address a for `access`, filling the TLB; throws FAULT. */
  translate(a: number, access: number): number {
    const vpn = Math.floor(a / PAGE_SIZE);
    const e = vpn & TLB_MASK;
    const off = a - vpn * PAGE_SIZE;
    if (access === ACCESS_READ && this.rtag[e] === vpn) return this.rbase[e]! + off;
    if (access === ACCESS_WRITE && this.wtag[e] === vpn) return this.wbase[e]! + off;
    const gen = this.mm.gen;
    const frame = this.mm.handleFault(a, access);
    if (frame < 0) {
      this.fault(a, access, -frame);
      throw FAULT;
    }
    if (this.mm.gen !== gen) {
      // a copy-on-write break replaced this page's frame: only its own entries are stale
      if (this.seenGen === gen) this.seenGen = this.mm.gen;
      this.rtag[e] = NaN;
      this.xtag[e] = NaN;
      this.xpage[e] = null;
    }
    const base = frame * PAGE_SIZE;
    if (access === ACCESS_WRITE) {
      if (this.phys.isCode[frame] !== 0) this.phys.invalidateCode(frame);
      this.wtag[e] = vpn;
      this.wbase[e] = base;
    }
    if (access !== ACCESS_EXEC) {
      this.rtag[e] = vpn;
      this.rbase[e] = base;
    }
    return base + off;
  }

  /** The decoded page for pc (fresh if its frame changed); throws FAULT. */
  codePage(pc: number): CodePage {
    const vpn = Math.floor(pc / PAGE_SIZE);
    const e = vpn & TLB_MASK;
    const cached = this.xpage[e];
    if (this.xtag[e] === vpn && cached !== null && cached.gen === this.phys.codeGen[cached.frame]) return cached;
    const gen = this.mm.gen;
    const frame = this.mm.handleFault(pc, ACCESS_EXEC);
    if (frame < 0) {
      this.fault(pc, ACCESS_EXEC, -frame);
      throw FAULT;
    }
    if (this.mm.gen !== gen && this.seenGen === gen) this.seenGen = this.mm.gen;
    const phys = this.phys;
    let page = this.icache.get(vpn);
    if (page === undefined || page.frame !== frame || page.gen !== phys.codeGen[frame]) {
      page = new CodePage(vpn * PAGE_SIZE, frame, phys.codeGen[frame]!);
      this.icache.set(vpn, page);
    }
    if (phys.isCode[frame] === 0) {
      phys.markCode(frame);
      this.wtag.fill(NaN); // stores to this frame must now take the slow path
      this.seenCodeMarks = phys.codeMarks;
    }
    this.xtag[e] = vpn;
    this.xpage[e] = page;
    return page;
  }

  /** The byte at guest address a of executable memory; throws FAULT. */
  fetchByte(a: number): number {
    const page = this.codePage(a);
    return this.phys.u8[page.frame * PAGE_SIZE + (a - page.base)]!;
  }

  fault(addr: number | bigint, access: number, code: number): void {
    this.faultAddr = BigInt.asUintN(64, BigInt(addr));
    this.faultAccess = access;
    this.faultCode = code;
  }
}
