// Which architecture's front end a run needs, from the program's e_machine: its loader, binfmt,
// register file and system call table. The x86-64 modules are imported only for an x86-64
// program, so a riscv64 run never loads (or compiles) the x86 CPU.

import type { Binfmt } from "../kernel/proc/binfmt.ts";
import type { ArchRegs } from "../kernel/trap/arch.ts";
import type { LoaderArch } from "../loader/arch/types.ts";
import type { MM } from "../mm/mm.ts";
import type { SyscallArch } from "../../syscalls/index.ts";
import { EM_X86_64 } from "../elf/constants.ts";

export interface FrontEnd {
  arch: SyscallArch;
  loader: LoaderArch;
  binfmt: Binfmt;
  createRegs(mm: MM, pc: number, sp: number, ticks: () => bigint): ArchRegs;
  /** The boot log's machine line. */
  machine: string;
}

/** e_machine of a 64-bit little-endian ELF, or null for anything else. */
export function elfMachine(file: Uint8Array): number | null {
  if (file.length < 20 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) return null;
  if (file[4] !== 2 || file[5] !== 1) return null;
  return file[18]! | (file[19]! << 8);
}

/** The loader for a program's bytes: x86-64's for e_machine 62, else riscv64's (whose checks name the problem). */
export async function loaderFor(file: Uint8Array): Promise<LoaderArch> {
  if (elfMachine(file) === EM_X86_64) return (await import("../loader/arch/x86_64-loader.ts")).x86_64Loader;
  return (await import("../loader/arch/riscv64-loader.ts")).riscv64Loader;
}

/** The whole front end of a run for a program's bytes. */
export async function frontEndFor(file: Uint8Array): Promise<FrontEnd> {
  if (elfMachine(file) === EM_X86_64) {
    const [{ x86_64Loader }, { x86_64Binfmt }, { X86_64Regs }] = await Promise.all([
      import("../loader/arch/x86_64-loader.ts"), import("../loader/arch/x86_64-binfmt.ts"), import("../kernel/trap/x86_64.ts"),
    ]);
    return { arch: "x86_64", loader: x86_64Loader, binfmt: x86_64Binfmt, createRegs: X86_64Regs.create, machine: "sysemu x86-64 user-mode kernel, 1 CPU" };
  }
  const [{ riscv64Loader }, { riscv64Binfmt }, { Riscv64Regs }] = await Promise.all([
    import("../loader/arch/riscv64-loader.ts"), import("../loader/arch/riscv64-binfmt.ts"), import("../kernel/trap/riscv64.ts"),
  ]);
  return { arch: "riscv64", loader: riscv64Loader, binfmt: riscv64Binfmt, createRegs: Riscv64Regs.create, machine: "sysemu riscv64 user-mode kernel, 1 CPU, rv64imafdc_zba_zbb_zbs" };
}

