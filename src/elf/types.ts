// The shapes the ELF reader hands out. Addresses, offsets and sizes are bigint so that 64-bit
// values stay exact; small fields (types, flags, counts, indexes) are numbers.

/** The ELF header, fields as stored (e_phnum/e_shnum/e_shstrndx before PN_XNUM/SHN_XINDEX). */
export interface ElfHeader {
  class: 32 | 64;
  data: "lsb" | "msb";
  osabi: number;
  abiversion: number;
  type: number;
  machine: number;
  version: number;
  entry: bigint;
  phoff: bigint;
  shoff: bigint;
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

/** One program header (segment); `index` is its position in the table. */
export interface ProgramHeader {
  index: number;
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

/** One section header, with its name resolved through the section name string table. */
export interface SectionHeader {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

/** A parsed and validated ELF file; `interp` is the PT_INTERP path, if any. */
export interface ElfFile {
  bytes: Uint8Array;
  header: ElfHeader;
  phdrs: ProgramHeader[];
  shdrs: SectionHeader[];
  interp: string | null;
}

/** What parseElf checks beyond the format itself. */
export interface ParseOptions {
  /** Reject any e_machine other than this one (EM_RISCV for the loader). */
  machine?: number;
  /** Page size for the PT_LOAD offset/address congruence check (a power of two; default 4096). */
  pageSize?: number;
  /**
   * false: leave the section header table unread (shdrs is empty), as exec does: Linux's
   * binfmt_elf and qemu-user never look at it, so a program whose section headers are damaged
   * or stripped away (sstrip) still runs. Default true: read and validate them.
   */
  sectionHeaders?: boolean;
}

/** One dynamic-section entry; `offset` is the file offset of its d_tag. */
export interface DynamicEntry {
  tag: bigint;
  val: bigint;
  offset: number;
}

/** One symbol; `version` from the GNU version sections, `versionHidden` for `name@V` (not `@@`). */
export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  bind: number;
  type: number;
  visibility: number;
  shndx: number;
  version: string | null;
  versionHidden: boolean;
}
