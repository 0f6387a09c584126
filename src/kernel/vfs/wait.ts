// How VFS calls wait (poll and select, a blocking /dev/kmsg read, a contended record lock, a
// read of a host pipe or terminal): through the scheduler's waitOrPark, which parks the task on
// the kernel's poll queue (the caller returns PARK, up to the dispatcher) and runs the call
// again when it wakes, so that other tasks run meanwhile. Host descriptors change without telling anyone: such sleeps look again now and then.
// Code before a wait must be safe to run twice (the call restarts from its beginning).

import { waitOrPark } from "../proc/sched.ts";
import type { Task } from "../proc/task.ts";

export type WaitResult = "ready" | "timeout" | "signal" | "sleep";

/**
 * "ready" once ready() holds, "timeout" when the CLOCK_MONOTONIC deadline (ns, fixed at the
 * call's first run; null: none) has passed, "signal" when one is pending; otherwise "sleep":
 * the caller returns PARK at once, and the call runs again when the task wakes.
 */
export function waitEvent(t: Task, ready: () => boolean, deadlineNs: bigint | null): WaitResult {
  return waitOrPark(t, ready, deadlineNs);
}
