// The x86-64 long-mode user-level CPU: registers, flags (computed lazily from the last
// arithmetic result), SSE and x87 state, and an interpreter loop over decoded instructions.
// It knows registers and memory, nothing of Linux: the kernel reads the stop reason.
//
// Values move between handlers as BigInts sign-extended from their operand size ("canonical
// signed"): a byte 0xff is -1n. Registers live in a BigInt64Array with an Int32Array view for
// 32-bit operations and addresses. Memory goes through mmu.ts's TLB; faults throw and the loop
// puts rip back on the instruction, whose handler changed nothing yet.

import type { MM } from "../../mm/mm.ts";
import { ACCESS_READ, ACCESS_WRITE } from "../../mm/mm.ts";
import { PAGE_SIZE } from "../../mm/mman.ts";
import { type Block, buildBlock, crossingBlock } from "./block.ts";
import { compileBlock, jitThreshold, LEFT_EARLY } from "./jit.ts";
import { getFlags, setFlags } from "./flags.ts";
import type { Insn } from "./insn.ts";
import { SEG_FS } from "./insn.ts";
import { CodePage, FAULT, GP_FAULT, Mmu, TLB_MASK } from "./mmu.ts";
import { X86Stop } from "./stop.ts";
import { Fpu } from "./x87.ts";
import { fxrstor, fxsave } from "./fxsave.ts";

export { X86Stop } from "./stop.ts";

const ACCESS_NAMES = ["read", "write", "exec"] as const;
export type FaultAccess = (typeof ACCESS_NAMES)[number];

/** User addresses are below 2^47; anything else is non-canonical or kernel space. */
const ADDR_LIMIT = 2 ** 47;
const TWO32 = 4294967296;
/** The high halves of registers whose value is below 2^52 in magnitude. */
export const HI_EXACT = 0x100000;
const BIG_LIMIT = BigInt(ADDR_LIMIT);
const KERNEL_START = 0xffff_8000_0000_0000n;

export class X86Cpu {
  /** rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
  readonly regs = new BigInt64Array(16);
  /** The registers as int32 halves: ri[2n] low, ri[2n+1] high. */
  readonly ri = new Int32Array(this.regs.buffer);
  rip = 0;
  private fsB = 0n;
  private gsB = 0n;
  fsN = 0;
  gsN = 0;

  // Lazy flags (flags.ts): lz = [result, dst, src] of the last flag-setting operation.
  readonly lz = new BigInt64Array(3);
  /** lz as int32 halves, for the number paths of <= 32-bit operations (flags.ts setAddN...). */
  readonly lzi = new Int32Array(this.lz.buffer);
  fop = 0;
  /** Carry-in of the last adc/sbb (0/1). */
  fcin = 0;
  /** Flag bits not described by fop (all of them when fop is F_NONE), plus DF, IF, ID, AC. */
  fl = 0x202;

  /**
   * 16 XMM registers, 2 x 64-bit halves each, low half first; the views share the buffer, which
   * has a 17th register (entries 32, 33) for memory source operands and two more for MMX operands (mmx.ts).
   */
  readonly xmm = new BigInt64Array(38);
  readonly xmmAll = this.xmm;
  readonly xf64 = new Float64Array(this.xmm.buffer);
  readonly xf32 = new Float32Array(this.xmm.buffer);
  readonly xi32 = new Int32Array(this.xmm.buffer);
  readonly xu32 = new Uint32Array(this.xmm.buffer);
  readonly xi16 = new Int16Array(this.xmm.buffer);
  readonly xu16 = new Uint16Array(this.xmm.buffer);
  readonly xi8 = new Int8Array(this.xmm.buffer);
  readonly xu8 = new Uint8Array(this.xmm.buffer);
  mxcsr = 0x1f80;
  fpu = new Fpu();

  instret = 0;
  /** Set by compiled blocks (jit.ts): the index of the instruction that may fault or stop next. */
  jn = 0;
  /** The high half of the last ld64(). */
  hi = 0;
  readTime: () => bigint = () => 0n;
  mm: MM;
  readonly mmu: Mmu;

  faultAddr = 0;
  faultAddrBig = 0n;
  faultAccess: FaultAccess = "read";
  faultCode = 0;
  illegalBytes: Uint8Array = new Uint8Array(0);

