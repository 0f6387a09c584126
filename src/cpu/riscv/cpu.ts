// The RV64GC hart: registers, and an interpreter loop that runs decoded instructions until a
// trap (ecall, fault, illegal instruction, breakpoint) or until its instruction budget is spent.
// It knows registers and memory, nothing of Linux: the kernel reads the stop reason.
//
// Performance notes (measured on Node 20, see tools/cpu-bench.mjs):
// - Registers live in a BigInt64Array; 64-bit arithmetic is BigInt.asIntN(64, ...), which
//   TurboFan lowers to machine int64 operations. An Int32Array view of the same registers gives
//   addresses and 32-bit operations as plain numbers: converting a BigInt to a Number is slow.
// - Each code page is decoded once into typed arrays (see codepage.ts); the loop fetches one
//   packed word per instruction and switches on its low byte.
// - Loads and stores go through inline software-TLB probes; everything else takes mmu.ts's slow
//   path, which leaves no architectural state changed when it faults.
// - Less common instructions run out of line (rare.ts): a case of this switch met for the first
//   time after TurboFan optimised run would deoptimise it, at 20-100 ms a recompile.
// - Hot code is compiled to JavaScript by jit/ (a region of a code page per function); the
//   interpreter counts executions of jump targets and calls compiled regions where they exist.
//   It also runs whatever compiled code hands back to it: cold paths, CSRs, ecall, TLB misses.

import type { MM } from "../../mm/mm.ts";
import { ACCESS_EXEC } from "../../mm/mm.ts";
import { PAGE_SIZE } from "../../mm/mman.ts";
import * as alu from "./alu.ts";
import { bitmanip, ltu, ltuImm } from "./bitmanip.ts";
import { atomic, type AtomicState } from "./atomic.ts";
import { CodePage, SLOTS } from "./codepage.ts";
import { JCACHE_MASK, Mmu, STORE_FAULT, STORE_OK, TLB_MASK } from "./mmu.ts";
import { LOAD_DONE, LOAD_RETRY, SIZE_MASK, STORE_RETRY, loadSlow, storeSlow } from "./slowpath.ts";
import { compileRegion, type JitEnv, type RegionFn } from "./jit/compile.ts";
import { MAX_REGION } from "./jit/region.ts";
import { Op } from "./opcodes.ts";
import { RARE_NEXT, RARE_REVALIDATE, runRare } from "./rare.ts";
import { jitMode } from "./jitmode.ts";
import { compileWasmRegion } from "./wasm/compile.ts";
import { CpuWasmHost } from "./wasm/host.ts";
import type { WasmTlb } from "./wasm/tlb.ts";
import { allocRegFile, type RegFile } from "./regfile.ts";
import { BUS_ADRALN, StopReason } from "./stop.ts";

export { StopReason } from "./stop.ts";

/** Entry executions before compiling; high enough that code run a few times stays interpreted. */
export const DEFAULT_JIT_THRESHOLD = 200;
/**
 * Instructions a JavaScript region retires, with the wasm tier on, before it is recompiled to
 * WebAssembly: a region that stays in JavaScript longer costs TurboFan's compiles and deopts of
 * it (and of run/runCompiled around it) more than its wasm compile (measured on CoreMark).
 */
export const WASM_PROMOTE = 10_000;
const CALL_WORK = 100;
/**
 * How much of the compiled code's work a JavaScript region must do to be promoted: its WASM_PROMOTE
 * instructions within WASM_SPARSE times as many of all regions'. A region that gets there only
 * slowly (a long-lived shell's code, run a little each time round its loop) would not repay its
 * WebAssembly compile: on a fork-and-exec loop the 148 such compiles cost more than all they saved.
 */
const WASM_SPARSE = 32;
/** A compiled region: wasm ones carry their table index; JavaScript ones count their work since the clock read `since`, or are jsOnly (no wasm form). */
type TieredFn = RegionFn & { wasmIndex?: number; jsOnly?: boolean; work?: number; since?: number };

const JIT_HELPERS = { ...alu, atomic, bitmanip };

const ACCESS_NAMES = ["read", "write", "exec"] as const;
export type FaultAccess = (typeof ACCESS_NAMES)[number];

