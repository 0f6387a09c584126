import { describe, expect, it } from "vitest";
import { StopReason } from "../../src/cpu/riscv/cpu.ts";
import { PROT_READ, PROT_WRITE, TASK_SIZE } from "../../src/mm/mman.ts";
import * as A from "./asm.ts";
import { A0, A1, A2, A3, A4, A5, T0, T1 } from "./asm.ts";
import { CODE, DATA, boot, exec } from "./harness.ts";

describe("RV64I arithmetic", () => {
  it("adds, wraps at 64 bits, and keeps x0 zero", () => {
    const cpu = exec([A.addi(A0, 0, 5), A.addi(A1, A0, -7), A.add(A2, A0, A1), A.addi(0, A0, 1), A.add(0, A0, A0), A.ecall()]);
    expect(cpu.x[A0]).toBe(5n);
    expect(cpu.x[A1]).toBe(-2n);
    expect(cpu.x[A2]).toBe(3n);
    expect(cpu.x[0]).toBe(0n);
  });

  it("wraps 64-bit overflow and sign-extends W results", () => {
    const cpu = exec([A.ecall()], (c) => {
      c.x[A0] = 0x7fffffffffffffffn;
    });
    expect(cpu.x[A0]).toBe(0x7fffffffffffffffn);
    const cpu2 = exec([A.addi(A1, A0, 1), A.addiw(A2, A0, 1), A.addw(A3, A0, A0), A.ecall()], (c) => {
      c.x[A0] = 0x7fffffffffffffffn;
    });
    expect(cpu2.x[A1]).toBe(-0x8000000000000000n);
    expect(cpu2.x[A2]).toBe(0n); // 0xffffffff + 1 = 0 in 32 bits
    expect(cpu2.x[A3]).toBe(-2n);
  });

  it("shifts, compares and logic ops", () => {
    const cpu = exec(
      [
        A.addi(A0, 0, -16),
        A.srli(A1, A0, 60),
        A.srai(A2, A0, 2),
        A.slli(A3, A0, 63),
        A.sltiu(A4, A0, 1),
        A.slti(A5, A0, 0),
        A.sltu(T0, 0, A0),
        A.xori(T1, A0, -1),
        A.ecall(),
      ],
    );
    expect(cpu.x[A1]).toBe(0xfn);
    expect(cpu.x[A2]).toBe(-4n);
    expect(cpu.x[A3]).toBe(0n);
    expect(cpu.x[A4]).toBe(0n);
    expect(cpu.x[A5]).toBe(1n);
    expect(cpu.x[T0]).toBe(1n);
    expect(cpu.x[T1]).toBe(15n);
  });

  it("lui/auipc are pc-relative and sign-extended", () => {
    const cpu = exec([A.lui(A0, 0x80000), A.auipc(A1, 1), A.ecall()]);
    expect(cpu.x[A0]).toBe(-0x80000000n);
    expect(cpu.x[A1]).toBe(BigInt(CODE + 4 + 0x1000));
  });
});

describe("control flow", () => {
  it("loops with a backward branch and links jal/jalr", () => {
    // a0 = sum 1..10 ; then call a function that doubles a0
    const cpu = exec([
      A.addi(A1, 0, 10),
      A.add(A0, A0, A1), // loop:
      A.addi(A1, A1, -1),
      A.bne(A1, 0, -8),
      A.jal(1, 8), // call f
      A.ecall(),
      A.add(A0, A0, A0), // f:
      A.jalr(0, 1, 0),
    ]);
    expect(cpu.x[A0]).toBe(110n);
    expect(cpu.x[1]).toBe(BigInt(CODE + 20));
    expect(cpu.pc).toBe(CODE + 20);
  });

  it("jalr clears bit 0 of the target and computes it before writing rd", () => {
    const cpu = exec([A.auipc(A0, 0), A.addi(A0, A0, 17), A.jalr(A0, A0, 0), A.ebreak(), A.ecall()]);
    expect(cpu.x[A0]).toBe(BigInt(CODE + 12));
  });

  it("compares signed and unsigned in branches", () => {
    const cpu = exec([
      A.addi(A0, 0, -1),
      A.addi(A1, 0, 1),
      A.blt(A0, A1, 8),
      A.addi(A2, 0, 1), // skipped
      A.bltu(A0, A1, 8),
      A.addi(A3, 0, 1), // executed
      A.bgeu(A0, A1, 8),
      A.addi(A4, 0, 1), // skipped
      A.bge(A0, A1, 8),
      A.addi(A5, 0, 1), // executed
      A.ecall(),
    ]);
    expect([cpu.x[A2], cpu.x[A3], cpu.x[A4], cpu.x[A5]]).toEqual([0n, 1n, 0n, 1n]);
  });
});

