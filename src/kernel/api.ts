// What a system call handler gets besides its task and arguments: the kernel's public API,
// the same for built-in handlers (syscalls/hello.ts) and for plug-ins loaded with
// `sysemu run --syscalls FILE`, which cannot import sysemu's modules by path.

import { u64_to_user_ptr } from "../../syscalls/args.ts";
import * as uaccess from "../mm/uaccess.ts";
import * as errno from "./errno.ts";
import { KERN_DEBUG, KERN_ERR, KERN_INFO, KERN_WARNING } from "./printk.ts";
import type { Task } from "./proc/task.ts";

export const kernelApi = {
  ...uaccess,
  errno,
  /** u64_to_user_ptr(): a pointer field read from a user struct, ready for the uaccess helpers. */
  u64_to_user_ptr,
  /** pr_info() and friends: write a line to the kernel log (see `sysemu run --dmesg`). */
  pr_info: (t: Task, text: string) => t.kernel.printk.printk(KERN_INFO, text),
  pr_warn: (t: Task, text: string) => t.kernel.printk.printk(KERN_WARNING, text),
  pr_err: (t: Task, text: string) => t.kernel.printk.printk(KERN_ERR, text),
  pr_debug: (t: Task, text: string) => t.kernel.printk.printk(KERN_DEBUG, text),
  /** get_random_bytes(): the kernel's random source (reproducible under --seed). */
  get_random_bytes: (t: Task, n: number) => t.kernel.random.bytes(n),
};

export type KernelApi = typeof kernelApi;