export class RiscvCpu implements AtomicState {
  /** x0..x31, plus a sink at index 32 that decoded writes to x0 go to. */
  readonly regs: BigInt64Array;
  /** The 32 integer registers; x[0] stays 0. */
  readonly x: BigInt64Array;
  /** The registers as int32 halves: xi[2n] is the low word of x[n], xi[2n+1] the high word. */
  readonly xi: Int32Array;
  /** FP registers as raw 64-bit patterns (singles NaN-boxed). */
  readonly fbits: BigInt64Array;
  /** The same FP registers as doubles. */
  readonly f: Float64Array;
  /** The same FP registers as int32 halves. */
  readonly fi: Int32Array;
  /** Where the registers live (in physical memory, for the WebAssembly tier). */
  readonly rf: RegFile;
  fflags = 0;
  frm = 0;
  pc = 0;
  /** Retired instructions (cycle and instret read this). */
  instret = 0;
  /** The work of compiled code, as tierUp counts it: the clock regions' heat is measured against. */
  private tierClock = 0;
  /** The time CSR's source; the kernel makes it a 10 MHz clock. */
  readTime: () => bigint = () => 0n;
  /** The address space; the kernel may replace it (exec, context switch). */
  mm: MM;

  /** After a Fault or Misaligned stop: the first faulting byte address (exact in faultAddrBig). */
  faultAddr = 0;
  faultAddrBig = 0n;
  faultAccess: FaultAccess = "read";
  /** si_code: SEGV_MAPERR (1) / SEGV_ACCERR (2) for Fault, BUS_ADRALN (1) for Misaligned. */
  faultCode = 0;
  /** After an IllegalInsn stop: the instruction bits (16 bits for a compressed one). */
  illegalInsn = 0;

  readonly mmu: Mmu;
  resAddr = -1;
  resSize = 0;

  /** Executions of an entry point before its region is compiled; 0 disables the block compiler. */
  jitThreshold = DEFAULT_JIT_THRESHOLD;
  /** Whether hot regions are compiled to WebAssembly (else to JavaScript). */
  wasmTier = false;
  /** The translation tier's state, made at the first hot region. */
  private wasm: CpuWasmHost | null = null;
  /** wasm's TLB, which run() claims on entry (null before the tier exists). */
  private wasmTlb: WasmTlb | null = null;
  /** Where compiled code left off: the next pc and the remaining budget. */
  jpc = 0;
  jleft = 0;
  /** Statistics: calls into compiled regions, instructions retired there, regions compiled. */
  jitCalls = 0;
  jitInsns = 0;
  jitCompiles = 0;
  /** Of which regions compiled to WebAssembly. */
  wasmCompiles = 0;

  constructor(mm: MM) {
    this.mm = mm;
    this.mmu = new Mmu(mm);
    const rf = (this.rf = allocRegFile(mm.phys, this));
    this.regs = rf.regs;
    this.x = rf.regs.subarray(0, 32);
    this.xi = new Int32Array(rf.regs.buffer, rf.regs.byteOffset, 66);
    this.fbits = rf.fbits;
    this.f = new Float64Array(rf.fbits.buffer, rf.fbits.byteOffset, 32);
    this.fi = new Int32Array(rf.fbits.buffer, rf.fbits.byteOffset, 64);
    const mode = jitMode();
    if (mode === "interp") this.jitThreshold = 0;
    else if (mode === "wasm-always") this.jitThreshold = 1;
    this.wasmTier = (mode === "wasm" || mode === "wasm-always") && rf.base >= 0;
  }

  /** Forgets decoded instructions (fence.i, exec, the kernel's riscv_flush_icache). */
  flushDecodeCache(): void {
    this.mmu.flushCode();
  }

  /**
   * The task is gone (exit) or has a new CPU (exec): what it compiled leaves the shared region
   * table. Its registers stay readable; should it run again, it compiles afresh.
   */
  release(): void {
    this.mmu.flushCode();
    this.wasm?.release();
    this.wasm = null;
  }

