// The `linux` import module: `syscall(nr, a0..a5: i64) -> i64`, a raw Linux system call from
// a wasm guest (the contract is in samples/src/wasm/linux_syscall.h). The call goes through
// the kernel's own dispatcher with the task's syscall frame (regs.ts): the same table (riscv64
// numbers), strace lines, statistics and oops handling as an ecall from an ELF guest.
// Pointers are offsets into the module's linear memory; past its end they are EFAULT.

import { EINTR } from "../kernel/errno.ts";
import type { WasmGuest } from "./guest.ts";
import type { WasmRegs } from "./regs.ts";
import { syscallToEnd } from "./wait.ts";

/** Numbers the table cannot hold: any value past this reaches no handler (ENOSYS). */
const NR_MAX = 0x7fffffff;

/** The import object's `linux` member for one guest. */
export function linuxImports(g: WasmGuest, regs: WasmRegs): Record<string, (...a: unknown[]) => bigint> {
  return {
    syscall: (nr, ...args) => {
      g.enter("syscall");
      const n = typeof nr === "bigint" && nr >= 0n && nr <= BigInt(NR_MAX) ? Number(nr) : NR_MAX;
      regs.load(n, args.map((v) => (typeof v === "bigint" ? v : 0n)));
      const r = syscallToEnd(g.t, regs);
      g.leaveIfDead();
      return r ?? BigInt(-EINTR);
    },
  };
}
