// The system call table of one run, for ELF and WebAssembly guests alike: the built-ins (less
// sys_hello/sys_hello2 with --no-hello) plus the plug-ins of --syscalls, which are loaded
// (and esbuild with them, for TypeScript) only when some are given.

import { syscallsFor, type SyscallArch } from "../../syscalls/index.ts";
import type { TableEntry } from "../../syscalls/table.ts";
import { CliError, EXIT_USAGE } from "./errors.ts";

/** The table for options `hello` (false = CONFIG_HELLO_SYSCALL=n) and `syscalls` (plug-in files). */
export async function syscallTable(opts: { hello?: boolean; syscalls?: string[] }, arch: SyscallArch = "riscv64"): Promise<Map<number, TableEntry>> {
  const table = syscallsFor(arch, { hello: opts.hello !== false });
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
