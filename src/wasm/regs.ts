// A wasm task's "registers": the syscall frame the kernel's dispatcher reads and writes.
//
// A wasm guest never traps into the kernel: it calls an import. The linux.syscall import fills
// this frame and calls the same dispatcher an ecall reaches (src/kernel/syscall.ts), so strace,
// statistics, oops handling and exit work unchanged. There is no instruction stream to run or
// restart, no signal frame: ArchRegs' optional parts are left out. A call that must run again
// (RETRY, a restart) leaves `result` null, and the import runs it again (wait.ts).

import type { MM } from "../mm/mm.ts";
import type { ArchRegs, Trap } from "../kernel/trap/arch.ts";

export class WasmRegs implements ArchRegs {
  private nr = 0;
  private readonly args = new BigInt64Array(6);
  /** The dispatcher's result for the last call (null: the task did not return, e.g. exit). */
  result: bigint | null = null;
  pc = 0;
  sp = 0n;
  tp = 0n;

  /** Loads a system call into the frame. */
  load(nr: number, args: readonly bigint[]): void {
    this.nr = nr;
    for (let i = 0; i < 6; i++) this.args[i] = args[i] ?? 0n;
    this.result = null;
  }

  run(_budget: number): Trap {
    // A wasm task runs by calling its _start export (src/wasm/run.ts), never by the run loop.
    return { kind: "fault", signal: 4 /* SIGILL */, code: 0, addr: 0n };
  }
  /**
   * The task's CPU time in the kernel's unit (instructions at a nominal 1 GHz, i.e. ns): a wasm
   * guest runs as host code, so the host CPU time sysemu has used since the task began is the
   * truthful figure for its CPU-time clocks, getrusage and times.
   */
  get instret(): number {
    const u = process.cpuUsage(this.cpuAtStart);
    return (u.user + u.system) * 1000;
  }
  private readonly cpuAtStart = process.cpuUsage();
  syscallNr(): number {
    return this.nr;
  }
  syscallArgs(out: BigInt64Array): void {
    out.set(this.args);
  }
  syscallReturn(value: bigint): void {
    this.result = value;
  }
  flushIcache(): void {}
  clone(_mm: MM): ArchRegs {
    const r = new WasmRegs();
    r.load(this.nr, [...this.args]);
    return r;
  }
}
