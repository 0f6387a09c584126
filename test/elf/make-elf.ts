// A tiny test-only ELF assembler: lays out headers, tables and blobs exactly as a spec says, with
// no checking, so that each test can break one field at a time. Not src/elf/writer.ts on purpose:
// the tests of the reader must not depend on the code they could share a bug with.

export type Cls = 32 | 64;
export type Data = "lsb" | "msb";

/**
 * Writes fixed-size fields in one class and byte order. Writes that would fall past the end are
 * dropped, so a spec may place a table beyond EOF on purpose.
 */
export class ByteWriter {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;
  constructor(size: number, readonly le: boolean, readonly is64: boolean) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }
  private fits(off: number, len: number): boolean {
    return off >= 0 && off + len <= this.bytes.length;
  }
  u8(off: number, v: number): void {
    if (this.fits(off, 1)) this.bytes[off] = v;
  }
  u16(off: number, v: number): void {
    if (this.fits(off, 2)) this.dv.setUint16(off, v, this.le);
  }
  u32(off: number, v: number): void {
    if (this.fits(off, 4)) this.dv.setUint32(off, v >>> 0, this.le);
  }
  u64(off: number, v: bigint): void {
    if (this.fits(off, 8)) this.dv.setBigUint64(off, BigInt.asUintN(64, v), this.le);
  }
  /** Elf_Addr/Off/Xword (and Sxword, two's complement): 4 or 8 bytes by class. */
  word(off: number, v: bigint | number): void {
    if (this.is64) this.u64(off, BigInt(v));
    else this.u32(off, Number(BigInt.asUintN(32, BigInt(v))));
  }
  get wordSize(): number {
    return this.is64 ? 8 : 4;
  }
  put(off: number, b: Uint8Array): void {
    if (this.fits(off, b.length)) this.bytes.set(b, off);
  }
}

