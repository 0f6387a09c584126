// A tiny RV64 encoder for unit tests: enough to write short programs inline.
// Independent of src/cpu/riscv/decode.ts on purpose (a shared bug would hide itself).

const r = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const i = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const s = (imm: number, rs2: number, rs1: number, f3: number, op: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op) >>> 0;
const b = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;

export const ZERO = 0, RA = 1, SP = 2, GP = 3, TP = 4, T0 = 5, T1 = 6, T2 = 7;
export const S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;

export const lui = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37) >>> 0;
export const auipc = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17) >>> 0;
export const jal = (rd: number, off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) |
    (((off >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;
export const jalr = (rd: number, rs1: number, off: number) => i(off, rs1, 0, rd, 0x67);
export const beq = (a: number, c: number, off: number) => b(off, c, a, 0);
export const bne = (a: number, c: number, off: number) => b(off, c, a, 1);
export const blt = (a: number, c: number, off: number) => b(off, c, a, 4);
export const bge = (a: number, c: number, off: number) => b(off, c, a, 5);
export const bltu = (a: number, c: number, off: number) => b(off, c, a, 6);
export const bgeu = (a: number, c: number, off: number) => b(off, c, a, 7);
export const lb = (rd: number, rs1: number, off: number) => i(off, rs1, 0, rd, 0x03);
export const lh = (rd: number, rs1: number, off: number) => i(off, rs1, 1, rd, 0x03);
export const lw = (rd: number, rs1: number, off: number) => i(off, rs1, 2, rd, 0x03);
export const ld = (rd: number, rs1: number, off: number) => i(off, rs1, 3, rd, 0x03);
export const lbu = (rd: number, rs1: number, off: number) => i(off, rs1, 4, rd, 0x03);
export const lhu = (rd: number, rs1: number, off: number) => i(off, rs1, 5, rd, 0x03);
export const lwu = (rd: number, rs1: number, off: number) => i(off, rs1, 6, rd, 0x03);
export const sb = (rs2: number, rs1: number, off: number) => s(off, rs2, rs1, 0, 0x23);
export const sh = (rs2: number, rs1: number, off: number) => s(off, rs2, rs1, 1, 0x23);
export const sw = (rs2: number, rs1: number, off: number) => s(off, rs2, rs1, 2, 0x23);
export const sd = (rs2: number, rs1: number, off: number) => s(off, rs2, rs1, 3, 0x23);
export const flw = (rd: number, rs1: number, off: number) => i(off, rs1, 2, rd, 0x07);
export const fld = (rd: number, rs1: number, off: number) => i(off, rs1, 3, rd, 0x07);
export const fsw = (rs2: number, rs1: number, off: number) => s(off, rs2, rs1, 2, 0x27);
export const fsd = (rs2: number, rs1: number, off: number) => s(off, rs2, rs1, 3, 0x27);
export const addi = (rd: number, rs1: number, imm: number) => i(imm, rs1, 0, rd, 0x13);
export const slti = (rd: number, rs1: number, imm: number) => i(imm, rs1, 2, rd, 0x13);
export const sltiu = (rd: number, rs1: number, imm: number) => i(imm, rs1, 3, rd, 0x13);
export const xori = (rd: number, rs1: number, imm: number) => i(imm, rs1, 4, rd, 0x13);
export const ori = (rd: number, rs1: number, imm: number) => i(imm, rs1, 6, rd, 0x13);
export const andi = (rd: number, rs1: number, imm: number) => i(imm, rs1, 7, rd, 0x13);
export const slli = (rd: number, rs1: number, sh: number) => i(sh, rs1, 1, rd, 0x13);
export const srli = (rd: number, rs1: number, sh: number) => i(sh, rs1, 5, rd, 0x13);
export const srai = (rd: number, rs1: number, sh: number) => i(0x400 | sh, rs1, 5, rd, 0x13);
export const addiw = (rd: number, rs1: number, imm: number) => i(imm, rs1, 0, rd, 0x1b);
export const add = (rd: number, a: number, c: number) => r(0, c, a, 0, rd, 0x33);
export const sub = (rd: number, a: number, c: number) => r(0x20, c, a, 0, rd, 0x33);
export const sll = (rd: number, a: number, c: number) => r(0, c, a, 1, rd, 0x33);
export const slt = (rd: number, a: number, c: number) => r(0, c, a, 2, rd, 0x33);
export const sltu = (rd: number, a: number, c: number) => r(0, c, a, 3, rd, 0x33);
export const xor = (rd: number, a: number, c: number) => r(0, c, a, 4, rd, 0x33);
export const srl = (rd: number, a: number, c: number) => r(0, c, a, 5, rd, 0x33);
export const sra = (rd: number, a: number, c: number) => r(0x20, c, a, 5, rd, 0x33);
export const or = (rd: number, a: number, c: number) => r(0, c, a, 6, rd, 0x33);
export const and = (rd: number, a: number, c: number) => r(0, c, a, 7, rd, 0x33);
export const addw = (rd: number, a: number, c: number) => r(0, c, a, 0, rd, 0x3b);
export const mul = (rd: number, a: number, c: number) => r(1, c, a, 0, rd, 0x33);
export const div = (rd: number, a: number, c: number) => r(1, c, a, 4, rd, 0x33);
export const lr_w = (rd: number, rs1: number) => r(0x08, 0, rs1, 2, rd, 0x2f);
export const lr_d = (rd: number, rs1: number) => r(0x08, 0, rs1, 3, rd, 0x2f);
export const sc_w = (rd: number, rs2: number, rs1: number) => r(0x0c, rs2, rs1, 2, rd, 0x2f);
export const sc_d = (rd: number, rs2: number, rs1: number) => r(0x0c, rs2, rs1, 3, rd, 0x2f);
export const amoadd_w = (rd: number, rs2: number, rs1: number) => r(0x00, rs2, rs1, 2, rd, 0x2f);
export const amoadd_d = (rd: number, rs2: number, rs1: number) => r(0x00, rs2, rs1, 3, rd, 0x2f);
export const csrrw = (rd: number, csr: number, rs1: number) => i(csr, rs1, 1, rd, 0x73);
export const csrrs = (rd: number, csr: number, rs1: number) => i(csr, rs1, 2, rd, 0x73);
export const csrrwi = (rd: number, csr: number, uimm: number) => i(csr, uimm, 5, rd, 0x73);
export const fence_i = () => 0x0000100f;
export const fence = () => 0x0ff0000f;
export const ecall = () => 0x00000073;
export const ebreak = () => 0x00100073;
export const nop = () => addi(0, 0, 0);

/** Splits a 32-bit constant into lui + addi(w) halves. */
export function li32(rd: number, v: number): number[] {
  const lo = (v << 20) >> 20;
  const hi = ((v - lo) >>> 12) & 0xfffff;
  return hi === 0 ? [addi(rd, 0, lo)] : [lui(rd, hi), addiw(rd, rd, lo)];
}

/** Little-endian bytes of a mix of 32-bit words and { c: halfword } compressed parcels. */
export function assemble(items: readonly (number | { c: number })[]): Uint8Array {
  const out: number[] = [];
  for (const it of items) {
    if (typeof it === "number") out.push(it & 0xff, (it >>> 8) & 0xff, (it >>> 16) & 0xff, it >>> 24);
    else out.push(it.c & 0xff, (it.c >>> 8) & 0xff);
  }
  return Uint8Array.from(out);
}