  // the frame pool as the fast paths see it (refreshed by run())
  private dv: DataView;
  private u8: Uint8Array;
  private readonly rtag: Float64Array;
  private readonly rbase: Int32Array;
  private readonly wtag: Float64Array;
  private readonly wbase: Int32Array;

  constructor(mm: MM) {
    this.mm = mm;
    this.mmu = new Mmu(mm);
    this.dv = new DataView(mm.phys.buffer);
    this.u8 = mm.phys.u8;
    this.rtag = this.mmu.rtag;
    this.rbase = this.mmu.rbase;
    this.wtag = this.mmu.wtag;
    this.wbase = this.mmu.wbase;
  }

  get fsBase(): bigint {
    return this.fsB;
  }
  set fsBase(v: bigint) {
    this.fsB = BigInt.asUintN(64, v);
    this.fsN = Number(this.fsB);
  }
  get gsBase(): bigint {
    return this.gsB;
  }
  set gsBase(v: bigint) {
    this.gsB = BigInt.asUintN(64, v);
    this.gsN = Number(this.gsB);
  }

  get rflags(): number {
    return getFlags(this);
  }
  set rflags(v: number) {
    setFlags(this, v);
  }

  /** The 512-byte FXSAVE image of the x87/SSE state (the signal frame's fpstate). */
  fxsave(dv: DataView, off: number): void {
    fxsave(this, dv, off);
  }

  /** Loads the x87/SSE state from an FXSAVE image; false (nothing loaded) for a bad MXCSR. */
  fxrstor(dv: DataView, off: number): boolean {
    return fxrstor(this, dv, off);
  }

  flushIcache(): void {
    this.mmu.flushCode();
  }

  /** An independent copy of all user-visible state, running on `mm` (fork, clone). */
  clone(mm: MM): X86Cpu {
    const c = new X86Cpu(mm);
    c.regs.set(this.regs);
    c.rip = this.rip;
    c.fsBase = this.fsB;
    c.gsBase = this.gsB;
    c.lz.set(this.lz);
    c.fop = this.fop;
    c.fcin = this.fcin;
    c.fl = this.fl;
    c.xmm.set(this.xmm);
    c.mxcsr = this.mxcsr;
    c.fpu = this.fpu.clone();
    c.instret = this.instret;
    c.readTime = this.readTime;
    return c;
  }

