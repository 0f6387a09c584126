// A tiny RV64 assembler: the uncompressed RV64I/M/Zicsr instructions the vDSO needs, labels for
// branches, and pc-relative references to symbols outside the code (the [vvar] data pages),
// resolved when the code is linked at its final address.

/** Integer registers by ABI name. */
export const R = {
  zero: 0, ra: 1, sp: 2, gp: 3, tp: 4, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9,
  a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15, a6: 16, a7: 17,
  t3: 28, t4: 29, t5: 30, t6: 31,
} as const;

/** The unprivileged counter CSR read by rdtime. */
export const CSR_TIME = 0xc01;

/** FENCE predecessor/successor bits. */
export const FENCE_R = 0b0010;
export const FENCE_W = 0b0001;

const OP_IMM = 0x13, OP_IMM_32 = 0x1b, OP = 0x33, LUI = 0x37, AUIPC = 0x17;
const LOAD = 0x03, STORE = 0x23, BRANCH = 0x63, JAL = 0x6f, JALR = 0x67;
const SYSTEM = 0x73, MISC_MEM = 0x0f;

function checkReg(r: number): number {
  if (!Number.isInteger(r) || r < 0 || r > 31) throw new RangeError(`bad register x${r}`);
  return r;
}

function checkSigned(imm: number, bits: number, what: string): number {
  const lim = 2 ** (bits - 1);
  if (!Number.isInteger(imm) || imm < -lim || imm >= lim) {
    throw new RangeError(`${what} immediate ${imm} does not fit in ${bits} signed bits`);
  }
  return imm;
}

/** R-type: funct7 rs2 rs1 funct3 rd opcode. */
export function encodeR(op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number): number {
  return ((f7 << 25) | (checkReg(rs2) << 20) | (checkReg(rs1) << 15) | (f3 << 12) | (checkReg(rd) << 7) | op) >>> 0;
}

/** I-type: imm[11:0] rs1 funct3 rd opcode. */
export function encodeI(op: number, f3: number, rd: number, rs1: number, imm: number): number {
  checkSigned(imm, 12, "I-type");
  return (((imm & 0xfff) << 20) | (checkReg(rs1) << 15) | (f3 << 12) | (checkReg(rd) << 7) | op) >>> 0;
}

/** S-type: imm[11:5] rs2 rs1 funct3 imm[4:0] opcode. */
export function encodeS(op: number, f3: number, rs1: number, rs2: number, imm: number): number {
  checkSigned(imm, 12, "S-type");
  const hi = (imm >> 5) & 0x7f, lo = imm & 0x1f;
  return ((hi << 25) | (checkReg(rs2) << 20) | (checkReg(rs1) << 15) | (f3 << 12) | (lo << 7) | op) >>> 0;
}

/** B-type: a 13-bit even offset scattered as imm[12|10:5] and imm[4:1|11]. */
export function encodeB(op: number, f3: number, rs1: number, rs2: number, off: number): number {
  checkSigned(off, 13, "branch");
  if (off & 1) throw new RangeError(`odd branch offset ${off}`);
  const b12 = (off >> 12) & 1, b11 = (off >> 11) & 1, b10_5 = (off >> 5) & 0x3f, b4_1 = (off >> 1) & 0xf;
  return (
    ((b12 << 31) | (b10_5 << 25) | (checkReg(rs2) << 20) | (checkReg(rs1) << 15) |
      (f3 << 12) | (b4_1 << 8) | (b11 << 7) | op) >>> 0
  );
}

/** U-type: imm[31:12] rd opcode (imm20 is the upper 20 bits, signed). */
export function encodeU(op: number, rd: number, imm20: number): number {
  checkSigned(imm20, 20, "U-type");
  return (((imm20 & 0xfffff) << 12) | (checkReg(rd) << 7) | op) >>> 0;
}