export interface PhdrSpec {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr?: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export interface ShdrSpec {
  name: number;
  type: number;
  flags?: bigint;
  addr?: bigint;
  offset: bigint;
  size: bigint;
  link?: number;
  info?: number;
  addralign?: bigint;
  entsize?: bigint;
}

/** Everything of a file; header counts and sizes default to what the tables imply. */
export interface ElfSpec {
  cls: Cls;
  data: Data;
  type: number;
  machine: number;
  entry: bigint;
  phoff: bigint;
  shoff: bigint;
  size: number;
  phdrs: PhdrSpec[];
  shdrs: ShdrSpec[];
  blobs: { offset: number; bytes: Uint8Array }[];
  version?: number;
  flags?: number;
  ehsize?: number;
  phentsize?: number;
  phnum?: number;
  shentsize?: number;
  shnum?: number;
  shstrndx?: number;
  /** Raw e_ident bytes to override after the defaults: [index, value]. */
  ident?: [number, number][];
}

export const EHSIZE = { 32: 52, 64: 64 } as const;
export const PHENTSIZE = { 32: 32, 64: 56 } as const;
export const SHENTSIZE = { 32: 40, 64: 64 } as const;

/** Header field offsets per class, to aim corruptions and expected error offsets. */
export const EHDR_OFF = {
  32: { e_entry: 24, e_phoff: 28, e_shoff: 32, e_ehsize: 40, e_phentsize: 42, e_phnum: 44, e_shentsize: 46, e_shnum: 48, e_shstrndx: 50 },
  64: { e_entry: 24, e_phoff: 32, e_shoff: 40, e_ehsize: 52, e_phentsize: 54, e_phnum: 56, e_shentsize: 58, e_shnum: 60, e_shstrndx: 62 },
} as const;
export const PHDR_OFF = {
  32: { p_type: 0, p_offset: 4, p_vaddr: 8, p_paddr: 12, p_filesz: 16, p_memsz: 20, p_flags: 24, p_align: 28 },
  64: { p_type: 0, p_flags: 4, p_offset: 8, p_vaddr: 16, p_paddr: 24, p_filesz: 32, p_memsz: 40, p_align: 48 },
} as const;
export const SHDR_OFF = {
  32: { sh_name: 0, sh_type: 4, sh_flags: 8, sh_addr: 12, sh_offset: 16, sh_size: 20, sh_link: 24, sh_info: 28, sh_addralign: 32, sh_entsize: 36 },
  64: { sh_name: 0, sh_type: 4, sh_flags: 8, sh_addr: 16, sh_offset: 24, sh_size: 32, sh_link: 40, sh_info: 44, sh_addralign: 48, sh_entsize: 56 },
} as const;

/** Assembles the bytes of `spec`. */
export function makeElf(spec: ElfSpec): Uint8Array {
  const w = new ByteWriter(spec.size, spec.data === "lsb", spec.cls === 64);
  for (const b of spec.blobs) w.put(b.offset, b.bytes);
  writeHeader(w, spec);
  // Offsets beyond 2^53 are only used to point tables past EOF: nothing to write then.
  if (spec.phoff < BigInt(spec.size)) spec.phdrs.forEach((p, i) => writePhdr(w, spec, Number(spec.phoff) + i * PHENTSIZE[spec.cls], p));
  if (spec.shoff < BigInt(spec.size)) spec.shdrs.forEach((s, i) => writeShdr(w, spec, Number(spec.shoff) + i * SHENTSIZE[spec.cls], s));
  return w.bytes;
}

function writeHeader(w: ByteWriter, s: ElfSpec): void {
  w.put(0, Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, s.cls === 64 ? 2 : 1, s.data === "lsb" ? 1 : 2, 1, 0));
  for (const [i, v] of s.ident ?? []) w.u8(i, v);
  const H = EHDR_OFF[s.cls];
  w.u16(16, s.type);
  w.u16(18, s.machine);
  w.u32(20, s.version ?? 1);
  w.word(H.e_entry, s.entry);
  w.word(H.e_phoff, s.phoff);
  w.word(H.e_shoff, s.shoff);
  w.u32(H.e_ehsize - 4, s.flags ?? 0);
  w.u16(H.e_ehsize, s.ehsize ?? EHSIZE[s.cls]);
  w.u16(H.e_phentsize, s.phentsize ?? (s.phdrs.length > 0 ? PHENTSIZE[s.cls] : 0));
  w.u16(H.e_phnum, s.phnum ?? s.phdrs.length);
  w.u16(H.e_shentsize, s.shentsize ?? (s.shdrs.length > 0 ? SHENTSIZE[s.cls] : 0));
  w.u16(H.e_shnum, s.shnum ?? s.shdrs.length);
  w.u16(H.e_shstrndx, s.shstrndx ?? 0);
}

function writePhdr(w: ByteWriter, s: ElfSpec, at: number, p: PhdrSpec): void {
  const P = PHDR_OFF[s.cls];
  w.u32(at + P.p_type, p.type);
  w.u32(at + P.p_flags, p.flags);
  w.word(at + P.p_offset, p.offset);
  w.word(at + P.p_vaddr, p.vaddr);
  w.word(at + P.p_paddr, p.paddr ?? p.vaddr);
  w.word(at + P.p_filesz, p.filesz);
  w.word(at + P.p_memsz, p.memsz);
  w.word(at + P.p_align, p.align);
}

function writeShdr(w: ByteWriter, s: ElfSpec, at: number, h: ShdrSpec): void {
  const S = SHDR_OFF[s.cls];
  w.u32(at + S.sh_name, h.name);
  w.u32(at + S.sh_type, h.type);
  w.word(at + S.sh_flags, h.flags ?? 0n);
  w.word(at + S.sh_addr, h.addr ?? 0n);
  w.word(at + S.sh_offset, h.offset);
  w.word(at + S.sh_size, h.size);
  w.u32(at + S.sh_link, h.link ?? 0);
  w.u32(at + S.sh_info, h.info ?? 0);
  w.word(at + S.sh_addralign, h.addralign ?? 1n);
  w.word(at + S.sh_entsize, h.entsize ?? 0n);
}

