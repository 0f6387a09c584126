// The auxiliary vector an x86-64 process gets from Linux 6.x, in the kernel's order: ARCH_DLINFO
// (arch/x86/include/asm/elf.h: AT_SYSINFO_EHDR when the vDSO is on, AT_MINSIGSTKSZ) first, then
// create_elf_tables()'s list with AT_HWCAP2 and AT_PLATFORM, which x86 defines. The order is
// the one `LD_SHOW_AUXV=1 /bin/true` prints on an x86-64 Linux 6.18 host. No AT_SYSINFO: that
// is the 32-bit vsyscall entry. AT_RANDOM, AT_EXECFN and AT_PLATFORM are placeholders here.

import * as x86 from "./x86_64.ts";
import * as AT from "../auxv-types.ts";
import type { AuxvParams } from "../auxv-types.ts";
import type { AuxvEntry } from "../stack.ts";

/** The auxv for an x86-64 process, without the AT_NULL terminator. */
export function buildAuxvX86_64(p: AuxvParams): AuxvEntry[] {
  const e = (type: number, value: number | bigint): AuxvEntry => [type, BigInt(value)];
  return [
    // ARCH_DLINFO
    e(AT.AT_SYSINFO_EHDR, p.vdsoBase),
    e(AT.AT_MINSIGSTKSZ, x86.MINSIGSTKSZ),
    // create_elf_tables()
    e(AT.AT_HWCAP, x86.ELF_HWCAP),
    e(AT.AT_PAGESZ, x86.PAGE_SIZE),
    e(AT.AT_CLKTCK, x86.CLK_TCK),
    e(AT.AT_PHDR, p.phdr),
    e(AT.AT_PHENT, p.phent),
    e(AT.AT_PHNUM, p.phnum),
    e(AT.AT_BASE, p.interpBase),
    e(AT.AT_FLAGS, 0),
    e(AT.AT_ENTRY, p.entry),
    e(AT.AT_UID, p.uid),
    e(AT.AT_EUID, p.euid),
    e(AT.AT_GID, p.gid),
    e(AT.AT_EGID, p.egid),
    e(AT.AT_SECURE, p.secure ? 1 : 0),
    e(AT.AT_RANDOM, 0),
    e(AT.AT_HWCAP2, x86.ELF_HWCAP2),
    e(AT.AT_EXECFN, 0),
    e(AT.AT_PLATFORM, 0),                       // placeholder: address of the "x86_64" string
    e(AT.AT_RSEQ_FEATURE_SIZE, x86.RSEQ_FEATURE_SIZE),
    e(AT.AT_RSEQ_ALIGN, x86.RSEQ_ALIGN),
  ];
}