  /** Runs until a trap or until about maxInsns instructions retired; returns why it stopped. */
  run(maxInsns: number): StopReason {
    const mmu = this.mmu;
    mmu.mm = this.mm;
    mmu.sync();
    mmu.claimWasmTlb(this.wasmTlb);
    this.resAddr = -1; // like Linux, which clears the reservation on every return to user mode
    const regs = this.regs;
    const xi = this.xi;
    const { u8, i32, i64 } = mmu.phys;
    const { rtag, rbase, wtag, wbase } = mmu;
    let pc = this.pc;
    let left = maxInsns;
    let stop: StopReason = StopReason.Budget;
    let next: CodePage | null = null;
    const jitThreshold = Math.min(this.jitThreshold, 0xffff); // heat counters are 16-bit
    let fromJit = false;

    outer: for (;;) {
      let page: CodePage | null = next;
      next = null;
      if (page === null) {
        if (pc % 2 !== 0) {
          mmu.fault(BigInt.asUintN(64, BigInt(pc)), ACCESS_EXEC, BUS_ADRALN);
          stop = StopReason.Misaligned;
          break;
        }
        page = mmu.codePage(pc);
        if (page === null) {
          stop = StopReason.Fault;
          break;
        }
      }
      const code = page.code;
      const imm = page.imm;
      const immB = page.immB;
      const base = page.base;
      const end = page.end;

      // pc is at an entry point (a jump target): run compiled code for it, or count its heat
      entry: for (;;) {
        // after compiled code returns, interpret at least one instruction: it may have stopped
        // just before an instruction it cannot do (a TLB miss, say), which must make progress
        if (jitThreshold > 0 && !fromJit) {
          const i = (pc - base) >> 1;
          const f = page.blocks?.[i];
          if (f !== undefined) {
            // a region runs a whole block or nothing: with less budget left, interpret
            if (left >= MAX_REGION) {
              const r = this.runCompiled(f, i, page, pc, left);
              pc = this.jpc;
              left = this.jleft;
              if (r > 0) {
                stop = r;
                break outer;
              }
              fromJit = r < 0; // BAIL_OUT: the instruction at pc needs the interpreter
              continue outer;
            }
          } else if (++page.heat[i]! >= jitThreshold) {
            page.heat[i] = 0;
            if (this.compile(page, i)) continue entry;
          }
        }

        fromJit = false;

        // interpret up to the next jump target (where `continue entry` goes)
        for (;;) {
          const i = (pc - base) >> 1;
          let w = code[i]!;
          if (w === 0) w = this.decodeSlot(page, i);
          if (left <= 0) break outer;
          left--;
          switch (w & 0xff) {
            // ---- control transfer ----
            case Op.JAL:
              regs[(w >>> 8) & 63] = immB[i]!;
              pc += imm[i]!;
              if (pc < base || pc >= end) continue outer;
              continue entry;
            case Op.JALR: {
              const r = (w >>> 13) & 62;
              const t = xi[r + 1]! * 4294967296 + (xi[r]! >>> 0) + imm[i]!;
              regs[(w >>> 8) & 63] = immB[i]!;
              pc = t - (t & 1);
              if (pc < base || pc >= end) continue outer;
              continue entry;
            }
            case Op.BEQ:
              if (regs[(w >>> 14) & 31] === regs[(w >>> 19) & 31]) {
                pc += imm[i]!;
                if (pc < base || pc >= end) continue outer;
                continue entry;
              }
              pc += w >>> 24;
              continue;
            case Op.BNE:
              if (regs[(w >>> 14) & 31] !== regs[(w >>> 19) & 31]) {
                pc += imm[i]!;
                if (pc < base || pc >= end) continue outer;
                continue entry;
              }
              pc += w >>> 24;
              continue;
            case Op.BLT:
              if (regs[(w >>> 14) & 31]! < regs[(w >>> 19) & 31]!) {
                pc += imm[i]!;
                if (pc < base || pc >= end) continue outer;
                continue entry;
              }
              pc += w >>> 24;
              continue;
            case Op.BGE:
              if (regs[(w >>> 14) & 31]! >= regs[(w >>> 19) & 31]!) {
                pc += imm[i]!;
                if (pc < base || pc >= end) continue outer;
                continue entry;
              }
              pc += w >>> 24;
              continue;
            case Op.BLTU:
              if (ltu(xi, (w >>> 13) & 62, (w >>> 18) & 62)) {
                pc += imm[i]!;
                if (pc < base || pc >= end) continue outer;
                continue entry;
              }
              pc += w >>> 24;
              continue;
            case Op.BGEU:
              if (!ltu(xi, (w >>> 13) & 62, (w >>> 18) & 62)) {
                pc += imm[i]!;
                if (pc < base || pc >= end) continue outer;
                continue entry;
              }
              pc += w >>> 24;
              continue;

            // ---- loads ----
            case Op.LBU: case Op.LW: case Op.LD: {
              const r = (w >>> 13) & 62;
              const a = xi[r + 1]! * 4294967296 + (xi[r]! >>> 0) + imm[i]!;
              const vpn = Math.floor(a / PAGE_SIZE);
              const e = vpn & TLB_MASK;
              const op = w & 0xff;
              const h = rbase[e]! + (a & 4095);
              if (rtag[e] !== vpn || (a & SIZE_MASK[op]!) !== 0) {
                const s = loadSlow(this, w, imm[i]!);
                if (s !== LOAD_DONE) {
                  left++;
                  if (s === LOAD_RETRY) continue;
                  stop = StopReason.Fault;
                  break outer;
                }
              } else {
                const rd = (w >>> 8) & 63;
                switch (op) {
                  case Op.LD: regs[rd] = i64[h >> 3]!; break;
                  case Op.LW: regs[rd] = BigInt(i32[h >> 2]!); break;
                  default: regs[rd] = BigInt(u8[h]!); break;
                }
              }
              pc += w >>> 24;
              continue;
            }
            // ---- stores ----
            case Op.SB: case Op.SW: case Op.SD: {
              const r = (w >>> 13) & 62;
              const a = xi[r + 1]! * 4294967296 + (xi[r]! >>> 0) + imm[i]!;
              const vpn = Math.floor(a / PAGE_SIZE);
              const e = vpn & TLB_MASK;
              const op = w & 0xff;
              if (wtag[e] !== vpn || (a & SIZE_MASK[op]!) !== 0) {
                const s = storeSlow(this, w, imm[i]!);
                if (s !== STORE_OK) {
                  if (s === STORE_RETRY) {
                    left++;
                    continue;
                  }
                  if (s === STORE_FAULT) {
                    left++;
                    stop = StopReason.Fault;
                    break outer;
                  }
                  pc += w >>> 24;
                  continue outer; // the store changed code: revalidate the page
                }
              } else {
                const h = wbase[e]! + (a & 4095);
                const s2 = (w >>> 18) & 62;
                switch (op) {
                  case Op.SD: i64[h >> 3] = regs[s2 >> 1]!; break;
                  case Op.SW: i32[h >> 2] = xi[s2]!; break;
                  default: u8[h] = xi[s2]!; break; // SB
                }
              }
              pc += w >>> 24;
              continue;
            }

            // ---- integer computation ----
            case Op.LUI:
              regs[(w >>> 8) & 63] = immB[i]!;
              break;
            case Op.AUIPC:
              regs[(w >>> 8) & 63] = immB[i]!;
              break;
            case Op.ADDI:
              regs[(w >>> 8) & 63] = BigInt.asIntN(64, regs[(w >>> 14) & 31]! + immB[i]!);
              break;
            case Op.SLTIU:
              regs[(w >>> 8) & 63] = ltuImm(xi, (w >>> 13) & 62, imm[i]!) ? 1n : 0n;
              break;
            case Op.XORI:
              regs[(w >>> 8) & 63] = regs[(w >>> 14) & 31]! ^ immB[i]!;
              break;
            case Op.ORI:
              regs[(w >>> 8) & 63] = regs[(w >>> 14) & 31]! | immB[i]!;
              break;
            case Op.ANDI:
              regs[(w >>> 8) & 63] = regs[(w >>> 14) & 31]! & immB[i]!;
              break;
            case Op.SLLI:
              regs[(w >>> 8) & 63] = alu.sll64(regs[(w >>> 14) & 31]!, imm[i]!);
              break;
            case Op.SRLI:
              alu.srl64(xi, (w >>> 7) & 126, (w >>> 13) & 62, imm[i]!);
              break;
            case Op.SRAI:
              alu.sra64(xi, (w >>> 7) & 126, (w >>> 13) & 62, imm[i]!);
              break;
            case Op.ADD:
              regs[(w >>> 8) & 63] = BigInt.asIntN(64, regs[(w >>> 14) & 31]! + regs[(w >>> 19) & 31]!);
              break;
            case Op.SUB:
              regs[(w >>> 8) & 63] = BigInt.asIntN(64, regs[(w >>> 14) & 31]! - regs[(w >>> 19) & 31]!);
              break;
            case Op.XOR:
              regs[(w >>> 8) & 63] = regs[(w >>> 14) & 31]! ^ regs[(w >>> 19) & 31]!;
              break;
            case Op.OR:
              regs[(w >>> 8) & 63] = regs[(w >>> 14) & 31]! | regs[(w >>> 19) & 31]!;
              break;
            case Op.AND:
              regs[(w >>> 8) & 63] = regs[(w >>> 14) & 31]! & regs[(w >>> 19) & 31]!;
              break;
            case Op.ADDIW:
              regs[(w >>> 8) & 63] = BigInt((xi[(w >>> 13) & 62]! + imm[i]!) | 0);
              break;
            case Op.SLLIW:
              regs[(w >>> 8) & 63] = BigInt(xi[(w >>> 13) & 62]! << imm[i]!);
              break;
            case Op.SRLIW:
              regs[(w >>> 8) & 63] = BigInt((xi[(w >>> 13) & 62]! >>> imm[i]!) | 0);
              break;
            case Op.SRAIW:
              regs[(w >>> 8) & 63] = BigInt(xi[(w >>> 13) & 62]! >> imm[i]!);
              break;
            case Op.ADDW:
              regs[(w >>> 8) & 63] = BigInt((xi[(w >>> 13) & 62]! + xi[(w >>> 18) & 62]!) | 0);
              break;

            // ---- M ----
            case Op.MUL:
              regs[(w >>> 8) & 63] = BigInt.asIntN(64, regs[(w >>> 14) & 31]! * regs[(w >>> 19) & 31]!);
              break;

            // ---- traps and page ends; the less common instructions are in rare.ts ----
            case Op.ECALL:
              stop = StopReason.Ecall;
              break outer;
            case Op.PAGE_END:
              left++;
              continue outer;
            case Op.CROSS_PAGE:
              left++;
              next = mmu.crossingPage(pc);
              if (next === null) {
                stop = StopReason.Fault;
                break outer;
              }
              continue outer;
            default: {
              const s = runRare(this, w, i, page, maxInsns - left);
              if (s === RARE_NEXT) break;
              if (s === RARE_REVALIDATE) {
                pc += w >>> 24;
                continue outer;
              }
              left++;
              stop = s;
              break outer;
            }
          }
          // cases that `break` fall through to the next instruction
          pc += w >>> 24;
        }
      }
    }

    this.pc = pc;
    this.instret += maxInsns - left;
    if (stop === StopReason.Fault || stop === StopReason.Misaligned) this.reportFault();
    return stop;
  }

