// The SSE/SSE2 rows of the opcode table, see table.ts for the notation.

import { def } from "./table.ts";
import * as S from "./sse.ts";
import * as F from "./ssefp.ts";
import { fxsaveInsn, fxrstorInsn } from "./fxsave.ts";

const { V, SAT } = S;

// moves
def("0f 10", "movups", "Vx,Wx", S.movVW(false));
def("66 0f 10", "movupd", "Vx,Wx", S.movVW(false));
def("0f 11", "movups", "Wx,Vx", S.movWV(false));
def("66 0f 11", "movupd", "Wx,Vx", S.movWV(false));
def("f3 0f 10", "movss", "Vss,Wss", S.movsV(4));
def("f2 0f 10", "movsd", "Vsd,Wsd", S.movsV(8));
def("f3 0f 11", "movss", "Wss,Vss", S.movsW(4));
def("f2 0f 11", "movsd", "Wsd,Vsd", S.movsW(8));
def("0f 12 /0m", "movlps", "Vq,Mq", S.movHalfVM(0));
for (let r = 0; r < 8; r++) def(`0f 12 /${r}r`, "movhlps", "Vx,Ux", S.movhlps);
for (let r = 1; r < 8; r++) def(`0f 12 /${r}m`, "movlps", "Vq,Mq", S.movHalfVM(0));
def("66 0f 12", "movlpd", "Vq,Mq", S.movHalfVM(0));
def("0f 13", "movlps", "Mq,Vq", S.movHalfMV(0));
def("66 0f 13", "movlpd", "Mq,Vq", S.movHalfMV(0));
for (let r = 0; r < 8; r++) {
  def(`0f 16 /${r}m`, "movhps", "Vq,Mq", S.movHalfVM(1));
  def(`0f 16 /${r}r`, "movlhps", "Vx,Ux", S.movlhps);
}
def("66 0f 16", "movhpd", "Vq,Mq", S.movHalfVM(1));
def("0f 17", "movhps", "Mq,Vq", S.movHalfMV(1));
def("66 0f 17", "movhpd", "Mq,Vq", S.movHalfMV(1));
def("0f 28", "movaps", "Vx,Wx", S.movVW(true));
def("66 0f 28", "movapd", "Vx,Wx", S.movVW(true));
def("0f 29", "movaps", "Wx,Vx", S.movWV(true));
def("66 0f 29", "movapd", "Wx,Vx", S.movWV(true));
def("0f 2b", "movntps", "Mx,Vx", S.movWV(true));
def("66 0f 2b", "movntpd", "Mx,Vx", S.movWV(true));
def("66 0f e7", "movntdq", "Mx,Vx", S.movWV(true));
def("0f c3", "movnti", "My,Gy", S.movnti);
def("66 0f 6f", "movdqa", "Vx,Wx", S.movVW(true));
def("f3 0f 6f", "movdqu", "Vx,Wx", S.movVW(false));
def("66 0f 7f", "movdqa", "Wx,Vx", S.movWV(true));
def("f3 0f 7f", "movdqu", "Wx,Vx", S.movWV(false));
def("66 0f 6e", "movd", "Vx,Ey", S.movdVE);
def("66 0f 7e", "movd", "Ey,Vx", S.movdEV);
def("f3 0f 7e", "movq", "Vx,Wq", S.movqVW);
def("66 0f d6", "movq", "Wq,Vx", S.movqWV);
def("0f 50", "movmskps", "Gd,Ux", S.movmsk(4));
def("66 0f 50", "movmskpd", "Gd,Ux", S.movmsk(8));
def("66 0f d7", "pmovmskb", "Gd,Ux", S.movmsk(1));

// floating point
const FP: [number, string, number][] = [[0x58, "add", F.ADD], [0x59, "mul", F.MUL], [0x5c, "sub", F.SUB],
  [0x5d, "min", F.MIN], [0x5e, "div", F.DIV], [0x5f, "max", F.MAX], [0x51, "sqrt", F.SQRT]];
