// Field offsets of the ELF structures for each class (<elf.h> Elf32_* / Elf64_*), so that errors
// can name the exact byte at fault. Sizes live in constants.ts.

/** Offsets of the ELF header fields after e_ident. */
export interface EhdrLayout {
  e_type: number;
  e_machine: number;
  e_version: number;
  e_entry: number;
  e_phoff: number;
  e_shoff: number;
  e_flags: number;
  e_ehsize: number;
  e_phentsize: number;
  e_phnum: number;
  e_shentsize: number;
  e_shnum: number;
  e_shstrndx: number;
}

/** Offsets of the program header fields. */
export interface PhdrLayout {
  p_type: number;
  p_flags: number;
  p_offset: number;
  p_vaddr: number;
  p_paddr: number;
  p_filesz: number;
  p_memsz: number;
  p_align: number;
}

/** Offsets of the section header fields. */
export interface ShdrLayout {
  sh_name: number;
  sh_type: number;
  sh_flags: number;
  sh_addr: number;
  sh_offset: number;
  sh_size: number;
  sh_link: number;
  sh_info: number;
  sh_addralign: number;
  sh_entsize: number;
}

/** Offsets of the symbol fields. */
export interface SymLayout {
  st_name: number;
  st_value: number;
  st_size: number;
  st_info: number;
  st_other: number;
  st_shndx: number;
}

/** All layouts of one class. */
export interface ClassLayout {
  ehdr: EhdrLayout;
  phdr: PhdrLayout;
  shdr: ShdrLayout;
  sym: SymLayout;
}

/** Elf64_Ehdr, Elf64_Phdr, Elf64_Shdr, Elf64_Sym. */
export const LAYOUT64: ClassLayout = {
  ehdr: {
    e_type: 16, e_machine: 18, e_version: 20, e_entry: 24, e_phoff: 32, e_shoff: 40, e_flags: 48,
    e_ehsize: 52, e_phentsize: 54, e_phnum: 56, e_shentsize: 58, e_shnum: 60, e_shstrndx: 62,
  },
  // Elf64_Phdr moves p_flags up next to p_type to keep the 64-bit fields aligned.
  phdr: { p_type: 0, p_flags: 4, p_offset: 8, p_vaddr: 16, p_paddr: 24, p_filesz: 32, p_memsz: 40, p_align: 48 },
  shdr: {
    sh_name: 0, sh_type: 4, sh_flags: 8, sh_addr: 16, sh_offset: 24, sh_size: 32, sh_link: 40,
    sh_info: 44, sh_addralign: 48, sh_entsize: 56,
  },
  sym: { st_name: 0, st_info: 4, st_other: 5, st_shndx: 6, st_value: 8, st_size: 16 },
};

/** Elf32_Ehdr, Elf32_Phdr, Elf32_Shdr, Elf32_Sym. */
export const LAYOUT32: ClassLayout = {
  ehdr: {
    e_type: 16, e_machine: 18, e_version: 20, e_entry: 24, e_phoff: 28, e_shoff: 32, e_flags: 36,
    e_ehsize: 40, e_phentsize: 42, e_phnum: 44, e_shentsize: 46, e_shnum: 48, e_shstrndx: 50,
  },
  phdr: { p_type: 0, p_offset: 4, p_vaddr: 8, p_paddr: 12, p_filesz: 16, p_memsz: 20, p_flags: 24, p_align: 28 },
  shdr: {
    sh_name: 0, sh_type: 4, sh_flags: 8, sh_addr: 12, sh_offset: 16, sh_size: 20, sh_link: 24,
    sh_info: 28, sh_addralign: 32, sh_entsize: 36,
  },
  sym: { st_name: 0, st_value: 4, st_size: 8, st_info: 12, st_other: 13, st_shndx: 14 },
};
