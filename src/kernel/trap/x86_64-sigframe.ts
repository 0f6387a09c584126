// x86-64's signal frame as arch/x86/kernel/signal_64.c (x64_setup_rt_frame) and signal.c
// (get_sigframe) build it, what a handler finds on its stack and rt_sigreturn reads back:
//
//   frame+0    pretcode             sa_restorer: the handler's `ret` goes there (glibc's
//                                   __restore_rt: mov $15, %eax; syscall)
//   frame+8    struct ucontext      uc_flags 8 (UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS), uc_link 8,
//                                   uc_stack 24, uc_mcontext (struct sigcontext, 256 bytes:
//                                   r8..r15 rdi rsi rbp rbx rdx rax rcx rsp rip eflags, cs gs fs ss,
//                                   err trapno oldmask cr2, fpstate pointer, 8 reserved), uc_sigmask 8
//   frame+312  struct siginfo       128 bytes; the frame is 440 bytes
//   fpstate    the FXSAVE image     512 bytes, 64-aligned, above the frame (the CPU has no XSAVE,
//                                   so no xstate header; sw_reserved stays zero: "legacy only")
//
// get_sigframe: sp skips the 128-byte red zone (unless it switches to the alternate stack),
// fpstate = round_down(sp - 512, 64), frame = round_down(fpstate - 440, 16) - 8, so that the
// handler starts with rsp + 8 16-aligned, as after a call.

import type { X86Cpu } from "../../cpu/x86/cpu.ts";
import type { MM } from "../../mm/mm.ts";
import { copy_from_user, copy_to_user } from "../../mm/uaccess.ts";
import type { AltStack } from "../signal/signal.ts";
import type { FrameRequest, RestoredFrame } from "./arch.ts";

const FRAME = 440;
const UC = 8;
const UC_STACK = UC + 16;
const SC = UC + 40;
const UC_SIGMASK = SC + 256;
const INFO = UC_SIGMASK + 8;
const FPSTATE_SIZE = 512;
/** Bytes of stack a frame may take below sp: red zone, fpstate and its alignment, frame, alignment. */
export const X86_SIGFRAME_SIZE = 128 + FPSTATE_SIZE + 63 + FRAME + 15 + 8;
/** Where rt_sigreturn finds uc_sigmask, from rsp (the handler's ret popped pretcode). */
export const SIGMASK_FROM_SP = UC_SIGMASK - 8;
export const RED_ZONE = 128;

// struct sigcontext: the slot of each GPR (cpu.regs index order rax rcx rdx rbx rsp rbp rsi rdi r8..r15)
const SC_SLOT = [13, 14, 12, 11, 15, 10, 9, 8, 0, 1, 2, 3, 4, 5, 6, 7];
const SC_RIP = 16, SC_EFLAGS = 17, SC_SEGS = 18, SC_OLDMASK = 21, SC_FPSTATE = 23;
const UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;
const USER_CS = 0x33, USER_DS = 0x2b;
/** The flags sigreturn takes from the frame (FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF NT RF. */
const FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x4000 | 0x10000;
const DF = 0x400, TF = 0x100, RF = 0x10000;
const RDI = 7, RSI = 6, RDX = 2, RAX = 0, RSP = 4;

/** Where get_sigframe puts the frame for a stack pointer (already past the red zone or on the alternate stack). */
export function sigframeAddress(sp: bigint): bigint {
  const fpstate = (sp - BigInt(FPSTATE_SIZE)) & ~63n;
  return ((fpstate - BigInt(FRAME)) & ~15n) - 8n;
}

/** The fpstate above a frame placed by sigframeAddress (the next 64-byte boundary past it). */
function fpstateOf(frame: number): number {
  return Math.ceil((frame + FRAME) / 64) * 64;
}

/** An FXSAVE image of the state a handler starts with (fpu__clear_user_states: FNINIT, MXCSR 0x1f80, XMM zero). */
const INIT_FPSTATE = (() => {
  const dv = new DataView(new ArrayBuffer(FPSTATE_SIZE));
  dv.setUint16(0, 0x37f, true);
  dv.setUint32(24, 0x1f80, true);
  dv.setUint32(28, 0xffff, true);
  return dv;
})();

