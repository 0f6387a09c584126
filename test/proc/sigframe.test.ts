import { describe, expect, it } from "vitest";
import { RiscvCpu } from "../../src/cpu/riscv/cpu.ts";
import { encodeSiginfo } from "../../src/kernel/signal/siginfo.ts";
import { SIGSEGV, SEGV_MAPERR } from "../../src/kernel/signal/signal.ts";
import { Riscv64Regs } from "../../src/kernel/trap/riscv64.ts";
import { MINSIGSTKSZ } from "../../src/loader/arch/riscv64.ts";
import { MM, PROT_READ, PROT_WRITE } from "../../src/mm/mm.ts";

const STACK = 0x40000;

function machine(): { mm: MM; cpu: RiscvCpu; regs: Riscv64Regs } {
  const mm = new MM();
  mm.mapFixed(STACK - 0x4000, 0x4000, PROT_READ | PROT_WRITE);
  const regs = Riscv64Regs.create(mm, 0x1000, STACK, () => 0n);
  const cpu = regs.cpu;
  for (let r = 1; r < 32; r++) cpu.x[r] = BigInt(r * 0x1111);
  cpu.x[2] = BigInt(STACK);
  for (let r = 0; r < 32; r++) cpu.fbits[r] = BigInt(r) << 40n;
  cpu.fflags = 0x15;
  cpu.frm = 3;
  cpu.pc = 0x2468;
  return { mm, cpu, regs };
}

function u64(mm: MM, a: number): bigint {
  return new DataView(mm.peek(a, 8).buffer).getBigUint64(0, true);
}

describe("riscv64 struct rt_sigframe", () => {
  it("is the 1088 bytes AT_MINSIGSTKSZ reports", () => {
    expect(machine().regs.sigframeSize).toBe(1088);
    expect(MINSIGSTKSZ).toBe(1088);
  });

  it("holds siginfo, then ucontext with uc_stack, uc_sigmask and the 16-aligned sigcontext", () => {
    const { mm, cpu, regs } = machine();
    const frame = STACK - 2048;
    const siginfo = encodeSiginfo({ signo: SIGSEGV, code: SEGV_MAPERR, addr: 0x1234n });
    const ok = regs.setupRtFrame(mm, frame, {
      sig: SIGSEGV, handler: 0x5000n, restorer: 0x7000n, siginfo, mask: 0xabcdn,
      ucStack: { sp: 0x9000n, size: 0x3000n, flags: 2 },
    });
    expect(ok).toBe(true);
    expect(mm.peek(frame, 128)).toEqual(siginfo);
    expect(u64(mm, frame + 128)).toBe(0n); // uc_flags
    expect(u64(mm, frame + 136)).toBe(0n); // uc_link
    expect(u64(mm, frame + 144)).toBe(0x9000n); // uc_stack.ss_sp
    expect(new DataView(mm.peek(frame + 152, 4).buffer).getInt32(0, true)).toBe(2); // ss_flags
    expect(u64(mm, frame + 160)).toBe(0x3000n); // ss_size
    expect(u64(mm, frame + 168)).toBe(0xabcdn); // uc_sigmask
    const sc = frame + 304;
    expect(sc % 16).toBe(0);
    expect(u64(mm, sc)).toBe(0x2468n); // pc in slot 0
    expect(u64(mm, sc + 8)).toBe(0x1111n); // ra
    expect(u64(mm, sc + 31 * 8)).toBe(BigInt(31 * 0x1111)); // t6
    expect(u64(mm, sc + 256 + 5 * 8)).toBe(5n << 40n); // f5
    expect(new DataView(mm.peek(sc + 512, 4).buffer).getUint32(0, true)).toBe((3 << 5) | 0x15); // fcsr
    // the handler's entry: pc, sp, a0 = sig, a1 = &info, a2 = &uc, ra = the vDSO trampoline
    expect([cpu.pc, cpu.x[2], cpu.x[10], cpu.x[11], cpu.x[12], cpu.x[1]]).toEqual([0x5000, BigInt(frame), BigInt(SIGSEGV), BigInt(frame), BigInt(frame + 128), 0x7000n]);
  });

  it("rt_sigreturn puts every register back, and gives the saved mask and stack", () => {
    const { mm, cpu, regs } = machine();
    const frame = STACK - 2048;
    regs.setupRtFrame(mm, frame, { sig: 10, handler: 0x5000n, restorer: 0x7000n, siginfo: new Uint8Array(128), mask: 0x42n, ucStack: { sp: 0n, size: 0n, flags: 2 } });
    for (let r = 1; r < 32; r++) if (r !== 2) cpu.x[r] = -1n;
    cpu.fbits.fill(-1n);
    cpu.fflags = 0;
    cpu.frm = 0;
    const back = regs.restoreRtFrame(mm);
    expect(back).toEqual({ mask: 0x42n, stack: { sp: 0n, size: 0n, flags: 2 } });
    expect(cpu.pc).toBe(0x2468);
    expect(cpu.x[2]).toBe(BigInt(STACK));
    expect(cpu.x[10]).toBe(BigInt(10 * 0x1111));
    expect(cpu.fbits[7]).toBe(7n << 40n);
    expect([cpu.frm, cpu.fflags]).toEqual([3, 0x15]);
  });

  it("refuses a frame it cannot write or read", () => {
    const { mm, regs, cpu } = machine();
    expect(regs.setupRtFrame(mm, 0x100000, { sig: 10, handler: 1n, restorer: 1n, siginfo: new Uint8Array(128), mask: 0n, ucStack: { sp: 0n, size: 0n, flags: 2 } })).toBe(false);
    cpu.x[2] = 0x100000n;
    expect(regs.restoreRtFrame(mm)).toBeNull();
  });
});
