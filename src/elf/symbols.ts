// Symbol tables, two ways: through the section headers (.dynsym with .gnu.version*, or .symtab),
// and through PT_DYNAMIC alone, which is all a loaded object (the vDSO, for glibc's
// dl_vdso_vsym) offers: DT_SYMTAB/DT_STRTAB/DT_STRSZ, a count from DT_HASH or DT_GNU_HASH, and
// DT_VERSYM with DT_VERDEF/DT_VERNEED for the versions.

import {
  DT_GNU_HASH, DT_HASH, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, DT_VERDEF, DT_VERDEFNUM, DT_VERNEED,
  DT_VERNEEDNUM, DT_VERSYM, SHT_DYNSYM, SHT_GNU_verdef, SHT_GNU_verneed, SHT_GNU_versym, SHT_STRTAB,
  SHT_SYMTAB, SYM32_SIZE, SYM64_SIZE, VERSYM_HIDDEN, VERSYM_VERSION,
} from "./constants.ts";
import { badField } from "./error.ts";
import { readDynamic, vaddrSpan, vaddrWindow } from "./dynamic.ts";
import { gnuHashCount, sysvHashCount } from "./hash.ts";
import { shdrFieldOffset } from "./sections.ts";
import { StringTable } from "./strtab.ts";
import type { DynamicEntry, ElfFile, ElfSymbol, SectionHeader } from "./types.ts";
import { readVerdef, readVerneed, type VersionNames } from "./versions.ts";
import { viewOf, type ElfView, type FileRange } from "./view.ts";

/** Where a symbol table and its companions are, however they were found. */
interface SymbolSource {
  label: string;
  table: FileRange;
  count: number;
  strtab: StringTable;
  versym: FileRange | null;
  versions: VersionNames;
}

function decodeSymbols(view: ElfView, src: SymbolSource): ElfSymbol[] {
  const S = view.layout.sym;
  const entsize = view.is64 ? SYM64_SIZE : SYM32_SIZE;
  const out: ElfSymbol[] = new Array(src.count);
  for (let i = 0; i < src.count; i++) {
    const at = src.table.start + i * entsize;
    const f = `${src.label}[${i}]`;
    const info = view.u8(at + S.st_info, `${f}.st_info`);
    const sym: ElfSymbol = {
      name: src.strtab.get(view.u32(at + S.st_name, `${f}.st_name`), `${f}.st_name`, at + S.st_name),
      value: view.word(at + S.st_value, `${f}.st_value`),
      size: view.word(at + S.st_size, `${f}.st_size`),
      bind: info >> 4,
      type: info & 0xf,
      visibility: view.u8(at + S.st_other, `${f}.st_other`) & 0x3,
      shndx: view.u16(at + S.st_shndx, `${f}.st_shndx`),
      version: null,
      versionHidden: false,
    };
    if (src.versym !== null) applyVersion(view, src, i, sym);
    out[i] = sym;
  }
  return out;
}

function applyVersion(view: ElfView, src: SymbolSource, i: number, sym: ElfSymbol): void {
  const at = (src.versym as FileRange).start + i * 2;
  const v = view.u16(at, `.gnu.version[${i}]`);
  const ndx = v & VERSYM_VERSION;
  // VER_NDX_LOCAL (0) and VER_NDX_GLOBAL (1) carry no version name.
  if (ndx <= 1) return;
  const name = src.versions.get(ndx);
  if (name === undefined) {
    throw badField(`.gnu.version[${i}]`, at, ndx, "no version definition or requirement has this index");
  }
  sym.version = name;
  sym.versionHidden = (v & VERSYM_HIDDEN) !== 0;
}

/** Reads .dynsym (with its GNU versions) or .symtab through the section headers; [] if absent. */
export function readSymbols(elf: ElfFile, table: ".dynsym" | ".symtab"): ElfSymbol[] {
  const view = viewOf(elf);
  const sec = elf.shdrs.find((s) => s.type === (table === ".dynsym" ? SHT_DYNSYM : SHT_SYMTAB));
  if (sec === undefined) return [];
  const entsize = view.is64 ? SYM64_SIZE : SYM32_SIZE;
  const at = (field: keyof ElfView["layout"]["shdr"], s: SectionHeader = sec) => shdrFieldOffset(view, elf.header, s.index, field);
  if (sec.entsize !== BigInt(entsize)) {
    throw badField(`shdr[${sec.index}].sh_entsize`, at("sh_entsize"), sec.entsize, `expected ${entsize} for a symbol table`);
  }
  if (sec.size % BigInt(entsize) !== 0n) {
    throw badField(`shdr[${sec.index}].sh_size`, at("sh_size"), sec.size, `not a multiple of the symbol size ${entsize}`);
  }
  const count = Number(sec.size / BigInt(entsize));
  const src: SymbolSource = {
    label: table,
    table: sectionRange(sec),
    count,
    strtab: linkedStrtab(view, elf, sec),
    versym: null,
    versions: new Map(),
  };
  if (table === ".dynsym") addSectionVersions(view, elf, sec, src);
  return decodeSymbols(view, src);
}

function sectionRange(sec: SectionHeader): FileRange {
  // parseElf checked every non-NOBITS section's range against the file.
  return { start: Number(sec.offset), end: Number(sec.offset + sec.size) };
}

