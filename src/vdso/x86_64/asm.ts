// A tiny x86-64 assembler: the few integer instructions the vDSO needs, in their usual
// encodings (REX prefixes, ModRM/SIB, disp8 or disp32), rel32 jumps to labels, and
// rip-relative references to symbols outside the code (the [vvar] page), resolved by link().
// Operands are written Intel-style: destination first.

/** The 16 general registers by number, as ModRM/REX encode them. */
export const G = {
  rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7,
  r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15,
} as const;

/** A memory operand [base + index*scale + disp]; base "rip" means rip-relative to a symbol. */
export interface Mem {
  base: number;
  index?: number;
  scale?: 1 | 2 | 4 | 8;
  disp?: number;
}

/** Condition codes for jcc (the low nibble of 0f 8x). */
export const CC = { b: 0x2, ae: 0x3, e: 0x4, ne: 0x5, be: 0x6, a: 0x7 } as const;
export type Cond = keyof typeof CC;

interface Fixup {
  /** Where the 32-bit field is and where the instruction ends (rip at execution). */
  at: number;
  end: number;
  label?: string;
  symbol?: string;
}

function reg(r: number): number {
  if (!Number.isInteger(r) || r < 0 || r > 15) throw new RangeError(`bad register ${r}`);
  return r;
}

function imm32(v: number): number {
  if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 32) throw new RangeError(`immediate ${v} does not fit in 32 bits`);
  return v | 0;
}

export class X86Assembler {
  private readonly bytes: number[] = [];
  private readonly labels = new Map<string, number>();
  private readonly fixups: Fixup[] = [];

  get offset(): number {
    return this.bytes.length;
  }

