// The F/D instructions exercised against qemu, in the op-number order of test/fixtures/fp/fpvec.c,
// with their encodings and operand/result register files.

/** Operand shape, as in fpvec.c: F = f register, X = x register; the first letter is the result. */
export type Kind = "FFF" | "FF" | "FFFF" | "XF" | "XFF" | "FX";
/** Domain of the first operand (and of the others for F operands of the op's own format). */
export type Domain = "s" | "d" | "x";

export interface OpSpec {
  name: string;
  kind: Kind;
  /** Domain of the source operands. */
  src: Domain;
  /** Whether the rounding mode matters (vectors are then run in all five modes). */
  rounding: boolean;
  /** The instruction word with rd=4, rs1=1, rs2=2, rs3=3 and the given rm field. */
  encode: (rm: number) => number;
}

const RD = 4;

function opFp(funct5: number, fmt: number, rs2: number, rm: number): number {
  return ((funct5 << 27) | (fmt << 25) | (rs2 << 20) | (1 << 15) | (rm << 12) | (RD << 7) | 0x53) >>> 0;
}

function r4(opcode: number, fmt: number, rm: number): number {
  return ((3 << 27) | (fmt << 25) | (2 << 20) | (1 << 15) | (rm << 12) | (RD << 7) | opcode) >>> 0;
}

const ops: OpSpec[] = [];

function add(name: string, kind: Kind, src: Domain, rounding: boolean, encode: (rm: number) => number): void {
  ops.push({ name, kind, src, rounding, encode });
}

function arith(fmt: number, sfx: "s" | "d"): void {
  ["fadd", "fsub", "fmul", "fdiv"].forEach((n, i) => add(`${n}.${sfx}`, "FFF", sfx, true, (rm) => opFp(i, fmt, 2, rm)));
  add(`fsqrt.${sfx}`, "FF", sfx, true, (rm) => opFp(0b01011, fmt, 0, rm));
  [0x43, 0x47, 0x4b, 0x4f].forEach((opc, i) => {
    const n = ["fmadd", "fmsub", "fnmsub", "fnmadd"][i];
    add(`${n}.${sfx}`, "FFFF", sfx, true, (rm) => r4(opc, fmt, rm));
  });
}

arith(0, "s");
arith(1, "d");
const INT = ["w", "wu", "l", "lu"];
for (const [fmt, sfx] of [[0, "s"], [1, "d"]] as const) {
  INT.forEach((t, i) => add(`fcvt.${t}.${sfx}`, "XF", sfx, true, (rm) => opFp(0b11000, fmt, i, rm)));
}
for (const [fmt, sfx] of [[0, "s"], [1, "d"]] as const) {
  INT.forEach((t, i) => add(`fcvt.${sfx}.${t}`, "FX", "x", true, (rm) => opFp(0b11010, fmt, i, rm)));
}
add("fcvt.s.d", "FF", "d", true, (rm) => opFp(0b01000, 0, 1, rm));
add("fcvt.d.s", "FF", "s", true, (rm) => opFp(0b01000, 1, 0, rm));
for (const [fmt, sfx] of [[0, "s"], [1, "d"]] as const) {
  ["fsgnj", "fsgnjn", "fsgnjx"].forEach((n, i) => add(`${n}.${sfx}`, "FFF", sfx, false, () => opFp(0b00100, fmt, 2, i)));
}
for (const [fmt, sfx] of [[0, "s"], [1, "d"]] as const) {
  add(`fmin.${sfx}`, "FFF", sfx, false, () => opFp(0b00101, fmt, 2, 0));
  add(`fmax.${sfx}`, "FFF", sfx, false, () => opFp(0b00101, fmt, 2, 1));
}
for (const [fmt, sfx] of [[0, "s"], [1, "d"]] as const) {
  // funct3: feq 2, flt 1, fle 0
  ["feq", "flt", "fle"].forEach((n, i) => add(`${n}.${sfx}`, "XFF", sfx, false, () => opFp(0b10100, fmt, 2, 2 - i)));
}
add("fclass.s", "XF", "s", false, () => opFp(0b11100, 0, 0, 1));
add("fclass.d", "XF", "d", false, () => opFp(0b11100, 1, 0, 1));
add("fmv.x.w", "XF", "s", false, () => opFp(0b11100, 0, 0, 0));
add("fmv.x.d", "XF", "d", false, () => opFp(0b11100, 1, 0, 0));
add("fmv.w.x", "FX", "x", false, () => opFp(0b11110, 0, 0, 0));
add("fmv.d.x", "FX", "x", false, () => opFp(0b11110, 1, 0, 0));

/** All ops, indexed by their fpvec op number. */
export const OPS: readonly OpSpec[] = ops;
