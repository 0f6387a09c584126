// poll(2) event bits (include/uapi/asm-generic/poll.h) and a file's readiness.

import type { OpenFile } from "../fs/file.ts";
import type { Task } from "../proc/task.ts";

export const POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
export const POLLRDNORM = 0x40, POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200, POLLRDHUP = 0x2000;

/** DEFAULT_POLLMASK: a file without a poll operation is always readable and writable. */
export const DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

/** vfs_poll: the events ready on f now. */
export function filePoll(f: OpenFile, t: Task): number {
  return f.ops.poll ? f.ops.poll(f, t) : DEFAULT_POLLMASK;
}
