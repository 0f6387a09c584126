// Auxiliary vector entry types, as in <linux/auxvec.h>, <uapi/asm-generic/auxvec.h> and riscv's
// <asm/auxvec.h>. The names are the kernel's without the AT_ prefix.

export const AT_NULL = 0;
export const AT_IGNORE = 1;
export const AT_EXECFD = 2;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_NOTELF = 10;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_BASE_PLATFORM = 24;
export const AT_RANDOM = 25;
export const AT_HWCAP2 = 26;
export const AT_RSEQ_FEATURE_SIZE = 27;
export const AT_RSEQ_ALIGN = 28;
export const AT_HWCAP3 = 29;
export const AT_HWCAP4 = 30;
export const AT_EXECFN = 31;
export const AT_SYSINFO = 32;
export const AT_SYSINFO_EHDR = 33;
export const AT_L1I_CACHESIZE = 40;
export const AT_L1I_CACHEGEOMETRY = 41;
export const AT_L1D_CACHESIZE = 42;
export const AT_L1D_CACHEGEOMETRY = 43;
export const AT_L2_CACHESIZE = 44;
export const AT_L2_CACHEGEOMETRY = 45;
export const AT_L3_CACHESIZE = 46;
export const AT_L3_CACHEGEOMETRY = 47;
export const AT_MINSIGSTKSZ = 51;

/** The kernel's name for an auxv type (without AT_), or null when Linux defines none. */
export function auxvTypeName(type: number): string | null {
  return AUXV_NAMES.get(type) ?? null;
}

const AUXV_NAMES = new Map<number, string>([
  [AT_NULL, "NULL"], [AT_IGNORE, "IGNORE"], [AT_EXECFD, "EXECFD"], [AT_PHDR, "PHDR"],
  [AT_PHENT, "PHENT"], [AT_PHNUM, "PHNUM"], [AT_PAGESZ, "PAGESZ"], [AT_BASE, "BASE"],
  [AT_FLAGS, "FLAGS"], [AT_ENTRY, "ENTRY"], [AT_NOTELF, "NOTELF"], [AT_UID, "UID"],
  [AT_EUID, "EUID"], [AT_GID, "GID"], [AT_EGID, "EGID"], [AT_PLATFORM, "PLATFORM"],
  [AT_HWCAP, "HWCAP"], [AT_CLKTCK, "CLKTCK"], [AT_SECURE, "SECURE"],
  [AT_BASE_PLATFORM, "BASE_PLATFORM"], [AT_RANDOM, "RANDOM"], [AT_HWCAP2, "HWCAP2"],
  [AT_RSEQ_FEATURE_SIZE, "RSEQ_FEATURE_SIZE"], [AT_RSEQ_ALIGN, "RSEQ_ALIGN"],
  [AT_HWCAP3, "HWCAP3"], [AT_HWCAP4, "HWCAP4"], [AT_EXECFN, "EXECFN"], [AT_SYSINFO, "SYSINFO"],
  [AT_SYSINFO_EHDR, "SYSINFO_EHDR"], [AT_L1I_CACHESIZE, "L1I_CACHESIZE"],
  [AT_L1I_CACHEGEOMETRY, "L1I_CACHEGEOMETRY"], [AT_L1D_CACHESIZE, "L1D_CACHESIZE"],
  [AT_L1D_CACHEGEOMETRY, "L1D_CACHEGEOMETRY"], [AT_L2_CACHESIZE, "L2_CACHESIZE"],
  [AT_L2_CACHEGEOMETRY, "L2_CACHEGEOMETRY"], [AT_L3_CACHESIZE, "L3_CACHESIZE"],
  [AT_L3_CACHEGEOMETRY, "L3_CACHEGEOMETRY"], [AT_MINSIGSTKSZ, "MINSIGSTKSZ"],
]);

/** What create_elf_tables() needs to know about the exec for an architecture's auxv. */
export interface AuxvParams {
  vdsoBase: number;    // current->mm->context.vdso
  phdr: number;        // load_bias + address of the program headers in memory
  phent: number;       // e_phentsize
  phnum: number;       // e_phnum
  interpBase: number;  // where the interpreter was loaded, 0 without PT_INTERP
  entry: number;       // the program's own entry (e_entry + load_bias), not the interpreter's
  uid: number; euid: number; gid: number; egid: number;
  secure: boolean;     // bprm->secureexec: set-user-ID/set-group-ID exec or capability gain
}
