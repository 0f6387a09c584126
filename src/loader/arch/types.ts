// What exec needs to know about an architecture to lay out a process: the address-space
// constants of its asm/processor.h and asm/elf.h, its auxv (ARCH_DLINFO and the hwcaps), its
// ELF_PLATFORM string and the vDSO it maps. One object per architecture, handed to execElf, so
// that the loader's code names none.

import type { VdsoImage } from "../../vdso/image.ts";
import type { AuxvParams } from "../auxv-types.ts";
import type { AuxvEntry } from "../stack.ts";

export interface LoaderArch {
  /** The uname -m name: "riscv64", "x86_64". */
  name: string;
  /** e_machine the programs must carry. */
  machine: number;
  pageSize: number;
  /** TASK_SIZE: where user space ends (the MM's limit). */
  taskSize: number;
  /** STACK_TOP: the stack's top before randomize_stack_top(). */
  stackTop: number;
  /** ELF_ET_DYN_BASE: where a PIE with an interpreter goes. */
  elfEtDynBase: number;
  /** mm/util.c (or the arch's mmap.c): the mmap area starts at least this far below the stack. */
  mmapMinGap: number;
  /** The default RLIMIT_STACK. */
  stackRlimit: number;
  /** CONFIG_ARCH_MMAP_RND_BITS and STACK_RND_MASK (in pages). */
  mmapRndBits: number;
  stackRndMask: number;
  /** arch_randomize_brk(): brk moves by up to 2^brkRndBits pages. */
  brkRndBits: number;
  /** arch_align_stack(): the alignment in bytes it gives the strings' bottom (x86-64: 16; riscv: 1, none). */
  alignStack: number;
  /** ELF_PLATFORM, copied below the strings when set (AT_PLATFORM); null when the arch has none. */
  platform: string | null;
  /** The auxv create_elf_tables() builds, without AT_NULL (AT_RANDOM/AT_EXECFN/AT_PLATFORM as placeholders). */
  buildAuxv(p: AuxvParams): AuxvEntry[];
  /**
   * Bytes of read-only zero pages mapped as [vvar] below the data pages, and the data pages'
   * name: x86-64 shows [vvar] (4 pages) then [vvar_vclock] (2) under the vDSO, and sysemu keeps
   * those addresses; riscv64 maps just its [vvar] data.
   */
  vvarPad: number;
  vvarName: string;
  /** The vDSO image mapped as [vdso] (built on first use). */
  vdso(): VdsoImage;
}
