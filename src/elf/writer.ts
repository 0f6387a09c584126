// A small ELF64 little-endian writer: lays sections out after the headers, then serialises the
// file header, program headers, section contents, .shstrtab and the section header table.
// It knows the container format only; what goes into the sections is the caller's business.

import {
  EHDR64_SIZE,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFMAG,
  EI_CLASS,
  EI_DATA,
  EI_OSABI,
  EI_VERSION,
  EV_CURRENT,
  PHDR64_SIZE,
  SHDR64_SIZE,
  SHF_ALLOC,
  SHT_NOBITS,
  SHT_STRTAB,
  SYM64_SIZE,
} from "./constants.ts";

const utf8 = new TextEncoder();

/** Size of one Elf64_Dyn entry (d_tag, d_un). */
export const DYN64_SIZE = 16;

/** Size of the fixed part of an Elf64_Nhdr (namesz, descsz, type). */
export const NHDR_SIZE = 12;

/** A section as the caller describes it: everything but its place in the file. */
export interface ElfSectionSpec {
  name: string;
  type: number;
  flags: number;
  align: number;
  /** Bytes in the file (or in memory for SHT_NOBITS); the contents must have exactly this size. */
  size: number;
  /** Name of the section sh_link refers to (a string table, a symbol table). */
  link?: string;
  info?: number;
  entsize?: number;
}

/** A section with its place: index in the section header table, file offset and address. */
export interface PlacedSection extends ElfSectionSpec {
  index: number;
  offset: number;
  addr: number;
}

/** Where everything goes; computed from sizes alone so that contents can refer to addresses. */
export interface ElfLayout {
  base: number;
  phnum: number;
  sections: PlacedSection[];
  /** End of the last SHF_ALLOC section: what a single PT_LOAD from offset 0 must cover. */
  allocEnd: number;
  shstrtab: StringTable;
  shstrtabOffset: number;
  shoff: number;
  /** Section header table end, before any padding. */
  end: number;
}

/** One program header, as written. */
export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

/** The parts of the ELF header that differ between files. */
export interface ElfHeaderSpec {
  type: number;
  machine: number;
  flags: number;
  entry: number;
  osabi?: number;
}

/** Rounds n up to a multiple of align (a power of two, or 0/1 for none). */
export function alignUp(n: number, align: number): number {
  if (align <= 1) return n;
  return Math.ceil(n / align) * align;
}

/** A little-endian cursor over a byte array, growing nothing: writes past the end throw. */
export class ByteWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  pos = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(v: number): this {
    this.view.setUint8(this.pos, v);
    this.pos += 1;
    return this;
  }

  u16(v: number): this {
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
    return this;
  }

  /** Writes a u64; numbers must be non-negative safe integers, bigints are taken modulo 2^64. */
  u64(v: number | bigint): this {
    if (typeof v === "number" && (!Number.isSafeInteger(v) || v < 0)) {
      throw new RangeError(`u64 out of range: ${v}`);
    }
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, BigInt(v)), true);
    this.pos += 8;
    return this;
  }

  /** Writes a signed 64-bit value (d_val of a negative tag, sdata). */
  i64(v: number | bigint): this {
    this.view.setBigInt64(this.pos, BigInt.asIntN(64, BigInt(v)), true);
    this.pos += 8;
    return this;
  }

  raw(data: Uint8Array): this {
    this.bytes.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** Moves to an absolute offset (skipped bytes stay zero). */
  seek(pos: number): this {
    if (pos > this.bytes.length) throw new RangeError(`seek past end: ${pos}`);
    this.pos = pos;
    return this;
  }

  alignTo(align: number): this {
    return this.seek(alignUp(this.pos, align));
  }
}