describe("loads and stores", () => {
  const load = (ins: number) =>
    exec([A.lui(A0, DATA >> 12), ins, A.ecall()], (_c, mm) => {
      mm.poke(DATA, Uint8Array.of(0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x01));
    }).x[A1];

  it("sign- and zero-extends every width", () => {
    expect(load(A.lb(A1, A0, 0))).toBe(-0x7fn);
    expect(load(A.lbu(A1, A0, 0))).toBe(0x81n);
    expect(load(A.lh(A1, A0, 0))).toBe(BigInt.asIntN(16, 0x8281n));
    expect(load(A.lhu(A1, A0, 0))).toBe(0x8281n);
    expect(load(A.lw(A1, A0, 0))).toBe(BigInt.asIntN(32, 0x84838281n));
    expect(load(A.lwu(A1, A0, 0))).toBe(0x84838281n);
    expect(load(A.ld(A1, A0, 0))).toBe(BigInt.asIntN(64, 0x8887868584838281n));
  });

  it("handles misaligned loads, within a page and across pages", () => {
    expect(load(A.ld(A1, A0, 1))).toBe(0x0188878685848382n);
    expect(load(A.lw(A1, A0, 3))).toBe(BigInt.asIntN(32, 0x87868584n));
    const base = [A.lui(A0, DATA >> 12), A.addi(A0, A0, 0x7ff), A.addi(A0, A0, 1)]; // DATA + 0x800
    const cpu = exec([...base, A.ld(A1, A0, 0x7fc), A.sw(A1, A0, 0x7fe), A.lw(A2, A0, 0x7fe), A.ecall()], (_c, mm) => {
      mm.poke(DATA + 0xffc, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    });
    expect(cpu.x[A1]).toBe(0x0807060504030201n);
    expect(cpu.x[A2]).toBe(0x04030201n);
  });

  it("stores every width, including a page-crossing store", () => {
    const { cpu, mm } = boot([
      A.lui(A0, DATA >> 12),
      A.addi(A1, 0, -2),
      A.sb(A1, A0, 0),
      A.sh(A1, A0, 2),
      A.sw(A1, A0, 4),
      A.sd(A1, A0, 8),
      A.addi(A0, A0, 0x7ff),
      A.sd(A1, A0, 0x7fe),
      A.ecall(),
    ]);
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    expect([...mm.peek(DATA, 16)]).toEqual([0xfe, 0, 0xfe, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfe, ...Array(7).fill(0xff)]);
    expect([...mm.peek(DATA + 0xffd, 8)]).toEqual([0xfe, ...Array(7).fill(0xff)]);
  });
});

describe("stops", () => {
  it("stops at ecall with pc on it, counting it as retired", () => {
    const { cpu } = boot([A.nop(), A.nop(), A.ecall(), A.addi(A0, 0, 1), A.ecall()]);
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    expect(cpu.pc).toBe(CODE + 8);
    expect(cpu.instret).toBe(3);
    cpu.pc += 4;
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    expect(cpu.x[A0]).toBe(1n);
    expect(cpu.instret).toBe(5);
  });

  it("honours the budget exactly and resumes", () => {
    const { cpu } = boot([A.addi(A0, A0, 1), A.jal(0, -4)]);
    expect(cpu.run(1001)).toBe(StopReason.Budget);
    expect(cpu.instret).toBe(1001);
    expect(cpu.x[A0]).toBe(501n);
    expect(cpu.run(1)).toBe(StopReason.Budget);
    expect(cpu.instret).toBe(1002);
    expect(cpu.pc).toBe(CODE);
  });

  it("reports ebreak, illegal instructions and the all-zero word without retiring them", () => {
    const b = boot([A.nop(), A.ebreak()]).cpu;
    expect(b.run(100)).toBe(StopReason.Breakpoint);
    expect([b.pc, b.instret]).toEqual([CODE + 4, 1]);
    const il = boot([0x30200073 /* mret */]).cpu;
    expect(il.run(100)).toBe(StopReason.IllegalInsn);
    expect(il.illegalInsn).toBe(0x30200073);
    expect(il.instret).toBe(0);
    const z = boot([A.nop(), 0]).cpu;
    expect(z.run(100)).toBe(StopReason.IllegalInsn);
    expect([z.pc, z.illegalInsn]).toEqual([CODE + 4, 0]);
  });

  it("faults on unmapped and read-only data with exact address and si_code, leaving state unchanged", () => {
    const { cpu } = boot([A.lui(A0, 0x30), A.addi(A1, 0, 7), A.ld(A1, A0, 8), A.ecall()]);
    expect(cpu.run(100)).toBe(StopReason.Fault);
    expect([cpu.pc, cpu.faultAddr, cpu.faultAccess, cpu.faultCode]).toEqual([CODE + 8, 0x30008, "read", 1]);
    expect(cpu.x[A1]).toBe(7n);
    expect(cpu.instret).toBe(2);

    const ro = boot([A.lui(A0, CODE >> 12), A.sw(0, A0, 0), A.ecall()]).cpu;
    expect(ro.run(100)).toBe(StopReason.Fault);
    expect([ro.faultAddr, ro.faultAccess, ro.faultCode]).toEqual([CODE, "write", 2]);
  });

  it("reports the first byte of the bad page for a page-crossing access and writes nothing", () => {
    const { cpu, mm } = boot([A.lui(A0, DATA >> 12), A.addi(A1, 0, -1), A.addi(A0, A0, 0x7ff), A.sd(A1, A0, 0x7fd), A.ecall()]);
    mm.mapFixed(DATA + 0x1000, 0x1000, PROT_READ); // second data page read-only
    expect(cpu.run(100)).toBe(StopReason.Fault);
    expect(cpu.faultAddr).toBe(DATA + 0x1000);
    expect(cpu.faultCode).toBe(2);
    expect([...mm.peek(DATA + 0xffc, 4)]).toEqual([0, 0, 0, 0]);
  });

  it("faults MAPERR for addresses past TASK_SIZE and with high bits set, reporting them exactly", () => {
    const { cpu } = boot([A.ld(A1, A0, 0), A.ecall()]);
    cpu.x[A0] = -8n;
    expect(cpu.run(100)).toBe(StopReason.Fault);
    expect(cpu.faultAddrBig).toBe(0xfffffffffffffff8n);
    expect(cpu.faultCode).toBe(1);
    const big = boot([A.ld(A1, A0, 0), A.ecall()]).cpu;
    big.x[A0] = BigInt(TASK_SIZE);
    expect(big.run(100)).toBe(StopReason.Fault);
    expect(big.faultAddr).toBe(TASK_SIZE);
    // 2^64 - 2^38 + 0x20000 must not alias a valid page
    const alias = boot([A.ld(A1, A0, 0), A.ecall()]).cpu;
    alias.x[A0] = BigInt.asIntN(64, (1n << 64n) - (1n << 38n) + BigInt(DATA));
    expect(alias.run(100)).toBe(StopReason.Fault);
  });

  it("faults on fetch from a non-executable page and from unmapped memory", () => {
    const { cpu } = boot([A.lui(A0, DATA >> 12), A.jalr(0, A0, 0)]);
    expect(cpu.run(100)).toBe(StopReason.Fault);
    expect([cpu.pc, cpu.faultAddr, cpu.faultAccess, cpu.faultCode]).toEqual([DATA, DATA, "exec", 2]);
    const un = boot([A.lui(A0, 0x300), A.jalr(0, A0, 0)]).cpu;
    expect(un.run(100)).toBe(StopReason.Fault);
    expect([un.pc, un.faultCode]).toEqual([0x300000, 1]);
  });

  it("stops Misaligned for a pc the kernel left odd", () => {
    const { cpu } = boot([A.nop()]);
    cpu.pc = CODE + 1;
    expect(cpu.run(100)).toBe(StopReason.Misaligned);
    expect(cpu.faultAddr).toBe(CODE + 1);
  });

  it("executes code that the mm made writable and executable", () => {
    const { cpu } = boot([A.addi(A0, 0, 3), A.ecall()], PROT_READ | PROT_WRITE | 4);
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    expect(cpu.x[A0]).toBe(3n);
  });
});
