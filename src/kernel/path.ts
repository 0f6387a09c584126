// Turning a guest path into a host path. For now the guest sees the host's file system from
// its root, as qemu-user does; the mount table and --root confinement replace this later.

import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { EBADF, ENOENT, ENOTDIR } from "./errno.ts";
import type { Task } from "./task.ts";
import type { HostFileData } from "./hostfile.ts";

export const AT_FDCWD = -100;

/** The host path for `path` relative to `dirfd` (AT_FDCWD = the task's cwd), or -errno. */
export function resolveAt(t: Task, dirfd: number, path: string): string | number {
  if (path === "") return -ENOENT;
  if (isAbsolute(path)) return withSysroot(t.kernel.sysroot, resolve(path));
  if (dirfd === AT_FDCWD) return resolve(t.fs.cwd, path);
  const f = t.files.get(dirfd);
  if (!f) return -EBADF;
  const d = f.data as HostFileData | null;
  if (!d || !d.isDir) return -ENOTDIR;
  return resolve(f.path, path);
}

/**
 * qemu-user's -L rule, which --sysroot follows: an absolute path that exists under the sysroot
 * is taken from there (the guest's ld.so, libc.so.6 ...), any other from the host.
 */
function withSysroot(sysroot: string | null, path: string): string {
  if (!sysroot) return path;
  const inside = join(sysroot, path);
  return existsSync(inside) ? inside : path;
}
