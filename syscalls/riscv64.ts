// riscv's own system calls (arch/riscv/kernel/sys_riscv.c, sys_hwprobe.c): riscv_hwprobe and
// riscv_flush_icache. Only syscalls/tbl/riscv64.ts binds them.

import { EFAULT, EINVAL } from "../src/kernel/errno.ts";
import { copy_to_user, copy_from_user } from "../src/mm/uaccess.ts";
import { TASK_SIZE } from "../src/mm/mm.ts";
import { TIMEBASE_HZ } from "../src/kernel/time/clock.ts";
import { defineSyscall } from "./types.ts";

// riscv_hwprobe keys and the values a RV64GC + Zba/Zbb/Zbs machine answers.
const HWPROBE: ReadonlyMap<bigint, bigint> = new Map([
  [0n, 0n],                 // MVENDORID
  [1n, 0n],                 // MARCHID
  [2n, 0n],                 // MIMPID
  [3n, 1n],                 // BASE_BEHAVIOR: IMA
  [4n, (1n << 0n) | (1n << 1n) | (1n << 3n) | (1n << 4n) | (1n << 5n)], // IMA_EXT_0: FD, C, ZBA, ZBB, ZBS
  [5n, 3n],                 // CPUPERF_0: misaligned accesses FAST (the interpreter does them directly)
  [6n, 0n],                 // ZICBOZ_BLOCK_SIZE: no Zicboz
  [7n, BigInt(TASK_SIZE - 1)], // HIGHEST_VIRT_ADDRESS
  [8n, BigInt(TIMEBASE_HZ)],   // TIME_CSR_FREQ
  [9n, 3n],                 // MISALIGNED_SCALAR_PERF: FAST
]);

/** riscv_hwprobe(2): answers each key; unknown keys get key = -1, value = 0 as Linux does. */
export const sys_riscv_hwprobe = defineSyscall({
  name: "riscv_hwprobe", args: ["ptr", "size", "size", "ptr", "uint"],
  fn: (t, a) => {
    const [pairs, count, flags] = [a.ptr(0), a.size(1), a.uint(4)];
    if (flags !== 0 || count > 1 << 16) return -EINVAL;
    const raw = new Uint8Array(count * 16);
    if (copy_from_user(t.mm, raw, pairs, raw.length)) return -EFAULT;
    const v = new DataView(raw.buffer);
    for (let i = 0; i < count; i++) {
      const key = v.getBigInt64(i * 16, true);
      const val = HWPROBE.get(key);
      v.setBigInt64(i * 16, val === undefined ? -1n : key, true);
      v.setBigUint64(i * 16 + 8, val ?? 0n, true);
    }
    return copy_to_user(t.mm, pairs, raw) ? -EFAULT : 0;
  },
});

/** riscv_flush_icache(2): drops decoded instructions so rewritten code is seen. */
export const sys_riscv_flush_icache = defineSyscall({
  name: "riscv_flush_icache", args: ["ptr", "ptr", "ulong"],
  fn: (t, a) => {
    if (a.ulong(2) & ~1n) return -EINVAL;
    t.regs.flushIcache();
    return 0;
  },
});
