// The block compiler: a hot basic block (block.ts) becomes one JavaScript function (new
// Function), in which the common integer instructions are written out with their operands as
// constants, and the others call their interpreter handler. Registers stay in cpu.ri (int32
// halves); the lazy flags keep the representation flags.ts reads (cpu.lzi halves, fop, fcin,
// fl), so the interpreter and compiled code hand over at any instruction boundary. A jcc right
// after a cmp/sub/test/logic op of the same block tests the compared values directly.
//
// Exactness: before an instruction that may fault or stop, the function records its index in
// cpu.jn, so the loop puts rip on it and counts the instructions before it. After a store or a
// handler call that is not the block's last instruction, a change of the page's code
// generation (self-modifying code) leaves the block with -1: cpu.jn instructions retired.
//
// SYSEMU_X86_JIT=off interprets every block; =always compiles each at its first execution.

import { cond, getCF } from "./flags.ts";
import type { Block, BlockFn } from "./block.ts";
import type { Insn } from "./insn.ts";
import * as B from "./bits.ts";
import * as C from "./ctl.ts";
import * as I from "./int.ts";

/** Block entries before a block is compiled (Infinity: never). */
export let jitThreshold = ((): number => {
  const m = typeof process !== "undefined" ? process.env.SYSEMU_X86_JIT : undefined;
  if (m === "off") return Infinity;
  if (m === "always") return 0;
  return 32;
})();

/** Overrides SYSEMU_X86_JIT (tests): 0 compiles every block at its first execution. */
export function setJitThreshold(n: number): void {
  jitThreshold = n;
}

/** Returned by a compiled block left early after a store into its own code: cpu.jn retired. */
export const LEFT_EARLY = -1;

const F_ADD = 1, F_SUB = 2, F_INC = 3, F_DEC = 4, F_RES = 5;
const ARITH = 0x8d5;

/** The handlers of shl, sal, shr, sar (bits.ts shiftGroup), by their group number. */
const SHIFTS = new Map([4, 5, 6, 7].map((k) => [B.SHIFT_HANDLERS[k]!, k]));

const ALU_OPS: Record<string, number> = { add: I.ADD, or: I.OR, and: I.AND, sub: I.SUB, xor: I.XOR, cmp: I.CMP, test: I.TEST };

/** The register r (< 16, or 16..19 for ah..bh) at `s` <= 4 bytes as a signed int32 expression. */
function rdRegN(r: number, s: number): string {
  switch (s) {
    case 4: return `ri[${r << 1}]`;
    case 2: return `(ri[${r << 1}] << 16 >> 16)`;
    default: return r < 16 ? `(ri[${r << 1}] << 24 >> 24)` : `(ri[${(r - 16) << 1}] << 16 >> 24)`;
  }
}

/** Writes the int32 expression v to register r at `s` <= 4 (32 bits zero the upper half). */
function wrRegN(r: number, s: number, v: string): string {
  switch (s) {
    case 4: return `ri[${r << 1}] = ${v}; ri[${(r << 1) + 1}] = 0;`;
    case 2: return `ri[${r << 1}] = (ri[${r << 1}] & -65536) | (${v} & 0xffff);`;
    default:
      if (r < 16) return `ri[${r << 1}] = (ri[${r << 1}] & -256) | (${v} & 0xff);`;
      return `ri[${(r - 16) << 1}] = (ri[${(r - 16) << 1}] & -65281) | ((${v} & 0xff) << 8);`;
  }
}

/** v truncated to `s` bytes, sign-extended (sxN). */
function sx(s: number, v: string): string {
  return s === 4 ? `((${v}) | 0)` : `((${v}) << ${32 - s * 8} >> ${32 - s * 8})`;
}

/** What the last instruction left in the flags, for a jcc right after it. */
interface Flags {
  kind: "sub" | "res" | "add";
  wide: boolean;
}

class Emitter {
  out: string[] = [];
  /** The flag state the previous instruction left in locals (x, y, r / xl, xh, ...), or null. */
  flags: Flags | null = null;
  constructor(
    readonly b: Block,
    readonly gen: number,
    readonly frame: number,
  ) {}

  emit(s: string): void {
    this.out.push(s);
  }

