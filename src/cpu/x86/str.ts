// String instructions with rep/repe/repne. A rep instruction runs all its iterations as one
// instruction; rsi/rdi/rcx are written back even when an iteration faults, so that the
// restarted instruction continues where it stopped, as on hardware.

import type { X86Cpu } from "./cpu.ts";
import { DF, setSub } from "./flags.ts";
import type { Handler, Insn } from "./insn.ts";
import { SEG_FS, SEG_GS } from "./insn.ts";
import { trunc } from "./ops.ts";

export const MOVS = 0, CMPS = 1, STOS = 2, LODS = 3, SCAS = 4;
export const STRING_NAMES = ["movs", "cmps", "stos", "lods", "scas"];

// The source segment may be overridden (fs:/gs:); the destination is always es (base 0).
function srcBase(c: X86Cpu, d: Insn): number {
  return d.seg === SEG_FS ? c.fsN : d.seg === SEG_GS ? c.gsN : 0;
}

export function stringOp(kind: number): Handler {
  return (c, d) => {
    const s = d.osz;
    const step = (c.fl & DF) !== 0 ? -s : s;
    const rep = d.rep !== 0;
    let n = rep ? c.regN(1) : 1;
    if (rep && d.asz === 4) n = c.ri[2]! >>> 0;
    if (n === 0) return 0;
    let si = c.regN(6), di = c.regN(7);
    const sb = srcBase(c, d);
    const acc = c.getReg(0, s);
    let done = 0;
    try {
      switch (kind) {
        case MOVS:
          while (done < n) {
            c.wr(di, s, c.rd(sb + si, s));
            si += step; di += step; done++;
          }
          break;
        case STOS:
          if (s === 1 && step > 0 && n > 64) {
            done = c.fill(di, n, Number(acc & 0xffn));
            di += done;
          }
          while (done < n) {
            c.wr(di, s, acc);
            di += step; done++;
          }
          break;
        case LODS:
          while (done < n) {
            c.setReg(0, s, c.rd(sb + si, s));
            si += step; done++;
          }
          break;
        case CMPS: {
          const until = d.rep === 0xf2; // repne stops on equal, repe on different
          while (done < n) {
            const x = c.rd(sb + si, s), y = c.rd(di, s);
            si += step; di += step; done++;
            setSub(c, x, y, trunc(s, x - y), 0);
            if (rep && (x === y) === until) break;
          }
          break;
        }
        default: { // SCAS
          const until = d.rep === 0xf2;
          while (done < n) {
            const y = c.rd(di, s);
            di += step; done++;
            setSub(c, acc, y, trunc(s, acc - y), 0);
            if (rep && (acc === y) === until) break;
          }
          break;
        }
      }
    } finally {
      if (kind === MOVS || kind === LODS || kind === CMPS) c.regs[6] = BigInt(si);
      if (kind !== LODS) c.regs[7] = BigInt(di);
      if (rep) {
        if (d.asz === 4) c.setReg(1, 4, BigInt(n - done));
        else c.regs[1] = c.regs[1]! - BigInt(done);
      }
    }
    return 0;
  };
}
