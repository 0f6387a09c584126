// Control transfer, the stack, flags instructions and the system-ish instructions a user
// program may execute (syscall, cpuid, rdtsc, xgetbv) or that trap (int, hlt, ud2).

import type { X86Cpu } from "./cpu.ts";
import { cpuid, LEAF1_ECX } from "./cpuid.ts";
import { AC, CF, cond, DF, getFlags, ID, patchFlags, setFlags } from "./flags.ts";
import type { Handler } from "./insn.ts";
import { rdE, trunc, wrE } from "./ops.ts";
import { X86Stop } from "./stop.ts";

/** jcc / jmp rel: the target is in d.immN */
export const jcc: Handler = (c, d) => {
  if (cond(c, d.op & 15)) c.rip = d.immN;
  return 0;
};
export const jmpRel: Handler = (c, d) => {
  c.rip = d.immN;
  return 0;
};
export const callRel: Handler = (c, d) => {
  c.pushA(d.next);
  c.rip = d.immN;
  return 0;
};
export const jmpE: Handler = (c, d) => {
  c.rip = Number(BigInt.asUintN(64, rdE(c, d, 8)));
  return c.rip < 2 ** 47 ? 0 : nonCanonicalJump(c, d.next);
};
export const callE: Handler = (c, d) => {
  const t = Number(BigInt.asUintN(64, rdE(c, d, 8)));
  c.pushA(d.next);
  c.rip = t;
  return t < 2 ** 47 ? 0 : nonCanonicalJump(c, d.next);
};
export const ret: Handler = (c, d) => {
  c.rip = c.popAddr(d.immN);
  return 0;
};

// A jump to a non-canonical address faults at the target on Linux (a #GP reported at the
// jump itself would look the same to the program: SIGSEGV); report it as a fetch fault.
function nonCanonicalJump(c: X86Cpu, _next: number): number {
  c.mmu.fault(c.rip, 2, 1);
  c.rip = 0;
  return X86Stop.GeneralProtection;
}

/** loop / loope / loopne / jrcxz (d.op e0..e3) */
export const loop: Handler = (c, d) => {
  const op = d.op;
  const s = d.asz;
  if (op === 0xe3) {
    if (c.getReg(1, s) === 0n) c.rip = d.immN;
    return 0;
  }
  const n = trunc(s, c.getReg(1, s) - 1n);
  c.setReg(1, s, n);
  let go = n !== 0n;
  if (op === 0xe1) go &&= cond(c, 4);
  else if (op === 0xe0) go &&= cond(c, 5);
  if (go) c.rip = d.immN;
  return 0;
};

// ---- stack ----

export const pushZ: Handler = (c, d) => {
  if (d.osz === 8) c.push64(c.ri[d.rm << 1]!, c.ri[(d.rm << 1) + 1]!);
  else c.push(c.getReg(d.rm, d.osz), d.osz);
  return 0;
};
export const popZ: Handler = (c, d) => {
  if (d.osz === 8) {
    c.popTo(d.rm);
    return 0;
  }
  const v = c.pop(d.osz);
  c.setReg(d.rm, d.osz, v);
  return 0;
};
export const pushE: Handler = (c, d) => {
  c.push(rdE(c, d, d.osz), d.osz);
  return 0;
};
export const popE: Handler = (c, d) => {
  const old = c.regs[4]!;
  const v = c.pop(d.osz);
  try {
    wrE(c, d, d.osz, v); // the address is computed with the incremented rsp, as hardware does
  } catch (e) {
    c.regs[4] = old;
    throw e;
  }
  return 0;
};
export const pushI: Handler = (c, d) => {
  c.push(d.imm, d.osz);
  return 0;
};
export const leave: Handler = (c, d) => {
  const sp = c.regs[4]!;
  c.regs[4] = c.regs[5]!;
  try {
    c.setReg(5, d.osz, c.pop(d.osz));
  } catch (e) {
    c.regs[4] = sp;
    throw e;
  }
  return 0;
};
/** enter imm16, imm8 */
export const enter: Handler = (c, d) => {
  const size = d.immN & 0xffff;
  const level = d.imm2 & 31;
  const sp0 = c.regs[4]!, bp0 = c.regs[5]!;
  try {
    c.push(c.regs[5]!);
    const frame = c.regs[4]!;
    for (let k = 1; k < level; k++) {
      c.regs[5] = c.regs[5]! - 8n;
      c.push(c.rd(c.regN(5), 8));
    }
    if (level > 0) c.push(frame);
    c.regs[5] = frame;
    c.regs[4] = c.regs[4]! - BigInt(size);
  } catch (e) {
    c.regs[4] = sp0;
    c.regs[5] = bp0;
    throw e;
  }
  return 0;
};

export const pushf: Handler = (c, d) => {
  c.push(BigInt(getFlags(c) & 0xfcffff), d.osz);
  return 0;
};
export const popf: Handler = (c, d) => {
  setFlags(c, Number(BigInt.asUintN(32, c.pop(d.osz))));
  return 0;
};
export const sahf: Handler = (c) => {
  patchFlags(c, 0xd5, (c.ri[0]! >> 8) & 0xd5);
  return 0;
};
export const lahf: Handler = (c) => {
  c.setReg(16, 1, BigInt((getFlags(c) & 0xd5) | 2));
  return 0;
};
export const clc: Handler = (c) => (patchFlags(c, CF, 0), 0);
export const stc: Handler = (c) => (patchFlags(c, CF, CF), 0);
export const cmc: Handler = (c) => (patchFlags(c, CF, ~getFlags(c) & CF), 0);
export const cld: Handler = (c) => ((c.fl &= ~DF), 0);
export const std: Handler = (c) => ((c.fl |= DF), 0);

// ---- system ----

export const syscall: Handler = (c) => {
  c.regs[1] = BigInt(c.rip);
  c.regs[11] = BigInt(getFlags(c) & ~0x10000); // RF cleared
  return X86Stop.Syscall;
};
export const nop: Handler = () => 0;
export const int3: Handler = () => X86Stop.Breakpoint;
/** int n, hlt, cli/sti, in/out and other privileged instructions: #GP in user mode */
export const gp: Handler = () => X86Stop.GeneralProtection;

export const cpuidInsn: Handler = (c) => {
  const [a, b, cx, dx] = cpuid(c.ri[0]! >>> 0, c.ri[2]! >>> 0);
  c.setReg(0, 4, BigInt(a | 0));
  c.setReg(3, 4, BigInt(b | 0));
  c.setReg(1, 4, BigInt(cx | 0));
  c.setReg(2, 4, BigInt(dx | 0));
  return 0;
};
export const rdtsc: Handler = (c) => {
  const t = BigInt.asUintN(64, c.readTime());
  c.setReg(0, 4, t);
  c.setReg(2, 4, t >> 32n);
  return 0;
};
/**
 * xgetbv with ecx = 0: XCR0 = x87 | SSE (no AVX state). It is #UD while CPUID clears OSXSAVE,
 * as on a CPU whose OS did not enable XSAVE.
 */
export const xgetbv: Handler = (c, d) => {
  if ((LEAF1_ECX & (1 << 27)) === 0) return ud(c, d);
  if (c.ri[2] !== 0) return X86Stop.GeneralProtection;
  c.setReg(0, 4, 3n);
  c.setReg(2, 4, 0n);
  return 0;
};

export { AC, ID };

/** ud2 and every encoding the table lacks: SIGILL */
export const ud: Handler = (c, d) => {
  c.illegalBytes = d.bytes;
  return X86Stop.IllegalInsn;
};
