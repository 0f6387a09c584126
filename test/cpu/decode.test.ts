import { describe, expect, it } from "vitest";
import { StopReason } from "../../src/cpu/riscv/cpu.ts";
import { X0_SINK, decode, newDecoded } from "../../src/cpu/riscv/decode.ts";
import { Op } from "../../src/cpu/riscv/opcodes.ts";
import * as A from "./asm.ts";
import { A0, A1 } from "./asm.ts";
import { CODE, boot, exec } from "./harness.ts";

const d = newDecoded();
const dec = (insn: number) => {
  decode(insn, d);
  return { ...d, fp: d.fp !== null };
};

describe("decoder", () => {
  it("decodes the base formats with sign-extended immediates", () => {
    expect(dec(A.addi(5, 6, -1))).toMatchObject({ op: Op.ADDI, rd: 5, rs1: 6, imm: -1, size: 4 });
    expect(dec(A.sd(7, 2, -8))).toMatchObject({ op: Op.SD, rs1: 2, rs2: 7, imm: -8 });
    expect(dec(A.beq(1, 2, -4096))).toMatchObject({ op: Op.BEQ, imm: -4096 });
    expect(dec(A.jal(1, -(1 << 20)))).toMatchObject({ op: Op.JAL, rd: 1, imm: -(1 << 20) });
    expect(dec(A.lui(3, 0xfffff))).toMatchObject({ op: Op.LUI, imm: -4096 });
  });

  it("sends writes to x0 to the sink register", () => {
    expect(dec(A.addi(0, 1, 1)).rd).toBe(X0_SINK);
    expect(dec(A.jal(0, 8)).rd).toBe(X0_SINK);
  });

  it("expands compressed instructions", () => {
    expect(dec(0x4505)).toMatchObject({ op: Op.ADDI, rd: A0, rs1: 0, imm: 1, size: 2 }); // c.li a0, 1
    expect(dec(0x1141)).toMatchObject({ op: Op.ADDI, rd: 2, rs1: 2, imm: -16 }); // c.addi sp, -16
    expect(dec(0xe406)).toMatchObject({ op: Op.SD, rs1: 2, rs2: 1, imm: 8 }); // c.sdsp ra, 8(sp)
    expect(dec(0x8082)).toMatchObject({ op: Op.JALR, rd: X0_SINK, rs1: 1, imm: 0 }); // ret
    expect(dec(0x9002)).toMatchObject({ op: Op.EBREAK }); // c.ebreak
  });

  it("rejects reserved and unsupported encodings", () => {
    const illegal = [
      0x0000, // all zero (c.addi4spn with a zero immediate)
      0x4002, // c.lwsp x0
      0x6002, // c.ldsp x0
      0x8002, // c.jr x0
      0x2001, // c.addiw x0
      0x6081, // c.lui x1, 0
      0x6101, // c.addi16sp 0
      0x8000, // quadrant 0, funct3 100 (Zcb, not implemented)
      0x9c41, // c.mul-like reserved slot in the C.SUBW group
      0x0000001f, // 48-bit instruction prefix
      0x30200073, // mret
      0x10500073, // wfi
      0x12000073, // sfence.vma
      0x0000200f, // MISC-MEM funct3 010 (cbo.*)
      0x00001067, // jalr with funct3 001
      0x0400c033, // OP with an unassigned funct7
    ];
    for (const insn of illegal) expect(dec(insn).op, `0x${insn.toString(16)}`).toBe(Op.ILLEGAL);
  });

  it("reports compressed illegal instructions as 16 bits", () => {
    const { cpu } = boot([{ c: 0x4002 }]);
    expect(cpu.run(10)).toBe(StopReason.IllegalInsn);
    expect([cpu.pc, cpu.illegalInsn]).toEqual([CODE, 0x4002]);
  });
});

describe("Zbb against the specification where the oracle is wrong", () => {
  // qemu-riscv64 7.2 counts ctzw into the high word; the spec's result is 32
  const ctzw = (0x30 << 25) | (1 << 20) | (A0 << 15) | (1 << 12) | (A1 << 7) | 0x1b;
  for (const [v, want] of [
    [0x8000000000000000n, 32n],
    [0x0001000000000000n, 32n],
    [0x100000000n, 32n],
    [0x80000000n, 31n],
    [0n, 32n],
  ] as const) {
    it(`ctzw 0x${v.toString(16)} = ${want}`, () => {
      const cpu = exec([ctzw, A.ecall()], (c) => {
        c.x[A0] = BigInt.asIntN(64, v);
      });
      expect(cpu.x[A1]).toBe(want);
    });
  }
});
