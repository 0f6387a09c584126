// A wasm guest's system calls must finish before the import returns: its wasm stack cannot be
// set aside while the scheduler runs something else. So where an ELF task would sleep (a
// handler returned PARK) the whole emulator waits here, host-blocking until the scheduler's
// next deadline; with no deadline nothing could ever wake the only user task, and the call is
// interrupted (EINTR) instead of hanging. RETRY and restarts run the call again. (The WASI
// bridge's calls wait the same way through the kernel's runToEnd.)

import { EINTR } from "../kernel/errno.ts";
import { exitGroup } from "../kernel/proc/exit.ts";
import { deliverSignals, hasSignalWork } from "../kernel/signal/sigdeliver.ts";
import { doSyscall, sleepUntil } from "../kernel/syscall.ts";
import type { Task } from "../kernel/proc/task.ts";
import type { WasmRegs } from "./regs.ts";

const CLOCK_MONOTONIC = 1;

/** The linux.syscall import's core: the dispatcher, sleeps waited out, default signal actions. */
export function syscallToEnd(t: Task, regs: WasmRegs): bigint | null {
  for (;;) {
    regs.result = null;
    doSyscall(t);
    const k = t.kernel;
    let interrupted = false;
    while (t.state === "sleeping") {
      const d = k.sched.nextDeadline();
      if (d === null) {
        interrupted = true; // nothing can wake the only user task: interrupt the call
        k.sched.wake(t, "signal", 0);
      } else {
        sleepUntil(t, d);
        k.sched.expire(k.clock.now(CLOCK_MONOTONIC)!);
      }
    }
    if (interrupted && t.state === "running" && regs.result === null) {
      t.restart = 0;
      return BigInt(-EINTR);
    }
    if (t.state === "running" && hasSignalWork(t)) deliverSignals(t);
    if (t.state !== "running") return null;
    if (regs.result !== null) return regs.result;
    if (t.restart !== 0) {
      t.restart = 0;
      return BigInt(-EINTR);
    }
    // no result and nothing pending: the call asked to run again (RETRY, a restart)
  }
}

/** Ends the guest's process with exit status `code`, as exit_group(2) does (the caller traces it). */
export function exitGuest(t: Task, code: number): void {
  exitGroup(t, (code & 0xff) << 8);
}