/** J-type: a 21-bit even offset scattered as imm[20|10:1|11|19:12]. */
export function encodeJ(op: number, rd: number, off: number): number {
  checkSigned(off, 21, "jal");
  if (off & 1) throw new RangeError(`odd jump offset ${off}`);
  const b20 = (off >> 20) & 1, b10_1 = (off >> 1) & 0x3ff, b11 = (off >> 11) & 1, b19_12 = (off >> 12) & 0xff;
  return ((b20 << 31) | (b10_1 << 21) | (b11 << 20) | (b19_12 << 12) | (checkReg(rd) << 7) | op) >>> 0;
}

/** Splits a 32-bit pc-relative or absolute value into the (hi20, lo12) pair of auipc/lui + addi. */
export function hiLo(value: number): { hi: number; lo: number } {
  checkSigned(value, 32, "hi/lo");
  const hi = (value + 0x800) >> 12; // rounds so that the sign-extended lo12 brings it back
  return { hi, lo: value - hi * 4096 };
}

type Fixup = { at: number; kind: "branch" | "jal"; label: string } | { at: number; kind: "pcrel"; symbol: string };

/** Collects instructions; branch labels and external symbols are resolved by link(). */
export class Assembler {
  private readonly words: number[] = [];
  private readonly labels = new Map<string, number>();
  private readonly fixups: Fixup[] = [];

  /** Byte offset of the next instruction from the start of this code. */
  get offset(): number {
    return this.words.length * 4;
  }

