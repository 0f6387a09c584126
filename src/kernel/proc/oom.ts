// The OOM killer, reduced to what one emulated machine needs: when no frame is left for the
// task that asked, that task's process is killed with SIGKILL and the kernel log says so, as
// Linux's "Out of memory: Killed process N (comm)".

import { KERN_ERR } from "../printk.ts";
import { SIGKILL } from "../signal/signal.ts";
import type { Task } from "./task.ts";

/** Kills t's process for want of memory. */
export function oomKill(t: Task): void {
  t.kernel.printk.printk(KERN_ERR, `Out of memory: Killed process ${t.tgid} (${t.comm})`);
  t.kernel.killBySignal(t, SIGKILL, null);
}
