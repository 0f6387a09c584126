// The binary format exec loads (the kernel's linux_binfmt, here one per run): an architecture's
// front end hands the kernel its ELF loader and register file at boot, so exec names no
// architecture and a run that has none (a WebAssembly guest's) never loads a CPU.

import type { ArchRegs } from "../trap/arch.ts";
import type { MM } from "../../mm/mm.ts";
import type { KernelRandom } from "../random.ts";
import type { Abi } from "../../../syscalls/abi/types.ts";

/** Linux's MAX_ARG_STRLEN (linux/binfmts.h): no argument or environment string may be longer (E2BIG). */
export const MAX_ARG_STRLEN = 32 * 4096;

/** What exec asks the loader for: the file, arguments and environment, credentials and layout. */
export interface BinfmtRequest {
  file: Uint8Array;
  /** The path exec was given (AT_EXECFN). */
  path: string;
  argv: readonly Uint8Array[];
  envp: readonly Uint8Array[];
  creds: { uid: number; euid: number; gid: number; egid: number; secure: boolean };
  /** Reads PT_INTERP's program (as the guest sees the path); returns -errno when it can't. */
  readInterp: (path: string) => Uint8Array | number;
}

/** A loaded image, ready to become the task's program. */
export interface BinfmtImage {
  mm: MM;
  /** The bytes of the auxv on the new stack, for /proc/pid/auxv. */
  auxv: Uint8Array;
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
  vdsoBase: number;
  vvarBase: number;
  /** The ABI the program's system calls use (the task's t.abi from now on). */
  abi: Abi;
  /** The register file that starts the program (pc and sp set, the rest as exec leaves them). */
  regs(ticks: () => bigint): ArchRegs;
}

export interface Binfmt {
  /** The ABI of the programs this format loads (and of tasks that have not exec'd yet). */
  readonly abi: Abi;
  /** load_binary: the image, or -errno (ENOEXEC for a file that is not this format's). */
  load(req: BinfmtRequest, kernel: { random: KernelRandom; aslr: boolean }): BinfmtImage | number;
}