  /** After a store or a handler call at index i: leave the block if its code changed. */
  smc(i: number): void {
    const insns = this.b.insns;
    if (i + 1 >= insns.length) return;
    this.emit(`if (cg[${this.frame}] !== ${this.gen}) { c.jn = ${i + 1}; c.rip = ${insns[i]!.next}; return -1; }`);
  }

  fallback(i: number, d: Insn): void {
    this.emit(`c.jn = ${i}; c.rip = ${d.next}; r = H[${i}](c, D[${i}]); if (r !== 0) return r;`);
    this.smc(i);
  }
}

/**
 * Compiles b (its page is frame `frame` at code generation `gen`). A block of handler calls only
 * is compiled too: it still saves the interpreter loop's dispatch.
 */
export function compileBlock(b: Block, gen: number, frame: number, codeGen: Int32Array): BlockFn {
  const e = new Emitter(b, gen, frame);
  const insns = b.insns;
  let ended = false;
  for (let i = 0; i < insns.length; i++) {
    const d = insns[i]!;
    const prev = e.flags;
    e.flags = null;
    const ok = insn(e, i, d, prev);
    if (ok === "end") {
      ended = true;
      break;
    }
    if (!ok) {
      e.fallback(i, d);
      if (i === insns.length - 1 && endsControl(d)) ended = true;
    }
  }
  if (!ended) e.emit(`c.rip = ${insns[insns.length - 1]!.next}; return 0;`);
  else if (!e.out[e.out.length - 1]!.endsWith("return 0;")) e.emit("return 0;");
  const src =
    "return function block(c) {\n" +
    "const ri = c.ri, z = c.lzi;\n" +
    "let a = 0, r = 0, x = 0, y = 0, xl = 0, xh = 0, yl = 0, yh = 0, rl = 0, rh = 0;\n" +
    e.out.join("\n") +
    "\n};";
  const H = insns.map((d) => d.fn);
  const D = insns;
  const make = new Function("H", "D", "cg", "cond", "getCF", src) as (...args: unknown[]) => BlockFn;
  return make(H, D, codeGen, cond, getCF);
}

/** Whether d is a control transfer whose handler sets rip itself. */
function endsControl(d: Insn): boolean {
  const f = d.fn;
  return f === C.jcc || f === C.jmpRel || f === C.callRel || f === C.jmpE || f === C.callE || f === C.ret || f === C.loop;
}

/**
 * The address of d's memory operand into `a`: written out for base (+ index * scale) + disp
 * while each register is below 2^52 in magnitude and the sum is a user address, as ea() does;
 * ea() for everything else (segments, 32-bit addresses, huge registers), which handles every
 * case exactly.
 */
function ea(e: Emitter, i: number): void {
  const d = e.b.insns[i]!;
  const slow = `c.ea(D[${i}])`;
  if (d.seg !== 0 || d.asz !== 8) {
    e.emit(`c.jn = ${i}; a = ${slow};`);
    return;
  }
  if (d.base < 0 && d.index < 0) {
    e.emit(`c.jn = ${i}; a = ${d.disp >= 0 && d.disp < 2 ** 47 ? d.disp : slow};`);
    return;
  }
  const part = (r: number) => `ri[${(r << 1) + 1}] * 4294967296 + (ri[${r << 1}] >>> 0)`;
  const hiOk = (r: number) => `ri[${(r << 1) + 1}] + 1048576 >>> 0 < 2097152`;
  const conds = [d.base, d.index].filter((r) => r >= 0).map(hiOk);
  // summed in ea()'s order, so that the doubles round alike
  let sum = `${d.disp}`;
  if (d.base >= 0) sum += ` + (${part(d.base)})`;
  if (d.index >= 0) sum += ` + (${part(d.index)}) * ${d.scale}`;
  e.emit(`c.jn = ${i}; a = ${conds.join(" && ")} ? ${sum} : -1; if (!(a >= 0 && a < 140737488355328)) a = ${slow};`);
}

