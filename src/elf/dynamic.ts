// The dynamic section, read from PT_DYNAMIC the way ld.so finds it: at p_vaddr in the memory
// image, which here means through the PT_LOAD that maps it. p_offset must agree with that mapping
// so that tools reading by file offset (readelf) and by address (ld.so) see the same entries.

import { DT_NULL, DYN32_SIZE, DYN64_SIZE, PT_DYNAMIC, PT_LOAD } from "./constants.ts";
import { ElfError, badField } from "./error.ts";
import { phdrFieldOffset } from "./segments.ts";
import type { DynamicEntry, ElfFile, ProgramHeader } from "./types.ts";
import { viewOf, type ElfView, type FileRange } from "./view.ts";

/** Returns the file offset of `vaddr`, or null if no PT_LOAD maps it from the file. */
export function vaddrToOffset(elf: ElfFile, vaddr: bigint): bigint | null {
  const ph = loadContaining(elf.phdrs, vaddr);
  return ph === null ? null : ph.offset + (vaddr - ph.vaddr);
}

function loadContaining(phdrs: ProgramHeader[], vaddr: bigint): ProgramHeader | null {
  for (const ph of phdrs) {
    if (ph.type === PT_LOAD && ph.vaddr <= vaddr && vaddr < ph.vaddr + ph.filesz) return ph;
  }
  return null;
}

/**
 * Returns the file bytes from `vaddr` to the end of the file-backed part of the PT_LOAD that maps
 * it; `field`/`fieldOffset` name where the address was read, for the error if none does.
 */
export function vaddrWindow(elf: ElfFile, vaddr: bigint, field: string, fieldOffset: number): FileRange {
  const ph = loadContaining(elf.phdrs, vaddr);
  if (ph === null) {
    throw badField(field, fieldOffset, vaddr, "address not inside the file-backed part of any PT_LOAD");
  }
  // parseElf checked that the segment's file range lies inside the file.
  const start = Number(ph.offset + (vaddr - ph.vaddr));
  return { start, end: Number(ph.offset + ph.filesz) };
}

/** Like vaddrWindow, but requires `size` bytes at `vaddr` and returns exactly those. */
export function vaddrSpan(elf: ElfFile, vaddr: bigint, size: bigint, field: string, fieldOffset: number): FileRange {
  const w = vaddrWindow(elf, vaddr, field, fieldOffset);
  if (size > BigInt(w.end - w.start)) {
    throw badField(field, fieldOffset, vaddr,
      `0x${size.toString(16)} bytes there run past the file-backed end of their PT_LOAD`);
  }
  return { start: w.start, end: w.start + Number(size) };
}

/** Finds the single PT_DYNAMIC, or null; two of them are ambiguous and rejected. */
export function findDynamic(elf: ElfFile, view: ElfView): ProgramHeader | null {
  let found: ProgramHeader | null = null;
  for (const ph of elf.phdrs) {
    if (ph.type !== PT_DYNAMIC) continue;
    if (found !== null) {
      throw badField(`phdr[${ph.index}].p_type`, phdrFieldOffset(view, elf.header, ph.index, "p_type"), ph.type,
        `a second PT_DYNAMIC (the first is phdr[${found.index}])`);
    }
    found = ph;
  }
  return found;
}

/** Reads the dynamic entries before DT_NULL from PT_DYNAMIC; [] without one. */
export function readDynamic(elf: ElfFile): DynamicEntry[] {
  const view = viewOf(elf);
  const ph = findDynamic(elf, view);
  if (ph === null) return [];
  const at = (field: keyof ElfView["layout"]["phdr"]) => phdrFieldOffset(view, elf.header, ph.index, field);
  const span = vaddrSpan(elf, ph.vaddr, ph.filesz, `phdr[${ph.index}].p_vaddr`, at("p_vaddr"));
  if (BigInt(span.start) !== ph.offset) {
    throw badField(`phdr[${ph.index}].p_offset`, at("p_offset"), ph.offset,
      `but PT_DYNAMIC's p_vaddr 0x${ph.vaddr.toString(16)} maps file offset 0x${span.start.toString(16)}`);
  }
  const entsize = view.is64 ? DYN64_SIZE : DYN32_SIZE;
  const entries: DynamicEntry[] = [];
  for (let off = span.start; off + entsize <= span.end; off += entsize) {
    const tag = view.sword(off, "d_tag");
    if (tag === BigInt(DT_NULL)) return entries;
    entries.push({ tag, val: view.word(off + view.wordSize, "d_val"), offset: off });
  }
  throw new ElfError(`phdr[${ph.index}].p_filesz`, at("p_filesz"),
    `bad PT_DYNAMIC: no DT_NULL entry inside its 0x${ph.filesz.toString(16)} bytes`);
}
