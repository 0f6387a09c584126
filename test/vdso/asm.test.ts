import { describe, expect, it } from "vitest";
import { Assembler, FENCE_R, R, hiLo } from "../../src/vdso/asm.ts";

/** Assembles with `emit` at `origin` and returns the instruction words. */
function words(emit: (a: Assembler) => void, origin = 0, symbols = new Map<string, number>()): number[] {
  const a = new Assembler();
  emit(a);
  const bytes = a.link(origin, symbols);
  const dv = new DataView(bytes.buffer);
  return Array.from({ length: bytes.length / 4 }, (_, i) => dv.getUint32(i * 4, true));
}

// Expected words are what riscv64-linux-gnu-as (binutils 2.40, -march=rv64gc -mno-relax, no RVC) emits.
describe("RV64 encoder", () => {
  it("encodes I/R/S-type and system instructions like GNU as", () => {
    expect(words((a) => a.li(R.a7, 139))).toEqual([0x08b00893]);
    expect(words((a) => a.ecall())).toEqual([0x00000073]);
    expect(words((a) => a.ret())).toEqual([0x00008067]);
    expect(words((a) => a.rdtime(R.t3))).toEqual([0xc0102e73]);
    expect(words((a) => a.fence(FENCE_R, FENCE_R))).toEqual([0x0220000f]);
    expect(words((a) => a.ld(R.t1, 24, R.t0))).toEqual([0x0182b303]);
    expect(words((a) => a.lw(R.t2, 416, R.t0))).toEqual([0x1a02a383]);
    expect(words((a) => a.sd(R.t6, 0, R.a1))).toEqual([0x01f5b023]);
    expect(words((a) => a.sw(R.zero, 0, R.a0))).toEqual([0x00052023]);
    expect(words((a) => a.sd(R.a0, -8, R.sp))).toEqual([0xfea13c23]);
    expect(words((a) => a.sub(R.t3, R.t3, R.t4))).toEqual([0x41de0e33]);
    expect(words((a) => a.mul(R.t3, R.t3, R.t5))).toEqual([0x03ee0e33]);
    expect(words((a) => a.divu(R.t5, R.t3, R.t4))).toEqual([0x03de5f33]);
    expect(words((a) => a.remu(R.t3, R.t3, R.t4))).toEqual([0x03de7e33]);
    expect(words((a) => a.srl(R.t1, R.t1, R.a0))).toEqual([0x00a35333]);
    expect(words((a) => a.slli(R.t1, R.a0, 3))).toEqual([0x00351313]);
    expect(words((a) => a.andi(R.t1, R.t1, 1))).toEqual([0x00137313]);
    expect(words((a) => a.mv(R.t1, R.t0))).toEqual([0x00028313]);
    expect(words((a) => a.addi(R.a0, R.a0, -1))).toEqual([0xfff50513]);
  });

  it("loads 32-bit constants with lui + addiw, rounding the upper part", () => {
    expect(words((a) => a.li(R.t4, 1_000_000_000))).toEqual([0x3b9adeb7, 0xa00e8e9b]);
    expect(words((a) => a.li(R.a0, 0x12345000))).toEqual([0x12345537]);
    expect(words((a) => a.li(R.a0, -2048))).toEqual([0x80000513]);
    expect(hiLo(0x800)).toEqual({ hi: 1, lo: -2048 });
    expect(hiLo(-0x2000 - 0x428)).toEqual({ hi: -2, lo: -0x428 });
  });

  it("resolves forward and backward branches and jumps", () => {
    const w = words((a) => {
      a.label("top");
      a.beqz(R.a0, "out"); // +12
      a.bne(R.a4, R.t2, "top"); // -4
      a.j("top"); // -8
      a.label("out");
      a.bgeu(R.a0, R.t1, "top"); // -12
    });
    expect(w).toEqual([0x00050663, 0xfe771ee3, 0xff9ff06f, 0xfe657ae3]);
  });

  it("links pc-relative symbol references for the final address", () => {
    const at = (origin: number): number[] => words((a) => {
      a.ecall();
      a.la(R.t0, "vvar");
    }, origin, new Map([["vvar", -0x2000]]));
    // at 0x428: auipc t0,0xffffe; addi t0,t0,-1064 -> 0x428 + (-0x2000) + (-0x428) = -0x2000
    expect(at(0x424)).toEqual([0x00000073, 0xffffe297, 0xbd828293]);
    const [, auipc, addi] = at(0x1ffc);
    const target = 0x2000 + ((auipc! & 0xfffff000) | 0) + ((addi! | 0) >> 20);
    expect(target).toBe(-0x2000);
  });

  it("refuses what it cannot encode", () => {
    expect(() => words((a) => a.addi(R.a0, R.a0, 2048))).toThrow(RangeError);
    expect(() => words((a) => a.ld(R.a0, -2049, R.a0))).toThrow(RangeError);
    expect(() => words((a) => a.addi(32, R.a0, 0))).toThrow(RangeError);
    expect(() => words((a) => a.beqz(R.a0, "nowhere"))).toThrow(/undefined label/);
    expect(() => words((a) => a.la(R.a0, "nowhere"))).toThrow(/undefined symbol/);
    expect(() => words((a) => { a.label("x"); a.label("x"); })).toThrow(/twice/);
    expect(() => words((a) => {
      a.label("far");
      for (let i = 0; i < 1100; i++) a.ecall();
      a.beqz(R.a0, "far");
    })).toThrow(RangeError);
  });
});
