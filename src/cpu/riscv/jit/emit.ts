// JavaScript source for one decoded instruction, for the block compiler. Operands are baked in
// as constants: register indices, immediates as BigInt literals, pc-relative values resolved.
//
// The generated code runs inside the function built by compile.ts, which provides these names:
//   cpu regs xi fbits fi u8 i8 u16 i16 i32 u32 i64 rtag rbase wtag wbase fp H   (closure)
//   left s a v e h                                                           (locals)
// Control leaves through `exit(...)` strings produced by the Ctx the compiler passes in.

import { Op } from "../opcodes.ts";
import { TLB_MASK } from "../mmu.ts";

export interface InsnCtx {
  /** The instruction's slot word, immediate, guest pc, and size in bytes. */
  w: number;
  imm: number;
  pc: number;
  size: number;
  /** Code that leaves the region for `pcExpr`, handing `unretired` instructions back to the budget and returning `stop` (a StopReason, or 0 to go on). */
  exit(pcExpr: string, unretired: number, stop?: string): string;
  /** Code that continues at guest address `target` (inside the region if possible). */
  jump(target: number): string;
  /** Index of this instruction's FP executor in the `fp` closure array. */
  fpIndex(): number;
}

/** Return value of a region that stopped before an instruction only the interpreter can run. */
export const BAIL_OUT = -1;
const BAIL = String(BAIL_OUT);

const X = (r: number) => (r === 0 ? "0n" : `regs[${r}]`);
const LO = (r: number) => (r === 0 ? "0" : `xi[${2 * r}]`);
const HI = (r: number) => (r === 0 ? "0" : `xi[${2 * r + 1}]`);
const big = (n: number | bigint) => `(${n}n)`;
const isSink = (rd: number) => rd === 0 || rd === 32;

/** regs[rd] = BigInt expr (nothing for x0) */
const set = (rd: number, expr: string) => (isSink(rd) ? "" : `regs[${rd}] = ${expr};`);
/** regs[rd] = sign-extended int32 expr */
const setW = (rd: number, expr: string) => (isSink(rd) ? "" : `regs[${rd}] = BigInt(${expr});`);

/** The effective address rs1 + imm as a double (exact below 2^53). */
export function addrExpr(rs1: number, imm: number): string {
  return rs1 === 0 ? `${imm}` : `${HI(rs1)} * 4294967296 + (${LO(rs1)} >>> 0) + ${imm}`;
}

/** unsigned a < b on register halves (signed compares use BigInt, which TurboFan lowers) */
function ltuExpr(a: number, b: number): string {
  const ha = `(${HI(a)} >>> 0)`;
  const hb = `(${HI(b)} >>> 0)`;
  return `(${ha} < ${hb} || (${ha} === ${hb} && (${LO(a)} >>> 0) < (${LO(b)} >>> 0)))`;
}

/** unsigned a < sign-extended imm, on register halves (BigInt.asUintN compares are not lowered) */
function ltuImmExpr(a: number, imm: number): string {
  const hi = imm < 0 ? 0xffffffff : 0;
  const lo = imm >>> 0;
  return `((${HI(a)} >>> 0) < ${hi} || ((${HI(a)} >>> 0) === ${hi} && (${LO(a)} >>> 0) < ${lo}))`;
}

const LOAD_MASK: Partial<Record<Op, number>> = {
  [Op.LB]: 0, [Op.LBU]: 0, [Op.LH]: 1, [Op.LHU]: 1, [Op.LW]: 3, [Op.LWU]: 3, [Op.LD]: 7, [Op.FLW]: 3, [Op.FLD]: 7,
};
const STORE_MASK: Partial<Record<Op, number>> = { [Op.SB]: 0, [Op.SH]: 1, [Op.SW]: 3, [Op.SD]: 7, [Op.FSW]: 3, [Op.FSD]: 7 };