/** The ALU's flag record and result for <= 32-bit numbers x, y; leaves the result in r. */
function aluN(e: Emitter, op: number, s: number): void {
  switch (op) {
    case I.ADD:
      e.emit(`r = ${sx(s, "x + y")}; z[0] = r; z[1] = r >> 31; z[2] = x; z[3] = x >> 31; z[4] = y; z[5] = y >> 31; c.fcin = 0; c.fop = ${F_ADD};`);
      e.flags = { kind: "add", wide: false };
      return;
    case I.SUB:
    case I.CMP:
      e.emit(`r = ${sx(s, "x - y")}; z[0] = r; z[1] = r >> 31; z[2] = x; z[3] = x >> 31; z[4] = y; z[5] = y >> 31; c.fcin = 0; c.fop = ${F_SUB};`);
      e.flags = { kind: "sub", wide: false };
      return;
    default: {
      const o = op === I.OR ? "|" : op === I.XOR ? "^" : "&";
      e.emit(`r = x ${o} y; z[0] = r; z[1] = r >> 31; c.fl &= ${~ARITH}; c.fop = ${F_RES};`);
      e.flags = { kind: "res", wide: false };
    }
  }
}

/** The same on 64-bit halves xl:xh, yl:yh into rl:rh. */
function alu64(e: Emitter, op: number): void {
  switch (op) {
    case I.ADD:
      e.emit(`rl = (xl + yl) | 0; rh = (xh + yh + ((xl >>> 0) + (yl >>> 0) > 4294967295 ? 1 : 0)) | 0;`);
      e.emit(`z[0] = rl; z[1] = rh; z[2] = xl; z[3] = xh; z[4] = yl; z[5] = yh; c.fcin = 0; c.fop = ${F_ADD};`);
      e.flags = { kind: "add", wide: true };
      return;
    case I.SUB:
    case I.CMP:
      e.emit(`rl = (xl - yl) | 0; rh = (xh - yh - ((xl >>> 0) < (yl >>> 0) ? 1 : 0)) | 0;`);
      e.emit(`z[0] = rl; z[1] = rh; z[2] = xl; z[3] = xh; z[4] = yl; z[5] = yh; c.fcin = 0; c.fop = ${F_SUB};`);
      e.flags = { kind: "sub", wide: true };
      return;
    default: {
      const o = op === I.OR ? "|" : op === I.XOR ? "^" : "&";
      e.emit(`rl = xl ${o} yl; rh = xh ${o} yh; z[0] = rl; z[1] = rh; c.fl &= ${~ARITH}; c.fop = ${F_RES};`);
      e.flags = { kind: "res", wide: true };
    }
  }
}

/** The condition cc as an expression on the previous instruction's locals, or via cond(). */
function condExpr(f: Flags | null, cc: number): string {
  const k = cc >> 1;
  const neg = (cc & 1) !== 0;
  let t: string | null = null;
  if (f !== null && !f.wide) {
    if (f.kind === "sub") {
      t = [null, "(x >>> 0) < (y >>> 0)", "x === y", "(x >>> 0) <= (y >>> 0)", "r < 0", null, "x < y", "x <= y"][k]!;
    } else if (f.kind === "res") {
      t = ["false", "false", "r === 0", "r === 0", "r < 0", null, "r < 0", "r <= 0"][k]!;
    } else {
      t = [null, null, "r === 0", null, "r < 0", null, null, null][k]!;
    }
  } else if (f !== null) {
    if (f.kind === "sub") {
      t = [
        null,
        "(xh !== yh ? (xh >>> 0) < (yh >>> 0) : (xl >>> 0) < (yl >>> 0))",
        "(xl === yl && xh === yh)",
        "(xh !== yh ? (xh >>> 0) < (yh >>> 0) : (xl >>> 0) <= (yl >>> 0))",
        "rh < 0",
        null,
        "(xh !== yh ? xh < yh : (xl >>> 0) < (yl >>> 0))",
        "(xh !== yh ? xh < yh : (xl >>> 0) <= (yl >>> 0))",
      ][k]!;
    } else if (f.kind === "res") {
      t = ["false", "false", "(rl | rh) === 0", "(rl | rh) === 0", "rh < 0", null, "rh < 0", "(rh < 0 || (rl | rh) === 0)"][k]!;
    } else {
      t = [null, null, "(rl | rh) === 0", null, "rh < 0", null, null, null][k]!;
    }
  }
  if (t === null) return neg ? `!cond(c, ${cc & ~1})` : `cond(c, ${cc})`;
  return neg ? `!(${t})` : t;
}