/** NUL-separated strings with their offsets, starting with the empty string at 0. */
export function strtab(names: string[]): { bytes: Uint8Array; offsets: Map<string, number> } {
  const offsets = new Map<string, number>([["", 0]]);
  const parts: number[] = [0];
  for (const n of names) {
    if (offsets.has(n)) continue;
    offsets.set(n, parts.length);
    for (const c of new TextEncoder().encode(n)) parts.push(c);
    parts.push(0);
  }
  return { bytes: Uint8Array.from(parts), offsets };
}

export const BASE_VADDR = 0x10000n;
export const TEXT_SIZE = 0x800;

/**
 * A minimal valid ET_EXEC: the header, program headers right after it, one R+X PT_LOAD of the
 * first TEXT_SIZE bytes at BASE_VADDR, and the entry point inside it. No sections.
 */
export function minimalExec(cls: Cls, data: Data): ElfSpec {
  return {
    cls, data,
    type: 2, machine: 243,
    entry: BASE_VADDR + 0x400n,
    phoff: BigInt(EHSIZE[cls]),
    shoff: 0n,
    size: TEXT_SIZE,
    phdrs: [{ type: 1, flags: 5, offset: 0n, vaddr: BASE_VADDR, filesz: BigInt(TEXT_SIZE), memsz: BigInt(TEXT_SIZE), align: 0x1000n }],
    shdrs: [],
    blobs: [],
  };
}

/** The file offset of field `f` of program header `i` in `spec`. */
export function phdrAt(spec: ElfSpec, i: number, f: keyof (typeof PHDR_OFF)[64]): number {
  return Number(spec.phoff) + i * PHENTSIZE[spec.cls] + PHDR_OFF[spec.cls][f];
}

/** The file offset of field `f` of section header `i` in `spec`. */
export function shdrAt(spec: ElfSpec, i: number, f: keyof (typeof SHDR_OFF)[64]): number {
  return Number(spec.shoff) + i * SHENTSIZE[spec.cls] + SHDR_OFF[spec.cls][f];
}

/**
 * minimalExec plus sections: null, .shstrtab, .text (PROGBITS in the load), .bss (NOBITS, its
 * offset deliberately past EOF: NOBITS has no file range). The file grows to hold them.
 */
export function withSections(spec: ElfSpec): ElfSpec {
  const names = strtab([".shstrtab", ".text", ".bss"]);
  const strOff = TEXT_SIZE;
  const shoff = strOff + 0x40;
  const n = (s: string) => names.offsets.get(s) as number;
  return {
    ...spec,
    size: shoff + 4 * SHENTSIZE[spec.cls],
    shoff: BigInt(shoff),
    shstrndx: 1,
    blobs: [...spec.blobs, { offset: strOff, bytes: names.bytes }],
    shdrs: [
      { name: 0, type: 0, offset: 0n, size: 0n },
      { name: n(".shstrtab"), type: 3, offset: BigInt(strOff), size: BigInt(names.bytes.length) },
      { name: n(".text"), type: 1, flags: 6n, addr: BASE_VADDR + 0x400n, offset: 0x400n, size: 0x100n },
      { name: n(".bss"), type: 8, flags: 3n, addr: 0x20000n, offset: 0x7fff_0000n, size: 0x10000n },
    ],
  };
}

/** Overwrites one field of finished bytes: `width` 1, 2, 4 or 8, or "word" for the class's size. */
export function patch(bytes: Uint8Array, cls: Cls, data: Data, off: number, value: bigint | number, width: 1 | 2 | 4 | 8 | "word"): Uint8Array {
  const out = bytes.slice();
  const dv = new DataView(out.buffer);
  const le = data === "lsb";
  const w = width === "word" ? (cls === 64 ? 8 : 4) : width;
  const v = BigInt(value);
  if (w === 1) dv.setUint8(off, Number(BigInt.asUintN(8, v)));
  else if (w === 2) dv.setUint16(off, Number(BigInt.asUintN(16, v)), le);
  else if (w === 4) dv.setUint32(off, Number(BigInt.asUintN(32, v)), le);
  else dv.setBigUint64(off, BigInt.asUintN(64, v), le);
  return out;
}