/** A string table (.dynstr, .shstrtab): NUL first, each distinct string stored once. */
export class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private readonly offsets = new Map<string, number>([["", 0]]);
  private length = 1;

  /** Returns the offset of s, adding it if new. */
  add(s: string): number {
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const encoded = utf8.encode(`${s}\0`);
    if (encoded.indexOf(0) !== encoded.length - 1) throw new Error(`NUL inside string: ${JSON.stringify(s)}`);
    const offset = this.length;
    this.parts.push(encoded);
    this.offsets.set(s, offset);
    this.length += encoded.length;
    return offset;
  }

  /** Offset of a string already added; throws for an unknown one. */
  offsetOf(s: string): number {
    const offset = this.offsets.get(s);
    if (offset === undefined) throw new Error(`string not in table: ${s}`);
    return offset;
  }

  get size(): number {
    return this.length;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let pos = 0;
    for (const part of this.parts) {
      out.set(part, pos);
      pos += part.length;
    }
    return out;
  }
}

/** One Elf64_Sym, as the caller means it. */
export interface ElfSymbol {
  name: number; // offset in the string table
  info: number;
  other: number;
  shndx: number;
  value: number;
  size: number;
}

/** st_info from binding and type, as ELF64_ST_INFO. */
export function stInfo(bind: number, type: number): number {
  return ((bind << 4) | (type & 0xf)) & 0xff;
}

/** Encodes a symbol table (Elf64_Sym[]); the caller supplies the null entry 0 itself. */
export function encodeSymbols(symbols: readonly ElfSymbol[]): Uint8Array {
  const w = new ByteWriter(symbols.length * SYM64_SIZE);
  for (const s of symbols) {
    w.u32(s.name).u8(s.info).u8(s.other).u16(s.shndx).u64(s.value).u64(s.size);
  }
  return w.bytes;
}

/** Encodes a dynamic section (Elf64_Dyn[]) from [tag, value] pairs; add the DT_NULL yourself. */
export function encodeDynamic(entries: readonly (readonly [number, number])[]): Uint8Array {
  const w = new ByteWriter(entries.length * DYN64_SIZE);
  for (const [tag, value] of entries) w.i64(tag).u64(value);
  return w.bytes;
}

/** Size of one note with 4-byte padding of name and descriptor (the layout of SHT_NOTE). */
export function noteSize(name: string, descSize: number): number {
  return NHDR_SIZE + alignUp(utf8.encode(name).length + 1, 4) + alignUp(descSize, 4);
}

/** Encodes one ELF note: namesz counts the NUL, name and desc padded to 4 bytes. */
export function encodeNote(name: string, type: number, desc: Uint8Array): Uint8Array {
  const nameBytes = utf8.encode(`${name}\0`);
  const w = new ByteWriter(noteSize(name, desc.length));
  w.u32(nameBytes.length).u32(desc.length).u32(type);
  w.raw(nameBytes).alignTo(4).raw(desc);
  return w.bytes;
}

/** Places sections after the ELF and program headers, in order; vaddr = base + file offset. */
export function layoutElf(phnum: number, specs: readonly ElfSectionSpec[], base = 0): ElfLayout {
  const shstrtab = new StringTable();
  let pos = EHDR64_SIZE + phnum * PHDR64_SIZE;
  let allocEnd = pos;
  const sections = specs.map((spec, i): PlacedSection => {
    shstrtab.add(spec.name);
    pos = alignUp(pos, spec.align);
    const alloc = (spec.flags & SHF_ALLOC) !== 0;
    const placed = { ...spec, index: i + 1, offset: pos, addr: alloc ? base + pos : 0 };
    const fileSize = spec.type === SHT_NOBITS ? 0 : spec.size;
    pos += fileSize;
    if (alloc) allocEnd = Math.max(allocEnd, pos);
    return placed;
  });
  shstrtab.add(".shstrtab");
  const shstrtabOffset = pos;
  const shoff = alignUp(shstrtabOffset + shstrtab.size, 8);
  const end = shoff + (specs.length + 2) * SHDR64_SIZE;
  return { base, phnum, sections, allocEnd, shstrtab, shstrtabOffset, shoff, end };
}