  // Runs compiled region f from slot i, then chains straight into further compiled regions
  // while their exits are ordinary (calls, returns, jumps off the page). Leaves the next pc and
  // budget in jpc/jleft; returns 0, BAIL_OUT or a StopReason.
  private runCompiled(f: RegionFn, i: number, page: CodePage, pc: number, left: number): number {
    const mmu = this.mmu;
    const { jtag, jent } = mmu;
    const codeGen = mmu.phys.codeGen;
    const before = left;
    let r = f(i, left);
    if (this.wasmTier) this.tierUp(f, page, i, left - this.jleft);
    let calls = 1;
    mmu.rememberRegion(pc, f, i, page);
    while (r === 0 && this.jleft >= MAX_REGION) {
      const at = this.jpc;
      const e = (at >> 1) & JCACHE_MASK;
      if (jtag[e] !== at) break;
      const j = jent[e]!;
      if (j.page.gen !== codeGen[j.page.frame]) break;
      let fn = j.fn;
      if (this.wasmTier && (fn as TieredFn).wasmIndex === undefined) {
        // the entry may have been recompiled to wasm since it was cached
        const now = j.page.blocks?.[j.slot];
        if (now !== undefined && now !== fn) {
          fn = now;
          mmu.rememberRegion(at, fn, j.slot, j.page);
        }
      }
      const was = this.jleft;
      r = fn(j.slot, was);
      if (this.wasmTier) this.tierUp(fn, j.page, j.slot, was - this.jleft);
      calls++;
    }
    this.jitCalls += calls;
    this.jitInsns += before - this.jleft;
    return r;
  }

