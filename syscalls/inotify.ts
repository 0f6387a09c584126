// inotify system calls (fs/notify/inotify/inotify_user.c): inotify_init1 (and x86-64's
// inotify_init), inotify_add_watch, inotify_rm_watch. The descriptor and its watches are
// src/kernel/fs/inotify.ts; the VFS's events come through src/kernel/fs/fsnotify.ts.

import { EBADF, EINVAL, ENOTDIR } from "../src/kernel/errno.ts";
import { O_CLOEXEC, O_NONBLOCK } from "../src/kernel/fs/file.ts";
import { inodeKey } from "../src/kernel/fs/fsnotify.ts";
import { IN_ALL_EVENTS, IN_DONT_FOLLOW, IN_EXCL_UNLINK, IN_MASK_ADD, IN_MASK_CREATE, IN_ONESHOT, IN_ONLYDIR, inotifyFile, inotifyOf } from "../src/kernel/fs/inotify.ts";
import { S_IFDIR, S_IFMT } from "../src/kernel/fs/stat.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { lookupAt } from "../src/kernel/vfs/namei.ts";
import { inodePermission, MAY_READ } from "../src/kernel/vfs/perm.ts";
import { encodeInotifyEvent } from "./abi/uapi-new.ts";
import { getname } from "./fs.ts";
import { defineSyscall } from "./types.ts";

/** ALL_INOTIFY_BITS: the events and the flags inotify_add_watch takes. */
const ALL_INOTIFY_BITS = IN_ALL_EVENTS | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ONESHOT | 0x40000000 /* IN_ISDIR */ | 0x2000 | 0x4000 | 0x8000;

function init(t: Task, flags: number): number {
  if (flags & ~(O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  const f = inotifyFile(t, flags, encodeInotifyEvent);
  const fd = t.files.install(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) f.get().put();
  return fd;
}

/** inotify_init1(2): IN_NONBLOCK and IN_CLOEXEC are O_NONBLOCK and O_CLOEXEC. */
export const sys_inotify_init1 = defineSyscall({ name: "inotify_init1", args: ["oflags"], ret: "fd", fn: (t, a) => init(t, a.int(0)) });

/** inotify_init(2) (x86-64) */
export const sys_inotify_init = defineSyscall({ name: "inotify_init", args: [], ret: "fd", fn: (t) => init(t, 0) });

/** inotify_add_watch(2): the watch descriptor of the inode at `path` (the same one again for the same inode). */
export const sys_inotify_add_watch = defineSyscall({
  name: "inotify_add_watch", args: ["fd", "path", "hex"],
  fn: (t, a) => {
    const mask = a.uint(2);
    if (!(mask & IN_ALL_EVENTS)) return -EINVAL;
    if (mask & IN_MASK_ADD && mask & IN_MASK_CREATE) return -EINVAL;
    if (mask & ~ALL_INOTIFY_BITS) return -EINVAL;
    const f = t.files.get(a.fd(0));
    if (!f) return -EBADF;
    const g = inotifyOf(f);
    if (!g) return -EINVAL;
    const path = getname(t, a.ptr(1));
    if (typeof path === "number") return path;
    const d = lookupAt(t, -100, path, (mask & IN_DONT_FOLLOW) === 0);
    if (typeof d === "number") return d;
    if (mask & IN_ONLYDIR && (d.inode.mode & S_IFMT) !== S_IFDIR) return -ENOTDIR;
    const perm = inodePermission(t.cred, d.inode, MAY_READ);
    if (perm < 0) return perm;
    const key = inodeKey(d.inode);
    if (key === null) return -EINVAL;
    return g.addWatch(key, mask);
  },
});

/** inotify_rm_watch(2): IN_IGNORED is queued for the watch. */
export const sys_inotify_rm_watch = defineSyscall({
  name: "inotify_rm_watch", args: ["fd", "int"],
  fn: (t, a) => {
    const f = t.files.get(a.fd(0));
    if (!f) return -EBADF;
    const g = inotifyOf(f);
    return g ? g.rmWatch(a.int(1)) : -EINVAL;
  },
});
