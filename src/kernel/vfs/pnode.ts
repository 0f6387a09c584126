// Mount propagation (fs/pnode.c): a mount or umount under a shared mount happens in every
// mount of its peer group and in their slaves, at the same place of the same file system. The
// table is by guest path, so "the same place" is a path translated through the mounts' roots.
// Copies go only where the receiving mount is the one seen at that path; Linux would also
// mount under a mount that hides it, which this table cannot hold.

import type { Mount } from "./dentry.ts";
import type { Vfs } from "./mount.ts";

/**
 * The propagation tree of dest (propagate_mnt's walk): its peers, the slaves of its group, the
 * peers of those slaves that are shared too, their slaves, each group once, a group's members
 * after the slave it was entered through. dest itself is not in it.
 */
export function receivers(vfs: Vfs, dest: Mount): Mount[] {
  if (dest.propagation !== "shared") return [];
  const out: Mount[] = [];
  const seen = new Set([dest.group]);
  const queue = [dest.group];
  for (let g = queue.shift(); g !== undefined; g = queue.shift()) {
    for (const x of vfs.all) {
      if (x === dest || out.includes(x)) continue;
      if (x.propagation === "shared" && x.group === g) out.push(x);
      else if (x.master === g && (x.propagation === "slave" || x.propagation === "shared")) {
        out.push(x);
        if (x.propagation === "shared" && !seen.has(x.group)) {
          seen.add(x.group);
          queue.push(x.group);
        }
      }
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
 * The propagation type of copy c of s (propagate_one's CL_MAKE_SHARED and CL_SLAVE): a peer of
 * s when its receiver is in a group with s's receiver; else a slave of s's group, and shared in
 * a group of its own (`fresh`) when the receiver is shared too.
 */
export function copyType(c: Mount, s: Mount, peer: boolean, shared: boolean, fresh: () => number): void {
  if (s.propagation !== "shared") return;
  if (peer) [c.propagation, c.group, c.master] = ["shared", s.group, s.master];
  else if (shared) [c.propagation, c.group, c.master] = ["shared", fresh(), s.group];
  else [c.propagation, c.group, c.master] = ["slave", 0, s.group];
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
    const at = translate(parent, x.path, r);
    if (at === null) continue;
    const c = vfs.all.find((o) => o !== x && o.parentId === r.id && o.path === at);
    if (c && !vfs.all.some((o) => o.parentId === c.id) && !out.includes(c)) out.push(c);
  }
  return out;
}

/**
 * After an umount: the slaves of a peer group that has no mount left go to that group's own
 * master, or become private when it had none (umount_tree's change_mnt_propagation).
 */
export function orphanSlaves(vfs: Vfs, gone: Mount[]): void {
  for (const m of gone) {
    if (m.propagation !== "shared" || vfs.all.some((o) => o.propagation === "shared" && o.group === m.group)) continue;
    const up = m.master && vfs.all.some((o) => o.propagation === "shared" && o.group === m.master) ? m.master : 0;
    for (const x of vfs.all) {
      if (x.master !== m.group) continue;
      x.master = up;
      if (x.propagation === "slave" && !up) x.propagation = "private";
    }
  }
}