function linkedStrtab(view: ElfView, elf: ElfFile, sec: SectionHeader): StringTable {
  const link = elf.shdrs[sec.link];
  if (sec.link === 0 || link === undefined || link.type !== SHT_STRTAB) {
    throw badField(`shdr[${sec.index}].sh_link`, shdrFieldOffset(view, elf.header, sec.index, "sh_link"), sec.link,
      "does not name a SHT_STRTAB section");
  }
  return new StringTable(elf.bytes, sectionRange(link));
}

function addSectionVersions(view: ElfView, elf: ElfFile, dynsym: SectionHeader, src: SymbolSource): void {
  const versym = elf.shdrs.find((s) => s.type === SHT_GNU_versym);
  if (versym === undefined) return;
  if (versym.size !== BigInt(src.count * 2)) {
    throw badField(`shdr[${versym.index}].sh_size`, shdrFieldOffset(view, elf.header, versym.index, "sh_size"), versym.size,
      `expected 2 bytes for each of the ${src.count} symbols of shdr[${dynsym.index}]`);
  }
  src.versym = sectionRange(versym);
  for (const s of elf.shdrs) {
    if (s.type === SHT_GNU_verdef) readVerdef(view, sectionRange(s), s.info, linkedStrtab(view, elf, s), src.versions);
    if (s.type === SHT_GNU_verneed) readVerneed(view, sectionRange(s), s.info, linkedStrtab(view, elf, s), src.versions);
  }
}

/** Reads the dynamic symbols through PT_DYNAMIC only, as ld.so sees a loaded object; [] without DT_SYMTAB. */
export function readDynamicSymbols(elf: ElfFile): ElfSymbol[] {
  const view = viewOf(elf);
  // Later entries win, as in glibc's elf_get_dynamic_info.
  const dyn = new Map<bigint, DynamicEntry>();
  for (const e of readDynamic(elf)) dyn.set(e.tag, e);
  const symtab = dyn.get(BigInt(DT_SYMTAB));
  if (symtab === undefined) return [];
  const valAt = (e: DynamicEntry) => e.offset + view.wordSize;
  const need = (tag: number, name: string): DynamicEntry => {
    const e = dyn.get(BigInt(tag));
    if (e === undefined) throw badField("DT_SYMTAB", valAt(symtab), symtab.val, `but there is no ${name}`);
    return e;
  };
  const strtab = need(DT_STRTAB, "DT_STRTAB");
  const strsz = need(DT_STRSZ, "DT_STRSZ");
  const entsize = view.is64 ? SYM64_SIZE : SYM32_SIZE;
  const syment = dyn.get(BigInt(DT_SYMENT));
  if (syment !== undefined && syment.val !== BigInt(entsize)) {
    throw badField("DT_SYMENT", valAt(syment), syment.val, `expected ${entsize}`);
  }
  const count = dynamicSymbolCount(view, elf, dyn, symtab);
  const strings = new StringTable(elf.bytes, vaddrSpan(elf, strtab.val, strsz.val, "DT_STRTAB", valAt(strtab)));
  const src: SymbolSource = {
    label: "DT_SYMTAB",
    table: vaddrSpan(elf, symtab.val, BigInt(count) * BigInt(entsize), "DT_SYMTAB", valAt(symtab)),
    count,
    strtab: strings,
    versym: null,
    versions: new Map(),
  };
  const versym = dyn.get(BigInt(DT_VERSYM));
  if (versym !== undefined) {
    src.versym = vaddrSpan(elf, versym.val, BigInt(count) * 2n, "DT_VERSYM", valAt(versym));
    addDynamicVersions(elf, view, dyn, strings, src.versions);
  }
  return decodeSymbols(view, src);
}

function dynamicSymbolCount(view: ElfView, elf: ElfFile, dyn: Map<bigint, DynamicEntry>, symtab: DynamicEntry): number {
  const valAt = (e: DynamicEntry) => e.offset + view.wordSize;
  const hash = dyn.get(BigInt(DT_HASH));
  if (hash !== undefined) {
    return sysvHashCount(view, vaddrWindow(elf, hash.val, "DT_HASH", valAt(hash)), "DT_HASH", valAt(hash));
  }
  const gnu = dyn.get(BigInt(DT_GNU_HASH));
  if (gnu !== undefined) {
    return gnuHashCount(view, vaddrWindow(elf, gnu.val, "DT_GNU_HASH", valAt(gnu)), "DT_GNU_HASH", valAt(gnu));
  }
  throw badField("DT_SYMTAB", valAt(symtab), symtab.val, "but neither DT_HASH nor DT_GNU_HASH tells its size");
}

function addDynamicVersions(elf: ElfFile, view: ElfView, dyn: Map<bigint, DynamicEntry>, strings: StringTable, names: VersionNames): void {
  const valAt = (e: DynamicEntry) => e.offset + view.wordSize;
  const countOf = (tag: number): number | null => {
    const e = dyn.get(BigInt(tag));
    // A count beyond 2^32 cannot fit any file; the walk stops at the table's end anyway.
    return e === undefined ? null : Number(e.val > 0xffffffffn ? 0xffffffffn : e.val);
  };
  const verdef = dyn.get(BigInt(DT_VERDEF));
  if (verdef !== undefined) {
    readVerdef(view, vaddrWindow(elf, verdef.val, "DT_VERDEF", valAt(verdef)), countOf(DT_VERDEFNUM), strings, names);
  }
  const verneed = dyn.get(BigInt(DT_VERNEED));
  if (verneed !== undefined) {
    readVerneed(view, vaddrWindow(elf, verneed.val, "DT_VERNEED", valAt(verneed)), countOf(DT_VERNEEDNUM), strings, names);
  }
}
