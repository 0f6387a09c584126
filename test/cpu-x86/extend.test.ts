// movzx/movsx/movsxd in the forms the native fixtures do not cover: ah..bh sources, memory
// sources, 16-bit destinations (which merge) and 64-bit ones (which sign-extend).

import { describe, expect, it } from "vitest";
import { X86Cpu } from "../../src/cpu/x86/cpu.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";

const CODE = 0x100000, DATA = 0x200000;

function run(hex: string, regs: Record<number, bigint>): X86Cpu {
  const mm = new MM(new PhysMem(4 * 1024 * 1024));
  mm.mapFixed(CODE, 0x10000, PROT_READ | PROT_EXEC);
  mm.mapFixed(DATA, 0x10000, PROT_READ | PROT_WRITE);
  mm.poke(CODE, Uint8Array.from(hex.replace(/ /g, "").match(/../g)!.map((b) => parseInt(b, 16))));
  mm.poke(DATA, Uint8Array.of(0x80, 0xff, 0x34, 0x92));
  const c = new X86Cpu(mm);
  c.regs.fill(-1n);
  for (const [r, v] of Object.entries(regs)) c.regs[Number(r)] = v;
  c.rip = CODE;
  c.run(1);
  return c;
}

const u64 = (v: bigint) => BigInt.asUintN(64, v);

describe("extending moves", () => {
  it("movzx ecx, ah", () => expect(u64(run("0f b6 cc", { 0: 0xabcdn }).regs[1]!)).toBe(0xabn));
  it("movsx ecx, ah", () => expect(u64(run("0f be cc", { 0: 0x80cdn }).regs[1]!)).toBe(0xffffff80n));
  it("movsx rcx, spl (a REX makes rm 4 spl, not ah)", () => expect(u64(run("48 0f be cc", { 0: 0x80cdn, 4: 0x7fn }).regs[1]!)).toBe(0x7fn));
  it("movzx cx, byte [rsi] merges into rcx", () => expect(u64(run("66 0f b6 0e", { 6: BigInt(DATA) }).regs[1]!)).toBe(0xffffffffffff0080n));
  it("movsx ecx, word [rsi] zeroes the upper half", () => expect(u64(run("0f bf 0e", { 6: BigInt(DATA) }).regs[1]!)).toBe(0xffffff80n));
  it("movsxd rcx, dword [rsi+0]", () => expect(u64(run("48 63 0e", { 6: BigInt(DATA) }).regs[1]!)).toBe(0xffffffff9234ff80n));
  it("movsxd ecx, edx (no REX.W) is a 32-bit move", () => expect(u64(run("63 ca", { 2: -2n }).regs[1]!)).toBe(0xfffffffen));
  it("movzx r9d, r10b", () => expect(u64(run("45 0f b6 ca", { 10: 0x1ffn }).regs[9]!)).toBe(0xffn));
});
