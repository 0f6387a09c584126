// A wasm task's syscall table: the ELF table less what needs an address space or a CPU that a
// wasm guest does not have. Those entries stay (strace still names them) but return ENOSYS:
// brk/mmap cannot add memory a module can address (it grows with memory.grow), and fork,
// execve or a signal handler cannot copy, replace or interrupt a running wasm instance (so
// signals act by their default action only).

import { ENOSYS } from "../kernel/errno.ts";
import type { TableEntry } from "../../syscalls/table.ts";

/** System calls that return ENOSYS for a wasm guest. */
export const WASM_ENOSYS: ReadonlySet<string> = new Set([
  "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "msync", "mlock", "munlock", "mlockall",
  "munlockall", "mincore", "remap_file_pages", "clone", "clone3", "execve", "execveat", "rt_sigreturn",
  "riscv_flush_icache", "process_vm_readv", "process_vm_writev", "fork", "vfork", "rt_sigaction", "sigaltstack",
]);

const NOTE = "not for wasm guests: linear memory is the whole address space, and an instance cannot be copied";

/** A copy of `table` for a wasm task. */
export function wasmTable(table: ReadonlyMap<number, TableEntry>): Map<number, TableEntry> {
  const out = new Map<number, TableEntry>();
  for (const [nr, e] of table) {
    if (!WASM_ENOSYS.has(e.name)) out.set(nr, e);
    else out.set(nr, { ...e, def: { ...e.def, fn: () => -ENOSYS, support: "partial", note: NOTE } });
  }
  return out;
}
