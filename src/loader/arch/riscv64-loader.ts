// riscv64's LoaderArch: the constants of ./riscv64.ts, its auxv and its vDSO, as execElf takes them.

import { vdsoImage } from "../../vdso/image.ts";
import { buildAuxv } from "./riscv64-auxv.ts";
import type { LoaderArch } from "./types.ts";
import * as riscv from "./riscv64.ts";

export const riscv64Loader: LoaderArch = {
  name: "riscv64",
  machine: riscv.MACHINE,
  pageSize: riscv.PAGE_SIZE,
  taskSize: riscv.TASK_SIZE,
  stackTop: riscv.STACK_TOP,
  elfEtDynBase: riscv.ELF_ET_DYN_BASE,
  mmapMinGap: riscv.MMAP_MIN_GAP,
  stackRlimit: riscv.STACK_RLIMIT,
  mmapRndBits: riscv.MMAP_RND_BITS,
  stackRndMask: riscv.STACK_RND_MASK,
  brkRndBits: 18, // arch_randomize_brk: up to 1 GiB (SZ_1G) on 64-bit
  alignStack: 1, // no arch_align_stack of its own
  platform: null, // ELF_PLATFORM is NULL on riscv
  vvarPad: 0,
  vvarName: "[vvar]",
  buildAuxv,
  vdso: vdsoImage,
};
