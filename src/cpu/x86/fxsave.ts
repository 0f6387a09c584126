// The 512-byte FXSAVE image (x87, MXCSR, XMM0-15): fxsave/fxrstor, and the fpstate of
// x86-64 signal frames, which has the same layout.

import type { X86Cpu } from "./cpu.ts";
import type { Handler } from "./insn.ts";
import { GP_FAULT } from "./mmu.ts";

export const MXCSR_MASK = 0xffff;

/** Writes the FXSAVE image of c at dv[off..off+512). */
export function fxsave(c: X86Cpu, dv: DataView, off: number): void {
  c.fpu.fxsave(dv, off);
  dv.setUint32(off + 24, c.mxcsr, true);
  dv.setUint32(off + 28, MXCSR_MASK, true);
  for (let i = 0; i < 32; i++) dv.setBigInt64(off + 160 + 8 * i, c.xmm[i]!, true);
  for (let k = 416; k < 512; k++) dv.setUint8(off + k, 0);
}

/** Loads c's x87/SSE state from an FXSAVE image; false when MXCSR has reserved bits set. */
export function fxrstor(c: X86Cpu, dv: DataView, off: number): boolean {
  const mx = dv.getUint32(off + 24, true);
  if ((mx & ~MXCSR_MASK) !== 0) return false;
  c.fpu.fxrstor(dv, off);
  c.mxcsr = mx;
  for (let i = 0; i < 32; i++) c.xmm[i] = dv.getBigInt64(off + 160 + 8 * i, true);
  return true;
}

const image = new DataView(new ArrayBuffer(512));

export const fxsaveInsn: Handler = (c, d) => {
  const a = c.ea(d);
  if (a % 16 !== 0) throw GP_FAULT;
  c.probeWrite(a, 512);
  fxsave(c, image, 0);
  for (let k = 0; k < 512; k += 8) c.wr(a + k, 8, image.getBigInt64(k, true));
  return 0;
};

export const fxrstorInsn: Handler = (c, d) => {
  const a = c.ea(d);
  if (a % 16 !== 0) throw GP_FAULT;
  for (let k = 0; k < 512; k += 8) image.setBigInt64(k, c.rd(a + k, 8), true);
  if (!fxrstor(c, image, 0)) throw GP_FAULT;
  return 0;
};