for (const [b, n, k] of FP) {
  const o = b.toString(16);
  def(`0f ${o}`, n + "ps", "Vx,Wx", F.fpArith(k, false, false));
  def(`66 0f ${o}`, n + "pd", "Vx,Wx", F.fpArith(k, true, false));
  def(`f3 0f ${o}`, n + "ss", "Vss,Wss", F.fpArith(k, false, true));
  def(`f2 0f ${o}`, n + "sd", "Vsd,Wsd", F.fpArith(k, true, true));
}
def("0f c2", "cmpps", "Vx,Wx,Ib", F.fpCompare(false, false));
def("66 0f c2", "cmppd", "Vx,Wx,Ib", F.fpCompare(true, false));
def("f3 0f c2", "cmpss", "Vss,Wss,Ib", F.fpCompare(false, true));
def("f2 0f c2", "cmpsd", "Vsd,Wsd,Ib", F.fpCompare(true, true));
def("0f 2e", "ucomiss", "Vss,Wss", S.ucomis(false, false));
def("66 0f 2e", "ucomisd", "Vsd,Wsd", S.ucomis(true, false));
def("0f 2f", "comiss", "Vss,Wss", S.ucomis(false, true));
def("66 0f 2f", "comisd", "Vsd,Wsd", S.ucomis(true, true));
def("0f 52", "rsqrtps", "Vx,Wx", F.approx(true, false));
def("f3 0f 52", "rsqrtss", "Vss,Wss", F.approx(true, true));
def("0f 53", "rcpps", "Vx,Wx", F.approx(false, false));
def("f3 0f 53", "rcpss", "Vss,Wss", F.approx(false, true));
const and = (x: bigint, y: bigint) => x & y, andn = (x: bigint, y: bigint) => ~x & y;
const or = (x: bigint, y: bigint) => x | y, xor = (x: bigint, y: bigint) => x ^ y;
for (const [b, n, f] of [[0x54, "and", and], [0x55, "andn", andn], [0x56, "or", or], [0x57, "xor", xor]] as const) {
  def(`0f ${b.toString(16)}`, n + "ps", "Vx,Wx", S.packed64(f));
  def(`66 0f ${b.toString(16)}`, n + "pd", "Vx,Wx", S.packed64(f));
}
def("0f c6", "shufps", "Vx,Wx,Ib", S.shufp(false));
def("66 0f c6", "shufpd", "Vx,Wx,Ib", S.shufp(true));
def("0f 14", "unpcklps", "Vx,Wx", S.unpack(4, false));
def("0f 15", "unpckhps", "Vx,Wx", S.unpack(4, true));
def("66 0f 14", "unpcklpd", "Vx,Wx", S.unpack(8, false));
def("66 0f 15", "unpckhpd", "Vx,Wx", S.unpack(8, true));

// conversions
def("f3 0f 2a", "cvtsi2ss", "Vss,Ey", F.cvtFromInt(false));
def("f2 0f 2a", "cvtsi2sd", "Vsd,Ey", F.cvtFromInt(true));
def("f3 0f 2c", "cvttss2si", "Gy,Wss", F.cvtToInt(false, true));
def("f2 0f 2c", "cvttsd2si", "Gy,Wsd", F.cvtToInt(true, true));
def("f3 0f 2d", "cvtss2si", "Gy,Wss", F.cvtToInt(false, false));
def("f2 0f 2d", "cvtsd2si", "Gy,Wsd", F.cvtToInt(true, false));
def("f3 0f 5a", "cvtss2sd", "Vsd,Wss", F.cvtScalar(true));
def("f2 0f 5a", "cvtsd2ss", "Vss,Wsd", F.cvtScalar(false));
def("0f 5a", "cvtps2pd", "Vx,Wq", F.cvtPacked("ps2pd"));
def("66 0f 5a", "cvtpd2ps", "Vx,Wx", F.cvtPacked("pd2ps"));
def("0f 5b", "cvtdq2ps", "Vx,Wx", F.cvtPacked("dq2ps"));
def("66 0f 5b", "cvtps2dq", "Vx,Wx", F.cvtPacked("ps2dq"));
def("f3 0f 5b", "cvttps2dq", "Vx,Wx", F.cvtPacked("tps2dq"));
def("f3 0f e6", "cvtdq2pd", "Vx,Wq", F.cvtPacked("dq2pd"));
def("f2 0f e6", "cvtpd2dq", "Vx,Wx", F.cvtPacked("pd2dq"));
def("66 0f e6", "cvttpd2dq", "Vx,Wx", F.cvtPacked("tpd2dq"));

