// ELF constants as named in <elf.h>. One place, shared by the reader, the writer and the loader.

export const ELFMAG = [0x7f, 0x45, 0x4c, 0x46] as const; // "\x7fELF"

// e_ident[] indexes and values
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_VERSION = 6;
export const EI_OSABI = 7;
export const EI_ABIVERSION = 8;
export const EI_NIDENT = 16;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;
export const ELFOSABI_SYSV = 0;
export const ELFOSABI_GNU = 3;

// e_type
export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

// e_machine
export const EM_386 = 3;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;

// RISC-V e_flags
export const EF_RISCV_RVC = 0x0001;
export const EF_RISCV_FLOAT_ABI = 0x0006;
export const EF_RISCV_FLOAT_ABI_DOUBLE = 0x0004;

// p_type
export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_SHLIB = 5;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_PROPERTY = 0x6474e553;
export const PT_RISCV_ATTRIBUTES = 0x70000003;

// p_flags
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

// sh_type
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_HASH = 5;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const SHT_GNU_HASH = 0x6ffffff6;
export const SHT_GNU_verdef = 0x6ffffffd;
export const SHT_GNU_verneed = 0x6ffffffe;
export const SHT_GNU_versym = 0x6fffffff;

// sh_flags
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_XINDEX = 0xffff;

// d_tag
export const DT_NULL = 0;
export const DT_NEEDED = 1;
export const DT_HASH = 4;
export const DT_STRTAB = 5;
export const DT_SYMTAB = 6;
export const DT_STRSZ = 10;
export const DT_SYMENT = 11;
export const DT_SONAME = 14;
export const DT_FLAGS = 30;
export const DT_GNU_HASH = 0x6ffffef5;
export const DT_VERSYM = 0x6ffffff0;
export const DT_FLAGS_1 = 0x6ffffffb;
export const DT_VERDEF = 0x6ffffffc;
export const DT_VERDEFNUM = 0x6ffffffd;
export const DT_VERNEED = 0x6ffffffe;
export const DT_VERNEEDNUM = 0x6fffffff;

// symbols
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STV_DEFAULT = 0;

// symbol versions
export const VER_DEF_CURRENT = 1;
export const VER_FLG_BASE = 0x1;
export const VER_NDX_LOCAL = 0;
export const VER_NDX_GLOBAL = 1;

// notes
export const NT_GNU_BUILD_ID = 3;

// Header sizes (fixed by the spec; e_ehsize/e_phentsize/e_shentsize are checked against them)
export const EHDR64_SIZE = 64;
export const EHDR32_SIZE = 52;
export const PHDR64_SIZE = 56;
export const PHDR32_SIZE = 32;
export const SHDR64_SIZE = 64;
export const SHDR32_SIZE = 40;
export const SYM64_SIZE = 24;
export const SYM32_SIZE = 16;

// Extended numbering (gABI): the real counts/index live in section header 0
export const PN_XNUM = 0xffff;
export const SHN_LORESERVE = 0xff00;

// symbol types, bindings and visibilities beyond the basic ones
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;
export const STT_GNU_IFUNC = 10;
export const STB_GNU_UNIQUE = 10;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;
export const SHN_COMMON = 0xfff2;

// symbol versions: the high bit of a .gnu.version entry marks a hidden (non-default) version
export const VERSYM_HIDDEN = 0x8000;
export const VERSYM_VERSION = 0x7fff;
export const VER_NEED_CURRENT = 1;
export const VERDEF_SIZE = 20;
export const VERDAUX_SIZE = 8;
export const VERNEED_SIZE = 16;
export const VERNAUX_SIZE = 16;

// dynamic section entries: d_tag + d_un, each one Elf_Sxword/Elf_Xword
export const DYN64_SIZE = 16;
export const DYN32_SIZE = 8;