/** Looks a placed section up by name; throws if the layout has none. */
export function sectionByName(layout: ElfLayout, name: string): PlacedSection {
  const found = layout.sections.find((s) => s.name === name);
  if (!found) throw new Error(`no section ${name}`);
  return found;
}

/** A segment spanning the placed sections first..last (inclusive), or from the file start. */
export function segmentOver(
  layout: ElfLayout,
  type: number,
  flags: number,
  first: string | "headers",
  last: string,
  align: number,
): ElfSegment {
  const start = first === "headers" ? 0 : sectionByName(layout, first).offset;
  const end = sectionByName(layout, last);
  const filesz = end.offset + (end.type === SHT_NOBITS ? 0 : end.size) - start;
  const memsz = end.offset + end.size - start;
  return { type, flags, offset: start, vaddr: layout.base + start, filesz, memsz, align };
}

/** Serialises the file: headers, contents (one per section, by name), .shstrtab, section headers. */
export function writeElf(
  header: ElfHeaderSpec,
  layout: ElfLayout,
  segments: readonly ElfSegment[],
  contents: ReadonlyMap<string, Uint8Array>,
  padTo = 1,
): Uint8Array {
  if (segments.length !== layout.phnum) {
    throw new Error(`layout reserved ${layout.phnum} program headers, got ${segments.length}`);
  }
  const w = new ByteWriter(alignUp(layout.end, padTo));
  writeEhdr(w, header, layout);
  for (const seg of segments) writePhdr(w, seg);
  for (const s of layout.sections) {
    if (s.type === SHT_NOBITS) continue;
    const data = contents.get(s.name);
    if (!data || data.length !== s.size) {
      throw new Error(`section ${s.name}: expected ${s.size} bytes, got ${data?.length ?? "none"}`);
    }
    w.seek(s.offset).raw(data);
  }
  w.seek(layout.shstrtabOffset).raw(layout.shstrtab.toBytes());
  writeShdrs(w.seek(layout.shoff), layout);
  return w.bytes;
}

function writeEhdr(w: ByteWriter, h: ElfHeaderSpec, layout: ElfLayout): void {
  w.raw(Uint8Array.from(ELFMAG));
  w.seek(EI_CLASS).u8(ELFCLASS64);
  w.seek(EI_DATA).u8(ELFDATA2LSB);
  w.seek(EI_VERSION).u8(EV_CURRENT);
  w.seek(EI_OSABI).u8(h.osabi ?? 0);
  w.seek(16).u16(h.type).u16(h.machine).u32(EV_CURRENT);
  w.u64(h.entry).u64(layout.phnum > 0 ? EHDR64_SIZE : 0).u64(layout.shoff);
  w.u32(h.flags).u16(EHDR64_SIZE).u16(PHDR64_SIZE).u16(layout.phnum);
  const shnum = layout.sections.length + 2;
  w.u16(SHDR64_SIZE).u16(shnum).u16(shnum - 1);
}

function writePhdr(w: ByteWriter, p: ElfSegment): void {
  w.u32(p.type).u32(p.flags).u64(p.offset).u64(p.vaddr).u64(p.vaddr);
  w.u64(p.filesz).u64(p.memsz).u64(p.align);
}

function writeShdrs(w: ByteWriter, layout: ElfLayout): void {
  const indexOf = (name: string | undefined): number =>
    name === undefined ? 0 : sectionByName(layout, name).index;
  w.pos += SHDR64_SIZE; // section 0 is all zeros
  for (const s of layout.sections) {
    w.u32(layout.shstrtab.offsetOf(s.name)).u32(s.type).u64(s.flags).u64(s.addr);
    w.u64(s.offset).u64(s.size).u32(indexOf(s.link)).u32(s.info ?? 0);
    w.u64(s.align).u64(s.entsize ?? 0);
  }
  w.u32(layout.shstrtab.offsetOf(".shstrtab")).u32(SHT_STRTAB).u64(0).u64(0);
  w.u64(layout.shstrtabOffset).u64(layout.shstrtab.size).u32(0).u32(0).u64(1).u64(0);
}
