// Loads a flat fixture image (test/fixtures/cpu/*.bin, see link.ld there) into a fresh MM and
// runs it with a minimal ecall shim: write(64) to a buffer, exit(93) / exit_group(94).

import { RiscvCpu, StopReason } from "../../src/cpu/riscv/cpu.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import type { PhysMem } from "../../src/mm/physmem.ts";

export const TEXT_BASE = 0x10000;
export const DATA_BASE = 0x30000;
const DATA_SIZE = 64 * 1024 * 1024;
const STACK_TOP = 0x3f_0000_0000;
const STACK_SIZE = 1024 * 1024;

/** A CPU with the image loaded and pc at its entry; `arg` lands in a0 (the benchmarks' scale). */
export function loadFlat(image: Uint8Array, phys?: PhysMem, arg = 0): RiscvCpu {
  const mm = phys ? new MM(phys) : new MM();
  const text = image.subarray(0, DATA_BASE - TEXT_BASE);
  mm.mapFixed(TEXT_BASE, DATA_BASE - TEXT_BASE, PROT_READ | PROT_EXEC);
  mm.poke(TEXT_BASE, text);
  mm.mapFixed(DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE);
  if (image.length > DATA_BASE - TEXT_BASE) mm.poke(DATA_BASE, image.subarray(DATA_BASE - TEXT_BASE));
  mm.mapFixed(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
  const cpu = new RiscvCpu(mm);
  cpu.pc = TEXT_BASE;
  cpu.x[2] = BigInt(STACK_TOP);
  cpu.x[10] = BigInt(arg);
  return cpu;
}

export interface FlatResult {
  stdout: string;
  exitCode: number;
  /** the stop that ended the run if it was not an exit */
  stop?: StopReason;
  instret: number;
}

/** Runs to exit (or to any non-ecall stop), collecting what the program writes. */
export function runFlat(cpu: RiscvCpu, maxInsns = 5e9, slice = 1_000_000): FlatResult {
  const out: Uint8Array[] = [];
  const dec = new TextDecoder();
  while (cpu.instret < maxInsns) {
    const why = cpu.run(slice);
    if (why === StopReason.Budget) continue;
    if (why !== StopReason.Ecall) return { stdout: dec.decode(concat(out)), exitCode: -1, stop: why, instret: cpu.instret };
    const nr = Number(cpu.x[17]);
    if (nr === 93 || nr === 94) {
      return { stdout: dec.decode(concat(out)), exitCode: Number(cpu.x[10]! & 0xffn), instret: cpu.instret };
    }
    if (nr === 226) {
      cpu.x[10] = BigInt(cpu.mm.protect(Number(cpu.x[10]), Number(cpu.x[11]), Number(cpu.x[12])));
    } else if (nr === 64) {
      const n = Number(cpu.x[12]);
      out.push(cpu.mm.peek(Number(cpu.x[11]), n));
      cpu.x[10] = BigInt(n);
    } else {
      cpu.x[10] = -38n; // ENOSYS
    }
    cpu.pc += 4;
  }
  return { stdout: dec.decode(concat(out)), exitCode: -1, stop: StopReason.Budget, instret: cpu.instret };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const r = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    r.set(p, o);
    o += p.length;
  }
  return r;
}
