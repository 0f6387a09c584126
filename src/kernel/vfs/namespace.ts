// mount(2) and umount2(2) on the mount table (fs/namespace.c path_mount, do_loopback,
// do_remount, do_reconfigure_mnt, do_change_type, do_new_mount, path_umount). sysemu has one
// mount namespace per kernel, which is what a guest in `unshare -m` sees: its mounts are its
// own and nothing reaches the host. Mounts and umounts under a shared mount propagate to its
// peers and slaves (pnode.ts).

import { EAGAIN, EBUSY, EINVAL, ELOOP, ENODEV, ENOTDIR, EPERM } from "../errno.ts";
import { S_IFDIR, S_IFMT } from "../fs/stat.ts";
import { CAP_SYS_ADMIN, capable, type Task } from "../proc/task.ts";
import {
  Dentry, Mount, MS_NOATIME, MS_NODEV, MS_NODIRATIME, MS_NOEXEC, MS_NOSUID, MS_NOSYMFOLLOW, MS_RDONLY, MS_RELATIME, MS_STRICTATIME, SuperState,
} from "./dentry.ts";
import type { Inode } from "./inode.ts";
import type { Vfs } from "./mount.ts";
import { copyType, orphanSlaves, rebase, receivers, translate, umountVictims } from "./pnode.ts";
import { ProcFs } from "./proc/root.ts";
import { TmpFs } from "./tmpfs.ts";

export const MS_REMOUNT = 32, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768;
export const MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20;
const MS_NOUSER = 1 << 31;
const MS_MGC_MSK = 0xffff0000, MS_MGC_VAL = 0xc0ed0000;
const PROPAGATION = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;
const ATIME_MASK = MS_NOATIME | MS_NODIRATIME | MS_RELATIME;
export const MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

/** may_mount: CAP_SYS_ADMIN (in the only user namespace there is). */
function mayMount(t: Task): boolean {
  return capable(t.cred, CAP_SYS_ADMIN);
}

/** path_mounted: d is the root of the mount it is in (a mount point as the walk found it). */
function mountedAt(t: Task, d: Dentry): Mount | null {
  const m = t.kernel.vfs.mounts.get(d.path);
  return m && m === d.mnt && d.inode === m.root ? m : null;
}

const isDirInode = (d: Dentry): boolean => (d.inode.mode & S_IFMT) === S_IFDIR;

/** The mounts at or below path (a subtree of the table), visible ones, parents first. */
function subtree(vfs: Vfs, path: string): Mount[] {
  const prefix = path === "/" ? "/" : path + "/";
  return vfs.all.filter((m) => m.path === path || m.path.startsWith(prefix));
}

/** The mount flags a mount(2) asks for (path_mount's mnt_flags): relatime unless told otherwise. */
function mntFlags(flags: number, old: Mount | null): number {
  let f = flags & MS_NOATIME ? 0 : MS_RELATIME;
  f |= flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RDONLY | MS_NOSYMFOLLOW);
  if (flags & MS_STRICTATIME) f &= ~(MS_RELATIME | MS_NOATIME);
  // a remount keeps the atime flags unless it names one
  if (old && (flags & MS_REMOUNT) && (flags & (ATIME_MASK | MS_STRICTATIME)) === 0) f = (f & ~ATIME_MASK) | (old.flags & ATIME_MASK);
  return f;
}

/** A peer group id nobody uses yet (mnt_group_id). */
function newGroup(vfs: Vfs): number {
  return Math.max(0, ...vfs.all.map((m) => m.group)) + 1;
}

/** Puts m in the table; under a shared parent it becomes shared itself, in a new group. */
function attach(vfs: Vfs, m: Mount): void {
  vfs.attach(m);
  const parent = vfs.all.find((p) => p.id === m.parentId);
  if (parent?.propagation === "shared" && m.propagation !== "shared") {
    m.propagation = "shared";
    m.group = newGroup(vfs);
  }
}

/**
 * clone_mnt: a bind mount at `path` of `inode`, found at `rel` below the root of mount `from`
 * ("" for that root itself), in from's peer group.
 */
function cloneMount(vfs: Vfs, from: Mount, inode: Inode, rel: string, path: string): Mount {
  const root = from.rootPath === "/" ? rel || "/" : from.rootPath + rel;
  const m = new Mount(path, inode.sb, inode, from.source, vfs.newId(), 0, from.flags, from.sup, root);
  if (from.propagation === "shared" || from.propagation === "slave") {
    m.propagation = from.propagation;
    m.group = from.group;
    m.master = from.master;
  }
  return m;
}

/**
 * attach_recursive_mnt: the tree (its root first, at `path`) goes on dest, and a copy of it on
 * each mount that receives from dest (propagate_mnt). The receivers are found before the tree
 * is in: its own mounts may be peers of dest, but Linux skips mounts not yet attached.
 */