  // Compiles the region entered at slot i and installs it at every entry it covers. With the
  // wasm tier on, a region becomes JavaScript first (cheap to make) and WebAssembly only once it
  // has shown it is hot and dense (tierUp): a short program, start-up code that is hot for a
  // moment, or a process that runs much code a little never pays for wasm compiles, the tables
  // and background optimisation. (Regions used to go to wasm at once after 2M instructions: on
  // a shell's fork-and-exec loop, that and sparse promotions made the tier a net loss.)
  private compile(page: CodePage, i: number): boolean {
    if (page.frame < 0) return false;
    const phys = this.mmu.phys;
    const word = (j: number) => page.code[j] || this.decodeSlot(page, j);
    const direct = this.jitThreshold <= 1;
    let compiled = this.wasmTier && direct ? this.compileWasm(page, i, word) : null;
    if (compiled === null) {
      const env: JitEnv = { mem: phys, tlb: this.mmu, helpers: JIT_HELPERS };
      compiled = compileRegion(this, env, page, i, word);
    }
    if (compiled === null) return false;
    this.jitCompiles++;
    const blocks = (page.blocks ??= new Array<RegionFn | undefined>(SLOTS).fill(undefined));
    for (const e of compiled.entries) blocks[e] ??= compiled.fn;
    blocks[i] = compiled.fn;
    return true;
  }

