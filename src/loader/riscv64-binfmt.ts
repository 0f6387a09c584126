// binfmt_elf for riscv64: the kernel's exec loads programs through this when the run has a
// riscv64 CPU (src/kernel/proc/binfmt.ts). The loader's failures become execve's errno here.

import { ElfError } from "../elf/error.ts";
import type { Binfmt, BinfmtImage, BinfmtRequest } from "../kernel/proc/binfmt.ts";
import { E2BIG, EACCES, EINVAL, ENOENT, ENOEXEC, ENOMEM } from "../kernel/errno.ts";
import type { KernelRandom } from "../kernel/random.ts";
import { Riscv64Regs } from "../kernel/trap/riscv64.ts";
import { ExecError, execElf } from "./exec.ts";
import { StackError } from "./stack.ts";

/** The errno names the loader's ExecError uses. */
const LOADER_ERRORS: Record<string, number> = { ENOEXEC, ENOMEM, ENOENT, EACCES, E2BIG, EINVAL, ELIBBAD: 80 };

export const riscv64Binfmt: Binfmt = {
  load(req: BinfmtRequest, k: { random: KernelRandom; aslr: boolean }): BinfmtImage | number {
    try {
      const r = execElf({
        file: req.file, path: req.path, argv: req.argv, envp: req.envp, creds: req.creds, random: k.random, aslr: k.aslr,
        readInterp: (p) => {
          const bytes = req.readInterp(p);
          if (typeof bytes === "number") throw new ExecError(bytes === -EACCES ? "EACCES" : "ENOENT", `cannot load interpreter ${p}`);
          return bytes;
        },
      });
      const s = r.stack;
      return {
        mm: r.mm, vdsoBase: r.vdsoBase, vvarBase: r.vvarBase,
        auxv: r.mm.peek(s.auxvAddr, s.auxvBytes),
        argStart: s.argStart, argEnd: s.argEnd, envStart: s.envStart, envEnd: s.envEnd,
        regs: (ticks) => Riscv64Regs.create(r.mm, r.pc, s.sp, ticks),
      };
    } catch (e) {
      if (e instanceof ElfError) return -ENOEXEC;
      if (e instanceof ExecError) return -(LOADER_ERRORS[e.errno] ?? ENOEXEC);
      if (e instanceof StackError) return -E2BIG;
      throw e;
    }
  },
};