  /** Runs until a stop or until about `budget` instructions retired. */
  run(budget: number): X86Stop {
    const mmu = this.mmu;
    mmu.mm = this.mm;
    mmu.sync();
    if (this.u8 !== mmu.phys.u8) {
      this.u8 = mmu.phys.u8;
      this.dv = new DataView(mmu.phys.buffer);
    }
    const codeGen = mmu.phys.codeGen;
    let left = budget;
    let stop: X86Stop = X86Stop.Budget;
    let page: CodePage | null = null;
    let base = -1;
    while (left > 0) {
      const rip = this.rip;
      let b: Block | undefined;
      try {
        if (page === null || rip < base || rip >= base + PAGE_SIZE || page.gen !== codeGen[page.frame]) {
          page = mmu.codePage(rip);
          base = page.base;
        }
        const off = rip - base;
        b = page.blocks[off];
        // an instruction across the page end is valid while the next page's code is the same
        if (b !== undefined && b.page2 !== null && mmu.codePage(b.insns[0]!.next - 1) !== b.page2) b = undefined;
        if (b === undefined) {
          b = buildBlock(page, mmu.phys.u8, rip) ?? crossingBlock(mmu, page, rip);
          page.blocks[off] = b;
        }
      } catch (e) {
        if (e !== FAULT && e !== GP_FAULT) throw e;
        stop = e === FAULT ? X86Stop.Fault : X86Stop.GeneralProtection;
        break;
      }
      const insns = b.insns;
      const gen = page.gen;
      const frame = page.frame;
      let i = 0;
      if (b.fn === null && !b.noJit && ++b.hits > jitThreshold) {
        b.fn = compileBlock(b, gen, frame, codeGen);
        if (b.fn === null) b.noJit = true;
      }
      if (b.fn !== null && insns.length <= left) {
        let r: number;
        try {
          r = b.fn(this);
        } catch (e) {
          if (e !== FAULT && e !== GP_FAULT) throw e;
          i = this.jn;
          this.rip = insns[i]!.addr;
          stop = e === FAULT ? X86Stop.Fault : X86Stop.GeneralProtection;
          left -= i;
          break;
        }
        if (r === 0) i = insns.length;
        else {
          i = this.jn;
          if (r !== LEFT_EARLY) {
            stop = r;
            if (r === X86Stop.Syscall || r === X86Stop.Breakpoint) i++;
            else this.rip = insns[i]!.addr;
          }
        }
        left -= i;
        if (stop !== X86Stop.Budget) break;
        continue;
      }
      // Only as many instructions as the budget allows: a block is straight-line code, so its
      // first k instructions are exactly k steps.
      const n = insns.length <= left ? insns.length : left;
      try {
        for (; i < n; i++) {
          const d = insns[i]!;
          this.rip = d.next;
          const r = d.fn(this, d);
          if (r !== 0) {
            stop = r;
            if (r === X86Stop.Syscall || r === X86Stop.Breakpoint) i++;
            else this.rip = d.addr;
            break;
          }
          // a store into this page's code: the rest of the block may be stale
          if (codeGen[frame] !== gen) {
            i++;
            break;
          }
        }
      } catch (e) {
        if (e !== FAULT && e !== GP_FAULT) throw e;
        this.rip = insns[i]!.addr;
        stop = e === FAULT ? X86Stop.Fault : X86Stop.GeneralProtection;
      }
      left -= i;
      if (stop !== X86Stop.Budget) break;
    }
    this.instret += budget - left;
    if (stop === X86Stop.Fault) this.reportFault();
    return stop;
  }

  private reportFault(): void {
    const m = this.mmu;
    this.faultAddrBig = m.faultAddr;
    this.faultAddr = Number(m.faultAddr);
    this.faultAccess = ACCESS_NAMES[m.faultAccess]!;
    this.faultCode = m.faultCode;
  }

  // ---- registers ----

  /** Register r at `size` bytes, sign-extended. r 16..19 are ah, ch, dh, bh. */
  getReg(r: number, size: number): bigint {
    switch (size) {
      case 8: return this.regs[r]!;
      case 4: return BigInt(this.ri[r << 1]!);
      case 2: return BigInt((this.ri[r << 1]! << 16) >> 16);
      default: return r < 16 ? BigInt((this.ri[r << 1]! << 24) >> 24) : BigInt((this.ri[(r - 16) << 1]! << 16) >> 24);
    }
  }

  /** Writes register r at `size`; 32-bit writes zero the upper half, 8/16-bit writes merge. */
  setReg(r: number, size: number, v: bigint): void {
    const ri = this.ri;
    switch (size) {
      case 8: this.regs[r] = v; return;
      // one BigInt operation and a 64-bit store: about twice as fast as going through Number
      case 4: this.regs[r] = BigInt.asUintN(32, v); return;
      case 2: ri[r << 1] = (ri[r << 1]! & ~0xffff) | Number(v & 0xffffn); return;
      default:
        if (r < 16) ri[r << 1] = (ri[r << 1]! & ~0xff) | Number(v & 0xffn);
        else ri[(r - 16) << 1] = (ri[(r - 16) << 1]! & ~0xff00) | (Number(v & 0xffn) << 8);
    }
  }

  /** Register r at `size` <= 4 bytes as a signed number (r 16..19 are ah..bh). */
  getRegN(r: number, size: number): number {
    const ri = this.ri;
    switch (size) {
      case 4: return ri[r << 1]!;
      case 2: return (ri[r << 1]! << 16) >> 16;
      default: return r < 16 ? (ri[r << 1]! << 24) >> 24 : (ri[(r - 16) << 1]! << 16) >> 24;
    }
  }