  // Counts the instructions JavaScript region f retired (entered at slot i); once they pass
  // WASM_PROMOTE densely enough (WASM_SPARSE; else the count starts again), recompiles the
  // region to WebAssembly and installs that at its entries and in the chaining cache (f stays
  // where the wasm one does not cover).
  private tierUp(f: RegionFn, page: CodePage, i: number, retired: number): void {
    const t = f as TieredFn;
    const clock = (this.tierClock += retired + CALL_WORK);
    if (t.wasmIndex !== undefined || t.jsOnly === true) return;
    t.since ??= clock - retired - CALL_WORK;
    // a call costs about CALL_WORK instructions' worth on its own, and wasm chains calls:
    // a tiny region called often (a page's last instruction, say) is worth compiling too
    if ((t.work = (t.work ?? 0) + retired + CALL_WORK) < WASM_PROMOTE || page.frame < 0) return;
    if (clock - t.since > WASM_SPARSE * t.work) {
      t.work = 0;
      t.since = clock;
      return;
    }
    const compiled = this.compileWasm(page, i, (j: number) => page.code[j] || this.decodeSlot(page, j));
    if (compiled === null) {
      t.jsOnly = true;
      return;
    }
    this.jitCompiles++;
    const blocks = page.blocks!;
    for (const e of compiled.entries) if ((blocks[e] as TieredFn | undefined)?.wasmIndex === undefined) blocks[e] = compiled.fn;
    blocks[i] = compiled.fn;
    this.mmu.rememberRegion(page.base + 2 * i, compiled.fn, i, page);
  }

  // The region as WebAssembly, or null to leave it to the block compiler.
  private compileWasm(page: CodePage, i: number, word: (j: number) => number): ReturnType<typeof compileWasmRegion> {
    if (this.mm.phys.buffer !== this.rf.regs.buffer) return null; // another memory than the registers'
    if (this.wasm === null) {
      this.wasm = new CpuWasmHost(this);
      this.wasmTlb = this.wasm.tlb;
      this.mmu.claimWasmTlb(this.wasmTlb);
    }
    const compiled = compileWasmRegion(this.wasm, page, i, word);
    if (compiled !== null) this.wasmCompiles++;
    return compiled;
  }

  // Fills slot i of a page from the instruction bytes of its frame.
  private decodeSlot(page: CodePage, i: number): number {
    const u16 = this.mmu.phys.u16;
    const h = page.frame * (PAGE_SIZE / 2) + i;
    const lo = u16[h]!;
    if ((lo & 3) !== 3) return page.fill(i, lo);
    if (i === SLOTS - 1) return page.fillCrossing(i, lo);
    return page.fill(i, lo | (u16[h + 1]! << 16));
  }

  private reportFault(): void {
    const m = this.mmu;
    this.faultAddrBig = m.faultAddr;
    this.faultAddr = Number(m.faultAddr);
    this.faultAccess = ACCESS_NAMES[m.faultAccess]!;
    this.faultCode = m.faultCode;
  }
}
