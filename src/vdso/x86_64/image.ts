// The x86-64 vDSO image, laid out as the riscv one (src/vdso/image.ts) with x86-64's machine,
// the LINUX_2.6 version node glibc asks for (sysdeps/unix/sysv/linux/x86_64/sysdep.h:
// HAVE_CLOCK_GETTIME64_VSYSCALL "__vdso_clock_gettime" ...), and the weak aliases without the
// __vdso_ prefix that arch/x86/entry/vdso/vclock_gettime.c defines. Built on first use.

import { EM_X86_64 } from "../../elf/constants.ts";
import { buildVdsoImageFrom, type VdsoImage, type VdsoSpec } from "../image.ts";
import { VVAR_SYMBOL, assembleX86_64VdsoText } from "./text.ts";

export const X86_64_VDSO_VERSION = "LINUX_2.6";

const SPEC: VdsoSpec = {
  machine: EM_X86_64,
  flags: 0,
  version: X86_64_VDSO_VERSION,
  text: assembleX86_64VdsoText,
  vvarSymbol: VVAR_SYMBOL,
  minPages: 2,
  aliases: [
    ["clock_gettime", "__vdso_clock_gettime"],
    ["gettimeofday", "__vdso_gettimeofday"],
    ["getcpu", "__vdso_getcpu"],
    ["time", "__vdso_time"],
    ["clock_getres", "__vdso_clock_getres"],
  ],
};

let cached: VdsoImage | undefined;

/** The x86-64 vDSO image, built on first call and shared afterwards (read-only bytes). */
export function x86_64VdsoImage(): VdsoImage {
  cached ??= buildVdsoImageFrom(SPEC);
  return cached;
}