  /** Writes the number v to register r at `size` <= 4 (32-bit writes zero the upper half). */
  setRegN(r: number, size: number, v: number): void {
    const ri = this.ri;
    switch (size) {
      case 4: ri[r << 1] = v; ri[(r << 1) + 1] = 0; return;
      case 2: ri[r << 1] = (ri[r << 1]! & ~0xffff) | (v & 0xffff); return;
      default:
        if (r < 16) ri[r << 1] = (ri[r << 1]! & ~0xff) | (v & 0xff);
        else ri[(r - 16) << 1] = (ri[(r - 16) << 1]! & ~0xff00) | ((v & 0xff) << 8);
    }
  }

  /** Register r as a signed double (exact below 2^53 in magnitude): for addresses and counts. */
  regN(r: number): number {
    return this.ri[(r << 1) + 1]! * TWO32 + (this.ri[r << 1]! >>> 0);
  }

  // ---- memory ----

  /** The effective address of d's memory operand (with fs:/gs:), or a fault for a non-canonical one. */
  ea(d: Insn): number {
    let a = d.disp;
    const ri = this.ri;
    // a register of 2^52 or more in magnitude is not exact as a double (and a sum of such ones
    // can land in the user range, e.g. 0x7ffffffffffffff6 + 0x8000000000000000): exactly then
    if (d.base >= 0) {
      const h = ri[(d.base << 1) + 1]!;
      if (h >= HI_EXACT || h < -HI_EXACT) return this.eaSlow(d);
      a += h * TWO32 + (ri[d.base << 1]! >>> 0);
    }
    if (d.index >= 0) {
      const h = ri[(d.index << 1) + 1]!;
      if (h >= HI_EXACT || h < -HI_EXACT) return this.eaSlow(d);
      a += (h * TWO32 + (ri[d.index << 1]! >>> 0)) * d.scale;
    }
    if (d.asz === 4) a = (a % TWO32 + TWO32) % TWO32;
    if (d.seg !== 0) a += d.seg === SEG_FS ? this.fsN : this.gsN;
    if (a >= 0 && a < ADDR_LIMIT) return a;
    return this.eaSlow(d);
  }

  /** a + off for an operand that reaches past its ModRM address (bt with a register offset). */
  eaPlus(a: number, off: number): number {
    const r = a + off;
    if (!(r >= 0 && r < ADDR_LIMIT)) throw GP_FAULT;
    return r;
  }

  // The exact 64-bit sum when the double one left the user range (wraps, huge operands).
  private eaSlow(d: Insn): number {
    let a = BigInt(d.disp);
    if (d.base >= 0) a += this.regs[d.base]!;
    if (d.index >= 0) a += this.regs[d.index]! * BigInt(d.scale);
    if (d.asz === 4) a = BigInt.asUintN(32, a);
    if (d.seg !== 0) a += d.seg === SEG_FS ? this.fsB : this.gsB;
    a = BigInt.asUintN(64, a);
    if (a < BIG_LIMIT) return Number(a);
    if (a < KERNEL_START) throw GP_FAULT;
    this.mmu.fault(a, ACCESS_READ, 1); // a canonical kernel address: a page fault, as on Linux
    throw FAULT;
  }

  /** Loads `size` bytes at a, sign-extended. */
  rd(a: number, size: number): bigint {
    const vpn = Math.floor(a / PAGE_SIZE);
    const off = a & 4095;
    const e = vpn & TLB_MASK;
    if (this.rtag[e] === vpn && off + size <= PAGE_SIZE) {
      const h = this.rbase[e]! + off;
      switch (size) {
        case 8: return this.dv.getBigInt64(h, true);
        case 4: return BigInt(this.dv.getInt32(h, true));
        case 2: return BigInt(this.dv.getInt16(h, true));
        default: return BigInt((this.u8[h]! << 24) >> 24);
      }
    }
    return this.rdSlow(a, size);
  }

  /** Loads `size` <= 4 bytes at a as a signed number. */
  rdN(a: number, size: number): number {
    const vpn = Math.floor(a / PAGE_SIZE);
    const off = a & 4095;
    const e = vpn & TLB_MASK;
    if (this.rtag[e] === vpn && off + size <= PAGE_SIZE) {
      const h = this.rbase[e]! + off;
      switch (size) {
        case 4: return this.dv.getInt32(h, true);
        case 2: return this.dv.getInt16(h, true);
        default: return (this.u8[h]! << 24) >> 24;
      }
    }
    return Number(this.rdSlow(a, size));
  }