  label(name: string): void {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`);
    this.labels.set(name, this.offset);
  }

  private u8(...b: number[]): void {
    for (const x of b) this.bytes.push(x & 0xff);
  }

  private u32(v: number): void {
    this.u8(v, v >> 8, v >> 16, v >> 24);
  }

  /** REX (when needed), opcode bytes, ModRM for `r` (reg field) and the register or memory `rm`. */
  private op(w: boolean, opcode: readonly number[], r: number, rm: number | Mem, byteReg = false): void {
    const mem = typeof rm === "object";
    const b = mem ? (rm.base < 0 ? 0 : rm.base) : reg(rm);
    const x = mem && rm.index !== undefined ? reg(rm.index) : 0;
    const rex = (w ? 8 : 0) | ((r & 8) >> 1) | ((x & 8) >> 2) | ((b & 8) >> 3);
    if (rex || (byteReg && !mem && rm >= 4)) this.u8(0x40 | rex);
    this.u8(...opcode);
    if (!mem) return this.u8(0xc0 | ((r & 7) << 3) | (rm & 7));
    this.modrmMem(r, rm);
  }

  private modrmMem(r: number, m: Mem): void {
    const disp = m.disp ?? 0;
    if (m.base === RIP) {
      throw new Error("rip-relative operands go through leaRip");
    }
    const base = reg(m.base);
    const needSib = m.index !== undefined || (base & 7) === 4;
    // mod 00 has no displacement, except that base rbp/r13 there means rip/disp32: use disp8 0
    const mod = disp === 0 && (base & 7) !== 5 ? 0 : disp >= -128 && disp < 128 ? 1 : 2;
    this.u8((mod << 6) | ((r & 7) << 3) | (needSib ? 4 : base & 7));
    if (needSib) {
      const index = m.index ?? 4; // 4 = no index
      if (m.index !== undefined && (m.index & 15) === 4) throw new RangeError("rsp cannot be an index");
      const ss = { 1: 0, 2: 1, 4: 2, 8: 3 }[m.scale ?? 1];
      this.u8((ss << 6) | ((index & 7) << 3) | (base & 7));
    }
    if (mod === 1) this.u8(disp);
    else if (mod === 2) this.u32(imm32(disp));
  }

  /** lea dst, [rip + symbol]: fixed up by link(). */
  leaRip(dst: number, symbol: string): void {
    this.u8(0x48 | ((reg(dst) & 8) >> 1), 0x8d, ((dst & 7) << 3) | 5);
    this.fixups.push({ at: this.offset, end: this.offset + 4, symbol });
    this.u32(0);
  }

  lea(dst: number, m: Mem): void { this.op(true, [0x8d], dst, m); }
  /** mov dst, src (64-bit registers or memory; 32-bit with `d32`). */
  movLoad(dst: number, m: Mem, d32 = false): void { this.op(!d32, [0x8b], dst, m); }
  movStore(m: Mem, src: number, d32 = false): void { this.op(!d32, [0x89], src, m); }
  mov(dst: number, src: number): void { this.op(true, [0x89], src, dst); }
  /** mov r32, imm32 (zero-extends to 64 bits). */
  movImm32(dst: number, v: number): void {
    if (reg(dst) & 8) this.u8(0x41);
    this.u8(0xb8 + (dst & 7));
    this.u32(imm32(v));
  }
  /** mov dword [m], imm32 */
  movStoreImm32(m: Mem, v: number): void {
    this.op(false, [0xc7], 0, m);
    this.u32(imm32(v));
  }
  add(dst: number, src: number): void { this.op(true, [0x01], src, dst); }
  sub(dst: number, src: number): void { this.op(true, [0x29], src, dst); }
  or(dst: number, src: number): void { this.op(true, [0x09], src, dst); }
  cmp(a: number, b: number): void { this.op(true, [0x39], b, a); }
  /** cmp r32, dword [m] */
  cmpLoad32(a: number, m: Mem): void { this.op(false, [0x3b], a, m); }
  /** cmp r32, imm8 (sign-extended) */
  cmpImm8_32(a: number, v: number): void {
    if (v < -128 || v > 127) throw new RangeError(`imm8 ${v}`);
    this.op(false, [0x83], 7, a);
    this.u8(v);
  }
  test(a: number, b: number, d32 = false): void { this.op(!d32, [0x85], b, a); }
  /** test r32, imm32 */
  testImm32(a: number, v: number): void {
    this.op(false, [0xf7], 0, a);
    this.u32(imm32(v));
  }
  xor32(dst: number, src: number): void { this.op(false, [0x31], src, dst); }
  /** imul dst, qword [m] */
  imulLoad(dst: number, m: Mem): void { this.op(true, [0x0f, 0xaf], dst, m); }
  /** div r64: rdx:rax / src → rax, remainder rdx. */
  div(src: number): void { this.op(true, [0xf7], 6, src); }
  shlImm(dst: number, n: number): void {
    this.op(true, [0xc1], 4, dst);
    this.u8(n);
  }
  /** shr r64, cl */
  shrCl(dst: number): void { this.op(true, [0xd3], 5, dst); }
  rdtsc(): void { this.u8(0x0f, 0x31); }
  syscall(): void { this.u8(0x0f, 0x05); }
  ret(): void { this.u8(0xc3); }
  int3(): void { this.u8(0xcc); }

  jcc(cc: Cond, label: string): void {
    this.u8(0x0f, 0x80 | CC[cc]);
    this.fixups.push({ at: this.offset, end: this.offset + 4, label });
    this.u32(0);
  }
  jmp(label: string): void {
    this.u8(0xe9);
    this.fixups.push({ at: this.offset, end: this.offset + 4, label });
    this.u32(0);
  }

  /** Resolves labels and symbols for code placed at `origin`; returns the bytes. */
  link(origin: number, symbols: ReadonlyMap<string, number>): Uint8Array {
    const out = Uint8Array.from(this.bytes);
    const view = new DataView(out.buffer);
    for (const f of this.fixups) {
      let rel: number;
      if (f.label !== undefined) {
        const at = this.labels.get(f.label);
        if (at === undefined) throw new Error(`undefined label ${f.label}`);
        rel = at - f.end;
      } else {
        const target = symbols.get(f.symbol!);
        if (target === undefined) throw new Error(`undefined symbol ${f.symbol}`);
        rel = target - (origin + f.end);
      }
      view.setInt32(f.at, imm32(rel), true);
    }
    return out;
  }
}

/** Marks a rip-relative Mem (only leaRip uses it). */
export const RIP = -1;
