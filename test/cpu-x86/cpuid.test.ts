// CPUID against the instruction set: every feature bit CPUID sets has an instruction here that
// must run, and the features it leaves clear have one that must not (or that must run as the
// older instruction of the same encoding, as lzcnt/tzcnt run as bsr/bsf on CPUs without them).
// A bit this file does not know fails the test: adding a feature to cpuid.ts means adding its
// instruction here.

import { describe, expect, it } from "vitest";
import { X86Cpu, X86Stop } from "../../src/cpu/x86/cpu.ts";
import { cpuid } from "../../src/cpu/x86/cpuid.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";

const CODE = 0x100000, DATA = 0x200000;
const mm = new MM(new PhysMem(4 * 1024 * 1024));
mm.mapFixed(CODE, 0x10000, PROT_READ | PROT_EXEC);
mm.mapFixed(DATA, 0x10000, PROT_READ | PROT_WRITE);
let place = CODE;

/** Runs one instruction (hex bytes) with rsi and rdi at 16-aligned data; the stop reason. */
function run(hex: string): X86Stop {
  const bytes = Uint8Array.from(hex.replace(/ /g, "").match(/../g)!.map((b) => parseInt(b, 16)));
  const c = new X86Cpu(mm);
  mm.poke(place, bytes);
  c.rip = place;
  place += 32;
  c.regs[6] = BigInt(DATA);
  c.regs[7] = BigInt(DATA + 0x1000);
  c.regs[1] = 0x1234n;
  return c.run(1);
}

// [leaf, register, bit, feature, instruction (null: a mode bit, no instruction), expected stop]
type Row = [number, "ecx" | "edx" | "ebx", number, string, string | null, X86Stop?];
const ADVERTISED: Row[] = [
  [1, "edx", 0, "FPU", "d9 e8"], // fld1
  [1, "edx", 4, "TSC", "0f 31"], // rdtsc
  [1, "edx", 8, "CX8", "0f c7 0e"], // cmpxchg8b [rsi]
  [1, "edx", 15, "CMOV", "0f 44 c1"], // cmove eax, ecx
  [1, "edx", 23, "MMX", "0f fc c1"], // paddb mm0, mm1
  [1, "edx", 24, "FXSR", "0f ae 06"], // fxsave [rsi]
  [1, "edx", 25, "SSE", "0f 58 c1"], // addps xmm0, xmm1
  [1, "edx", 26, "SSE2", "66 0f 58 c1"], // addpd xmm0, xmm1
  [1, "ecx", 13, "CX16", "48 0f c7 0e"], // cmpxchg16b [rsi]
  [1, "ecx", 23, "POPCNT", "f3 48 0f b8 c1"], // popcnt rax, rcx
  [0x80000001, "edx", 11, "SYSCALL", "0f 05", X86Stop.Syscall],
  [0x80000001, "edx", 20, "NX", null],
  [0x80000001, "edx", 29, "LM", null],
  [0x80000001, "ecx", 0, "LAHF_LM", "9f"], // lahf
];
// features left clear, each with an instruction a CPU without it rejects
const ABSENT: Row[] = [
  [1, "ecx", 0, "SSE3", "66 0f 7c c1"], // haddpd
  [1, "ecx", 9, "SSSE3", "66 0f 38 00 c1"], // pshufb
  [1, "ecx", 19, "SSE4.1", "66 0f 38 39 c1"], // pminsd
  [1, "ecx", 20, "SSE4.2", "66 0f 3a 63 c1 00"], // pcmpistri
  [1, "ecx", 22, "MOVBE", "0f 38 f0 06"], // movbe eax, [rsi]
  [1, "ecx", 26, "XSAVE", "0f ae 26"], // xsave [rsi]
  [1, "ecx", 27, "OSXSAVE", "0f 01 d0"], // xgetbv
  [1, "ecx", 28, "AVX", "c5 f9 58 c1"], // vaddpd
  [7, "ebx", 3, "BMI1", "c4 e2 70 f2 c1"], // andn eax, ecx, ecx
  [7, "ebx", 5, "AVX2", "c5 fd fe c1"], // vpaddd ymm
  [7, "ebx", 8, "BMI2", "c4 e2 73 f6 c1"], // mulx
  [7, "ebx", 9, "ERMS", null],
];
const REG = { ebx: 1, ecx: 2, edx: 3 } as const;
const KNOWN = new Set([...ADVERTISED, ...ABSENT].map(([l, r, b]) => `${l}.${r}.${b}`));

describe("CPUID advertises what the CPU runs", () => {
  for (const [leaf, reg, bit, name, insn, stop] of ADVERTISED) {
    it(`${name} is advertised and runs`, () => {
      expect((cpuid(leaf, 0)[REG[reg]] >>> bit) & 1).toBe(1);
      if (insn !== null) expect(run(insn)).toBe(stop ?? X86Stop.Budget);
    });
  }
  for (const [leaf, reg, bit, name, insn] of ABSENT) {
    it(`${name} is not advertised and does not run`, () => {
      expect((cpuid(leaf, 0)[REG[reg]] >>> bit) & 1).toBe(0);
      if (insn !== null) expect(run(insn)).toBe(X86Stop.IllegalInsn);
    });
  }
  it("without LZCNT, lzcnt runs as bsr (as on a CPU without it)", () => {
    expect((cpuid(0x80000001, 0)[2] >>> 5) & 1).toBe(0);
    const c = new X86Cpu(mm);
    mm.poke(place, Uint8Array.of(0xf3, 0x0f, 0xbd, 0xc1)); // lzcnt eax, ecx
    c.rip = place;
    place += 32;
    c.regs[1] = 0x1234n;
    c.run(1);
    expect(c.regs[0]).toBe(12n); // bsr: the highest set bit's index; lzcnt would give 19
  });
  it("sets no bit this test does not know", () => {
    const unknown: string[] = [];
    for (const leaf of [1, 7, 0x80000001]) {
      const r = cpuid(leaf, 0);
      for (const reg of ["ebx", "ecx", "edx"] as const) {
        if (leaf === 1 && reg === "ebx") continue; // brand index, CLFLUSH size, APIC id: not features
        for (let bit = 0; bit < 32; bit++) {
          if ((r[REG[reg]] >>> bit) & 1 && !KNOWN.has(`${leaf}.${reg}.${bit}`)) unknown.push(`leaf ${leaf.toString(16)} ${reg} bit ${bit}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });
  it("gives AT_HWCAP as leaf 1 edx", async () => {
    const { HWCAP } = await import("../../src/cpu/x86/cpuid.ts");
    expect(HWCAP).toBe(cpuid(1, 0)[3]);
  });
});
