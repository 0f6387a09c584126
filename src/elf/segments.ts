// Segment validation: what the kernel's ELF loader and ld.so rely on before mapping anything.
//
// Checked, per program header:
//  - the file range [p_offset, p_offset + p_filesz) lies inside the file (every type but PT_NULL;
//    non-loaded types like PT_RISCV_ATTRIBUTES legitimately have p_memsz 0 < p_filesz);
//  - PT_LOAD: p_filesz <= p_memsz; p_vaddr + p_memsz does not wrap the class's address space;
//    p_offset ≡ p_vaddr (mod page size), which mmap needs to map the file page by page (the
//    kernel's elf_map maps p_offset - ELF_PAGEOFFSET(p_vaddr)); and, when p_align > 1,
//    p_offset ≡ p_vaddr (mod p_align), as the gABI requires and glibc's _dl_map_object_from_fd
//    enforces ("ELF load command address/offset not properly aligned"). p_align is not required
//    to be a power of two or a multiple of the page size;
//  - no two PT_LOADs overlap: the exact [p_vaddr, p_vaddr + p_memsz) ranges are compared, so two
//    segments sharing a page after rounding are fine (that is how text and data are laid out);
//  - e_entry lies inside a PF_X PT_LOAD, for ET_EXEC and ET_DYN with e_entry != 0;
//  - at most one PT_INTERP, whose path has a NUL inside the segment; `interp` is the text before
//    that NUL. (The kernel is stricter: it wants the segment's last byte to be the NUL.)

import { ET_DYN, ET_EXEC, PF_X, PT_INTERP, PT_LOAD, PT_NULL } from "./constants.ts";
import { ElfError, badField, showRange } from "./error.ts";
import { decodeName } from "./strtab.ts";
import type { ElfHeader, ProgramHeader } from "./types.ts";
import type { ElfView } from "./view.ts";

/** Validates the program headers; returns the PT_INTERP path or null. */
export function checkSegments(view: ElfView, header: ElfHeader, phdrs: ProgramHeader[], pageSize: bigint): string | null {
  let interp: string | null = null;
  let interpIndex = -1;
  for (const ph of phdrs) {
    if (ph.type === PT_NULL) continue;
    view.range(ph.offset, ph.filesz, `phdr[${ph.index}].p_offset`, phdrFieldOffset(view, header, ph.index, "p_offset"), "segment");
    if (ph.type === PT_LOAD) checkLoad(view, header, ph, pageSize);
    if (ph.type === PT_INTERP) {
      if (interpIndex >= 0) {
        throw badField(`phdr[${ph.index}].p_type`, phdrFieldOffset(view, header, ph.index, "p_type"), ph.type,
          `a second PT_INTERP (the first is phdr[${interpIndex}])`);
      }
      interpIndex = ph.index;
      interp = readInterp(view, header, ph);
    }
  }
  checkOverlaps(view, header, phdrs);
  checkEntry(view, header, phdrs);
  return interp;
}

/** File offset of a field of program header `index`. */
export function phdrFieldOffset(view: ElfView, header: ElfHeader, index: number, field: keyof ElfView["layout"]["phdr"]): number {
  return Number(header.phoff) + index * header.phentsize + view.layout.phdr[field];
}

function checkLoad(view: ElfView, header: ElfHeader, ph: ProgramHeader, pageSize: bigint): void {
  const f = `phdr[${ph.index}]`;
  const at = (field: keyof ElfView["layout"]["phdr"]) => phdrFieldOffset(view, header, ph.index, field);
  if (ph.filesz > ph.memsz) {
    throw badField(`${f}.p_filesz`, at("p_filesz"), ph.filesz, `larger than p_memsz 0x${ph.memsz.toString(16)}`);
  }
  if (ph.vaddr + ph.memsz > view.addrLimit) {
    throw badField(`${f}.p_memsz`, at("p_memsz"), ph.memsz, `PT_LOAD at 0x${ph.vaddr.toString(16)} wraps around the address space`);
  }
  if (ph.offset % pageSize !== ph.vaddr % pageSize) {
    throw badField(`${f}.p_vaddr`, at("p_vaddr"), ph.vaddr,
      `not congruent to p_offset 0x${ph.offset.toString(16)} modulo the page size 0x${pageSize.toString(16)}`);
  }
  if (ph.align > 1n && ph.offset % ph.align !== ph.vaddr % ph.align) {
    throw badField(`${f}.p_vaddr`, at("p_vaddr"), ph.vaddr,
      `not congruent to p_offset 0x${ph.offset.toString(16)} modulo p_align 0x${ph.align.toString(16)}`);
  }
}

function checkOverlaps(view: ElfView, header: ElfHeader, phdrs: ProgramHeader[]): void {
  // Sorting keeps this O(n log n) for the (up to 65535) headers a hostile file may carry.
  const loads = phdrs.filter((p) => p.type === PT_LOAD && p.memsz > 0n);
  loads.sort((a, b) => (a.vaddr < b.vaddr ? -1 : a.vaddr > b.vaddr ? 1 : a.index - b.index));
  for (let i = 1; i < loads.length; i++) {
    const prev = loads[i - 1];
    const cur = loads[i];
    if (cur.vaddr < prev.vaddr + prev.memsz) {
      const [first, second] = prev.index < cur.index ? [prev, cur] : [cur, prev];
      throw badField(`phdr[${second.index}].p_vaddr`, phdrFieldOffset(view, header, second.index, "p_vaddr"), second.vaddr,
        `PT_LOAD ${showRange(second.vaddr, second.vaddr + second.memsz)} overlaps phdr[${first.index}] ${showRange(first.vaddr, first.vaddr + first.memsz)}`);
    }
  }
}

function checkEntry(view: ElfView, header: ElfHeader, phdrs: ProgramHeader[]): void {
  if ((header.type !== ET_EXEC && header.type !== ET_DYN) || header.entry === 0n) return;
  for (const ph of phdrs) {
    if (ph.type === PT_LOAD && (ph.flags & PF_X) !== 0 && ph.vaddr <= header.entry && header.entry < ph.vaddr + ph.memsz) return;
  }
  throw badField("e_entry", view.layout.ehdr.e_entry, header.entry, "outside every executable (PF_X) PT_LOAD");
}

function readInterp(view: ElfView, header: ElfHeader, ph: ProgramHeader): string {
  // The segment's file range was checked just before.
  const start = Number(ph.offset);
  const end = start + Number(ph.filesz);
  const nul = view.bytes.subarray(start, end).indexOf(0);
  if (nul < 0) {
    throw new ElfError(`phdr[${ph.index}].p_filesz`, phdrFieldOffset(view, header, ph.index, "p_filesz"),
      `bad PT_INTERP: the path at 0x${start.toString(16)} (${end - start} bytes) is not NUL-terminated inside its segment`);
  }
  return decodeName(view.bytes, start, start + nul);
}
