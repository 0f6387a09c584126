// binfmt_elf for one architecture: the kernel's exec loads programs through this (see
// src/kernel/proc/binfmt.ts). The loader's failures become execve's errno here.

import { ElfError } from "../elf/error.ts";
import type { Binfmt, BinfmtImage, BinfmtRequest } from "../kernel/proc/binfmt.ts";
import { E2BIG, EACCES, EINVAL, ENOENT, ENOEXEC, ENOMEM } from "../kernel/errno.ts";
import type { KernelRandom } from "../kernel/random.ts";
import type { ArchRegs } from "../kernel/trap/arch.ts";
import type { MM } from "../mm/mm.ts";
import type { LoaderArch } from "./arch/types.ts";
import type { Abi } from "../../syscalls/abi/types.ts";
import { ExecError, execElf } from "./exec.ts";
import { StackError } from "./stack.ts";

/** The errno names the loader's ExecError uses. */
const LOADER_ERRORS: Record<string, number> = { ENOEXEC, ENOMEM, ENOENT, EACCES, E2BIG, EINVAL, ELIBBAD: 80 };

/** The register file that starts a program: pc, sp and the time source. */
export type CreateRegs = (mm: MM, pc: number, sp: number, ticks: () => bigint) => ArchRegs;

/** binfmt_elf for programs of `arch`, started on registers from `createRegs`. */
export function elfBinfmt(arch: LoaderArch, createRegs: CreateRegs, abi: Abi): Binfmt {
  return {
    abi,
    load(req: BinfmtRequest, k: { random: KernelRandom; aslr: boolean }): BinfmtImage | number {
      try {
        const r = execElf({
          file: req.file, path: req.path, argv: req.argv, envp: req.envp, creds: req.creds, random: k.random, aslr: k.aslr, arch,
          readInterp: (p) => {
            const bytes = req.readInterp(p);
            if (typeof bytes === "number") throw new ExecError(bytes === -EACCES ? "EACCES" : "ENOENT", `cannot load interpreter ${p}`);
            return bytes;
          },
        });
        const s = r.stack;
        return {
          mm: r.mm, vdsoBase: r.vdsoBase, vvarBase: r.vvarBase, abi,
          auxv: r.mm.peek(s.auxvAddr, s.auxvBytes),
          argStart: s.argStart, argEnd: s.argEnd, envStart: s.envStart, envEnd: s.envEnd,
          regs: (ticks) => createRegs(r.mm, r.pc, s.sp, ticks),
        };
      } catch (e) {
        if (e instanceof ElfError) return -ENOEXEC;
        if (e instanceof ExecError) return -(LOADER_ERRORS[e.errno] ?? ENOEXEC);
        if (e instanceof StackError) return -E2BIG;
        throw e;
      }
    },
  };
}
