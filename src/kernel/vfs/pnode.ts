// Mount propagation (fs/pnode.c): a mount or umount under a shared mount happens in every
// mount of its peer group and in their slaves, at the same place of the same file system. The
// table is by guest path, so "the same place" is a path translated through the mounts' roots.
// Copies go only where the receiving mount is the one seen at that path; Linux would also
// mount under a mount that hides it, which this table cannot hold.

import type { Mount } from "./dentry.ts";
import type { Vfs } from "./mount.ts";

/** A mount that receives what happens under another: as a peer (copies share) or a slave. */
export interface Receiver {
  m: Mount;
  peer: boolean;
}

/**
 * The propagation tree of dest (propagate_mnt's walk): its peers, the slaves of its group, the
 * peers of those slaves that are shared too, their slaves, each group once. dest itself is not
 * in it. A shared slave is taken as a peer, so its copies join the source's group rather than
 * a group of their own under it.
 */
export function receivers(vfs: Vfs, dest: Mount): Receiver[] {
  if (dest.propagation !== "shared") return [];
  const out: Receiver[] = [];
  const seen = new Set([dest.group]);
  const queue = [dest.group];
  for (let g = queue.shift(); g !== undefined; g = queue.shift()) {
    for (const x of vfs.all) {
      if (x === dest) continue;
      if (x.propagation === "shared" && x.group === g) out.push({ m: x, peer: true });
      else if (x.master === g && x.propagation === "shared" && !seen.has(x.group)) {
        seen.add(x.group);
        queue.push(x.group);
      } else if (x.master === g && x.propagation === "slave") out.push({ m: x, peer: false });
    }
  }
  return out;
}

/** The rest of p below base ("" for base itself, "/x/y" below it), or null when p is not under base. */
function below(base: string, p: string): string | null {
  if (p === base) return "";
  if (base === "/") return p;
  return p.startsWith(base + "/") ? p.slice(base.length) : null;
}

const join = (base: string, rest: string): string => (rest === "" ? base : base === "/" ? rest : base + rest);

/** Where guest path `path`, seen in mount `from`, is in mount `to`; null when to does not reach it. */
export function translate(from: Mount, path: string, to: Mount): string | null {
  if (from.sb !== to.sb) return null;
  const rest = below(from.path, path);
  if (rest === null) return null;
  const inFs = below(to.rootPath, join(from.rootPath, rest));
  return inFs === null ? null : join(to.path, inFs);
}

/** The path of a mount of a tree attached at `from`, once the tree is at `to`. */
export function rebase(path: string, from: string, to: string): string {
  return join(to, below(from, path) ?? "");
}

/**
 * The propagation type of a copy of s made for a receiver (propagate_one's CL_MAKE_SHARED or
 * CL_SLAVE): a peer of s, or a slave of s's group.
 */
export function copyType(copy: Mount, s: Mount, peer: boolean): void {
  if (s.propagation !== "shared") return;
  if (peer) [copy.propagation, copy.group, copy.master] = ["shared", s.group, s.master];
  else [copy.propagation, copy.group, copy.master] = ["slave", 0, s.group];
}

/**
 * propagate_umount's victims for x leaving its parent: in each receiver of the parent, the mount
 * at the same place, when nothing is mounted on it.
 */
export function umountVictims(vfs: Vfs, x: Mount): Mount[] {
  const parent = vfs.all.find((p) => p.id === x.parentId);
  if (!parent) return [];
  const out: Mount[] = [];
  for (const r of receivers(vfs, parent)) {
    const at = translate(parent, x.path, r.m);
    if (at === null) continue;
    const c = vfs.all.find((o) => o !== x && o.parentId === r.m.id && o.path === at);
    if (c && !vfs.all.some((o) => o.parentId === c.id) && !out.includes(c)) out.push(c);
  }
  return out;
}
