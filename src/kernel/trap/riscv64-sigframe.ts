// riscv64's struct rt_sigframe (arch/riscv/kernel/signal.c), what a signal handler finds on its
// stack and rt_sigreturn reads back:
//
//   0     struct siginfo       128 bytes
//   128   struct ucontext      uc_flags 8, uc_link 8, uc_stack 24 (ss_sp, ss_flags + pad, ss_size),
//                              uc_sigmask 8 padded to 128 bytes (__unused), then at 176 the
//                              16-aligned struct sigcontext:
//   304     sc_regs            32 x 8: pc in slot 0, then x1..x31 (struct user_regs_struct)
//   560     sc_fpregs          the 528-byte FP union: f[0..31] as 64-bit values, fcsr at +256;
//                              without the V extension the extension header at its end stays 0
//   1088  end (AT_MINSIGSTKSZ)

import type { RiscvCpu } from "../../cpu/riscv/cpu.ts";
import type { MM } from "../../mm/mm.ts";
import { copy_from_user, copy_to_user } from "../../mm/uaccess.ts";
import type { AltStack } from "../signal/signal.ts";
import type { FrameRequest, RestoredFrame } from "./arch.ts";

export const RT_SIGFRAME_SIZE = 1088;
const UC = 128;
const UC_STACK = UC + 16;
const UC_SIGMASK = UC + 40;
const SC_REGS = UC + 176;
const SC_FP = SC_REGS + 256;
const FCSR = SC_FP + 256;

const RA = 1, SP = 2, A0 = 10, A1 = 11, A2 = 12;

/** setup_rt_frame: writes the frame at `frame` and enters the handler; false when it can't be written. */
export function setupRtFrame(cpu: RiscvCpu, mm: MM, frame: number, f: FrameRequest & { restorer: bigint }): boolean {
  const b = new Uint8Array(RT_SIGFRAME_SIZE);
  const v = new DataView(b.buffer);
  b.set(f.siginfo.subarray(0, UC), 0);
  v.setBigUint64(UC_STACK, f.ucStack.sp, true);
  v.setInt32(UC_STACK + 8, f.ucStack.flags, true);
  v.setBigUint64(UC_STACK + 16, f.ucStack.size, true);
  v.setBigUint64(UC_SIGMASK, f.mask, true);
  v.setBigUint64(SC_REGS, BigInt(cpu.pc), true);
  for (let r = 1; r < 32; r++) v.setBigInt64(SC_REGS + r * 8, cpu.x[r]!, true);
  for (let r = 0; r < 32; r++) v.setBigInt64(SC_FP + r * 8, cpu.fbits[r]!, true);
  v.setUint32(FCSR, (cpu.frm << 5) | cpu.fflags, true);
  if (copy_to_user(mm, frame, b) !== 0) return false;
  cpu.x[RA] = f.restorer;
  cpu.x[SP] = BigInt(frame);
  cpu.x[A0] = BigInt(f.sig);
  cpu.x[A1] = BigInt(frame);
  cpu.x[A2] = BigInt(frame + UC);
  cpu.pc = Number(BigInt.asUintN(64, f.handler));
  return true;
}

/** rt_sigreturn: registers back from the frame at sp; null for a frame that can't be read. */
export function restoreRtFrame(cpu: RiscvCpu, mm: MM): RestoredFrame | null {
  const sp = BigInt.asUintN(64, cpu.x[SP]!);
  if (sp > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const b = new Uint8Array(RT_SIGFRAME_SIZE - UC);
  if (copy_from_user(mm, b, Number(sp) + UC, b.length) !== 0) return null;
  const v = new DataView(b.buffer);
  const at = (off: number) => off - UC;
  const stack: AltStack = {
    sp: v.getBigUint64(at(UC_STACK), true),
    flags: v.getInt32(at(UC_STACK + 8), true),
    size: v.getBigUint64(at(UC_STACK + 16), true),
  };
  const mask = v.getBigUint64(at(UC_SIGMASK), true);
  cpu.pc = Number(v.getBigUint64(at(SC_REGS), true) & 0x1f_ffff_ffff_ffffn);
  for (let r = 1; r < 32; r++) cpu.x[r] = v.getBigInt64(at(SC_REGS + r * 8), true);
  for (let r = 0; r < 32; r++) cpu.fbits[r] = v.getBigInt64(at(SC_FP + r * 8), true);
  const fcsr = v.getUint32(at(FCSR), true);
  cpu.fflags = fcsr & 0x1f;
  cpu.frm = (fcsr >> 5) & 7;
  return { mask, stack };
}