/** Source for one instruction; `k` is its index within its block (for fault accounting). */
export function emit(c: InsnCtx, k: number, blockLen: number): string {
  const w = c.w;
  const op = (w & 0xff) as Op;
  const rd = (w >>> 8) & 63;
  const rs1 = (w >>> 14) & 31;
  const rs2 = (w >>> 19) & 31;
  const imm = c.imm;
  const notRetired = blockLen - k; // this instruction and the rest of its block
  const next = c.pc + c.size;
  switch (op) {
    case Op.LUI: return set(rd, big(imm));
    case Op.AUIPC: return set(rd, big(c.pc + imm));
    case Op.JAL: return set(rd, big(next)) + c.jump(c.pc + imm);
    case Op.JALR:
      return `a = ${addrExpr(rs1, imm)}; ${set(rd, big(next))} ${c.exit("a - (a & 1)", notRetired - 1)}`;
    case Op.BEQ: return `if (${X(rs1)} === ${X(rs2)}) { ${c.jump(c.pc + imm)} }`;
    case Op.BNE: return `if (${X(rs1)} !== ${X(rs2)}) { ${c.jump(c.pc + imm)} }`;
    case Op.BLT: return `if (${X(rs1)} < ${X(rs2)}) { ${c.jump(c.pc + imm)} }`;
    case Op.BGE: return `if (${X(rs1)} >= ${X(rs2)}) { ${c.jump(c.pc + imm)} }`;
    case Op.BLTU: return `if (${ltuExpr(rs1, rs2)}) { ${c.jump(c.pc + imm)} }`;
    case Op.BGEU: return `if (!${ltuExpr(rs1, rs2)}) { ${c.jump(c.pc + imm)} }`;

    case Op.LB: case Op.LBU: case Op.LH: case Op.LHU: case Op.LW: case Op.LWU: case Op.LD:
    case Op.FLW: case Op.FLD:
      return emitLoad(c, op, rd, rs1, imm, notRetired);
    case Op.SB: case Op.SH: case Op.SW: case Op.SD: case Op.FSW: case Op.FSD:
      return emitStore(c, op, rs1, rs2, imm, notRetired);

    case Op.ADDI: return set(rd, rs1 === 0 ? big(imm) : imm === 0 ? X(rs1) : `BigInt.asIntN(64, ${X(rs1)} + ${big(imm)})`);
    case Op.SLTI: return set(rd, `${X(rs1)} < ${big(imm)} ? 1n : 0n`);
    case Op.SLTIU: return set(rd, imm === 1 ? `${X(rs1)} === 0n ? 1n : 0n` : `${ltuImmExpr(rs1, imm)} ? 1n : 0n`);
    case Op.XORI: return set(rd, `${X(rs1)} ^ ${big(imm)}`);
    case Op.ORI: return set(rd, `${X(rs1)} | ${big(imm)}`);
    case Op.ANDI: return set(rd, `${X(rs1)} & ${big(imm)}`);
    case Op.SLLI: return set(rd, `BigInt.asIntN(64, ${X(rs1)} << ${big(imm)})`);
    case Op.SRLI: return set(rd, `BigInt.asIntN(64, BigInt.asUintN(64, ${X(rs1)}) >> ${big(imm)})`);
    case Op.SRAI: return set(rd, `${X(rs1)} >> ${big(imm)}`);
    case Op.ADD: return set(rd, rs1 === 0 ? X(rs2) : rs2 === 0 ? X(rs1) : `BigInt.asIntN(64, ${X(rs1)} + ${X(rs2)})`);
    case Op.SUB: return set(rd, `BigInt.asIntN(64, ${X(rs1)} - ${X(rs2)})`);
    case Op.SLL: return set(rd, `H.sll64(${X(rs1)}, ${LO(rs2)} & 63)`);
    case Op.SLT: return set(rd, `${X(rs1)} < ${X(rs2)} ? 1n : 0n`);
    case Op.SLTU: return set(rd, `${ltuExpr(rs1, rs2)} ? 1n : 0n`);
    case Op.XOR: return set(rd, `${X(rs1)} ^ ${X(rs2)}`);
    case Op.SRL: return isSink(rd) ? "" : `H.srl64(xi, ${2 * rd}, ${2 * rs1}, ${LO(rs2)} & 63);`;
    case Op.SRA: return isSink(rd) ? "" : `H.sra64(xi, ${2 * rd}, ${2 * rs1}, ${LO(rs2)} & 63);`;
    case Op.OR: return set(rd, `${X(rs1)} | ${X(rs2)}`);
    case Op.AND: return set(rd, `${X(rs1)} & ${X(rs2)}`);
    case Op.ADDIW: return setW(rd, `(${LO(rs1)} + ${imm}) | 0`);
    case Op.SLLIW: return setW(rd, `${LO(rs1)} << ${imm}`);
    case Op.SRLIW: return setW(rd, `(${LO(rs1)} >>> ${imm}) | 0`);
    case Op.SRAIW: return setW(rd, `${LO(rs1)} >> ${imm}`);
    case Op.ADDW: return setW(rd, `(${LO(rs1)} + ${LO(rs2)}) | 0`);
    case Op.SUBW: return setW(rd, `(${LO(rs1)} - ${LO(rs2)}) | 0`);
    case Op.SLLW: return setW(rd, `${LO(rs1)} << (${LO(rs2)} & 31)`);
    case Op.SRLW: return setW(rd, `(${LO(rs1)} >>> (${LO(rs2)} & 31)) | 0`);
    case Op.SRAW: return setW(rd, `${LO(rs1)} >> (${LO(rs2)} & 31)`);

    case Op.MUL: return set(rd, `BigInt.asIntN(64, ${X(rs1)} * ${X(rs2)})`);
    case Op.MULH: return set(rd, `H.mulh(${X(rs1)}, ${X(rs2)})`);
    case Op.MULHSU: return set(rd, `H.mulhsu(${X(rs1)}, ${X(rs2)})`);
    case Op.MULHU: return set(rd, `H.mulhu(${X(rs1)}, ${X(rs2)})`);
    case Op.DIV: return isSink(rd) ? "" : `H.divR(regs, xi, ${rd}, ${rs1}, ${rs2});`;
    case Op.DIVU: return isSink(rd) ? "" : `H.divuR(regs, xi, ${rd}, ${rs1}, ${rs2});`;
    case Op.REM: return isSink(rd) ? "" : `H.remR(regs, xi, ${rd}, ${rs1}, ${rs2});`;
    case Op.REMU: return isSink(rd) ? "" : `H.remuR(regs, xi, ${rd}, ${rs1}, ${rs2});`;
    case Op.MULW: return setW(rd, `Math.imul(${LO(rs1)}, ${LO(rs2)})`);
    case Op.DIVW: return setW(rd, `H.divw(${LO(rs1)}, ${LO(rs2)})`);
    case Op.DIVUW: return setW(rd, `H.divuw(${LO(rs1)}, ${LO(rs2)})`);
    case Op.REMW: return setW(rd, `H.remw(${LO(rs1)}, ${LO(rs2)})`);
    case Op.REMUW: return setW(rd, `H.remuw(${LO(rs1)}, ${LO(rs2)})`);

    // the Zb* operations compilers emit most; the others go through the shared executor
    case Op.ADD_UW: return set(rd, `BigInt.asIntN(64, BigInt.asUintN(32, ${X(rs1)}) + ${X(rs2)})`);
    case Op.SH1ADD: return set(rd, `BigInt.asIntN(64, (${X(rs1)} << 1n) + ${X(rs2)})`);
    case Op.SH2ADD: return set(rd, `BigInt.asIntN(64, (${X(rs1)} << 2n) + ${X(rs2)})`);
    case Op.SH3ADD: return set(rd, `BigInt.asIntN(64, (${X(rs1)} << 3n) + ${X(rs2)})`);
    case Op.ANDN: return set(rd, `${X(rs1)} & ~${X(rs2)}`);
    case Op.ORN: return set(rd, `${X(rs1)} | ~${X(rs2)}`);
    case Op.XNOR: return set(rd, `~(${X(rs1)} ^ ${X(rs2)})`);
    case Op.SEXT_B: return setW(rd, `(${LO(rs1)} << 24) >> 24`);
    case Op.SEXT_H: return setW(rd, `(${LO(rs1)} << 16) >> 16`);
    case Op.ZEXT_H: return setW(rd, `${LO(rs1)} & 0xffff`);

    case Op.FENCE: return "";
    case Op.FP: {
      const f = `fp[${c.fpIndex()}]`;
      // An FP op that finds itself illegal changed nothing: the interpreter re-runs and reports it.
      return `if (!${f}(cpu)) ${c.exit(String(c.pc), notRetired, BAIL)} regs[0] = 0n;`;
    }
    default:
      if (op >= Op.LR_W && op <= Op.AMOMAXU_D) {
        return (
          `cpu.mmu.codeChanged = false; v = H.atomic(cpu, ${op}, ${rd}, ${rs1}, ${rs2});` +
          `if (v !== 0) { ${c.exit(String(c.pc), notRetired, "v")} }` +
          `if (cpu.mmu.codeChanged) { ${c.exit(String(next), notRetired - 1)} }`
        );
      }
      if (op >= Op.ADD_UW && op <= Op.BSETI) {
        return isSink(rd) ? "" : `H.bitmanip(regs, xi, ${op}, ${rd}, ${rs1}, ${rs2}, ${imm}, ${big(imm)});`;
      }
      throw new Error(`jit: no emitter for op ${op}`);
  }
}

