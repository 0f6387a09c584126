// The opcode table: every instruction this CPU knows is one row here, from which decode.ts
// builds its lookup maps, the executor takes its handler, disasm.ts its text, and the tests
// their list of encodings. Rows are written as the Intel manual's opcode maps write them:
//
//   code   [pfx] [0f [38|3a]] op[+r|+cc] [/n[m|r] | modrm-byte[+i]]
//          pfx: a mandatory 66/f2/f3; +r: register in the opcode's low 3 bits; +cc: 16
//          condition codes; /n: ModRM.reg = n, m/r: memory/register forms only; a byte >= c0
//          after the opcode: that exact register-form ModRM (x87, fences), +i: 8 of them.
//   ops    Intel operand specifiers: E (ModRM r/m), G (ModRM reg), M (memory only), Z (register
//          in the opcode), I (immediate), J (relative target), O (moffs), V/W/U (xmm reg, xmm
//          or memory, xmm from r/m), fixed registers (AL rAX CL 1), x87 ST/STi; sizes b w d q
//          v (16/32/64) z (16/32) y (32/64) x (128) ss sd ps pd
//   flags  d64: 64-bit by default (push, pop); f64: always 64-bit (near branches)

import * as B from "./bits.ts";
import * as C from "./ctl.ts";
import type { Entry, Handler } from "./insn.ts";
import * as I from "./int.ts";
import * as S from "./str.ts";

export const ENTRIES: Entry[] = [];

export function def(code: string, mnem: string, ops: string, fn: Handler, flags = ""): void {
  ENTRIES.push({ code, mnem, ops: ops === "" ? [] : ops.split(","), fn, flags });
}

const hex = (n: number) => n.toString(16).padStart(2, "0");

// ALU: 00-3f
for (let k = 0; k < 8; k++) {
  const n = I.ALU_NAMES[k]!;
  def(hex(k * 8), n, "Eb,Gb", I.aluEG(k));
  def(hex(k * 8 + 1), n, "Ev,Gv", I.aluEG(k));
  def(hex(k * 8 + 2), n, "Gb,Eb", I.aluGE(k));
  def(hex(k * 8 + 3), n, "Gv,Ev", I.aluGE(k));
  def(hex(k * 8 + 4), n, "AL,Ib", I.aluEI(k));
  def(hex(k * 8 + 5), n, "rAX,Iz", I.aluEI(k));
  def(`80 /${k}`, n, "Eb,Ib", I.aluEI(k));
  def(`81 /${k}`, n, "Ev,Iz", I.aluEI(k));
  def(`83 /${k}`, n, "Ev,Ibs", I.aluEI(k));
}
def("84", "test", "Eb,Gb", I.aluEG(I.TEST));
def("85", "test", "Ev,Gv", I.aluEG(I.TEST));
def("a8", "test", "AL,Ib", I.aluEI(I.TEST));
def("a9", "test", "rAX,Iz", I.aluEI(I.TEST));
def("f6 /0", "test", "Eb,Ib", I.aluEI(I.TEST));
def("f7 /0", "test", "Ev,Iz", I.aluEI(I.TEST));
def("f6 /1", "test", "Eb,Ib", I.aluEI(I.TEST));
def("f7 /1", "test", "Ev,Iz", I.aluEI(I.TEST));
for (const [op, w] of [["f6", "b"], ["f7", "v"]] as const) {
  def(`${op} /2`, "not", `E${w}`, I.notE);
  def(`${op} /3`, "neg", `E${w}`, I.negE);
  def(`${op} /4`, "mul", `E${w}`, B.mul1(false));
  def(`${op} /5`, "imul", `E${w}`, B.mul1(true));
  def(`${op} /6`, "div", `E${w}`, B.div1(false));
  def(`${op} /7`, "idiv", `E${w}`, B.div1(true));
}
def("fe /0", "inc", "Eb", I.incE);
def("fe /1", "dec", "Eb", I.decE);
def("ff /0", "inc", "Ev", I.incE);
def("ff /1", "dec", "Ev", I.decE);
def("ff /2", "call", "Eq", C.callE, "f64");
def("ff /4", "jmp", "Eq", C.jmpE, "f64");
def("ff /6", "push", "Ev", C.pushE, "d64");
def("69", "imul", "Gv,Ev,Iz", B.imul2);
def("6b", "imul", "Gv,Ev,Ibs", B.imul2);
def("0f af", "imul", "Gv,Ev", B.imul2);

