// CSRs, atomics' faults, code invalidation, TLB invalidation, and the block compiler's budget.

import { describe, expect, it } from "vitest";
import { StopReason } from "../../src/cpu/riscv/cpu.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import * as A from "./asm.ts";
import { A0, A1, A2, A3, A4, T0 } from "./asm.ts";
import { CODE, DATA, boot, exec } from "./harness.ts";

const CYCLE = 0xc00, TIME = 0xc01, INSTRET = 0xc02, FFLAGS = 1, FRM = 2, FCSR = 3;

describe("Zicsr", () => {
  it("reads instret and cycle as the count of instructions retired before the read", () => {
    const cpu = exec([A.nop(), A.nop(), A.csrrs(A0, INSTRET, 0), A.csrrs(A1, CYCLE, 0), A.ecall()]);
    expect(cpu.x[A0]).toBe(2n);
    expect(cpu.x[A1]).toBe(3n);
  });

  it("counts across run() calls", () => {
    const { cpu } = boot([A.nop(), A.ecall(), A.csrrs(A0, INSTRET, 0), A.ecall()]);
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    cpu.pc += 4;
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    expect(cpu.x[A0]).toBe(2n);
  });

  it("reads time from the kernel's clock", () => {
    const cpu = exec([A.csrrs(A0, TIME, 0), A.ecall()], (c) => {
      c.readTime = () => 123456789n;
    });
    expect(cpu.x[A0]).toBe(123456789n);
  });

  it("reads and writes fflags, frm and fcsr as views of one register", () => {
    const cpu = exec([
      A.addi(T0, 0, 0xff),
      A.csrrw(A0, FCSR, T0), // old fcsr (0) to a0
      A.csrrs(A1, FRM, 0),
      A.csrrwi(A2, FFLAGS, 3),
      A.csrrs(A3, FCSR, 0),
      A.ecall(),
    ]);
    expect([cpu.x[A0], cpu.x[A1], cpu.x[A2], cpu.x[A3]]).toEqual([0n, 7n, 0x1fn, 0xe3n]);
    expect([cpu.fflags, cpu.frm]).toEqual([3, 7]);
  });

  it("treats writes to read-only counters and unknown CSRs as illegal, without retiring", () => {
    for (const insn of [A.csrrw(A0, CYCLE, A1), A.csrrs(A0, INSTRET, A1), A.csrrs(A0, 0x300 /* mstatus */, 0), A.csrrs(A0, 0xc80 /* cycleh */, 0)]) {
      const { cpu } = boot([A.nop(), insn, A.ecall()]);
      cpu.x[A0] = 5n;
      expect(cpu.run(100)).toBe(StopReason.IllegalInsn);
      expect([cpu.pc, cpu.instret, cpu.illegalInsn, cpu.x[A0]]).toEqual([CODE + 4, 1, insn, 5n]);
    }
  });

  it("allows reading a read-only CSR with csrrs/csrrc x0", () => {
    const cpu = exec([A.csrrs(A0, CYCLE, 0), A.ecall()]);
    expect(cpu.x[A0]).toBe(0n);
  });
});

describe("atomics", () => {
  it("stops Misaligned (SIGBUS) for misaligned AMO and LR, with the address", () => {
    for (const insn of [A.amoadd_w(A1, A2, A0), A.amoadd_d(A1, A2, A0), A.lr_w(A1, A0), A.sc_d(A1, A2, A0)]) {
      const { cpu } = boot([A.lui(A0, DATA >> 12), A.addi(A0, A0, 4 + 2), insn, A.ecall()]);
      expect(cpu.run(100)).toBe(StopReason.Misaligned);
      expect([cpu.pc, cpu.faultAddr, cpu.faultCode, cpu.instret]).toEqual([CODE + 8, DATA + 6, 1, 2]);
    }
  });

  it("faults an AMO on a read-only page as a write (ACCERR) and an LR on a hole as a read (MAPERR)", () => {
    const ro = boot([A.lui(A0, CODE >> 12), A.amoadd_w(A1, A2, A0), A.ecall()]).cpu;
    expect(ro.run(100)).toBe(StopReason.Fault);
    expect([ro.faultAccess, ro.faultCode, ro.faultAddr]).toEqual(["write", 2, CODE]);
    const hole = boot([A.lui(A0, 0x40), A.lr_d(A1, A0), A.ecall()]).cpu;
    expect(hole.run(100)).toBe(StopReason.Fault);
    expect([hole.faultAccess, hole.faultCode]).toEqual(["read", 1]);
  });

  it("fails an SC whose reservation was lost by a trap, as Linux clears it on return to user mode", () => {
    const { cpu } = boot([A.lui(A0, DATA >> 12), A.lr_d(A1, A0), A.ecall(), A.addi(A2, 0, 9), A.sc_d(A3, A2, A0), A.ecall()]);
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    cpu.pc += 4;
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    expect(cpu.x[A3]).toBe(1n);
  });
});

