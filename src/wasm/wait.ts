// A wasm guest's system calls must finish before the import returns: its wasm stack cannot be
// set aside while the scheduler runs something else. So where an ELF task would sleep (a
// handler returned PARK) the whole emulator waits here, host-blocking until the sleep's
// deadline; with no deadline nothing could ever wake the only user task, and the call is
// interrupted (EINTR) instead of hanging. RETRY and restarts run the call again.

import { EINTR } from "../kernel/errno.ts";
import { exitGroup } from "../kernel/proc/exit.ts";
import { sleepMs } from "../kernel/fs/hostfile.ts";
import { deliverSignals, hasSignalWork } from "../kernel/signal/sigdeliver.ts";
import { SyscallPark } from "../kernel/proc/sched.ts";
import { doSyscall } from "../kernel/syscall.ts";
import { isRestart, PARK, RETRY } from "../kernel/sysret.ts";
import type { Task } from "../kernel/proc/task.ts";
import type { WasmRegs } from "./regs.ts";

const CLOCK_MONOTONIC = 1;

/** Blocks the host thread until CLOCK_MONOTONIC reaches `deadline` (ns). */
function sleepUntil(t: Task, deadline: bigint): void {
  for (;;) {
    const now = t.kernel.clock.now(CLOCK_MONOTONIC)!;
    if (now >= deadline) return;
    sleepMs(Math.min(Number((deadline - now) / 1_000_000n) + 1, 1000));
  }
}

/** Runs the handler call `run` to its end (PARK waited out, RETRY rerun): its result or -errno. */
export function runToEnd(t: Task, run: () => number): number {
  let r = parked(t, run);
  while (r === PARK || r === RETRY) {
    if (r === PARK) {
      const s = t.sleepRequest;
      t.sleepRequest = null;
      if (!s || s.deadline === null) {
        r = -EINTR;
        break;
      }
      sleepUntil(t, s.deadline);
      r = s.resume("timeout", 0);
    }
    if (r === RETRY) {
      t.blockState?.retry?.(); // as the dispatcher does before running a call again
      r = parked(t, run);
    }
  }
  t.blockState = null; // the call is complete (finishSyscall's job, which this path bypasses)
  return isRestart(r) ? -EINTR : r;
}

/** Runs a handler; a wait deep inside it (the VFS's waitEvent throws SyscallPark) is PARK. */
function parked(t: Task, run: () => number): number {
  try {
    return run();
  } catch (e) {
    if (e instanceof SyscallPark && t.sleepRequest) return PARK;
    throw e;
  }
}

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