// shifts and rotates
for (let k = 0; k < 8; k++) {
  const n = B.SHIFT_NAMES[k]!;
  const f = B.shiftGroup(k);
  def(`c0 /${k}`, n, "Eb,Ib", f);
  def(`c1 /${k}`, n, "Ev,Ib", f);
  def(`d0 /${k}`, n, "Eb,1", f);
  def(`d1 /${k}`, n, "Ev,1", f);
  def(`d2 /${k}`, n, "Eb,CL", f);
  def(`d3 /${k}`, n, "Ev,CL", f);
}
def("0f a4", "shld", "Ev,Gv,Ib", B.doubleShift(true));
def("0f a5", "shld", "Ev,Gv,CL", B.doubleShift(true));
def("0f ac", "shrd", "Ev,Gv,Ib", B.doubleShift(false));
def("0f ad", "shrd", "Ev,Gv,CL", B.doubleShift(false));

// moves
def("88", "mov", "Eb,Gb", I.movEG);
def("89", "mov", "Ev,Gv", I.movEG);
def("8a", "mov", "Gb,Eb", I.movGE);
def("8b", "mov", "Gv,Ev", I.movGE);
def("8d", "lea", "Gv,M", I.lea);
def("c6 /0", "mov", "Eb,Ib", I.movEI);
def("c7 /0", "mov", "Ev,Iz", I.movEI);
def("b0+r", "mov", "Zb,Ib", I.movZI);
def("b8+r", "mov", "Zv,Iv", I.movZI);
def("a0", "mov", "AL,Ob", I.movGE);
def("a1", "mov", "rAX,Ov", I.movGE);
def("a2", "mov", "Ob,AL", I.movEG);
def("a3", "mov", "Ov,rAX", I.movEG);
def("0f b6", "movzx", "Gv,Eb", I.movzxB);
def("0f b7", "movzx", "Gv,Ew", I.movzxW);
def("0f be", "movsx", "Gv,Eb", I.movsxB);
def("0f bf", "movsx", "Gv,Ew", I.movsxW);
def("63", "movsxd", "Gv,Ed", I.movsxd);
def("86", "xchg", "Eb,Gb", I.xchgEG);
def("87", "xchg", "Ev,Gv", I.xchgEG);
def("90+r", "xchg", "Zv,rAX", I.xchgZA);
def("f3 90", "pause", "", C.nop);
def("98", "cbw", "", I.cbw);
def("99", "cwd", "", I.cwd);
def("0f 40+cc", "cmov", "Gv,Ev", I.cmovcc);
def("0f 90+cc", "set", "Eb", I.setcc);
def("0f c8+r", "bswap", "Zv", I.bswap);
def("0f c0", "xadd", "Eb,Gb", I.xaddEG);
def("0f c1", "xadd", "Ev,Gv", I.xaddEG);
def("0f b0", "cmpxchg", "Eb,Gb", I.cmpxchgEG);
def("0f b1", "cmpxchg", "Ev,Gv", I.cmpxchgEG);
def("0f c7 /1m", "cmpxchg8b", "Mq", I.cmpxchg8b);

