// binfmt_elf for x86-64: the kernel's exec loads programs through this when the run has an
// x86-64 CPU. Imported only for x86-64 programs (src/cli/frontend.ts).

import { X86_64Regs } from "../../kernel/trap/x86_64.ts";
import { x86_64Loader } from "./x86_64-loader.ts";
import { x86_64Abi } from "../../../syscalls/abi/x86_64/index.ts";
import { elfBinfmt } from "../elf-binfmt.ts";

export const x86_64Binfmt = elfBinfmt(x86_64Loader, X86_64Regs.create, x86_64Abi);
