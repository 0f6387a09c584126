// The system call table of one run, for ELF and WebAssembly guests alike: the built-ins (less
// sys_hello/sys_hello2 with --no-hello), the calls of --kernel-patch (compiled with clang), plus the
// plug-ins of --syscalls; both are loaded (and esbuild, for TypeScript) only when some are given.

import { syscallsFor, type SyscallArch } from "../../syscalls/index.ts";
import type { TableEntry } from "../../syscalls/table.ts";
import { CliError, EXIT_USAGE } from "../util/errors.ts";

/** The table for options `hello` (false = CONFIG_HELLO_SYSCALL=n) and `syscalls` (plug-in files). */
export async function syscallTable(opts: { hello?: boolean; syscalls?: string[]; kernelPatch?: string[] }, arch: SyscallArch = "riscv64"): Promise<Map<number, TableEntry>> {
  const table = syscallsFor(arch, { hello: opts.hello !== false });
  if (opts.kernelPatch?.length) await addPatches(table, opts.kernelPatch);
  if (!opts.syscalls?.length) return table;
  const { addPlugins, loadPlugin, PluginError } = await import("../kernel/plugins.ts");
  for (const file of opts.syscalls) {
    try {
      addPlugins(table, await loadPlugin(file), file);
    } catch (e) {
      if (e instanceof PluginError) throw new CliError(null, e.message, EXIT_USAGE);
      throw e;
    }
  }
  return table;
}

/** --kernel-patch: the compiler and the sandbox are loaded only when a patch is given. */
async function addPatches(table: Map<number, TableEntry>, files: string[]): Promise<void> {
  const { addKernelPatches } = await import("../kmod/load.ts");
  const { KmodError } = await import("../kmod/compile.ts");
  try {
    for (const w of await addKernelPatches(table, files)) process.stderr.write(`sysemu: ${w}\n`);
  } catch (e) {
    // a patch that does not build is the student's error, not a usage one: status 1, as make's
    if (e instanceof KmodError) throw new CliError(null, e.message, 1);
    throw e;
  }
}
