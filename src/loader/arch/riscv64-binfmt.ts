// binfmt_elf for riscv64: the kernel's exec loads programs through this when the run has a
// riscv64 CPU (src/kernel/proc/binfmt.ts).

import { Riscv64Regs } from "../../kernel/trap/riscv64.ts";
import { riscv64Loader } from "./riscv64-loader.ts";
import { riscv64Abi } from "../../../syscalls/abi/riscv64/index.ts";
import { elfBinfmt } from "../elf-binfmt.ts";

export const riscv64Binfmt = elfBinfmt(riscv64Loader, Riscv64Regs.create, riscv64Abi);
