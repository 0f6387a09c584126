// Mapping one ELF image's PT_LOAD segments into an address space, as fs/binfmt_elf.c's
// elf_map()/elf_load() do: file-backed pages from the page holding p_offset, the bss zeroed
// past p_filesz, anonymous pages for the rest of p_memsz.

import { PF_R, PF_W, PF_X, PT_LOAD } from "../elf/constants.ts";
import type { ElfFile, ProgramHeader } from "../elf/types.ts";
import { MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE, type MM } from "../mm/mm.ts";
/** Every architecture sysemu loads (riscv64, x86-64) uses 4 KiB pages. */
const PAGE_SIZE = 4096;
import { ExecError } from "./exec.ts";

export const pageDown = (a: number) => a - (a % PAGE_SIZE);
export const pageUp = (a: number) => pageDown(a + PAGE_SIZE - 1);

export interface MappedImage {
  /** What was added to every p_vaddr. */
  bias: number;
  /** The lowest and highest (exclusive, page-aligned) addresses of the image. */
  start: number;
  end: number;
  /** The end of the last segment's bss (elf_brk): where brk starts for the main program. */
  brk: number;
  entry: number;
  /** The program headers' address in memory (for AT_PHDR), 0 when not mapped. */
  phdr: number;
}

/** The PT_LOAD headers of an image, in file order. */
export function loadSegments(elf: ElfFile): ProgramHeader[] {
  return elf.phdrs.filter((ph) => ph.type === PT_LOAD);
}

/** The page-aligned span [lo, hi) of an image's PT_LOADs before relocation (total_mapping_size). */
export function imageSpan(elf: ElfFile): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = 0;
  for (const ph of loadSegments(elf)) {
    lo = Math.min(lo, pageDown(Number(ph.vaddr)));
    hi = Math.max(hi, pageUp(Number(ph.vaddr + ph.memsz)));
  }
  return lo === Infinity ? { lo: 0, hi: 0 } : { lo, hi };
}

/** Maps every PT_LOAD of `elf` (whose bytes are `file`) at `bias`, naming the VMAs `name`. */
export function mapImage(mm: MM, elf: ElfFile, bias: number, name: string): MappedImage {
  const file = elf.bytes;
  let brk = 0;
  checkInTaskSize(elf, bias, mm.limit);
  for (const ph of loadSegments(elf)) {
    const vaddr = bias + Number(ph.vaddr);
    const start = pageDown(vaddr);
    const fileStart = Number(ph.offset) - (vaddr - start);
    const fileEnd = vaddr + Number(ph.filesz); // end of the file-backed bytes, in memory
    const memEnd = vaddr + Number(ph.memsz);
    const prot = protOf(ph.flags);
    const fileMapEnd = pageUp(fileEnd);
    if (fileMapEnd > start) {
      mm.mapFixed(start, fileMapEnd - start, prot, { name, pgoff: fileStart / PAGE_SIZE, flags: MAP_PRIVATE });
      // A segment without bss shows the file's following bytes up to the page end, as a file
      // mapping does; one with bss gets zeros there (padzero()).
      const copyEnd = ph.memsz === ph.filesz ? Math.min(fileStart + (fileMapEnd - start), file.length) : Number(ph.offset + ph.filesz);
      // pages that are nothing but the file's bytes are shared with every run of the file
      if (ph.memsz === ph.filesz && (prot & PROT_WRITE) === 0 && fileStart % PAGE_SIZE === 0) mm.mapImagePages(start, file, fileStart / PAGE_SIZE, (fileMapEnd - start) / PAGE_SIZE);
      else mm.poke(start, file.subarray(fileStart, copyEnd));
    }
    const anonStart = Math.max(fileMapEnd, start);
    if (pageUp(memEnd) > anonStart) mm.mapFixed(anonStart, pageUp(memEnd) - anonStart, prot, { name: "" });
    brk = Math.max(brk, memEnd);
  }
  const span = imageSpan(elf);
  return {
    bias,
    start: bias + span.lo,
    end: bias + span.hi,
    brk,
    entry: bias + Number(elf.header.entry),
    phdr: phdrAddress(elf, bias),
  };
}

/**
 * load_elf_binary()'s check: a segment that does not fit below TASK_SIZE once relocated fails
 * the exec with EINVAL, before anything is mapped.
 */
function checkInTaskSize(elf: ElfFile, bias: number, taskSize: number): void {
  for (const ph of loadSegments(elf)) {
    const start = bias + Number(ph.vaddr);
    const end = start + Number(ph.memsz);
    if (start < 0 || ph.memsz > BigInt(taskSize) || end > taskSize) {
      throw new ExecError("EINVAL", `PT_LOAD at 0x${start.toString(16)} (0x${ph.memsz.toString(16)} bytes) lies outside the user address space (below 0x${taskSize.toString(16)})`);
    }
  }
}

/** Where the program headers are in memory: inside the PT_LOAD that maps e_phoff (Linux 6.x). */
function phdrAddress(elf: ElfFile, bias: number): number {
  const phoff = elf.header.phoff;
  for (const ph of loadSegments(elf)) {
    if (ph.offset <= phoff && phoff < ph.offset + ph.filesz) return bias + Number(phoff - ph.offset + ph.vaddr);
  }
  return 0;
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}
