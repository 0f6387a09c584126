// memfd_create (mm/memfd.c): an anonymous file in memory. It is a tmpfs file that was never
// linked anywhere: it has a size, takes read/write/ftruncate and shared mappings like any tmpfs
// file, and goes away with its last reference. /proc shows it as "/memfd:NAME (deleted)".

import { OpenFile, O_RDWR } from "./file.ts";
import { S_IFREG } from "./stat.ts";
import type { Task } from "../proc/task.ts";
import { Dentry } from "../vfs/dentry.ts";
import { TmpFs, TmpNode } from "../vfs/tmpfs.ts";

/** A new memfd named `name`, open read-write. */
export function memfdFile(t: Task, name: string): OpenFile | number {
  const sb = (t.kernel.shmMnt ??= new TmpFs(0o1777)); // each kernel's memfds share one tmpfs
  const node = new TmpNode(sb, { mode: S_IFREG | 0o777, uid: t.cred.fsuid, gid: t.cred.fsgid });
  node.nlink = 0;
  const mnt = t.kernel.vfs.mounts.get("/dev/shm") ?? [...t.kernel.vfs.mounts.values()][0]!;
  return node.open(t, new Dentry(`memfd:${name}`, null, node, mnt, `/memfd:${name}`), O_RDWR);
}