  /** Stores the low `size` bytes of v at a. */
  wr(a: number, size: number, v: bigint): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const off = a & 4095;
    const e = vpn & TLB_MASK;
    if (this.wtag[e] === vpn && off + size <= PAGE_SIZE) {
      const h = this.wbase[e]! + off;
      switch (size) {
        case 8: this.dv.setBigInt64(h, v, true); return;
        case 4: this.dv.setInt32(h, Number(BigInt.asIntN(32, v)), true); return;
        case 2: this.dv.setInt16(h, Number(v & 0xffffn), true); return;
        default: this.u8[h] = Number(v & 0xffn); return;
      }
    }
    this.wrSlow(a, size, v);
  }

  /** Stores the low `size` <= 4 bytes of the number v at a. */
  wrN(a: number, size: number, v: number): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const off = a & 4095;
    const e = vpn & TLB_MASK;
    if (this.wtag[e] === vpn && off + size <= PAGE_SIZE) {
      const h = this.wbase[e]! + off;
      switch (size) {
        case 4: this.dv.setInt32(h, v, true); return;
        case 2: this.dv.setInt16(h, v, true); return;
        default: this.u8[h] = v; return;
      }
    }
    this.wrSlow(a, size, BigInt(v | 0));
  }

  /** Host offsets of the bytes [a, a+size) for `access` (page-crossing aware); throws FAULT. */
  private span(a: number, size: number, access: number): [number, number, number] {
    if (!(a >= 0 && a < ADDR_LIMIT)) {
      this.mmu.fault(a < 0 ? 0 : a, access, 1);
      throw FAULT;
    }
    const first = Math.min(size, PAGE_SIZE - (a % PAGE_SIZE));
    const h1 = this.mmu.translate(a, access);
    const h2 = first < size ? this.mmu.translate(a + first, access) : 0;
    return [h1, h2, first];
  }

  private rdSlow(a: number, size: number): bigint {
    const [h1, h2, first] = this.span(a, size, ACCESS_READ);
    const u8 = this.mmu.phys.u8;
    let v = 0n;
    for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(u8[k < first ? h1 + k : h2 + k - first]!);
    return BigInt.asIntN(size * 8, v);
  }

  private wrSlow(a: number, size: number, v: bigint): void {
    const [h1, h2, first] = this.span(a, size, ACCESS_WRITE);
    const u8 = this.mmu.phys.u8;
    for (let k = 0; k < size; k++) {
      u8[k < first ? h1 + k : h2 + k - first] = Number((v >> BigInt(8 * k)) & 0xffn);
    }
  }

  /** Checks that [a, a+size) is writable without writing (for multi-part stores). */
  probeWrite(a: number, size: number): void {
    this.span(a, size, ACCESS_WRITE);
  }

  /** Stores n copies of byte v from a on, page by page; returns how many it stored before a fault. */
  fill(a: number, n: number, v: number): number {
    let done = 0;
    try {
      while (done < n) {
        const h = this.mmu.translate(a + done, ACCESS_WRITE);
        const k = Math.min(n - done, PAGE_SIZE - ((a + done) % PAGE_SIZE));
        this.mmu.phys.u8.fill(v, h, h + k);
        done += k;
      }
    } catch (e) {
      if (e !== FAULT) throw e;
    }
    return done;
  }

  /** Reads 16 bytes at a into xmm register x (the register is written only after both loads). */
  rd128(a: number, x: number): void {
    const lo = this.rd(a, 8);
    const hi = this.rd(a + 8, 8);
    this.xmm[x << 1] = lo;
    this.xmm[(x << 1) + 1] = hi;
  }

  /** Stores xmm register x at a (both halves checked before either is written). */
  wr128(a: number, x: number): void {
    if ((a & 4095) > 4080) this.probeWrite(a, 16);
    this.wr(a, 8, this.xmm[x << 1]!);
    this.wr(a + 8, 8, this.xmm[(x << 1) + 1]!);
  }

  // ---- stack ----

  push(v: bigint, size = 8): void {
    const sp = this.regN(4) - size;
    this.wr(sp, size, v);
    this.setRegA(4, sp);
  }

  pop(size = 8): bigint {
    const sp = this.regN(4);
    const v = this.rd(sp, size);
    this.setRegA(4, sp + size);
    return v;
  }

  // The 64-bit stack operations below move values as int32 halves (lo, hi): no BigInt is made
  // for a call, ret, or push/pop of a register.

  /** Sets register r to the integer a, 0 <= a < 2^53 (stack pointers, return addresses). */
  setRegA(r: number, a: number): void {
    const lo = a % TWO32;
    this.ri[r << 1] = lo;
    this.ri[(r << 1) + 1] = (a - lo) / TWO32;
  }

  /** Pushes the 64-bit value hi:lo. */
  push64(lo: number, hi: number): void {
    const sp = this.regN(4) - 8;
    this.st64(sp, lo, hi);
    this.setRegA(4, sp);
  }

  /** Loads 8 bytes at a into register r (as int32 halves). */
  ld64To(a: number, r: number): void {
    const lo = this.ld64(a); // a fault throws before the register changes
    this.ri[r << 1] = lo;
    this.ri[(r << 1) + 1] = this.hi;
  }

  /** Loads 8 bytes at a: returns the low int32 half, leaves the high one in this.hi. */
  ld64(a: number): number {
    const vpn = Math.floor(a / PAGE_SIZE);
    const off = a & 4095;
    const e = vpn & TLB_MASK;
    if (this.rtag[e] === vpn && off + 8 <= PAGE_SIZE) {
      const h = this.rbase[e]! + off;
      this.hi = this.dv.getInt32(h + 4, true);
      return this.dv.getInt32(h, true);
    }
    const v = this.rdSlow(a, 8);
    this.hi = Number(BigInt.asIntN(32, v >> 32n));
    return Number(BigInt.asIntN(32, v));
  }

  /** Stores the 64-bit value hi:lo at a. */
  st64(a: number, lo: number, hi: number): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const off = a & 4095;
    const e = vpn & TLB_MASK;
    if (this.wtag[e] === vpn && off + 8 <= PAGE_SIZE) {
      const h = this.wbase[e]! + off;
      this.dv.setInt32(h, lo, true);
      this.dv.setInt32(h + 4, hi, true);
      return;
    }
    this.wrSlow(a, 8, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
  }

  /** Stores register r's 8 bytes at a. */
  st64From(a: number, r: number): void {
    this.st64(a, this.ri[r << 1]!, this.ri[(r << 1) + 1]!);
  }

  /** Pushes the address 0 <= a < 2^53 (call). */
  pushA(a: number): void {
    const lo = a % TWO32;
    this.push64(lo, (a - lo) / TWO32);
  }

  /** Pops 8 bytes into register r. */
  popTo(r: number): void {
    const sp = this.regN(4);
    const vpn = Math.floor(sp / PAGE_SIZE);
    const off = sp & 4095;
    const e = vpn & TLB_MASK;
    if (this.rtag[e] === vpn && off + 8 <= PAGE_SIZE) {
      const h = this.rbase[e]! + off;
      const lo = this.dv.getInt32(h, true);
      const hi = this.dv.getInt32(h + 4, true);
      this.setRegA(4, sp + 8); // before r, which may be rsp itself (pop rsp loads the value)
      this.ri[r << 1] = lo;
      this.ri[(r << 1) + 1] = hi;
      return;
    }
    const v = this.rd(sp, 8);
    this.setRegA(4, sp + 8);
    this.regs[r] = v;
  }

  /** Pops 8 bytes as an unsigned double (a return address), then adds `extra` to rsp. */
  popAddr(extra: number): number {
    const sp = this.regN(4);
    const vpn = Math.floor(sp / PAGE_SIZE);
    const off = sp & 4095;
    const e = vpn & TLB_MASK;
    let t: number;
    if (this.rtag[e] === vpn && off + 8 <= PAGE_SIZE) {
      const h = this.rbase[e]! + off;
      t = (this.dv.getInt32(h + 4, true) >>> 0) * TWO32 + (this.dv.getInt32(h, true) >>> 0);
    } else {
      t = Number(BigInt.asUintN(64, this.rd(sp, 8)));
    }
    this.setRegA(4, sp + 8 + extra);
    return t;
  }
}
