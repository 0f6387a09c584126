// A CPU's side of the translation tier, made when its first region gets hot (nothing of the
// tier runs before): the imports compiled regions call (the TLB fill, the helpers for
// instructions without an inline form) and where they find the register file and the TLB.

import * as alu from "../alu.ts";
import { atomic } from "../atomic.ts";
import { bitmanip } from "../bitmanip.ts";
import type { RiscvCpu } from "../cpu.ts";
import type { FpOp } from "../fp/index.ts";
import { Op } from "../opcodes.ts";
import type { WasmHost } from "./compile.ts";
import type { RegionTable } from "./chain.ts";
import { wasmTlbOf, type WasmTlb } from "./tlb.ts";
import { RF_MISS } from "../regfile.ts";
import { BAIL, CODE_CHANGED } from "./translate.ts";

export class CpuWasmHost implements WasmHost {
  readonly regs: BigInt64Array;
  readonly xi: Int32Array;
  readonly rfBase: number;
  readonly pcOut: Float64Array;
  readonly leftOut: Int32Array;
  readonly missAddr: BigInt64Array;
  readonly missKind: Int32Array;
  readonly memory: unknown;
  readonly memoryPages: number;
  readonly tlb: WasmTlb;
  readonly tlbRead: number;
  readonly tlbWrite: number;
  readonly regions: RegionTable;
  /** The table entries this CPU's regions hold. */
  private readonly own: number[] = [];
  // where a region left off, for the interpreter (RiscvCpu.jpc/jleft, as the JS regions set them)
  set jpc(v: number) {
    this.cpu.jpc = v;
  }
  set jleft(v: number) {
    this.cpu.jleft = v;
  }

  constructor(private readonly cpu: RiscvCpu) {
    const phys = cpu.mm.phys;
    this.regs = cpu.regs;
    this.xi = cpu.xi;
    this.rfBase = cpu.rf.base;
    this.pcOut = cpu.rf.pcOut;
    this.leftOut = cpu.rf.leftOut;
    this.missAddr = new BigInt64Array(cpu.regs.buffer, this.rfBase + RF_MISS, 1);
    this.missKind = new Int32Array(cpu.regs.buffer, this.rfBase + RF_MISS + 8, 1);
    this.memory = phys.memory;
    this.memoryPages = phys.buffer.byteLength / 65536;
    this.tlb = wasmTlbOf(phys);
    this.tlbRead = this.tlb.base;
    this.tlbWrite = this.tlb.wbase;
    this.regions = this.tlb.regions;
  }

  /** Enters one of this CPU's regions in the shared table; its index. */
  addRegion(f: unknown): number {
    const i = this.regions.add(f);
    this.own.push(i);
    return i;
  }

  /** Gives this CPU's table entries back (it will not run again), and forgets chained jumps to them. */
  release(): void {
    for (const i of this.own) this.regions.remove(i);
    this.own.length = 0;
    this.tlb.jflush();
  }

  fill(a: bigint, kind: number): number {
    return this.cpu.mmu.wasmFill(a, kind);
  }

  run(kind: "fp" | "atomic" | "bitmanip" | "mulh", op: Op, rd: number, rs1: number, rs2: number, imm: number, fp: FpOp | null): () => number {
    const cpu = this.cpu;
    const regs = this.regs;
    const xi = this.xi;
    switch (kind) {
      case "fp":
        return () => (fp !== null && fp(cpu) ? 0 : BAIL);
      case "atomic":
        return () => {
          cpu.mmu.codeChanged = false;
          const s = atomic(cpu, op, rd, rs1, rs2);
          if (s !== 0) return s;
          return cpu.mmu.codeChanged ? CODE_CHANGED : 0;
        };
      case "bitmanip": {
        const immB = BigInt(imm);
        return () => {
          bitmanip(regs, xi, op, rd, rs1, rs2, imm, immB);
          return 0;
        };
      }
      default: {
        const f = op === Op.MULH ? alu.mulh : op === Op.MULHU ? alu.mulhu : alu.mulhsu;
        return () => {
          regs[rd] = f(regs[rs1]!, regs[rs2]!);
          return 0;
        };
      }
    }
  }
}
