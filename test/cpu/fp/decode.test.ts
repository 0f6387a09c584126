// decodeFp: legal and illegal encodings, rounding-mode checks, x0, register aliasing, flag
// accumulation.

import { describe, expect, it } from "vitest";
import { decodeFp } from "../../../src/cpu/riscv/fp/index.ts";
import type { FpCpuState } from "../../../src/cpu/riscv/fp/index.ts";
import { newCpu } from "./harness.ts";
import { OPS } from "./ops.ts";
import { d, NV, NX } from "./util.ts";

function opFp(funct5: number, fmt: number, rs2: number, rs1: number, rm: number, rd: number): number {
  return ((funct5 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | 0x53) >>> 0;
}

function r4(opcode: number, fmt: number, rs3: number, rs2: number, rs1: number, rm: number, rd: number): number {
  return ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) >>> 0;
}

function exec(cpu: FpCpuState, insn: number): boolean {
  const op = decodeFp(insn);
  if (!op) throw new Error(`illegal ${insn.toString(16)}`);
  return op(cpu);
}

describe("decodeFp encodings", () => {
  it("accepts every op with each valid rm and rejects rm 5 and 6 where rm is a rounding mode", () => {
    for (const op of OPS) {
      for (const rm of [0, 1, 2, 3, 4, 7]) expect(decodeFp(op.encode(rm)), `${op.name} rm=${rm}`).not.toBeNull();
      if (op.rounding) {
        for (const rm of [5, 6]) expect(decodeFp(op.encode(rm)), `${op.name} rm=${rm}`).toBeNull();
      }
    }
  });

  it("rejects the half and quad formats", () => {
    expect(decodeFp(opFp(0, 2, 2, 1, 0, 3))).toBeNull(); // fadd.h
    expect(decodeFp(opFp(0, 3, 2, 1, 0, 3))).toBeNull(); // fadd.q
    expect(decodeFp(r4(0x43, 2, 3, 2, 1, 0, 4))).toBeNull(); // fmadd.h
  });

  it("rejects reserved fields", () => {
    const bad = [
      opFp(0b01011, 1, 1, 1, 0, 3), // fsqrt.d with rs2 != 0
      opFp(0b01000, 0, 0, 1, 0, 3), // fcvt.s.s
      opFp(0b01000, 1, 1, 1, 0, 3), // fcvt.d.d
      opFp(0b01000, 0, 2, 1, 0, 3), // fcvt.s.h
      opFp(0b11000, 1, 4, 1, 0, 3), // fcvt with rs2 = 4
      opFp(0b11010, 0, 5, 1, 0, 3),
      opFp(0b00100, 1, 2, 1, 3, 3), // fsgnj funct3 3
      opFp(0b00101, 1, 2, 1, 2, 3), // fmin/fmax funct3 2
      opFp(0b10100, 0, 2, 1, 3, 3), // compare funct3 3
      opFp(0b11100, 1, 0, 1, 2, 3), // fmv.x/fclass funct3 2
      opFp(0b11100, 1, 1, 1, 0, 3), // fmv.x.d with rs2 != 0
      opFp(0b11110, 0, 0, 1, 1, 3), // fmv.w.x funct3 1
      opFp(0b11110, 0, 1, 1, 0, 3), // fmv.w.x rs2 != 0
      opFp(0b00110, 0, 2, 1, 0, 3), // unassigned funct5
      opFp(0b11111, 1, 0, 1, 0, 3),
      0x00000013, // addi: not an FP opcode
    ];
    for (const insn of bad) expect(decodeFp(insn), insn.toString(16)).toBeNull();
  });
});

