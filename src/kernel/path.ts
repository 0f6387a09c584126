// Guest paths for callers that need a host file (exec reads a program's bytes with Node): the
// lookup is the VFS's own walk (src/kernel/vfs/namei.ts), so --root, --sysroot and symlinks
// resolve exactly as for open(2). Prefer src/kernel/vfs/exec-file.ts, which also reads files
// that do not live on the host (tmpfs, /proc).

import { EACCES } from "./errno.ts";
import type { Task } from "./task.ts";
import { HostInode } from "./vfs/hostfs.ts";
import { AT_FDCWD, lookupAt } from "./vfs/namei.ts";

export { AT_FDCWD };

/** The host path of the file `path` names relative to dirfd, or -errno (EACCES: not on the host). */
export function resolveAt(t: Task, dirfd: number, path: string, follow = true): string | number {
  const d = lookupAt(t, dirfd, path, follow);
  if (typeof d === "number") return d;
  return d.inode instanceof HostInode ? d.inode.host : -EACCES;
}