function graft(vfs: Vfs, dest: Mount, path: string, tree: Mount[]): void {
  const rx = receivers(vfs, dest);
  for (const m of tree) attach(vfs, m);
  // the copies each peer group took, so that a group's later members take theirs from them
  const byGroup = new Map<number, Mount[]>([[dest.group, tree]]);
  for (const r of rx) {
    const at = translate(dest, path, r);
    if (at === null || vfs.mountOf(at) !== r) continue;
    const shared = r.propagation === "shared";
    const peers = shared ? byGroup.get(r.group) : undefined;
    const from = peers ?? byGroup.get(r.master);
    if (!from) continue;
    const copies = from.map((s) => {
      const c = cloneMount(vfs, s, s.root, "", rebase(s.path, path, at));
      copyType(c, s, peers !== undefined, shared, () => newGroup(vfs));
      attach(vfs, c);
      return c;
    });
    if (shared && !byGroup.has(r.group)) byGroup.set(r.group, copies);
  }
}

/** do_loopback: MS_BIND (with MS_REC, the mounts below src come along, unbindable ones left out). */
function bindMount(t: Task, target: Dentry, src: Dentry, recurse: boolean): number {
  const vfs = t.kernel.vfs;
  if (src.mnt.propagation === "unbindable") return -EINVAL;
  if (isDirInode(src) !== isDirInode(target)) return -ENOTDIR;
  const below = recurse ? subtree(vfs, src.path).filter((m) => m.path !== src.path && vfs.mounts.get(m.path) === m && m.propagation !== "unbindable") : [];
  const rel = src.path === src.mnt.path ? "" : src.path.slice(src.mnt.path === "/" ? 0 : src.mnt.path.length);
  const tree = [cloneMount(vfs, src.mnt, src.inode, rel, target.path)];
  for (const m of below) {
    const at = (target.path === "/" ? "" : target.path) + m.path.slice(src.path === "/" ? 0 : src.path.length);
    tree.push(cloneMount(vfs, m, m.root, "", at));
  }
  graft(vfs, target.mnt, target.path, tree);
  return 0;
}

/** do_change_type: one propagation type for the mount at target (and with MS_REC those below). */
function changeType(t: Task, target: Dentry, flags: number): number {
  const vfs = t.kernel.vfs;
  const m = mountedAt(t, target);
  if (!m) return -EINVAL;
  const type = flags & ~(MS_REC | MS_SILENT);
  if (type !== MS_SHARED && type !== MS_PRIVATE && type !== MS_SLAVE && type !== MS_UNBINDABLE) return -EINVAL;
  const group = type === MS_SHARED ? newGroup(vfs) : 0;
  for (const x of flags & MS_REC ? subtree(vfs, m.path) : [m]) {
    if (type === MS_SHARED) {
      if (x.propagation !== "shared") [x.propagation, x.group] = ["shared", group];
    } else if (type === MS_SLAVE) {
      // do_make_slave: the peers become the master; with none, what it had (or nothing)
      const peers = x.propagation === "shared" && vfs.all.some((o) => o !== x && o.group === x.group);
      if (peers) [x.master, x.group, x.propagation] = [x.group, 0, "slave"];
      else if (x.propagation === "shared") [x.group, x.propagation] = [0, x.master ? "slave" : "private"];
    } else {
      [x.propagation, x.group, x.master] = [type === MS_PRIVATE ? "private" : "unbindable", 0, 0];
    }
  }
  // a peer group nobody is in any more leaves its slaves without a master: private again
  for (const x of vfs.all) {
    if (x.propagation === "slave" && !vfs.all.some((o) => o.propagation === "shared" && o.group === x.master)) [x.propagation, x.master] = ["private", 0];
  }
  return 0;
}

/** do_move_mount_old: the mount at src, with everything below it, to target. */
function moveMount(t: Task, target: Dentry, src: Dentry): number {
  const vfs = t.kernel.vfs;
  const m = mountedAt(t, src);
  if (!m || m.path === "/" || isDirInode(src) !== isDirInode(target)) return -EINVAL;
  if (vfs.all.find((p) => p.id === m.parentId)?.propagation === "shared") return -EINVAL; // a mount in a shared parent stays
  if (target.path === m.path || target.path.startsWith(m.path + "/")) return -ELOOP;
  vfs.move(m, target.path);
  return 0;
}

/** do_new_mount: a new tmpfs or proc at target. */
function newMount(t: Task, target: Dentry, dev: string | null, type: string | null, flags: number, data: string | null): number {
  const vfs = t.kernel.vfs;
  if (!type) return -EINVAL;
  const opts = (data ?? "").split(",").filter((x) => x);
  let sb: TmpFs | ProcFs;
  let root;
  let fsOpts = "";
  if (type === "tmpfs") {
    const mode = opts.find((o) => o.startsWith("mode="));
    const m = mode ? parseInt(mode.slice(5), 8) : 0o1777;
    if (Number.isNaN(m)) return -EINVAL;
    sb = new TmpFs(m & 0o7777);
    root = sb.rootNode;
    const size = opts.find((o) => o.startsWith("size="));
    fsOpts = [size ? `size=${tmpfsSize(size.slice(5))}k` : "", (m & 0o7777) !== 0o1777 ? `mode=${(m & 0o7777).toString(8).padStart(3, "0")}` : ""]
      .filter((x) => x)
      .join(",");
  } else if (type === "proc") {
    sb = new ProcFs();
    root = sb.rootInode;
  } else {
    return -ENODEV;
  }
  if (!isDirInode(target)) return -ENOTDIR;
  const sup = new SuperState(fsOpts);
  sup.ro = (flags & MS_RDONLY) !== 0;
  graft(vfs, target.mnt, target.path, [new Mount(target.path, sb, root, dev ?? "none", vfs.newId(), 0, mntFlags(flags, null), sup)]);
  return 0;
}

