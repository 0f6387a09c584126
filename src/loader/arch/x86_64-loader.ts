// x86-64's LoaderArch: the constants of ./x86_64.ts, its auxv and its vDSO, as execElf takes them.
// Imported only when the program is an x86-64 ELF (src/cli/frontend.ts).

import { x86_64VdsoImage } from "../../vdso/x86_64/image.ts";
import { buildAuxvX86_64 } from "./x86_64-auxv.ts";
import type { LoaderArch } from "./types.ts";
import * as x86 from "./x86_64.ts";

export const x86_64Loader: LoaderArch = {
  name: "x86_64",
  machine: x86.MACHINE,
  pageSize: x86.PAGE_SIZE,
  taskSize: x86.TASK_SIZE,
  stackTop: x86.STACK_TOP,
  elfEtDynBase: x86.ELF_ET_DYN_BASE,
  mmapMinGap: x86.MMAP_MIN_GAP,
  stackRlimit: x86.STACK_RLIMIT,
  mmapRndBits: x86.MMAP_RND_BITS,
  stackRndMask: x86.STACK_RND_MASK,
  brkRndBits: x86.BRK_RND_BITS,
  alignStack: 16, // arch_align_stack: sp & ~0xf (after a random drop below 8 KiB under ASLR)
  platform: x86.PLATFORM,
  vvarPad: 4 * x86.PAGE_SIZE,
  vvarName: "[vvar_vclock]",
  buildAuxv: buildAuxvX86_64,
  vdso: x86_64VdsoImage,
};
