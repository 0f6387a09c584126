// The ELF reader's public surface: import from here rather than from the individual files.

export { ElfError } from "./error.ts";
export type { DynamicEntry, ElfFile, ElfHeader, ElfSymbol, ParseOptions, ProgramHeader, SectionHeader } from "./types.ts";
export { parseElf } from "./reader.ts";
export { readDynamic, vaddrToOffset } from "./dynamic.ts";
export { readDynamicSymbols, readSymbols } from "./symbols.ts";
export { elfHash, gnuHash } from "./hash.ts";
