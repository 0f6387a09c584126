// The CPU's view of memory: software TLBs in front of the MM's page-fault handler, the decoded
// code pages, and the byte-wise accesses that slowpath.ts falls back to (misaligned and
// page-crossing accesses, faults).
//
// The TLBs are direct-mapped on the virtual page number. Tags are doubles holding the page
// number, NaN when empty: the fast path computes vpn = floor(addr / 4096) in floating point, so
// one comparison rejects a miss, a negative address and one past TASK_SIZE alike (no valid tag
// is negative or >= 2^26). Entries hold the byte offset of the frame in PhysMem's buffer.
//
// Reads, writes and instruction fetches have separate TLBs. A frame holding decoded code is
// never entered in the write TLB, so every store to code reaches the slow path, which
// invalidates the decoded copy.

import { ACCESS_EXEC, ACCESS_READ, ACCESS_WRITE, type MM } from "../../mm/mm.ts";
import { PAGE_SIZE, TASK_SIZE } from "../../mm/mman.ts";
import type { PhysMem } from "../../mm/physmem.ts";
import { codePageFor, CodePage } from "./codepage.ts";
import type { RegionFn } from "./jit/compile.ts";
import type { WasmTlb } from "./wasm/tlb.ts";

/** A region compiled by the WebAssembly tier: its function's index in the region table. */
type WasmRegionFn = RegionFn & { wasmIndex?: number };

// 8192 entries cover 32 MiB: big programs thrash smaller TLBs, and a miss costs a few hundred
// nanoseconds, while a full flush (after mmap/munmap) stays cheap at this size.
export const TLB_BITS = 13;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;

/** Size of the cache from guest pc to compiled region, used to chain regions quickly. */
export const JCACHE_SIZE = 4096;
export const JCACHE_MASK = JCACHE_SIZE - 1;

/** A compiled region entry point: the function, its slot, and the page it was compiled from. */
export interface RegionEntry {
  readonly fn: RegionFn;
  readonly slot: number;
  readonly page: CodePage;
}

const TASK_SIZE_N = BigInt(TASK_SIZE);

/** Result of a slow-path store. */
export const STORE_FAULT = 0;
export const STORE_OK = 1;
/** The store hit a frame with decoded code: the interpreter must revalidate its page. */
export const STORE_HIT_CODE = 2;

export class Mmu {
  readonly rtag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly rbase = new Int32Array(TLB_SIZE);
  readonly wtag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly wbase = new Int32Array(TLB_SIZE);
  readonly xtag = new Float64Array(TLB_SIZE).fill(NaN);
  readonly xpage: (CodePage | null)[] = new Array<CodePage | null>(TLB_SIZE).fill(null);
  /** Compiled entry points by guest pc (tags are the pc, NaN when empty). */
  readonly jtag = new Float64Array(JCACHE_SIZE).fill(NaN);
  readonly jent: (RegionEntry | null)[] = new Array<RegionEntry | null>(JCACHE_SIZE).fill(null);
  /** Decoded pages by virtual page number. */
  private icache = new Map<number, CodePage>();

  phys: PhysMem;
  private seenMM: MM;
  private seenGen = -1;
  private seenCodeMarks = -1;

  /** Details of the last fault: address (exact, unsigned), access kind, si_code. */
  faultAddr = 0n;
  faultAccess = ACCESS_READ;
  faultCode = 0;
  /** Set by translate() when a write invalidated decoded code or replaced a code page's frame. */
  codeChanged = false;

  /** The WebAssembly tier's TLB while this Mmu holds it (see wasm/tlb.ts); its invalidations follow ours. */
  wt: WasmTlb | null = null;

  /** Slow-path load results land here (little-endian, zero-extended). */
  readonly val = new BigInt64Array(1);
  private readonly valBytes = new Uint8Array(this.val.buffer);

  constructor(public mm: MM) {
    this.phys = mm.phys;
    this.seenMM = mm;
  }

  /** Drops stale translations: call before running, and after anything may have changed the mm. */
  sync(): void {
    const mm = this.mm;
    if (mm !== this.seenMM) {
      this.seenMM = mm;
      this.phys = mm.phys;
      this.icache.clear();
      this.flush();
    } else if (mm.gen !== this.seenGen) {
      // one small change since we last looked (an mprotect, a munmap): drop just its pages
      if (mm.gen === this.seenGen + 1 && mm.changedTo - mm.changedFrom <= 64) {
        this.flushRange(mm.changedFrom, mm.changedTo);
        this.seenGen = mm.gen;
      } else {
        this.flush();
      }
    } else if (this.phys.codeMarks !== this.seenCodeMarks) {
      this.wtag.fill(NaN);
      this.wt?.flushWrites();
      this.seenCodeMarks = this.phys.codeMarks;
    }
  }

