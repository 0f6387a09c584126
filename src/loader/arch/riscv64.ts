// What Linux tells a riscv64 process at exec, and where it puts things, for one place to read it.
// Sources: arch/riscv/include/asm/{elf.h,processor.h,pgtable.h}, arch/riscv/kernel/signal.c,
// mm/util.c (mmap_base), fs/binfmt_elf.c.

import { EM_RISCV } from "../../elf/constants.ts";

export const MACHINE = EM_RISCV;
export const PAGE_SIZE = 4096;

/** Sv39 user space: TASK_SIZE_64 = PGDIR_SIZE * PTRS_PER_PGD / 2 = 1 << 38 (256 GiB). */
export const TASK_SIZE = 0x40_0000_0000;

/** STACK_TOP is TASK_SIZE on riscv; the stack is randomized below it under ASLR. */
export const STACK_TOP = TASK_SIZE;

/** ELF_ET_DYN_BASE = (DEFAULT_MAP_WINDOW / 3) * 2 (page-aligned by the loader): where a PIE goes. */
export const ELF_ET_DYN_BASE = Math.floor(TASK_SIZE / 3) * 2;

/** mm/util.c: the mmap area starts at least MIN_GAP (128 MiB) below the stack top. */
export const MMAP_MIN_GAP = 128 * 1024 * 1024;

/** The default RLIMIT_STACK (8 MiB, _STK_LIM). */
export const STACK_RLIMIT = 8 * 1024 * 1024;

/** CONFIG_ARCH_MMAP_RND_BITS default for riscv64 (18) and STACK_RND_MASK (0x3ffff pages). */
export const MMAP_RND_BITS = 18;
export const STACK_RND_MASK = 0x3ffff;

/**
 * ELF_HWCAP: one bit per single-letter extension, bit = letter - 'A'. We implement RV64IMAFDC
 * (plus Zba/Zbb/Zbs, which have no single-letter bit): I M A F D C = 0x112d, as on a real rv64gc.
 */
export const ELF_HWCAP = ["I", "M", "A", "F", "D", "C"].reduce((m, l) => m | (1 << (l.charCodeAt(0) - 65)), 0);

/**
 * signal_minsigstksz = get_rt_frame_size(true) with no vector unit: sizeof(struct rt_sigframe)
 * rounded up to 16. siginfo (128) + ucontext (uc_flags 8, uc_link 8, uc_stack 24, uc_sigmask
 * padded to 128 bytes, then the 16-aligned sigcontext at 176: 32 GPRs 256 + fp union 528) = 1088.
 */
export const MINSIGSTKSZ = 1088;

/**
 * The cache entries of ARCH_DLINFO come from the device tree's cache nodes (cacheinfo). QEMU's
 * virt machine describes none, so Linux there reports 0 for every size and geometry: so do we.
 */
export const CACHE_INFO = {
  l1iSize: 0, l1iGeometry: 0, l1dSize: 0, l1dGeometry: 0,
  l2Size: 0, l2Geometry: 0, l3Size: 0, l3Geometry: 0,
} as const;

/** USER_HZ, what times() counts in: AT_CLKTCK. */
export const CLK_TCK = 100;

/** rseq: offsetofend(struct rseq, mm_cid) since 6.3, and the alignment the kernel asks for. */
export const RSEQ_FEATURE_SIZE = 28;
export const RSEQ_ALIGN = 32;
