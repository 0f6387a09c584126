// struct dentry and struct vfsmount, folded together: a dentry here is a name in the guest's
// tree, its inode, the mount it lives in and its parent. The parent chain crosses mount points,
// so `..` is a pointer step, and a dentry's guest path (d_path) is its chain of names. Paths
// never come from the host: they are built from components the walk has checked one by one.

import type { Inode, SuperBlock } from "./inode.ts";

/** struct vfsmount: a file system mounted at a guest path. */
export interface Mount {
  /** The guest path of the mount point ("/" for the root). */
  readonly path: string;
  readonly sb: SuperBlock;
  readonly root: Inode;
  /** What /proc/mounts shows as the device ("proc", "tmpfs", the host directory ...). */
  readonly source: string;
  /** The options column of /proc/mounts. */
  readonly options: string;
  /** mnt_id for /proc/<pid>/fdinfo and statx. */
  readonly id: number;
}

export class Dentry {
  private cached: string | null;

  /**
   * `fixed` names dentries that are not in the tree (a pipe's "pipe:[ino]", a program outside
   * --root): their path is that text and they have no parent.
   */
  constructor(
    readonly name: string,
    readonly parent: Dentry | null,
    readonly inode: Inode,
    readonly mnt: Mount,
    fixed: string | null = null,
  ) {
    this.cached = fixed;
    this.detached = fixed !== null;
  }

  /** Not in the tree: a name for something (a pipe, a host file) that has no path here. */
  readonly detached: boolean;

  /** The absolute guest path of this dentry (d_path). */
  get path(): string {
    if (this.cached === null) {
      const up = this.parent ? this.parent.path : "";
      this.cached = !this.parent ? "/" : up === "/" ? `/${this.name}` : `${up}/${this.name}`;
    }
    return this.cached;
  }

  /** Whether this dentry is `other` or below it in the tree (for rename's loop checks). */
  isAtOrBelow(other: Dentry): boolean {
    const p = other.path;
    return this.path === p || p === "/" || this.path.startsWith(p + "/");
  }
}

/** The guest path of `name` inside directory path `dir`. */
export function childPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}