// Loads and stores take the inline TLB path only. A miss, a misaligned address or a fault
// leaves the region *before* the instruction, and the interpreter re-runs it on its slow path.
// That keeps the cold paths free of calls and other operations that would need type feedback:
// TurboFan deoptimizes the whole function when such an operation is first reached.

function emitLoad(c: InsnCtx, op: Op, rd: number, rs1: number, imm: number, notRetired: number): string {
  const mask = LOAD_MASK[op]!;
  let dest: string;
  switch (op) {
    case Op.LD: dest = set(rd, `i64[h >> 3]`); break;
    case Op.LW: dest = setW(rd, `i32[h >> 2]`); break;
    case Op.LWU: dest = set(rd, `BigInt(u32[h >> 2])`); break;
    case Op.LH: dest = setW(rd, `i16[h >> 1]`); break;
    case Op.LHU: dest = setW(rd, `u16[h >> 1]`); break;
    case Op.LB: dest = setW(rd, `i8[h]`); break;
    case Op.LBU: dest = setW(rd, `u8[h]`); break;
    case Op.FLD: dest = `fbits[${rd & 31}] = i64[h >> 3];`; break;
    default: dest = `fi[${2 * (rd & 31)}] = i32[h >> 2]; fi[${2 * (rd & 31) + 1}] = -1;`; break; // FLW
  }
  return probe(c, "rtag", "rbase", rs1, imm, mask, notRetired) + dest;
}

