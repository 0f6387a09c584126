// An exception escaping a system call handler is sysemu's kernel oops: a bug in the kernel (or
// in a plug-in). As Linux does, the oops goes to the kernel log with the call and a stack
// trace, and the task that made the call dies (make_task_dead(SIGSEGV)); the emulator survives.

import { KERN_ALERT, KERN_EMERG } from "./printk.ts";
import { SIGSEGV } from "./signal/signal.ts";
import type { Task } from "./proc/task.ts";

export interface OopsReport {
  call: string;
  nr: number;
  origin: string;
  message: string;
}

/** Logs the oops, kills the calling task with SIGSEGV, and returns what happened. */
export function oops(t: Task, entry: { name: string; nr: number; origin: string }, e: unknown): OopsReport {
  const err = e instanceof Error ? e : new Error(String(e));
  const log = t.kernel.printk;
  log.printk(KERN_ALERT, `BUG: exception in system call ${entry.name} (${entry.nr}) from ${entry.origin}`);
  log.printk(KERN_EMERG, `Oops: ${err.name}: ${err.message} [#${t.kernel.oopsCount + 1}]`);
  log.printk(KERN_EMERG, `CPU: 0 PID: ${t.tid} Comm: ${t.comm} sysemu`);
  log.printk(KERN_EMERG, "Call Trace:");
  for (const line of (err.stack ?? "").split("\n").slice(1, 12)) log.printk(KERN_EMERG, ` ${line.trim()}`);
  log.printk(KERN_EMERG, "---[ end trace ]---");
  t.kernel.oopsCount++;
  const report = { call: entry.name, nr: entry.nr, origin: entry.origin, message: `${err.name}: ${err.message}` };
  t.kernel.reportOops(t, report);
  t.kernel.killBySignal(t, SIGSEGV, null, true);
  return report;
}
