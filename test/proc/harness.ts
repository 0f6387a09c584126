// A kernel without a CPU for unit tests of the process machinery: tasks whose "registers"
// record what the kernel would return to them, over real address spaces.

import { FileTable } from "../../src/kernel/fs/file.ts";
import { Kernel } from "../../src/kernel/kernel.ts";
import { riscv64Abi } from "../../syscalls/abi/riscv64/index.ts";
import { credFor, type Task } from "../../src/kernel/proc/task.ts";
import type { ArchRegs, Trap } from "../../src/kernel/trap/arch.ts";
import { MM, PROT_READ, PROT_WRITE } from "../../src/mm/mm.ts";

/** Registers that never run and keep the last system call result. */
export class RecordingRegs implements ArchRegs {
  pc = 0;
  sp = 0n;
  tp = 0n;
  readonly instret = 0;
  /** What the last completed call returned (null: none since the last reset). */
  result: bigint | null = null;
  run(): Trap {
    throw new Error("RecordingRegs do not run");
  }
  syscallNr(): number {
    return 0;
  }
  syscallArgs(): void {}
  syscallReturn(value: bigint): void {
    this.result = value;
  }
  flushIcache(): void {}
  clone(): ArchRegs {
    return new RecordingRegs();
  }
}

/** Where test tasks have read-write memory. */
export const DATA = 0x10000;

/** A kernel with no system call table. */
export function testKernel(): Kernel {
  return new Kernel({ table: new Map(), abi: riscv64Abi });
}

/** A new process (a child of init) with 64 KiB of memory at DATA, running as `uid`. */
export function testTask(k: Kernel, uid = 1000): Task {
  const mm = new MM();
  mm.mapFixed(DATA, 0x10000, PROT_READ | PROT_WRITE);
  return k.spawn(mm, new RecordingRegs(), new FileTable(), { cwd: "/", root: "/", umask: 0o22 }, credFor(uid, uid));
}

/** The value the task's last completed call returned. */
export function result(t: Task): number | null {
  const r = (t.regs as RecordingRegs).result;
  return r === null ? null : Number(r);
}
