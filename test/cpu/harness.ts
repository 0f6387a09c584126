// Runs small programs on RiscvCpu: code at CODE (r-x), data at DATA (rw-), a stack below STACK_TOP.

import { RiscvCpu, StopReason } from "../../src/cpu/riscv/cpu.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";
import { assemble } from "./asm.ts";

export const CODE = 0x10000;
export const DATA = 0x20000;
export const STACK_TOP = 0x80000;

let phys: PhysMem | null = null;

/** A small shared frame pool for tests (each MM releases its frames when a test ends). */
export function testPhys(): PhysMem {
  phys ??= new PhysMem(256 * 1024 * 1024);
  return phys;
}

/** A CPU over a fresh MM with `code` mapped at CODE, 2 data pages and a stack. */
export function boot(code: Uint8Array | readonly (number | { c: number })[], codeProt = PROT_READ | PROT_EXEC) {
  const bytes = code instanceof Uint8Array ? code : assemble(code);
  const mm = new MM(testPhys());
  const codeLen = Math.max(0x1000, Math.ceil(bytes.length / 0x1000) * 0x1000);
  mm.mapFixed(CODE, codeLen, codeProt);
  mm.poke(CODE, bytes);
  mm.mapFixed(DATA, 0x2000, PROT_READ | PROT_WRITE);
  mm.mapFixed(STACK_TOP - 0x10000, 0x10000, PROT_READ | PROT_WRITE);
  const cpu = new RiscvCpu(mm);
  cpu.pc = CODE;
  cpu.x[2] = BigInt(STACK_TOP);
  return { cpu, mm };
}

/** Runs to the first stop (within a generous budget) and returns the reason. */
export function runToStop(cpu: RiscvCpu, budget = 10_000_000): StopReason {
  return cpu.run(budget);
}

/** Boots, runs to the first ecall (failing otherwise) and returns the CPU. */
export function exec(code: readonly (number | { c: number })[], setup?: (cpu: RiscvCpu, mm: MM) => void): RiscvCpu {
  const { cpu, mm } = boot(code);
  setup?.(cpu, mm);
  const why = cpu.run(10_000_000);
  if (why !== StopReason.Ecall) {
    throw new Error(`expected ecall, stopped with ${why} at pc 0x${cpu.pc.toString(16)} (fault 0x${cpu.faultAddr.toString(16)})`);
  }
  mm.release();
  return cpu;
}