describe("dynamic rounding mode", () => {
  it("makes the instruction illegal at run time when frm holds 5, 6 or 7, without side effects", () => {
    for (const frm of [5, 6, 7]) {
      for (const insn of [opFp(0, 1, 2, 1, 7, 3), opFp(0b11010, 1, 0, 1, 7, 3), r4(0x43, 0, 3, 2, 1, 7, 4), opFp(0b11000, 1, 0, 1, 7, 3)]) {
        const cpu = newCpu();
        cpu.f[1] = 1;
        cpu.f[2] = 1e-30;
        cpu.frm = frm;
        expect(exec(cpu, insn)).toBe(false);
        expect(cpu.fbits[3]).toBe(0n);
        expect(cpu.x[3]).toBe(0n);
        expect(cpu.fflags).toBe(0);
      }
    }
  });

  it("is ignored by instructions without a rounding mode", () => {
    const cpu = newCpu();
    cpu.frm = 7;
    cpu.f[1] = -2;
    expect(exec(cpu, opFp(0b00100, 1, 1, 1, 2, 3))).toBe(true); // fsgnjx.d f3, f1, f1 = |f1|
    expect(cpu.f[3]).toBe(2);
  });

  it("follows frm and a static rm overrides it", () => {
    const cpu = newCpu();
    cpu.f[1] = 1;
    cpu.f[2] = 2 ** -60;
    cpu.frm = 3; // RUP
    exec(cpu, opFp(0, 1, 2, 1, 7, 3));
    expect(cpu.f[3]).toBe(1 + 2 ** -52);
    exec(cpu, opFp(0, 1, 2, 1, 0, 4)); // static RNE
    expect(cpu.f[4]).toBe(1);
  });
});

describe("register file rules", () => {
  it("never writes x0 but still raises flags", () => {
    const cpu = newCpu();
    cpu.fbits[1] = 0x7ff0000000000001n; // sNaN
    for (const insn of [
      opFp(0b11000, 1, 0, 1, 1, 0), // fcvt.w.d x0
      opFp(0b10100, 1, 1, 1, 1, 0), // flt.d x0
      opFp(0b11100, 1, 0, 1, 1, 0), // fclass.d x0
      opFp(0b11100, 1, 0, 1, 0, 0), // fmv.x.d x0
      opFp(0b11100, 0, 0, 1, 0, 0), // fmv.x.w x0
    ]) {
      expect(exec(cpu, insn)).toBe(true);
      expect(cpu.x[0]).toBe(0n);
    }
    expect(cpu.fflags).toBe(NV);
  });

  it("reads all sources before writing rd", () => {
    const cpu = newCpu();
    cpu.f[1] = 3;
    exec(cpu, opFp(0, 1, 1, 1, 0, 1)); // fadd.d f1, f1, f1
    expect(cpu.f[1]).toBe(6);
    cpu.f[2] = -1;
    exec(cpu, opFp(0b00100, 1, 2, 1, 2, 2)); // fsgnjx.d f2, f1, f2
    expect(cpu.f[2]).toBe(-6);
    cpu.fbits[3] = 0xffffffff40000000n; // 2.0f
    exec(cpu, r4(0x43, 0, 3, 3, 3, 0, 3)); // fmadd.s f3, f3, f3, f3 = 6
    expect(cpu.fbits[3]).toBe(BigInt.asIntN(64, 0xffffffff40c00000n));
  });

  it("accumulates flags and touches no other register", () => {
    const cpu = newCpu();
    for (let i = 0; i < 32; i++) cpu.fbits[i] = BigInt(i) * 0x0101010101010101n;
    cpu.f[1] = 1;
    cpu.f[2] = 3;
    cpu.fflags = NV;
    exec(cpu, opFp(3, 1, 2, 1, 0, 5)); // fdiv.d f5, f1, f2
    expect(cpu.fflags).toBe(NV | NX);
    expect(cpu.f[5]).toBe(1 / 3);
    for (let i = 0; i < 32; i++) {
      if (i !== 1 && i !== 2 && i !== 5) expect(cpu.fbits[i]).toBe(BigInt(i) * 0x0101010101010101n);
    }
    expect(cpu.fbits[1]).toBe(BigInt.asIntN(64, d(1)));
  });
});
