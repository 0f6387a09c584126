// The auxiliary vector a riscv64 process gets from Linux 6.x, entry by entry, in the kernel's
// order: ARCH_DLINFO (arch/riscv/include/asm/elf.h) first, then create_elf_tables()'s list
// (fs/binfmt_elf.c). AT_RANDOM and AT_EXECFN are placeholders here: the stack builder knows
// where those bytes land and fills them in.

import * as riscv from "./riscv64.ts";
import * as AT from "../auxv-types.ts";
import type { AuxvEntry } from "../stack.ts";
import type { AuxvParams } from "../auxv-types.ts";

/** The auxv for a riscv64 process, without the AT_NULL terminator. */
export function buildAuxv(p: AuxvParams): AuxvEntry[] {
  const c = riscv.CACHE_INFO;
  const e = (type: number, value: number | bigint): AuxvEntry => [type, BigInt(value)];
  return [
    // ARCH_DLINFO
    e(AT.AT_SYSINFO_EHDR, p.vdsoBase),
    e(AT.AT_L1I_CACHESIZE, c.l1iSize),
    e(AT.AT_L1I_CACHEGEOMETRY, c.l1iGeometry),
    e(AT.AT_L1D_CACHESIZE, c.l1dSize),
    e(AT.AT_L1D_CACHEGEOMETRY, c.l1dGeometry),
    e(AT.AT_L2_CACHESIZE, c.l2Size),
    e(AT.AT_L2_CACHEGEOMETRY, c.l2Geometry),
    e(AT.AT_L3_CACHESIZE, c.l3Size),
    e(AT.AT_L3_CACHEGEOMETRY, c.l3Geometry),
    e(AT.AT_MINSIGSTKSZ, riscv.MINSIGSTKSZ),
    // create_elf_tables()
    e(AT.AT_HWCAP, riscv.ELF_HWCAP),
    e(AT.AT_PAGESZ, riscv.PAGE_SIZE),             // ELF_EXEC_PAGESIZE
    e(AT.AT_CLKTCK, riscv.CLK_TCK),               // CLOCKS_PER_SEC = USER_HZ
    e(AT.AT_PHDR, p.phdr),
    e(AT.AT_PHENT, p.phent),
    e(AT.AT_PHNUM, p.phnum),
    e(AT.AT_BASE, p.interpBase),
    e(AT.AT_FLAGS, 0),                            // no binfmt_misc preserve-argv[0] flag
    e(AT.AT_ENTRY, p.entry),
    e(AT.AT_UID, p.uid),                          // from_kuid_munged(cred->user_ns, cred->uid)
    e(AT.AT_EUID, p.euid),
    e(AT.AT_GID, p.gid),
    e(AT.AT_EGID, p.egid),
    e(AT.AT_SECURE, p.secure ? 1 : 0),
    e(AT.AT_RANDOM, 0),                           // placeholder: address of the 16 random bytes
    // no AT_HWCAP2 (riscv defines no ELF_HWCAP2)
    e(AT.AT_EXECFN, 0),                           // placeholder: address of bprm->filename's copy
    // no AT_PLATFORM / AT_BASE_PLATFORM (ELF_PLATFORM is NULL on riscv), no AT_EXECFD
    e(AT.AT_RSEQ_FEATURE_SIZE, riscv.RSEQ_FEATURE_SIZE), // CONFIG_RSEQ, Linux >= 6.3
    e(AT.AT_RSEQ_ALIGN, riscv.RSEQ_ALIGN),
  ];
}
