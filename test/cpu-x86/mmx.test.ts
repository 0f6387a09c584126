// MMX beyond the register forms native.test.ts compares with the host: memory operands, the
// aliasing of mm0-mm7 with the x87 registers (what fxsave and signal frames show) and emms.

import { describe, expect, it } from "vitest";
import { X86Cpu } from "../../src/cpu/x86/cpu.ts";
import { mmGet } from "../../src/cpu/x86/mmx.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";

const CODE = 0x100000, DATA = 0x200000;

function cpuWith(hex: string): X86Cpu {
  const mm = new MM(new PhysMem(4 * 1024 * 1024));
  mm.mapFixed(CODE, 0x10000, PROT_READ | PROT_EXEC);
  mm.mapFixed(DATA, 0x10000, PROT_READ | PROT_WRITE);
  const bytes = Uint8Array.from(hex.replace(/ /g, "").match(/../g)!.map((b) => parseInt(b, 16)));
  mm.poke(CODE, bytes);
  const c = new X86Cpu(mm);
  c.rip = CODE;
  c.regs[6] = BigInt(DATA + 3); // rsi: unaligned, MMX memory operands need no alignment
  return c;
}

describe("MMX", () => {
  it("takes memory sources and stores without alignment", () => {
    // mov rax, 0x0102030405060708; mov [rsi], rax; movq mm1, rax; paddb mm1, [rsi]; movq [rsi+8], mm1
    const c = cpuWith("48 b8 08 07 06 05 04 03 02 01  48 89 06  48 0f 6e c8  0f fc 0e  0f 7f 4e 08");
    c.run(5);
    expect(c.rd(DATA + 11, 8)).toBe(0x020406080a0c0e10n);
  });

  it("shares the x87 registers: fxsave shows mm3 in ST(3) with exponent 0xffff, and emms empties the stack", () => {
    // mov rax, imm64; movq mm3, rax; fxsave [rdi]
    const c = cpuWith("48 b8 ef cd ab 89 67 45 23 01  48 0f 6e d8  0f ae 07  0f 77  0f ae 87 00 02 00 00");
    c.regs[7] = BigInt(DATA + 0x1000);
    c.run(3);
    expect(c.rd(DATA + 0x1000 + 32 + 16 * 3, 8)).toBe(0x0123456789abcdefn);
    expect(c.rd(DATA + 0x1000 + 32 + 16 * 3 + 8, 2) & 0xffffn).toBe(0xffffn);
    expect(c.rd(DATA + 0x1000 + 4, 1) & 0xffn).toBe(0xffn); // abridged tag word: all valid
    expect((c.rd(DATA + 0x1000 + 2, 2) >> 11n) & 7n).toBe(0n); // TOP = 0
    c.run(2);
    expect(c.rd(DATA + 0x1200 + 4, 1)).toBe(0n); // emms: all empty
    expect(mmGet(c, 3)).toBe(0x0123456789abcdefn); // the value stays
  });

  it("an x87 load after emms overwrites the register the MMX value lived in", () => {
    // movq mm7, rax; emms; fld1 (pushes to R7 with TOP = 0)
    const c = cpuWith("48 0f 6e f8  0f 77  d9 e8");
    c.regs[0] = 42n;
    c.run(3);
    expect(mmGet(c, 7)).toBe(BigInt.asIntN(64, 0x8000000000000000n)); // 1.0's significand
  });
});