/** tmpfs's size= in KiB as it shows it: a byte count, k/m/g, rounded up to whole pages. */
function tmpfsSize(text: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(text);
  if (!m) return 0;
  const bytes = Number(m[1]) * { "": 1, k: 1024, m: 1 << 20, g: 1 << 30 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"]!;
  return Math.ceil(bytes / 4096) * 4;
}

/**
 * path_mount for a target the walk found: the checks and the kind of mount in Linux's order.
 * `lookupSrc` resolves the source path for MS_BIND (ENOENT and the like come from it).
 */
export function doMount(t: Task, target: Dentry, dev: string | null, type: string | null, flags: number, data: string | null, lookupSrc: (p: string) => Dentry | number): number {
  if ((flags & MS_MGC_MSK) >>> 0 === MS_MGC_VAL) flags &= ~MS_MGC_MSK;
  if (flags & MS_NOUSER) return -EINVAL;
  if (!mayMount(t)) return -EPERM;
  if ((flags & (MS_REMOUNT | MS_BIND)) === (MS_REMOUNT | MS_BIND)) {
    // do_reconfigure_mnt: the mount's own flags, the super block untouched
    const m = mountedAt(t, target);
    if (!m) return -EINVAL;
    m.flags = mntFlags(flags, m);
    return 0;
  }
  if (flags & MS_REMOUNT) {
    const m = mountedAt(t, target);
    if (!m) return -EINVAL;
    m.sup.ro = (flags & MS_RDONLY) !== 0;
    m.flags = mntFlags(flags, m);
    return 0;
  }
  if (flags & MS_BIND) {
    if (!dev) return -EINVAL;
    const src = lookupSrc(dev);
    if (typeof src === "number") return src;
    return bindMount(t, target, src, (flags & MS_REC) !== 0);
  }
  if (flags & PROPAGATION) return changeType(t, target, flags);
  if (flags & MS_MOVE) {
    if (!dev) return -EINVAL;
    const src = lookupSrc(dev);
    if (typeof src === "number") return src;
    return moveMount(t, target, src);
  }
  return newMount(t, target, dev, type, flags, data);
}

/** Whether a task still uses m: an open file, a working directory in it, or a mount below it. */
function busy(t: Task, m: Mount): boolean {
  const vfs = t.kernel.vfs;
  if (vfs.all.some((o) => o !== m && o.parentId === m.id)) return true;
  for (const task of t.kernel.tasks.values()) {
    if (task.state === "dead") continue;
    if (task.files.entries().some(([, f]) => f.dentry?.mnt === m)) return true;
    const pwd = task.fs.pwd;
    if (pwd && pwd.current().mnt === m) return true;
  }
  return false;
}

const expiring = new WeakSet<Mount>();

/** path_umount: the mount at target goes (with MNT_DETACH, at once, with everything below it). */
export function doUmount(t: Task, target: Dentry, flags: number): number {
  if (!mayMount(t)) return -EPERM;
  const m = mountedAt(t, target);
  if (!m) return -EINVAL;
  if (flags & MNT_EXPIRE && flags & (MNT_FORCE | MNT_DETACH)) return -EINVAL;
  const vfs = t.kernel.vfs;
  if (m.path === "/") return -EBUSY; // the namespace's root stays (Linux remounts it read-only)
  if (flags & MNT_EXPIRE) {
    // only an unused mount expires; the first MNT_EXPIRE marks it, a second one unmounts
    if (busy(t, m)) return -EBUSY;
    if (!expiring.has(m)) {
      expiring.add(m);
      return -EAGAIN;
    }
  }
  const gone: Mount[] = [];
  if (flags & MNT_DETACH) {
    for (const x of subtree(vfs, m.path).reverse()) {
      if (x !== m && x.path === m.path) continue;
      // the victims are found while x's parent is still in the table
      const now = [...umountVictims(vfs, x), x];
      for (const v of now) vfs.detach(v);
      gone.push(...now);
    }
  } else {
    // propagate_mount_busy: the copies that would go with it must be unused too
    const victims = umountVictims(vfs, m);
    if (busy(t, m) || victims.some((v) => busy(t, v))) return -EBUSY;
    gone.push(...victims, m);
    for (const v of gone) vfs.detach(v);
  }
  orphanSlaves(vfs, gone);
  return 0;
}
