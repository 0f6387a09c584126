// parseElf: the strict entry point. It reads the ELF header, the section header table (first,
// because PN_XNUM and SHN_XINDEX keep real counts in section 0), then the program headers, and
// validates segments and sections. Anything malformed throws ElfError; nothing else escapes.

import {
  EHDR32_SIZE, EHDR64_SIZE, EI_ABIVERSION, EI_CLASS, EI_DATA, EI_NIDENT, EI_OSABI, EI_VERSION,
  ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, ELFMAG, EV_CURRENT, PHDR32_SIZE, PHDR64_SIZE,
  PN_XNUM,
} from "./constants.ts";
import { ElfError, badField } from "./error.ts";
import { readSectionHeaders, resolveSectionCounts, nameSections } from "./sections.ts";
import { checkSegments } from "./segments.ts";
import type { ElfFile, ElfHeader, ParseOptions, ProgramHeader } from "./types.ts";
import { ElfView } from "./view.ts";

/** Parses and validates an ELF32/ELF64 file of either byte order; throws ElfError if malformed. */
export function parseElf(bytes: Uint8Array, opts: ParseOptions = {}): ElfFile {
  const pageSize = opts.pageSize ?? 4096;
  if (!Number.isSafeInteger(pageSize) || pageSize <= 0 || (pageSize & (pageSize - 1)) !== 0) {
    // A caller's mistake, not a malformed file: not an ElfError.
    throw new RangeError(`pageSize ${pageSize} is not a power of two`);
  }
  const view = readIdent(bytes);
  const header = readHeader(view, opts);
  if (opts.sectionHeaders === false) {
    const phdrs = readProgramHeaders(view, header, header.phnum);
    return { bytes, header, phdrs, shdrs: [], interp: checkSegments(view, header, phdrs, BigInt(pageSize)) };
  }
  const sections = resolveSectionCounts(view, header);
  const phnum = header.phnum === PN_XNUM && sections.sh0Info !== null ? sections.sh0Info : header.phnum;
  const phdrs = readProgramHeaders(view, header, phnum);
  const interp = checkSegments(view, header, phdrs, BigInt(pageSize));
  const raw = readSectionHeaders(view, header, sections.shnum);
  const shdrs = nameSections(view, header, raw, sections.shstrndx);
  return { bytes, header, phdrs, shdrs, interp };
}

function readIdent(bytes: Uint8Array): ElfView {
  const probe = new ElfView(bytes, true, false);
  if (bytes.length < EI_NIDENT) {
    throw new ElfError("e_ident", 0, `file of ${bytes.length} bytes is too short for an ELF header`);
  }
  for (let i = 0; i < ELFMAG.length; i++) {
    if (bytes[i] !== ELFMAG[i]) throw new ElfError("e_ident[EI_MAG]", i, "bad magic, not an ELF file");
  }
  const cls = probe.u8(EI_CLASS, "e_ident[EI_CLASS]");
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) {
    throw badField("e_ident[EI_CLASS]", EI_CLASS, cls, "expected ELFCLASS32 (1) or ELFCLASS64 (2)");
  }
  const data = probe.u8(EI_DATA, "e_ident[EI_DATA]");
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) {
    throw badField("e_ident[EI_DATA]", EI_DATA, data, "expected ELFDATA2LSB (1) or ELFDATA2MSB (2)");
  }
  const version = probe.u8(EI_VERSION, "e_ident[EI_VERSION]");
  if (version !== EV_CURRENT) {
    throw badField("e_ident[EI_VERSION]", EI_VERSION, version, `expected EV_CURRENT (${EV_CURRENT})`);
  }
  const view = new ElfView(bytes, data === ELFDATA2LSB, cls === ELFCLASS64);
  const ehsize = view.is64 ? EHDR64_SIZE : EHDR32_SIZE;
  if (bytes.length < ehsize) {
    throw new ElfError("e_ident", 0, `file of ${bytes.length} bytes is too short for the ${ehsize}-byte ELF${cls === ELFCLASS64 ? 64 : 32} header`);
  }
  return view;
}

function readHeader(view: ElfView, opts: ParseOptions): ElfHeader {
  const L = view.layout.ehdr;
  const header: ElfHeader = {
    class: view.is64 ? 64 : 32,
    data: view.le ? "lsb" : "msb",
    osabi: view.u8(EI_OSABI, "e_ident[EI_OSABI]"),
    abiversion: view.u8(EI_ABIVERSION, "e_ident[EI_ABIVERSION]"),
    type: view.u16(L.e_type, "e_type"),
    machine: view.u16(L.e_machine, "e_machine"),
    version: view.u32(L.e_version, "e_version"),
    entry: view.word(L.e_entry, "e_entry"),
    phoff: view.word(L.e_phoff, "e_phoff"),
    shoff: view.word(L.e_shoff, "e_shoff"),
    flags: view.u32(L.e_flags, "e_flags"),
    ehsize: view.u16(L.e_ehsize, "e_ehsize"),
    phentsize: view.u16(L.e_phentsize, "e_phentsize"),
    phnum: view.u16(L.e_phnum, "e_phnum"),
    shentsize: view.u16(L.e_shentsize, "e_shentsize"),
    shnum: view.u16(L.e_shnum, "e_shnum"),
    shstrndx: view.u16(L.e_shstrndx, "e_shstrndx"),
  };
  if (header.version !== EV_CURRENT) {
    throw badField("e_version", L.e_version, header.version, `expected EV_CURRENT (${EV_CURRENT})`);
  }
  if (opts.machine !== undefined && header.machine !== opts.machine) {
    throw badField("e_machine", L.e_machine, header.machine, `expected ${opts.machine}`);
  }
  const ehsize = view.is64 ? EHDR64_SIZE : EHDR32_SIZE;
  if (header.ehsize !== ehsize) {
    throw badField("e_ehsize", L.e_ehsize, header.ehsize, `expected ${ehsize}`);
  }
  return header;
}

function readProgramHeaders(view: ElfView, header: ElfHeader, phnum: number): ProgramHeader[] {
  if (phnum === 0) return [];
  const L = view.layout.ehdr;
  const entsize = view.is64 ? PHDR64_SIZE : PHDR32_SIZE;
  if (header.phentsize !== entsize) {
    throw badField("e_phentsize", L.e_phentsize, header.phentsize, `expected ${entsize}`);
  }
  if (header.phoff === 0n) {
    throw badField("e_phoff", L.e_phoff, header.phoff, `but e_phnum is ${phnum}`);
  }
  const table = view.range(header.phoff, BigInt(phnum * entsize), "e_phoff", L.e_phoff,
    `program header table of ${phnum} entries`);
  const phdrs: ProgramHeader[] = new Array(phnum);
  for (let i = 0; i < phnum; i++) phdrs[i] = readPhdr(view, table.start + i * entsize, i);
  return phdrs;
}

function readPhdr(view: ElfView, at: number, index: number): ProgramHeader {
  const P = view.layout.phdr;
  const f = `phdr[${index}]`;
  return {
    index,
    type: view.u32(at + P.p_type, `${f}.p_type`),
    flags: view.u32(at + P.p_flags, `${f}.p_flags`),
    offset: view.word(at + P.p_offset, `${f}.p_offset`),
    vaddr: view.word(at + P.p_vaddr, `${f}.p_vaddr`),
    paddr: view.word(at + P.p_paddr, `${f}.p_paddr`),
    filesz: view.word(at + P.p_filesz, `${f}.p_filesz`),
    memsz: view.word(at + P.p_memsz, `${f}.p_memsz`),
    align: view.word(at + P.p_align, `${f}.p_align`),
  };
}
