// mknodat(2) (fs/namei.c do_mknodat, vfs_mknod): regular files, FIFOs and sockets by name.
// Device nodes need CAP_MKNOD; even with it sysemu refuses them (EPERM): a guest device node
// would have to open some host device or a devfs twin, and neither is worth the hazard.

import { EINVAL, EPERM } from "../errno.ts";
import { O_CREAT, O_EXCL, O_RDONLY } from "../fs/file.ts";
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK } from "../fs/stat.ts";
import type { Task } from "../proc/task.ts";
import { prepareCreate } from "./ops.ts";
import { newInodeAttr } from "./open.ts";

const CAP_MKNOD = 27n;

/** may_mknod: the file types mknod can make (0 means S_IFREG). */
function mayMknod(mode: number): number {
  switch (mode & S_IFMT) {
    case 0: case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK: return 0;
    case S_IFDIR: return -EPERM;
    default: return -EINVAL;
  }
}

/** mknodat(2): 0 or -errno. */
export function vfsMknod(t: Task, dirfd: number, path: string, mode: number, dev: number): number {
  const ok = mayMknod(mode);
  if (ok < 0) return ok;
  const c = prepareCreate(t, dirfd, path, false);
  if (typeof c === "number") return c;
  const type = mode & S_IFMT || S_IFREG;
  const attr = newInodeAttr(t, c.dir, type | (mode & 0o7777 & ~t.fs.umask));
  const dir = c.dir.inode;
  if (type === S_IFREG) {
    // vfs_create: the file system's create, or its atomic open with the file closed at once
    if (dir.create) {
      const r = dir.create(c.name, attr);
      return typeof r === "number" ? r : 0;
    }
    if (!dir.atomicOpen) return -EPERM;
    const f = dir.atomicOpen(t, c.dir, c.name, O_RDONLY | O_CREAT | O_EXCL, attr);
    if (typeof f === "number") return f;
    f.get().put();
    return 0;
  }
  if ((type === S_IFCHR || type === S_IFBLK) && !((t.cred.capEffective >> CAP_MKNOD) & 1n)) return -EPERM;
  if (type === S_IFCHR || type === S_IFBLK || !dir.mknod) return -EPERM;
  const r = dir.mknod(c.name, attr, BigInt(dev >>> 0));
  return typeof r === "number" ? r : 0;
}