  /** Defines a label at the current offset. */
  label(name: string): void {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`);
    this.labels.set(name, this.offset);
  }

  /** Emits one raw instruction word. */
  emit(word: number): void {
    this.words.push(word >>> 0);
  }

  addi(rd: number, rs1: number, imm: number): void { this.emit(encodeI(OP_IMM, 0, rd, rs1, imm)); }
  addiw(rd: number, rs1: number, imm: number): void { this.emit(encodeI(OP_IMM_32, 0, rd, rs1, imm)); }
  andi(rd: number, rs1: number, imm: number): void { this.emit(encodeI(OP_IMM, 7, rd, rs1, imm)); }
  slli(rd: number, rs1: number, shamt: number): void {
    if (!Number.isInteger(shamt) || shamt < 0 || shamt > 63) throw new RangeError(`bad shift ${shamt}`);
    this.emit(encodeI(OP_IMM, 1, rd, rs1, shamt));
  }
  add(rd: number, rs1: number, rs2: number): void { this.emit(encodeR(OP, 0, 0, rd, rs1, rs2)); }
  sub(rd: number, rs1: number, rs2: number): void { this.emit(encodeR(OP, 0, 0x20, rd, rs1, rs2)); }
  srl(rd: number, rs1: number, rs2: number): void { this.emit(encodeR(OP, 5, 0, rd, rs1, rs2)); }
  mul(rd: number, rs1: number, rs2: number): void { this.emit(encodeR(OP, 0, 1, rd, rs1, rs2)); }
  divu(rd: number, rs1: number, rs2: number): void { this.emit(encodeR(OP, 5, 1, rd, rs1, rs2)); }
  remu(rd: number, rs1: number, rs2: number): void { this.emit(encodeR(OP, 7, 1, rd, rs1, rs2)); }
  lui(rd: number, imm20: number): void { this.emit(encodeU(LUI, rd, imm20)); }
  auipc(rd: number, imm20: number): void { this.emit(encodeU(AUIPC, rd, imm20)); }
  lw(rd: number, off: number, rs1: number): void { this.emit(encodeI(LOAD, 2, rd, rs1, off)); }
  ld(rd: number, off: number, rs1: number): void { this.emit(encodeI(LOAD, 3, rd, rs1, off)); }
  sw(rs2: number, off: number, rs1: number): void { this.emit(encodeS(STORE, 2, rs1, rs2, off)); }
  sd(rs2: number, off: number, rs1: number): void { this.emit(encodeS(STORE, 3, rs1, rs2, off)); }
  jalr(rd: number, rs1: number, off: number): void { this.emit(encodeI(JALR, 0, rd, rs1, off)); }
  ecall(): void { this.emit(encodeI(SYSTEM, 0, 0, 0, 0)); }
  /** csrrs rd, csr, x0: reads a CSR without side effects (csrr, rdtime). */
  csrr(rd: number, csr: number): void {
    if (!Number.isInteger(csr) || csr < 0 || csr > 0xfff) throw new RangeError(`bad CSR ${csr}`);
    this.emit((((csr << 20) | (2 << 12) | (checkReg(rd) << 7) | SYSTEM) >>> 0));
  }
  fence(pred: number, succ: number): void { this.emit(encodeI(MISC_MEM, 0, 0, 0, ((pred & 0xf) << 4) | (succ & 0xf))); }

  // Pseudo-instructions, encoded as the assembler's canonical expansions.
  mv(rd: number, rs: number): void { this.addi(rd, rs, 0); }
  ret(): void { this.jalr(R.zero, R.ra, 0); }
  rdtime(rd: number): void { this.csrr(rd, CSR_TIME); }

  /** Loads a constant in the signed 32-bit range: addi alone, or lui + addiw. */
  li(rd: number, imm: number): void {
    if (imm >= -2048 && imm < 2048) return this.addi(rd, R.zero, imm);
    const { hi, lo } = hiLo(imm);
    this.lui(rd, hi);
    if (lo !== 0) this.addiw(rd, rd, lo);
  }

  beq(rs1: number, rs2: number, label: string): void { this.branch(0, rs1, rs2, label); }
  bne(rs1: number, rs2: number, label: string): void { this.branch(1, rs1, rs2, label); }
  bltu(rs1: number, rs2: number, label: string): void { this.branch(6, rs1, rs2, label); }
  bgeu(rs1: number, rs2: number, label: string): void { this.branch(7, rs1, rs2, label); }
  beqz(rs: number, label: string): void { this.beq(rs, R.zero, label); }
  bnez(rs: number, label: string): void { this.bne(rs, R.zero, label); }
  j(label: string): void {
    this.fixups.push({ at: this.offset, kind: "jal", label });
    this.emit(encodeJ(JAL, R.zero, 0));
  }

  /** rd = address of an external symbol, pc-relative (auipc + addi), fixed up by link(). */
  la(rd: number, symbol: string): void {
    this.fixups.push({ at: this.offset, kind: "pcrel", symbol });
    this.auipc(rd, 0);
    this.addi(rd, rd, 0);
  }

  private branch(f3: number, rs1: number, rs2: number, label: string): void {
    this.fixups.push({ at: this.offset, kind: "branch", label });
    this.emit(encodeB(BRANCH, f3, rs1, rs2, 0));
  }

  /** Offset of a defined label; throws if undefined. */
  labelOffset(name: string): number {
    const at = this.labels.get(name);
    if (at === undefined) throw new Error(`undefined label ${name}`);
    return at;
  }

  /** Resolves all fixups for code placed at `origin` and returns the little-endian bytes. */
  link(origin: number, symbols: ReadonlyMap<string, number>): Uint8Array {
    const words = this.words.slice();
    for (const f of this.fixups) {
      const i = f.at / 4;
      if (f.kind === "pcrel") {
        const target = symbols.get(f.symbol);
        if (target === undefined) throw new Error(`undefined symbol ${f.symbol}`);
        const { hi, lo } = hiLo(target - (origin + f.at));
        words[i] = encodeU(AUIPC, (words[i]! >> 7) & 31, hi);
        words[i + 1] = ((words[i + 1]! & 0x000fffff) | ((lo & 0xfff) << 20)) >>> 0;
        continue;
      }
      const off = this.labelOffset(f.label) - f.at;
      const w = words[i]!;
      words[i] = f.kind === "jal"
        ? encodeJ(JAL, (w >> 7) & 31, off)
        : encodeB(BRANCH, (w >> 12) & 7, (w >> 15) & 31, (w >> 20) & 31, off);
    }
    const out = new Uint8Array(words.length * 4);
    const view = new DataView(out.buffer);
    words.forEach((w, i) => view.setUint32(i * 4, w, true));
    return out;
  }
}
