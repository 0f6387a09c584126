// The built-in system calls: every family file's sys_* exports, bound to numbers by the
// architecture's table file. The family files are found, not listed: tools/gen-families.mjs
// writes families.gen.ts from syscalls/*.ts at every build and test run.

import riscv64Table from "./tbl/riscv64.ts";
import x86_64Table from "./tbl/x86_64.ts";
import { buildTable, collectHandlers, type TableEntry } from "./table.ts";
import { FAMILIES } from "./families.gen.ts";

export { FAMILIES };

export interface TableOptions {
  /** CONFIG_HELLO_SYSCALL: false leaves 400/401 out (ENOSYS), as a kernel built without them. */
  hello?: boolean;
}

/** The riscv64 table: number → handler. */
export function riscv64Syscalls(opts: TableOptions = {}): Map<number, TableEntry> {
  return archSyscalls(riscv64Table, opts);
}

/** The x86-64 table: number → handler. */
export function x86_64Syscalls(opts: TableOptions = {}): Map<number, TableEntry> {
  return archSyscalls(x86_64Table, opts);
}

/** The architectures sysemu has a table for, by uname -m name. */
export type SyscallArch = "riscv64" | "x86_64";

/** The table of `arch`. */
export function syscallsFor(arch: SyscallArch, opts: TableOptions = {}): Map<number, TableEntry> {
  return archSyscalls(arch === "x86_64" ? x86_64Table : riscv64Table, opts);
}

function archSyscalls(text: string, opts: TableOptions): Map<number, TableEntry> {
  const table = buildTable(text, collectHandlers(FAMILIES));
  if (opts.hello === false) for (const [nr, e] of table) if (e.origin === "syscalls/hello.ts") table.delete(nr);
  return table;
}