/** setup_rt_frame: writes the frame at `frame` and enters the handler; false when it can't be written. */
export function setupRtFrame(cpu: X86Cpu, mm: MM, frame: number, f: FrameRequest & { restorer: bigint }): boolean {
  const fpstate = fpstateOf(frame);
  const b = new Uint8Array(fpstate + FPSTATE_SIZE - frame);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, f.restorer, true);
  v.setBigUint64(UC, BigInt(UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS), true);
  v.setBigUint64(UC_STACK, f.ucStack.sp, true);
  v.setInt32(UC_STACK + 8, f.ucStack.flags, true);
  v.setBigUint64(UC_STACK + 16, f.ucStack.size, true);
  for (let r = 0; r < 16; r++) v.setBigInt64(SC + SC_SLOT[r]! * 8, cpu.regs[r]!, true);
  v.setBigUint64(SC + SC_RIP * 8, BigInt(cpu.rip), true);
  v.setBigUint64(SC + SC_EFLAGS * 8, BigInt(cpu.rflags >>> 0), true);
  v.setUint16(SC + SC_SEGS * 8, USER_CS, true);
  v.setUint16(SC + SC_SEGS * 8 + 6, USER_DS, true);
  v.setBigUint64(SC + SC_OLDMASK * 8, f.mask, true);
  v.setBigUint64(SC + SC_FPSTATE * 8, BigInt(fpstate), true);
  v.setBigUint64(UC_SIGMASK, f.mask, true);
  b.set(f.siginfo.subarray(0, 128), INFO);
  cpu.fxsave(v, fpstate - frame);
  if (copy_to_user(mm, frame, b) !== 0) return false;
  cpu.regs[RDI] = BigInt(f.sig);
  cpu.regs[RSI] = BigInt(frame + INFO);
  cpu.regs[RDX] = BigInt(frame + UC);
  cpu.regs[RAX] = 0n;
  cpu.regs[RSP] = BigInt(frame);
  cpu.rip = Number(BigInt.asUintN(64, f.handler));
  cpu.rflags = cpu.rflags & ~(DF | TF | RF);
  cpu.fxrstor(INIT_FPSTATE, 0);
  return true;
}

/** rt_sigreturn: registers back from the frame below rsp; null for a frame that can't be read or restored. */
export function restoreRtFrame(cpu: X86Cpu, mm: MM): RestoredFrame | null {
  const sp = BigInt.asUintN(64, cpu.regs[RSP]!);
  if (sp > BigInt(Number.MAX_SAFE_INTEGER) || sp < 8n) return null;
  const frame = Number(sp) - 8;
  const b = new Uint8Array(INFO - UC);
  if (copy_from_user(mm, b, frame + UC, b.length) !== 0) return null;
  const v = new DataView(b.buffer);
  const at = (off: number) => off - UC;
  const stack: AltStack = {
    sp: v.getBigUint64(at(UC_STACK), true),
    flags: v.getInt32(at(UC_STACK + 8), true),
    size: v.getBigUint64(at(UC_STACK + 16), true),
  };
  const mask = v.getBigUint64(at(UC_SIGMASK), true);
  const rip = v.getBigUint64(at(SC + SC_RIP * 8), true);
  // a non-canonical rip would #GP on the way out: SIGSEGV, as Linux's sigreturn checks
  if (rip >= 1n << 47n) return null;
  const fp = v.getBigUint64(at(SC + SC_FPSTATE * 8), true);
  if (fp !== 0n) {
    if (fp > BigInt(Number.MAX_SAFE_INTEGER) || fp % 16n !== 0n) return null;
    const img = new Uint8Array(FPSTATE_SIZE);
    if (copy_from_user(mm, img, Number(fp), FPSTATE_SIZE) !== 0) return null;
    if (!cpu.fxrstor(new DataView(img.buffer), 0)) return null;
  } else {
    cpu.fxrstor(INIT_FPSTATE, 0);
  }
  for (let r = 0; r < 16; r++) cpu.regs[r] = v.getBigInt64(at(SC + SC_SLOT[r]! * 8), true);
  cpu.rip = Number(rip);
  const flags = Number(v.getBigUint64(at(SC + SC_EFLAGS * 8), true) & 0xffffffffn);
  cpu.rflags = (cpu.rflags & ~FIX_EFLAGS) | (flags & FIX_EFLAGS);
  return { mask, stack };
}