/** The 64-bit register r into the locals named p (l, h). */
function rd64(r: number, p: string): string {
  return `${p}l = ri[${r << 1}]; ${p}h = ri[${(r << 1) + 1}];`;
}

/** Splits a 64-bit BigInt into its int32 halves. */
function halves(v: bigint): [number, number] {
  return [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
}

/**
 * Emits d inline: true when done, "end" when it ended the block (and returned), false to call
 * the handler instead. `prev` is what the previous instruction left in the flag locals.
 */
function insn(e: Emitter, i: number, d: Insn, prev: Flags | null): boolean | "end" {
  const ent = d.ent;
  if (ent === null || d.lock) return false;
  const f = d.fn;
  const s = d.osz;
  const mem = d.rm < 0;
  const mn = ent.mnem;
  const ops = ent.ops;

  if (f === C.jcc) {
    e.emit(`c.rip = ${condExpr(prev, d.op & 15)} ? ${d.immN} : ${d.next}; return 0;`);
    return "end";
  }
  if (f === C.jmpRel) {
    e.emit(`c.rip = ${d.immN}; return 0;`);
    return "end";
  }
  if (f === C.callRel) {
    e.emit(`c.jn = ${i}; c.pushA(${d.next}); c.rip = ${d.immN}; return 0;`);
    return "end";
  }
  if (f === C.ret) {
    e.emit(`c.jn = ${i}; c.rip = c.popAddr(${d.immN}); return 0;`);
    return "end";
  }
  if (f === C.nop) return true;
  if (f === C.pushZ && s === 8) {
    e.emit(`c.jn = ${i}; c.push64(ri[${d.rm << 1}], ri[${(d.rm << 1) + 1}]);`);
    e.smc(i);
    return true;
  }
  if (f === C.popZ && s === 8) {
    e.emit(`c.jn = ${i}; c.popTo(${d.rm});`);
    return true;
  }

  const op = ALU_OPS[mn];
  if (op !== undefined && ops.length === 2 && !d.rep) {
    const writes = op !== I.CMP && op !== I.TEST;
    const form = ops[1]![0] === "I" ? "EI" : ops[0]![0] === "G" ? "GE" : "EG";
    if (s !== 8) {
      // x: the destination operand, y: the source
      if (form === "GE") {
        if (mem) {
          ea(e, i);
          e.emit(`y = c.rdN(a, ${s});`);
        } else e.emit(`y = ${rdRegN(d.rm, s)};`);
        e.emit(`x = ${rdRegN(d.reg, s)};`);
        aluN(e, op, s);
        if (writes) e.emit(wrRegN(d.reg, s, "r"));
        return true;
      }
      e.emit(form === "EI" ? `y = ${(d.immN << (32 - s * 8)) >> (32 - s * 8)};` : `y = ${rdRegN(d.reg, s)};`);
      if (mem) {
        ea(e, i);
        e.emit(`x = c.rdN(a, ${s});`);
      } else e.emit(`x = ${rdRegN(d.rm, s)};`);
      // the store comes before the flag record: a faulting store leaves the flags as they were
      const save = e.out.length;
      aluN(e, op, s);
      if (writes) {
        if (mem) {
          const flagCode = e.out.splice(save);
          const res = flagCode.join(" ").match(/^r = ([^;]*);/)![1]!;
          e.emit(`r = ${res}; c.wrN(a, ${s}, r);`);
          e.emit(flagCode.join(" ").replace(/^r = [^;]*;/, ""));
          e.smc(i);
        } else e.emit(wrRegN(d.rm, s, "r"));
      }
      return true;
    }
    // 64-bit
    if (form === "GE") {
      if (mem) {
        ea(e, i);
        e.emit(`yl = c.ld64(a); yh = c.hi;`);
      } else e.emit(rd64(d.rm, "y"));
      e.emit(rd64(d.reg, "x"));
      alu64(e, op);
      if (writes) e.emit(`ri[${d.reg << 1}] = rl; ri[${(d.reg << 1) + 1}] = rh;`);
      return true;
    }
    if (form === "EI") {
      const [l, h] = halves(d.imm);
      e.emit(`yl = ${l}; yh = ${h};`);
    } else e.emit(rd64(d.reg, "y"));
    if (mem) {
      ea(e, i);
      e.emit(`xl = c.ld64(a); xh = c.hi;`);
    } else e.emit(rd64(d.rm, "x"));
    const save = e.out.length;
    alu64(e, op);
    if (writes) {
      if (mem) {
        const [res, flagRec] = e.out.splice(save) as [string, string];
        e.emit(res);
        e.emit(`c.st64(a, rl, rh);`);
        e.emit(flagRec);
        e.smc(i);
      } else e.emit(`ri[${d.rm << 1}] = rl; ri[${(d.rm << 1) + 1}] = rh;`);
    }
    return true;
  }

  if ((f === I.incE || f === I.decE) && !mem) {
    const inc = f === I.incE;
    const cf = `c.fl = (c.fl & -2) | getCF(c);`;
    if (s !== 8) {
      e.emit(`x = ${rdRegN(d.rm, s)}; r = ${sx(s, inc ? "x + 1" : "x - 1")}; ${cf}`);
      e.emit(wrRegN(d.rm, s, "r"));
      e.emit(`z[0] = r; z[1] = r >> 31; z[2] = x; z[3] = x >> 31; z[4] = 1; z[5] = 0; c.fop = ${inc ? F_INC : F_DEC};`);
    } else {
      e.emit(rd64(d.rm, "x") + " " + cf);
      if (inc) e.emit(`rl = (xl + 1) | 0; rh = rl === 0 ? (xh + 1) | 0 : xh;`);
      else e.emit(`rl = (xl - 1) | 0; rh = xl === 0 ? (xh - 1) | 0 : xh;`);
      e.emit(`ri[${d.rm << 1}] = rl; ri[${(d.rm << 1) + 1}] = rh;`);
      e.emit(`z[0] = rl; z[1] = rh; z[2] = xl; z[3] = xh; z[4] = 1; z[5] = 0; c.fop = ${inc ? F_INC : F_DEC};`);
    }
    return true;
  }

  if (f === I.movGE) {
    if (s === 8) {
      if (mem) {
        ea(e, i);
        e.emit(`c.ld64To(a, ${d.reg});`);
      } else e.emit(`ri[${d.reg << 1}] = ri[${d.rm << 1}]; ri[${(d.reg << 1) + 1}] = ri[${(d.rm << 1) + 1}];`);
      return true;
    }
    if (mem) {
      ea(e, i);
      e.emit(`x = c.rdN(a, ${s});`);
    } else e.emit(`x = ${rdRegN(d.rm, s)};`);
    e.emit(wrRegN(d.reg, s, "x"));
    return true;
  }
  if (f === I.movEG) {
    if (s === 8) {
      if (mem) {
        ea(e, i);
        e.emit(`c.st64From(a, ${d.reg});`);
        e.smc(i);
      } else e.emit(`ri[${d.rm << 1}] = ri[${d.reg << 1}]; ri[${(d.rm << 1) + 1}] = ri[${(d.reg << 1) + 1}];`);
      return true;
    }
    if (mem) {
      ea(e, i);
      e.emit(`c.wrN(a, ${s}, ${rdRegN(d.reg, s)});`);
      e.smc(i);
    } else e.emit(wrRegN(d.rm, s, rdRegN(d.reg, s)));
    return true;
  }
  if (f === I.movEI) {
    if (s === 8) {
      const [l, h] = halves(d.imm);
      if (mem) {
        ea(e, i);
        e.emit(`c.st64(a, ${l}, ${h});`);
        e.smc(i);
      } else e.emit(`ri[${d.rm << 1}] = ${l}; ri[${(d.rm << 1) + 1}] = ${h};`);
      return true;
    }
    if (mem) {
      ea(e, i);
      e.emit(`c.wrN(a, ${s}, ${d.immN | 0});`);
      e.smc(i);
    } else e.emit(wrRegN(d.rm, s, String(d.immN | 0)));
    return true;
  }

  const ext =
    f === I.movzxB ? [1, "& 0xff"] : f === I.movzxW ? [2, "& 0xffff"] : f === I.movsxB ? [1, ""] : f === I.movsxW ? [2, ""] : f === I.movsxd ? [4, ""] : null;
  if (ext !== null) {
    const [size, mask] = ext as [number, string];
    if (mem) {
      ea(e, i);
      e.emit(`x = c.rdN(a, ${size}) ${mask};`);
    } else e.emit(`x = ${rdRegN(d.rm, size)} ${mask};`);
    const r = d.reg << 1;
    if (s === 8) e.emit(`ri[${r}] = x; ri[${r + 1}] = x >> 31;`);
    else if (s === 4) e.emit(`ri[${r}] = x; ri[${r + 1}] = 0;`);
    else e.emit(`ri[${r}] = (ri[${r}] & -65536) | (x & 0xffff);`);
    return true;
  }

  if (SHIFTS.has(f) && s !== 8 && !mem && d.imm2 !== 2) {
    // shl/shr/sar by a constant, as bits.ts shiftN with the count folded in
    const op = SHIFTS.get(f)!;
    const n = (d.imm2 === 1 ? 1 : d.immN & 0xff) & 31;
    const bits = s * 8, sh = 32 - bits;
    e.emit(`x = ${rdRegN(d.rm, s)};`);
    if (n === 0) {
      e.emit(wrRegN(d.rm, s, "x")); // no flags change, but a 32-bit register is zero-extended
      return true;
    }
    e.emit(`y = ${s === 4 ? "x >>> 0" : `x & ${(1 << bits) - 1}`};`);
    let cfof: string;
    if (op === 5) {
      e.emit(`r = ((y >>> ${n}) << ${sh}) >> ${sh};`);
      cfof = `((y >>> ${n - 1}) & 1)${n === 1 ? " | (x < 0 ? 0x800 : 0)" : ""}`;
    } else if (op === 7) {
      e.emit(`r = x >> ${n};`);
      cfof = `((x >> ${n - 1}) & 1)`;
    } else {
      e.emit(`r = ((y << ${n}) << ${sh}) >> ${sh};`);
      const cf = n > bits ? "0" : `((y >>> ${bits - n}) & 1)`;
      cfof = `${cf} | (((r < 0 ? 1 : 0) ^ ${cf}) << 11)`;
    }
    e.emit(wrRegN(d.rm, s, "r"));
    e.emit(`z[0] = r; z[1] = r >> 31; c.fl = (c.fl & ${~ARITH}) | ${cfof}; c.fop = ${F_RES};`);
    return true;
  }
  if (f === B.imul2 && s !== 8) {
    // the double product is exact below 2^53 and far from any int32 above it: r !== p is overflow
    if (mem) {
      ea(e, i);
      e.emit(`y = c.rdN(a, ${s});`);
    } else e.emit(`y = ${rdRegN(d.rm, s)};`);
    e.emit(`x = ${d.imm2 === 1 ? String(Number(BigInt.asIntN(s * 8, d.imm))) : rdRegN(d.reg, s)};`);
    e.emit(`r = ${s === 4 ? "Math.imul(x, y)" : sx(s, "x * y")};`);
    e.emit(wrRegN(d.reg, s, "r"));
    e.emit(`z[0] = r; z[1] = r >> 31; c.fl = (c.fl & ${~ARITH}) | (r !== x * y ? 0x801 : 0); c.fop = ${F_RES};`);
    return true;
  }
  if (f === I.lea) {
    // the double sum is exact while every part is below 2^52 (as the handler checks)
    const b = d.base >= 0 ? `(ri[${(d.base << 1) + 1}] * 4294967296 + (ri[${d.base << 1}] >>> 0))` : "0";
    const x = d.index >= 0 ? `(ri[${(d.index << 1) + 1}] * 4294967296 + (ri[${d.index << 1}] >>> 0))` : "0";
    e.emit(`xl = ${b}; yl = ${x}; a = ${d.disp} + xl + yl * ${d.scale};`);
    e.emit(`if (xl > -4503599627370496 && xl < 4503599627370496 && yl > -562949953421312 && yl < 562949953421312 && a > -4503599627370496 && a < 4503599627370496) {`);
    if (s === 8) e.emit(`rh = Math.floor(a / 4294967296); ri[${d.reg << 1}] = a - rh * 4294967296; ri[${(d.reg << 1) + 1}] = rh;`);
    else e.emit(wrRegN(d.reg, s, "a"));
    e.emit(`} else H[${i}](c, D[${i}]);`);
    return true;
  }
  return false;
}