// packed integers
const P: [number, string, (c: any) => any, (x: number, y: number) => number][] = [
  [0x74, "pcmpeqb", V.i8, (x, y) => (x === y ? -1 : 0)],
  [0x75, "pcmpeqw", V.i16, (x, y) => (x === y ? -1 : 0)],
  [0x76, "pcmpeqd", V.i32, (x, y) => (x === y ? -1 : 0)],
  [0x64, "pcmpgtb", V.i8, (x, y) => (x > y ? -1 : 0)],
  [0x65, "pcmpgtw", V.i16, (x, y) => (x > y ? -1 : 0)],
  [0x66, "pcmpgtd", V.i32, (x, y) => (x > y ? -1 : 0)],
  [0xfc, "paddb", V.i8, (x, y) => x + y],
  [0xfd, "paddw", V.i16, (x, y) => x + y],
  [0xfe, "paddd", V.i32, (x, y) => x + y],
  [0xf8, "psubb", V.i8, (x, y) => x - y],
  [0xf9, "psubw", V.i16, (x, y) => x - y],
  [0xfa, "psubd", V.i32, (x, y) => x - y],
  [0xec, "paddsb", V.i8, (x, y) => SAT.s8(x + y)],
  [0xed, "paddsw", V.i16, (x, y) => SAT.s16(x + y)],
  [0xdc, "paddusb", V.u8, (x, y) => SAT.u8(x + y)],
  [0xdd, "paddusw", V.u16, (x, y) => SAT.u16(x + y)],
  [0xe8, "psubsb", V.i8, (x, y) => SAT.s8(x - y)],
  [0xe9, "psubsw", V.i16, (x, y) => SAT.s16(x - y)],
  [0xd8, "psubusb", V.u8, (x, y) => SAT.u8(x - y)],
  [0xd9, "psubusw", V.u16, (x, y) => SAT.u16(x - y)],
  [0xda, "pminub", V.u8, Math.min],
  [0xde, "pmaxub", V.u8, Math.max],
  [0xea, "pminsw", V.i16, Math.min],
  [0xee, "pmaxsw", V.i16, Math.max],
  [0xe0, "pavgb", V.u8, (x, y) => (x + y + 1) >> 1],
  [0xe3, "pavgw", V.u16, (x, y) => (x + y + 1) >> 1],
  [0xd5, "pmullw", V.i16, (x, y) => Math.imul(x, y)],
  [0xe5, "pmulhw", V.i16, (x, y) => (x * y) >> 16],
  [0xe4, "pmulhuw", V.u16, (x, y) => (x * y) / 65536],
];
for (const [b, n, v, f] of P) def(`66 0f ${b.toString(16)}`, n, "Vx,Wx", S.packed(v, f));
def("66 0f db", "pand", "Vx,Wx", S.packed64(and));
def("66 0f df", "pandn", "Vx,Wx", S.packed64(andn));
def("66 0f eb", "por", "Vx,Wx", S.packed64(or));
def("66 0f ef", "pxor", "Vx,Wx", S.packed64(xor));
def("66 0f d4", "paddq", "Vx,Wx", S.packed64((x, y) => x + y));
def("66 0f fb", "psubq", "Vx,Wx", S.packed64((x, y) => x - y));
def("66 0f f4", "pmuludq", "Vx,Wx", S.pmuludq);
def("66 0f f5", "pmaddwd", "Vx,Wx", S.pmaddwd);
def("66 0f f6", "psadbw", "Vx,Wx", S.psadbw);
const UNPACK: [number, string, number, boolean][] = [[0x60, "punpcklbw", 1, false], [0x61, "punpcklwd", 2, false],
  [0x62, "punpckldq", 4, false], [0x6c, "punpcklqdq", 8, false], [0x68, "punpckhbw", 1, true],
  [0x69, "punpckhwd", 2, true], [0x6a, "punpckhdq", 4, true], [0x6d, "punpckhqdq", 8, true]];
for (const [b, n, l, h] of UNPACK) def(`66 0f ${b.toString(16)}`, n, "Vx,Wx", S.unpack(l, h));
def("66 0f 63", "packsswb", "Vx,Wx", S.pack(2, SAT.s8));
def("66 0f 67", "packuswb", "Vx,Wx", S.pack(2, SAT.u8));
def("66 0f 6b", "packssdw", "Vx,Wx", S.pack(4, SAT.s16));
def("66 0f 70", "pshufd", "Vx,Wx,Ib", S.pshuf("d"));
def("f2 0f 70", "pshuflw", "Vx,Wx,Ib", S.pshuf("lw"));
def("f3 0f 70", "pshufhw", "Vx,Wx,Ib", S.pshuf("hw"));
def("66 0f c4", "pinsrw", "Vx,Ew,Ib", S.pinsrw);
def("66 0f c5", "pextrw", "Gd,Ux,Ib", S.pextrw);
const SHIFTS: [number, number, string, number, "l" | "r" | "a"][] = [
  [0x71, 2, "psrlw", 2, "r"], [0x71, 4, "psraw", 2, "a"], [0x71, 6, "psllw", 2, "l"],
  [0x72, 2, "psrld", 4, "r"], [0x72, 4, "psrad", 4, "a"], [0x72, 6, "pslld", 4, "l"],
  [0x73, 2, "psrlq", 8, "r"], [0x73, 6, "psllq", 8, "l"],
];
for (const [b, r, n, l, k] of SHIFTS) def(`66 0f ${b.toString(16)} /${r}r`, n, "Ux,Ib", S.pshift(l, k, true));
def("66 0f 73 /3r", "psrldq", "Ux,Ib", S.pbyteShift(false));
def("66 0f 73 /7r", "pslldq", "Ux,Ib", S.pbyteShift(true));
const VSHIFTS: [number, string, number, "l" | "r" | "a"][] = [[0xd1, "psrlw", 2, "r"], [0xd2, "psrld", 4, "r"],
  [0xd3, "psrlq", 8, "r"], [0xe1, "psraw", 2, "a"], [0xe2, "psrad", 4, "a"], [0xf1, "psllw", 2, "l"],
  [0xf2, "pslld", 4, "l"], [0xf3, "psllq", 8, "l"]];
for (const [b, n, l, k] of VSHIFTS) def(`66 0f ${b.toString(16)}`, n, "Vx,Wx", S.pshift(l, k, false));

// state
def("0f ae /0m", "fxsave", "M", fxsaveInsn);
def("0f ae /1m", "fxrstor", "M", fxrstorInsn);
def("0f ae /2m", "ldmxcsr", "Md", S.ldmxcsr);
def("0f ae /3m", "stmxcsr", "Md", S.stmxcsr);