  /** Empties all TLBs. */
  flush(): void {
    this.rtag.fill(NaN);
    this.wtag.fill(NaN);
    this.xtag.fill(NaN);
    this.xpage.fill(null);
    this.wt?.flush();
    this.forgetRegions();
    this.seenGen = this.mm.gen;
    this.seenCodeMarks = this.phys.codeMarks;
  }

  /** Empties the TLB entries of pages [from, to). */
  flushRange(from: number, to: number): void {
    this.forgetRegions();
    this.wt?.dropRange(from, to);
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

  /** Records a compiled entry point for chaining. */
  rememberRegion(pc: number, fn: RegionFn, slot: number, page: CodePage): void {
    const e = (pc >> 1) & JCACHE_MASK;
    if (this.jtag[e] === pc && this.jent[e]!.fn === fn) return;
    this.jtag[e] = pc;
    this.jent[e] = { fn, slot, page };
    const w = (fn as WasmRegionFn).wasmIndex;
    if (w !== undefined && this.wt !== null) this.wt.jset(pc, w, slot, page.frame, page.gen);
  }

  /** Drops the chaining cache (its entries are only as valid as the exec TLB). */
  forgetRegions(): void {
    this.jtag.fill(NaN);
    this.jent.fill(null);
    this.wt?.jflush();
  }

  /** Forgets all decoded code (fence.i, riscv_flush_icache). */
  flushCode(): void {
    this.icache.clear();
    this.forgetRegions();
    this.xtag.fill(NaN);
    this.xpage.fill(null);
  }

  /** The exact unsigned effective address regs[rs1] + off, or -1 (fault recorded) past TASK_SIZE. */
  effectiveAddr(base: bigint, off: number, access: number): number {
    const a = BigInt.asUintN(64, base + BigInt(off));
    if (a >= TASK_SIZE_N) {
      this.fault(a, access, 1 /* SEGV_MAPERR */);
      return -1;
    }
    return Number(a);
  }

  /** Host byte offset of guest address a for `access`, filling the TLB; -1 with the fault recorded. */
  translate(a: number, access: number): number {
    const vpn = Math.floor(a / PAGE_SIZE);
    const e = vpn & TLB_MASK;
    const off = a - vpn * PAGE_SIZE;
    if (access === ACCESS_READ && this.rtag[e] === vpn) return this.rbase[e]! + off;
    if (access === ACCESS_WRITE && this.wtag[e] === vpn) return this.wbase[e]! + off;
    const gen = this.mm.gen;
    const frame = this.mm.handleFault(a, access);
    if (frame < 0) {
      this.fault(BigInt(a), access, -frame);
      return -1;
    }
    if (this.mm.gen !== gen) {
      // The fault replaced this page's frame (a copy-on-write break) and nothing else: other
      // entries stay valid, but any decoded code we hold for the page came from the old frame.
      if (this.seenGen === gen) this.seenGen = this.mm.gen;
      if (this.xtag[e] === vpn) this.codeChanged = true;
      this.wt?.drop(vpn);
      this.xtag[e] = NaN;
      this.xpage[e] = null;
      this.forgetRegions();
    }
    const base = frame * PAGE_SIZE;
    if (access === ACCESS_WRITE) {
      if (this.phys.isCode[frame] !== 0) {
        this.phys.invalidateCode(frame);
        this.codeChanged = true;
      }
      this.wtag[e] = vpn;
      this.wbase[e] = base;
    }
    if (access !== ACCESS_EXEC) {
      this.rtag[e] = vpn;
      this.rbase[e] = base;
    }
    return base + off;
  }

  /** Takes the WebAssembly tier's TLB over from whichever Mmu held it. */
  claimWasmTlb(t: WasmTlb | null): void {
    // wt === t exactly when t.owner is this; and the interpreter calls this before its CPU has
    // a wasm tier (t null), so that run() meets no new property access once the tier exists
    if (t === this.wt || t === null) return;
    if (t.owner !== null) (t.owner as Mmu).wt = null;
    t.claim(this);
    this.wt = t;
  }

  /**
   * The WebAssembly tier's miss path: the host offset of an aligned access at guest address a
   * (`kind` = access | size mask << 1), entered in its TLB; -1 when the interpreter must do the
   * access (a fault, a misaligned or page-crossing access, a store that hits decoded code).
   */
  wasmFill(a: bigint, kind: number): number {
    const access = kind & 1;
    const u = BigInt.asUintN(64, a);
    if (u >= TASK_SIZE_N) return -1;
    const n = Number(u);
    if ((n & (kind >> 1)) !== 0) return -1;
    this.codeChanged = false;
    const h = this.translate(n, access);
    if (h < 0 || this.codeChanged) return -1;
    const off = n % PAGE_SIZE;
    this.wt?.set((n - off) / PAGE_SIZE, h - off, access === ACCESS_WRITE);
    return h;
  }

  /** Loads `size` bytes at a into `val` (zero-extended); false with the fault recorded. */
  load(a: number, size: number): boolean {
    const second = this.crossingPart(a, size);
    const h1 = this.translate(a, ACCESS_READ);
    if (h1 < 0) return false;
    const h2 = second > 0 ? this.translate(a + size - second, ACCESS_READ) : 0;
    if (h2 < 0) return false;
    const u8 = this.phys.u8;
    this.val[0] = 0n;
    const first = size - second;
    for (let k = 0; k < first; k++) this.valBytes[k] = u8[h1 + k]!;
    for (let k = 0; k < second; k++) this.valBytes[first + k] = u8[h2 + k]!;
    return true;
  }

  /** Stores the low `size` bytes of v at a; returns STORE_FAULT, STORE_OK or STORE_HIT_CODE. */
  store(a: number, size: number, v: bigint): number {
    this.codeChanged = false;
    const second = this.crossingPart(a, size);
    const h1 = this.translate(a, ACCESS_WRITE);
    if (h1 < 0) return STORE_FAULT;
    const h2 = second > 0 ? this.translate(a + size - second, ACCESS_WRITE) : 0;
    if (h2 < 0) return STORE_FAULT;
    const u8 = this.phys.u8;
    this.val[0] = v;
    const first = size - second;
    for (let k = 0; k < first; k++) u8[h1 + k] = this.valBytes[k]!;
    for (let k = 0; k < second; k++) u8[h2 + k] = this.valBytes[first + k]!;
    return this.codeChanged ? STORE_HIT_CODE : STORE_OK;
  }

  /** The decoded page for pc, decoding afresh if its frame changed; null with the fault recorded. */
  codePage(pc: number): CodePage | null {
    const vpn = Math.floor(pc / PAGE_SIZE);
    const e = vpn & TLB_MASK;
    const cached = this.xpage[e];
    if (this.xtag[e] === vpn && cached !== null && cached.gen === this.phys.codeGen[cached.frame]) return cached;
    const gen = this.mm.gen;
    const frame = this.mm.handleFault(pc, ACCESS_EXEC);
    if (frame < 0) {
      this.fault(BigInt(pc), ACCESS_EXEC, -frame);
      return null;
    }
    if (this.mm.gen !== gen && this.seenGen === gen) this.seenGen = this.mm.gen;
    let page = this.icache.get(vpn);
    const phys = this.phys;
    if (page === undefined || page.frame !== frame || page.gen !== phys.codeGen[frame]) {
      page = codePageFor(phys, vpn * PAGE_SIZE, frame, phys.codeGen[frame]!);
      this.icache.set(vpn, page);
    }
    if (phys.isCode[frame] === 0) {
      phys.markCode(frame);
      // Our write TLB may hold this frame: drop it so that stores to it take the slow path.
      this.wtag.fill(NaN);
      this.wt?.flushWrites();
      this.seenCodeMarks = phys.codeMarks;
    }
    this.xtag[e] = vpn;
    this.xpage[e] = page;
    return page;
  }

  /** The 16-bit parcel at guest address a of an executable page, or -1 with the fault recorded. */
  fetch16(a: number): number {
    const page = this.codePage(a);
    if (page === null) return -1;
    return this.phys.u16[(page.frame * PAGE_SIZE + (a - page.base)) >>> 1]!;
  }

  /** A one-instruction page for a 32-bit instruction straddling two pages; null on a fetch fault. */
  crossingPage(pc: number): CodePage | null {
    const lo = this.fetch16(pc);
    if (lo < 0) return null;
    const hi = this.fetch16(pc + 2);
    if (hi < 0) return null;
    const page = new CodePage(pc, pc + 1, -1, 0, 1);
    page.fill(0, lo | (hi << 16));
    return page;
  }

  // Bytes of an access of `size` at `a` that fall on the next page (0 if none).
  private crossingPart(a: number, size: number): number {
    const inPage = PAGE_SIZE - (a % PAGE_SIZE);
    return size > inPage ? size - inPage : 0;
  }

  /** Records the details of a fault for the CPU to report. */
  fault(addr: bigint, access: number, code: number): void {
    this.faultAddr = addr;
    this.faultAccess = access;
    this.faultCode = code;
  }
}

