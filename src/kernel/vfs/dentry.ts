// struct dentry and struct vfsmount, folded together: a dentry here is a name in the guest's
// tree, its inode, the mount it lives in and its parent. The parent chain crosses mount points,
// so `..` is a pointer step, and a dentry's guest path (d_path) is its chain of names. Paths
// never come from the host: they are built from components the walk has checked one by one.

import type { Inode, SuperBlock } from "./inode.ts";

// The per-mount flags (MNT_* as mount(2)'s MS_* bits) and the words /proc/mounts shows for them.
export const MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_NOSYMFOLLOW = 256;
export const MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;
const MNT_WORDS: [number, string][] = [
  [MS_NOSUID, "nosuid"], [MS_NODEV, "nodev"], [MS_NOEXEC, "noexec"], [MS_NOATIME, "noatime"], [MS_NODIRATIME, "nodiratime"],
  [MS_RELATIME, "relatime"], [MS_NOSYMFOLLOW, "nosymfollow"],
];

/** What a remount changes in a super block, shared by every mount of it (bind mounts too). */
export class SuperState {
  /** SB_RDONLY set by a remount (the super block's own readOnly is --ro's). */
  ro = false;
  /** The file system's own options (show_options: "mode=755", "size=..."). */
  constructor(public fsOpts: string) {}
}

/** struct mount: a file system (or a directory of one, for a bind mount) mounted at a guest path. */
export class Mount {
  /** MS_RDONLY, MS_NOSUID ... as this mount has them (mnt_flags). */
  flags: number;
  /** Propagation type (MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE) and the peer groups. */
  propagation: "private" | "shared" | "slave" | "unbindable" = "private";
  group = 0;
  master = 0;
  /** The mount this one hides at the same path (a second mount on one mount point). */
  covered: Mount | null = null;

  /**
   * `path`: the guest path of the mount point ("/" for the root); `source`: what /proc/mounts
   * shows as the device ("proc", "tmpfs", the host directory ...); `id`: mnt_id; `rootPath`:
   * the mount's root inside its file system ("/" unless a bind mount of a subdirectory).
   */
  constructor(
    /** MS_MOVE changes it. */
    public path: string,
    readonly sb: SuperBlock,
    readonly root: Inode,
    readonly source: string,
    readonly id: number,
    public parentId: number,
    flags: number,
    readonly sup: SuperState,
    readonly rootPath = "/",
  ) {
    this.flags = flags;
  }

  /** __mnt_is_readonly: the mount's MNT_READONLY or its super block's. */
  get readOnly(): boolean {
    return (this.flags & MS_RDONLY) !== 0 || this.sup.ro || this.sb.readOnly;
  }

  /** The mount's own options (mountinfo's sixth field). */
  get mntOptions(): string {
    return [this.flags & MS_RDONLY ? "ro" : "rw", ...MNT_WORDS.filter(([b]) => this.flags & b).map(([, w]) => w)].join(",");
  }

  /** The super block's options (mountinfo's last field). */
  get superOptions(): string {
    return [this.sup.ro || this.sb.readOnly ? "ro" : "rw", ...(this.sup.fsOpts ? [this.sup.fsOpts] : [])].join(",");
  }

  /** The options column of /proc/mounts (show_vfsmnt). */
  get options(): string {
    const words = MNT_WORDS.filter(([b]) => this.flags & b).map(([, w]) => w);
    return [this.readOnly ? "ro" : "rw", ...words, ...(this.sup.fsOpts ? [this.sup.fsOpts] : [])].join(",");
  }
}

/** Splits an options text ("rw,nosuid,relatime,mode=755") into mount flags and the file system's own. */
export function parseMountOptions(text: string): { flags: number; fsOpts: string } {
  let flags = 0;
  const rest: string[] = [];
  for (const w of text.split(",").filter((x) => x)) {
    const known = MNT_WORDS.find(([, name]) => name === w);
    if (known) flags |= known[0];
    else if (w === "ro") flags |= MS_RDONLY;
    else if (w !== "rw") rest.push(w);
  }
  return { flags, fsOpts: rest.join(",") };
}

/** Whether writes through d fail with EROFS: its file system or its mount is read-only. */
export function readOnlyAt(d: Dentry): boolean {
  return d.inode.sb.readOnly || d.mnt.readOnly;
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
