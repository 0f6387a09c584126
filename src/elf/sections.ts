// Section headers: optional (e_shoff = 0 and e_shnum = 0 is a valid file), but when present the
// table, every section's file range (except SHT_NOBITS) and every name must be sound.

import { SHDR32_SIZE, SHDR64_SIZE, SHN_UNDEF, SHN_XINDEX, SHT_NOBITS, SHT_NULL, SHT_STRTAB } from "./constants.ts";
import { badField } from "./error.ts";
import { StringTable } from "./strtab.ts";
import type { ElfHeader, SectionHeader } from "./types.ts";
import type { ElfView } from "./view.ts";

/** The real section count, e_shstrndx and PN_XNUM count, after extended numbering. */
export interface SectionCounts {
  shnum: number;
  shstrndx: number;
  /** sh_info of section 0 (the real e_phnum when e_phnum is PN_XNUM), null without sections. */
  sh0Info: number | null;
}

/** Resolves e_shnum/e_shstrndx, reading section 0 when the gABI's extended numbering says so. */
export function resolveSectionCounts(view: ElfView, header: ElfHeader): SectionCounts {
  const L = view.layout.ehdr;
  if (header.shoff === 0n) {
    if (header.shnum !== 0) throw badField("e_shoff", L.e_shoff, header.shoff, `but e_shnum is ${header.shnum}`);
    if (header.shstrndx !== SHN_UNDEF) {
      throw badField("e_shstrndx", L.e_shstrndx, header.shstrndx, "but the file has no section headers");
    }
    return { shnum: 0, shstrndx: SHN_UNDEF, sh0Info: null };
  }
  const entsize = view.is64 ? SHDR64_SIZE : SHDR32_SIZE;
  if (header.shentsize !== entsize) {
    throw badField("e_shentsize", L.e_shentsize, header.shentsize, `expected ${entsize}`);
  }
  const sh0 = view.range(header.shoff, BigInt(entsize), "e_shoff", L.e_shoff, "section header 0").start;
  const S = view.layout.shdr;
  const size0 = view.word(sh0 + S.sh_size, "shdr[0].sh_size");
  const link0 = view.u32(sh0 + S.sh_link, "shdr[0].sh_link");
  const info0 = view.u32(sh0 + S.sh_info, "shdr[0].sh_info");
  let shnum = header.shnum;
  if (shnum === 0) {
    // Extended numbering: more than SHN_LORESERVE sections, the count is in sh_size of section 0.
    if (size0 > BigInt(Math.floor(view.size / entsize))) {
      throw badField("shdr[0].sh_size", sh0 + S.sh_size, size0, "section count (e_shnum is 0) exceeds what the file can hold");
    }
    shnum = Number(size0);
  }
  const shstrndx = header.shstrndx === SHN_XINDEX ? link0 : header.shstrndx;
  return { shnum, shstrndx, sh0Info: info0 };
}

/** Reads `shnum` section headers (names still empty) and checks their file ranges. */
export function readSectionHeaders(view: ElfView, header: ElfHeader, shnum: number): { shdrs: SectionHeader[]; names: number[] } {
  if (shnum === 0) return { shdrs: [], names: [] };
  const entsize = view.is64 ? SHDR64_SIZE : SHDR32_SIZE;
  const table = view.range(header.shoff, BigInt(shnum) * BigInt(entsize), "e_shoff", view.layout.ehdr.e_shoff,
    `section header table of ${shnum} entries`);
  const S = view.layout.shdr;
  const shdrs: SectionHeader[] = new Array(shnum);
  const names: number[] = new Array(shnum);
  for (let i = 0; i < shnum; i++) {
    const at = table.start + i * entsize;
    const f = `shdr[${i}]`;
    names[i] = view.u32(at + S.sh_name, `${f}.sh_name`);
    const sh: SectionHeader = {
      index: i,
      name: "",
      type: view.u32(at + S.sh_type, `${f}.sh_type`),
      flags: view.word(at + S.sh_flags, `${f}.sh_flags`),
      addr: view.word(at + S.sh_addr, `${f}.sh_addr`),
      offset: view.word(at + S.sh_offset, `${f}.sh_offset`),
      size: view.word(at + S.sh_size, `${f}.sh_size`),
      link: view.u32(at + S.sh_link, `${f}.sh_link`),
      info: view.u32(at + S.sh_info, `${f}.sh_info`),
      addralign: view.word(at + S.sh_addralign, `${f}.sh_addralign`),
      entsize: view.word(at + S.sh_entsize, `${f}.sh_entsize`),
    };
    // SHT_NULL (section 0 in particular, whose sh_size may hold the extended count) and
    // SHT_NOBITS occupy no file bytes.
    if (sh.type !== SHT_NOBITS && sh.type !== SHT_NULL) {
      view.range(sh.offset, sh.size, `${f}.sh_offset`, at + S.sh_offset, "section");
    }
    shdrs[i] = sh;
  }
  return { shdrs, names };
}

/** Resolves section names through the e_shstrndx string table. */
export function nameSections(view: ElfView, header: ElfHeader, raw: { shdrs: SectionHeader[]; names: number[] }, shstrndx: number): SectionHeader[] {
  const { shdrs, names } = raw;
  if (shstrndx === SHN_UNDEF) return shdrs;
  const L = view.layout.ehdr;
  if (shstrndx >= shdrs.length) {
    throw badField("e_shstrndx", L.e_shstrndx, shstrndx, `but there are only ${shdrs.length} sections`);
  }
  const strsec = shdrs[shstrndx];
  if (strsec.type !== SHT_STRTAB) {
    throw badField("e_shstrndx", L.e_shstrndx, shstrndx, `section type is ${strsec.type}, not SHT_STRTAB`);
  }
  const table = new StringTable(view.bytes, { start: Number(strsec.offset), end: Number(strsec.offset + strsec.size) });
  const entsize = view.is64 ? SHDR64_SIZE : SHDR32_SIZE;
  const base = Number(header.shoff);
  for (let i = 0; i < shdrs.length; i++) {
    shdrs[i].name = table.get(names[i], `shdr[${i}].sh_name`, base + i * entsize + view.layout.shdr.sh_name);
  }
  return shdrs;
}

/** File offset of a field of section header `index`. */
export function shdrFieldOffset(view: ElfView, header: ElfHeader, index: number, field: keyof ElfView["layout"]["shdr"]): number {
  const entsize = view.is64 ? SHDR64_SIZE : SHDR32_SIZE;
  return Number(header.shoff) + index * entsize + view.layout.shdr[field];
}