function emitStore(c: InsnCtx, op: Op, rs1: number, rs2: number, imm: number, notRetired: number): string {
  const mask = STORE_MASK[op]!;
  let st: string;
  switch (op) {
    case Op.SD: st = `i64[h >> 3] = ${X(rs2)};`; break;
    case Op.SW: st = `i32[h >> 2] = ${LO(rs2)};`; break;
    case Op.SH: st = `u16[h >> 1] = ${LO(rs2)};`; break;
    case Op.SB: st = `u8[h] = ${LO(rs2)};`; break;
    case Op.FSD: st = `i64[h >> 3] = fbits[${rs2}];`; break;
    default: st = `i32[h >> 2] = fi[${2 * rs2}];`; break; // FSW
  }
  // The write TLB never maps a frame holding decoded code, so a hit cannot modify code.
  return probe(c, "wtag", "wbase", rs1, imm, mask, notRetired) + st;
}

// h = host byte offset of rs1 + imm, or a bail-out to the interpreter.
function probe(c: InsnCtx, tag: string, base: string, rs1: number, imm: number, mask: number, notRetired: number): string {
  const bad = mask === 0 ? "h < 0" : `(h & ${mask}) !== 0`; // -1 & mask is non-zero too
  return (
    `a = ${addrExpr(rs1, imm)}; v = Math.floor(a / 4096); e = v & ${TLB_MASK};` +
    `h = ${tag}[e] === v ? ${base}[e] + (a & 4095) : -1;` +
    `if (${bad}) ${c.exit(String(c.pc), notRetired, BAIL)}`
  );
}
