// Effective addresses and lea with registers of 2^52 and more, where doubles are not exact: the
// sum of two such registers can be a small number (Lua's table.move computes t - f with
// f = math.mininteger and then addresses (t - f) + f, which gcc -O2 emits as one lea).

import { describe, expect, it } from "vitest";
import { X86Cpu } from "../../src/cpu/x86/cpu.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";

const CODE = 0x100000, DATA = 0x200000;

function run(hex: string, regs: Record<number, bigint>, n = 1): X86Cpu {
  const mm = new MM(new PhysMem(4 * 1024 * 1024));
  mm.mapFixed(CODE, 0x10000, PROT_READ | PROT_EXEC);
  mm.mapFixed(DATA, 0x10000, PROT_READ | PROT_WRITE);
  mm.poke(CODE, Uint8Array.from(hex.replace(/ /g, "").match(/../g)!.map((b) => parseInt(b, 16))));
  const c = new X86Cpu(mm);
  for (const [r, v] of Object.entries(regs)) c.regs[Number(r)] = v;
  c.rip = CODE;
  c.run(n);
  return c;
}

const MIN = -(2n ** 63n);

describe("addresses from registers beyond 2^52", () => {
  it("lea rdx, [r14+rbp] with r14 = -10 - INT64_MIN and rbp = INT64_MIN gives -10", () => {
    const c = run("49 8d 14 2e", { 14: -10n - MIN - 2n ** 64n, 5: MIN });
    expect(c.regs[2]).toBe(-10n);
  });
  it("lea with a scaled index: rax = rbx + rcx*8 + 3 across the wrap", () => {
    // lea rax, [rbx+rcx*8+3]
    const c = run("48 8d 44 cb 03", { 3: 2n ** 62n + 7n, 1: -(2n ** 59n) });
    expect(c.regs[0]).toBe(10n);
  });
  it("a memory operand whose registers wrap to a user address", () => {
    // mov eax, [rbx+rcx]
    const base = 0x7ffffffffffffff0n;
    const c = run("8b 04 0b", { 3: base, 1: BigInt(DATA + 0x10) - base });
    expect(c.regs[0]).toBe(0n);
    expect(c.rip).toBe(CODE + 3);
    c.wr(DATA + 0x10, 4, 0x11223344n);
    c.rip = CODE;
    c.run(1);
    expect(c.regs[0]).toBe(0x11223344n);
  });
});