describe("self-modifying code", () => {
  // The routine at CODE+0x100 stores a1 over the instruction at CODE+0x10C, then runs it.
  function program(withFence: boolean) {
    const words = [A.lui(A0, CODE >> 12), A.jal(1, 0x100 - 4), A.ecall()];
    const code = new Array(0x40 + 8).fill(A.nop());
    code.splice(0, 3, ...words);
    code.splice(0x40, 5, A.sw(A1, A0, 0x10c), withFence ? A.fence_i() : A.nop(), A.addi(A2, 0, 1), A.addi(A2, 0, 2), A.jalr(0, 1, 0));
    return code;
  }

  for (const jitThreshold of [0, 1]) {
    for (const fence of [true, false]) {
      it(`executes the new instruction (${fence ? "with" : "without"} fence.i, ${jitThreshold ? "compiled" : "interpreted"})`, () => {
        const { cpu } = boot(program(fence), PROT_READ | PROT_WRITE | PROT_EXEC);
        cpu.jitThreshold = jitThreshold;
        cpu.x[A1] = BigInt(A.addi(A2, 0, 42));
        expect(cpu.run(1000)).toBe(StopReason.Ecall);
        expect(cpu.x[A2]).toBe(42n);
      });
    }
  }

  it("sees code the kernel pokes after flushDecodeCache", () => {
    const { cpu, mm } = boot([A.addi(A0, 0, 1), A.ecall()]);
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    mm.poke(CODE, A.assemble([A.addi(A0, 0, 2)]));
    cpu.flushDecodeCache();
    cpu.pc = CODE;
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    expect(cpu.x[A0]).toBe(2n);
  });

  it("re-decodes a page that a loop keeps executing while another page rewrites it", () => {
    // a loop calls f (on its own page) 300 times; the 150th time, f's body is rewritten
    const f = 0x11000;
    const { cpu, mm } = boot([
      A.lui(A3, f >> 12),
      A.addi(A4, 0, 300),
      A.jalr(1, A3, 0), // loop: call f
      A.addi(T0, A4, -150),
      A.bne(T0, 0, 8),
      A.sw(A1, A3, 0), // rewrite f's first instruction
      A.addi(A4, A4, -1),
      A.bne(A4, 0, -20),
      A.ecall(),
    ], PROT_READ | PROT_WRITE | PROT_EXEC);
    mm.mapFixed(f, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    mm.poke(f, A.assemble([A.addi(A0, A0, 1), A.jalr(0, 1, 0)]));
    cpu.x[A1] = BigInt(A.addi(A0, A0, 1000));
    cpu.jitThreshold = 10;
    expect(cpu.run(100_000)).toBe(StopReason.Ecall);
    expect(cpu.x[A0]).toBe(151n + 149n * 1000n); // calls at a4 = 300..150 before the rewrite
  });
});

describe("translation caching", () => {
  it("notices mprotect and munmap between runs", () => {
    const { cpu, mm } = boot([A.lui(A0, DATA >> 12), A.sd(A0, A0, 0), A.ecall(), A.sd(A0, A0, 8), A.ecall()]);
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    mm.protect(DATA, 0x1000, PROT_READ);
    cpu.pc += 4;
    expect(cpu.run(100)).toBe(StopReason.Fault);
    expect(cpu.faultCode).toBe(2);
    mm.unmap(DATA, 0x1000);
    expect(cpu.run(100)).toBe(StopReason.Fault);
    expect(cpu.faultCode).toBe(1);
  });

  it("breaks copy-on-write after fork even for a page the CPU has been writing", () => {
    const { cpu, mm } = boot([A.lui(A0, DATA >> 12), A.addi(A1, 0, 1), A.sd(A1, A0, 0), A.ecall(), A.addi(A1, 0, 2), A.sd(A1, A0, 0), A.ecall()]);
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    const child = mm.fork()!;
    cpu.pc += 4;
    expect(cpu.run(100)).toBe(StopReason.Ecall);
    expect(mm.peek(DATA, 1)[0]).toBe(2);
    expect(child.peek(DATA, 1)[0]).toBe(1);
    child.release();
  });

  it("switches address spaces when the kernel replaces cpu.mm", () => {
    const a = boot([A.lui(A0, DATA >> 12), A.ld(A1, A0, 0), A.ecall()]);
    const b = boot([A.lui(A0, DATA >> 12), A.ld(A1, A0, 0), A.ecall()]);
    a.mm.poke(DATA, Uint8Array.of(1));
    b.mm.poke(DATA, Uint8Array.of(2));
    expect(a.cpu.run(100)).toBe(StopReason.Ecall);
    a.cpu.mm = b.mm;
    a.cpu.pc = CODE;
    expect(a.cpu.run(100)).toBe(StopReason.Ecall);
    expect(a.cpu.x[A1]).toBe(2n);
  });

  it("executes a 32-bit instruction that straddles two pages, and faults on its missing half", () => {
    const code = new Array(0x3fe / 2).fill({ c: 0x0001 }); // c.nop up to CODE+0xffe
    const { cpu, mm } = boot([...code, A.addi(A0, 0, 77), A.ecall()]);
    expect(cpu.run(10_000)).toBe(StopReason.Ecall);
    expect(cpu.x[A0]).toBe(77n);
    const { cpu: c2 } = boot([A.nop()]);
    c2.mm.mapFixed(CODE, 0x1000, PROT_READ | PROT_EXEC);
    c2.mm.poke(CODE + 0xffe, Uint8Array.of(0x13, 0x05)); // first half of an addi
    c2.pc = CODE + 0xffe;
    c2.mm.unmap(CODE + 0x1000, 0x1000);
    expect(c2.run(100)).toBe(StopReason.Fault);
    expect([c2.pc, c2.faultAddr, c2.faultAccess]).toEqual([CODE + 0xffe, CODE + 0x1000, "exec"]);
    mm.release();
  });
});

describe("block compiler", () => {
  const loop = [A.addi(A0, 0, 0), A.addi(A1, 0, 1000), A.add(A0, A0, A1), A.addi(A1, A1, -1), A.bne(A1, 0, -8), A.ecall()];

  it("compiles hot loops and keeps instret exact at the budget", () => {
    for (const budget of [1, 2, 3, 100, 1001, 2501]) {
      const { cpu } = boot(loop);
      cpu.jitThreshold = 2;
      expect(cpu.run(budget)).toBe(StopReason.Budget);
      expect(cpu.instret).toBe(budget);
      expect(cpu.run(1_000_000)).toBe(StopReason.Ecall);
      expect(cpu.x[A0]).toBe(500500n);
      expect(cpu.instret).toBe(3003);
      expect(cpu.jitInsns).toBeGreaterThan(2000);
    }
  });

  it("stops at the exact faulting instruction inside compiled code", () => {
    // the loop walks a pointer up through DATA until it runs off the mapping
    const { cpu } = boot([A.lui(A0, DATA >> 12), A.ld(A1, A0, 0), A.addi(A2, A2, 1), A.addi(A0, A0, 8), A.jal(0, -12)]);
    cpu.jitThreshold = 2;
    expect(cpu.run(1_000_000)).toBe(StopReason.Fault);
    expect([cpu.pc, cpu.faultAddr, cpu.x[A2]]).toEqual([CODE + 4, DATA + 0x2000, 1024n]);
    expect(cpu.instret).toBe(1 + 1024 * 4);
  });
});
