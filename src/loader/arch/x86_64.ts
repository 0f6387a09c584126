// What Linux tells an x86-64 process at exec, and where it puts things, for one place to read it.
// Sources: arch/x86/include/asm/{elf.h,processor.h,page_64_types.h}, arch/x86/mm/mmap.c,
// arch/x86/kernel/{process.c,signal.c}, fs/binfmt_elf.c.

import { EM_X86_64 } from "../../elf/constants.ts";
import { HWCAP } from "../../cpu/x86/cpuid.ts";

export const MACHINE = EM_X86_64;
export const PAGE_SIZE = 4096;

/** 4-level paging: TASK_SIZE_MAX = (1 << 47) - PAGE_SIZE (the last page stays a guard). */
export const TASK_SIZE = 2 ** 47 - PAGE_SIZE;

/** STACK_TOP = TASK_SIZE_LOW, which is TASK_SIZE without 5-level paging. */
export const STACK_TOP = TASK_SIZE;

/**
 * ELF_ET_DYN_BASE = DEFAULT_MAP_WINDOW / 3 * 2 = 0x555555554aaa, page-aligned by the loader:
 * the 0x555555554000 every x86-64 PIE gets without ASLR.
 */
export const ELF_ET_DYN_BASE = Math.floor(TASK_SIZE / 3) * 2;

/** arch/x86/mm/mmap.c: gap_min = SIZE_128M between the stack top and the mmap base. */
export const MMAP_MIN_GAP = 128 * 1024 * 1024;

export const STACK_RLIMIT = 8 * 1024 * 1024;

/** CONFIG_ARCH_MMAP_RND_BITS default (28) and __STACK_RND_MASK for 64-bit tasks (0x3fffff pages). */
export const MMAP_RND_BITS = 28;
export const STACK_RND_MASK = 0x3fffff;

/** arch_randomize_brk(): randomize_page(mm->brk, 0x02000000), 32 MiB = 2^13 pages. */
export const BRK_RND_BITS = 13;

/** ELF_PLATFORM: utsname()->machine, "x86_64". */
export const PLATFORM = "x86_64";

/**
 * ELF_HWCAP = boot_cpu_data.x86_capability[CPUID_1_EDX]: what the emulated CPU's CPUID leaf 1
 * returns in edx, taken from the CPU's own table (src/cpu/x86/cpuid.ts) so the two never differ.
 */
export const ELF_HWCAP = HWCAP;

/**
 * ELF_HWCAP2: bit 0 HWCAP2_RING3MWAIT, bit 1 HWCAP2_FSGSBASE (set when the kernel enabled
 * CR4.FSGSBASE and the CPU has it). The emulated CPU offers neither: 0, as the host prints.
 */
export const ELF_HWCAP2 = 0;

/**
 * AT_MINSIGSTKSZ = get_sigframe_size() (arch/x86/kernel/signal.c, init_sigframe_size): the
 * rt_sigframe (pretcode 8 + ucontext 304 + siginfo 128 = 440) + FRAME_ALIGNMENT - 1 (15)
 * + the FPU state the signal frame carries (the CPU has no XSAVE: the 512-byte FXSAVE image)
 * + 63 bytes of padding for its 64-byte alignment = 1030, rounded up to 16. A host with AVX-512
 * XSAVE says 3376.
 */
export const MINSIGSTKSZ = Math.ceil((440 + 15 + 512 + 63) / 16) * 16;

export const CLK_TCK = 100;
export const RSEQ_FEATURE_SIZE = 28;
export const RSEQ_ALIGN = 32;
