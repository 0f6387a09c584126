// mount(2) and umount2(2) (fs/namespace.c): the arguments copied in as Linux copies them, the
// target looked up (following a final symlink unless UMOUNT_NOFOLLOW), then the mount table
// (src/kernel/vfs/namespace.ts).

import { EFAULT, EINVAL } from "../src/kernel/errno.ts";
import { AT_FDCWD, lookupAt } from "../src/kernel/vfs/namei.ts";
import { doMount, doUmount, MNT_DETACH, MNT_EXPIRE, MNT_FORCE, UMOUNT_NOFOLLOW } from "../src/kernel/vfs/namespace.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { strncpy_from_user } from "../src/mm/uaccess.ts";
import { getname } from "./fs.ts";
import { defineSyscall } from "./types.ts";

const PAGE_SIZE = 4096;

/** copy_mount_string / copy_mount_options: NULL stays null; a string is cut at a page. */
function mountString(t: Task, p: number): string | null | number {
  if (p === 0) return null;
  const buf = new Uint8Array(PAGE_SIZE);
  const n = strncpy_from_user(t.mm, buf, p, PAGE_SIZE);
  if (n < 0) return -EFAULT;
  return new TextDecoder().decode(buf.subarray(0, Math.min(n, PAGE_SIZE - 1)));
}

/** mount(2) */
export const sys_mount = defineSyscall({
  name: "mount", args: ["str", "path", "str", "mount_flags", "str"],
  support: "partial", note: "tmpfs and proc; bind (MS_REC), remount (ro), MS_MOVE; propagation types shown, events not propagated",
  fn: (t, a) => {
    const type = mountString(t, a.ptr(2));
    if (typeof type === "number") return type;
    const dev = mountString(t, a.ptr(0));
    if (typeof dev === "number") return dev;
    const data = mountString(t, a.ptr(4));
    if (typeof data === "number") return data;
    const dir = getname(t, a.ptr(1));
    if (typeof dir === "number") return dir;
    const target = lookupAt(t, AT_FDCWD, dir, true);
    if (typeof target === "number") return target;
    return doMount(t, target, dev, type, a.uint(3) | 0, data, (p) => lookupAt(t, AT_FDCWD, p, true));
  },
});

/** umount2(2) */
export const sys_umount2 = defineSyscall({
  name: "umount2", args: ["path", "umount_flags"],
  fn: (t, a) => {
    const flags = a.int(1);
    if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return -EINVAL;
    const path = getname(t, a.ptr(0));
    if (typeof path === "number") return path;
    const target = lookupAt(t, AT_FDCWD, path, (flags & UMOUNT_NOFOLLOW) === 0);
    if (typeof target === "number") return target;
    return doUmount(t, target, flags);
  },
});