// bit operations
def("0f a3", "bt", "Ev,Gv", B.bitTest(0, false));
def("0f ab", "bts", "Ev,Gv", B.bitTest(1, false));
def("0f b3", "btr", "Ev,Gv", B.bitTest(2, false));
def("0f bb", "btc", "Ev,Gv", B.bitTest(3, false));
def("0f ba /4", "bt", "Ev,Ib", B.bitTest(0, true));
def("0f ba /5", "bts", "Ev,Ib", B.bitTest(1, true));
def("0f ba /6", "btr", "Ev,Ib", B.bitTest(2, true));
def("0f ba /7", "btc", "Ev,Ib", B.bitTest(3, true));
def("0f bc", "bsf", "Gv,Ev", B.bitScan(false));
def("0f bd", "bsr", "Gv,Ev", B.bitScan(true));
// without BMI1/LZCNT in CPUID, f3 0f bc/bd run as bsf/bsr, as on the CPUs that lack them
def("f3 0f bc", "tzcnt", "Gv,Ev", B.bitScan(false));
def("f3 0f bd", "lzcnt", "Gv,Ev", B.bitScan(true));
def("f3 0f b8", "popcnt", "Gv,Ev", B.popcnt);

// control transfer
def("70+cc", "j", "Jb", C.jcc, "f64");
def("0f 80+cc", "j", "Jz", C.jcc, "f64");
def("eb", "jmp", "Jb", C.jmpRel, "f64");
def("e9", "jmp", "Jz", C.jmpRel, "f64");
def("e8", "call", "Jz", C.callRel, "f64");
def("c3", "ret", "", C.ret, "f64");
def("c2", "ret", "Iw", C.ret, "f64");
def("e0", "loopne", "Jb", C.loop, "f64");
def("e1", "loope", "Jb", C.loop, "f64");
def("e2", "loop", "Jb", C.loop, "f64");
def("e3", "jrcxz", "Jb", C.loop, "f64");

// stack
def("50+r", "push", "Zv", C.pushZ, "d64");
def("58+r", "pop", "Zv", C.popZ, "d64");
def("8f /0", "pop", "Ev", C.popE, "d64");
def("68", "push", "Iz", C.pushI, "d64");
def("6a", "push", "Ibs", C.pushI, "d64");
def("c9", "leave", "", C.leave, "d64");
def("c8", "enter", "Iw,Ib", C.enter, "d64");
def("9c", "pushf", "", C.pushf, "d64");
def("9d", "popf", "", C.popf, "d64");
def("9e", "sahf", "", C.sahf);
def("9f", "lahf", "", C.lahf);
def("f5", "cmc", "", C.cmc);
def("f8", "clc", "", C.clc);
def("f9", "stc", "", C.stc);
def("fc", "cld", "", C.cld);
def("fd", "std", "", C.std);

// strings
for (const [k, b] of [[S.MOVS, 0xa4], [S.CMPS, 0xa6], [S.STOS, 0xaa], [S.LODS, 0xac], [S.SCAS, 0xae]] as const) {
  def(hex(b), S.STRING_NAMES[k]! + "b", "", S.stringOp(k), "b");
  def(hex(b + 1), S.STRING_NAMES[k]!, "", S.stringOp(k));
}

// system
def("0f 05", "syscall", "", C.syscall);
def("0f a2", "cpuid", "", C.cpuidInsn);
def("0f 31", "rdtsc", "", C.rdtsc);
def("0f 01 d0", "xgetbv", "", C.xgetbv);
def("0f 0b", "ud2", "", C.ud);
def("cc", "int3", "", C.int3);
def("cd", "int", "Ib", C.gp);
def("f4", "hlt", "", C.gp);
def("fa", "cli", "", C.gp);
def("fb", "sti", "", C.gp);
def("0f 1f /0", "nop", "Ev", C.nop);
def("0f 18 /0", "prefetchnta", "M", C.nop);
def("0f 18 /1", "prefetcht0", "M", C.nop);
def("0f 18 /2", "prefetcht1", "M", C.nop);
def("0f 18 /3", "prefetcht2", "M", C.nop);
def("0f 0d /1", "prefetchw", "M", C.nop);
def("f3 0f 1e fa", "endbr64", "", C.nop);
def("f3 0f 1e fb", "endbr32", "", C.nop);
def("0f ae e8", "lfence", "", C.nop);
def("0f ae f0", "mfence", "", C.nop);
def("0f ae f8", "sfence", "", C.nop);
def("0f ae /7m", "clflush", "Mb", C.nop);
