// The mount table (the kernel's mnt_namespace): the host directory at "/", proc at /proc,
// the device directory at /dev and a tmpfs at /dev/shm. Mount points are found by guest path
// during the walk, so --root DIR need not contain the directories they sit on.

import { realpathSync } from "node:fs";
import type { Inode, SuperBlock } from "./inode.ts";
import { Dentry, Mount, parseMountOptions, SuperState } from "./dentry.ts";
import { DevFs } from "./devfs.ts";
import { HostFs } from "./hostfs.ts";
import { LockTable } from "./locks.ts";
import { ProcFs } from "./proc/root.ts";
import { TmpFs } from "./tmpfs.ts";

export interface VfsOptions {
  /** The host directory the guest sees as "/" (--root); the host's own root by default. */
  hostRoot?: string;
  /** --ro: the host directory is mounted read-only. */
  readOnly?: boolean;
  /** --sysroot: absolute paths that exist below it are taken from there. */
  sysroot?: string | null;
  /** --file-owner: the guest ids the host user's files appear to have. */
  fileOwner?: { uid: number; gid: number } | null;
}

export class Vfs {
  /** The visible mount at each mount point (the walk's table). */
  readonly mounts = new Map<string, Mount>();
  /** Every mount in the order it was made, hidden ones too (/proc/mounts, mountinfo). */
  readonly all: Mount[] = [];
  readonly locks = new LockTable();
  /** The host directory behind "/", as a canonical host path. */
  readonly hostRoot: string;
  readonly readOnly: boolean;
  /** The guest's "/". */
  readonly root: Dentry;
  /** The root of --sysroot's tree, or null. */
  readonly sysroot: Dentry | null;
  /** Programs the command line ran from outside --root: /proc/<pid>/exe may still open them. */
  readonly hostExes = new Set<string>();
  private nextId = 21;

  /** Throws when a host directory is missing: callers check --root and --sysroot first. */
  constructor(opts: VfsOptions = {}) {
    this.hostRoot = realpathSync(opts.hostRoot ?? "/");
    this.readOnly = opts.readOnly ?? false;
    const uid = process.getuid?.() ?? 0;
    const rootFs = new HostFs(this.hostRoot, this.readOnly, uid, opts.fileOwner ?? null);
    const top = this.mount("/", rootFs, hostRootInode(rootFs), this.hostRoot, this.readOnly ? "ro,relatime" : "rw,relatime");
    this.root = new Dentry("", null, top.root, top);
    const proc = new ProcFs();
    this.mount("/proc", proc, proc.rootInode, "proc", "rw,nosuid,nodev,noexec,relatime");
    const dev = new DevFs(this.hostRoot === "/");
    this.mount("/dev", dev, dev.rootInode, "devtmpfs", "rw,nosuid,relatime,mode=755");
    const shm = new TmpFs(0o1777);
    this.mount("/dev/shm", shm, shm.rootNode, "tmpfs", "rw,nosuid,nodev");
    // A sysroot that is the root's own host tree (`--sysroot /`, the host's binaries) adds
    // nothing, and as a second mount of the same files it would be wrong: a rename from a file
    // that exists to a name that does not would cross mounts (EXDEV), and the host's /proc and
    // /dev would shadow the guest's.
    const sysroot = opts.sysroot ? realpathSync(opts.sysroot) : null;
    this.sysroot = sysroot !== null && sysroot !== this.hostRoot ? this.sysrootDentry(sysroot, uid, opts.fileOwner ?? null) : null;
  }

  /** Mounts a file system's root inode at a guest path. */
  mount(path: string, sb: SuperBlock, root: Inode, source: string, options: string): Mount {
    const o = parseMountOptions(options);
    const m = new Mount(path, sb, root, source, this.nextId++, 0, o.flags, this.superState(sb, o.fsOpts));
    this.attach(m);
    return m;
  }

  private readonly supers = new WeakMap<SuperBlock, SuperState>();

  /** The remountable state of sb, one per super block. */
  superState(sb: SuperBlock, fsOpts = ""): SuperState {
    let s = this.supers.get(sb);
    if (!s) this.supers.set(sb, (s = new SuperState(fsOpts)));
    return s;
  }

  /** A fresh mount id (mnt_id). */
  newId(): number {
    return this.nextId++;
  }

  /** The mount the guest path `path` is in (the longest mount point above it), or null. */
  mountOf(path: string): Mount | null {
    for (let p = path; ; p = p.slice(0, Math.max(1, p.lastIndexOf("/")))) {
      const m = this.mounts.get(p);
      if (m) return m;
      if (p === "/") return null;
    }
  }

  /** attach_recursive_mnt: m becomes the mount at its path, hiding what was there. */
  attach(m: Mount): void {
    const under = this.mounts.get(m.path) ?? null;
    const parent = m.path === "/" ? null : (under ?? this.mountOf(m.path.slice(0, Math.max(1, m.path.lastIndexOf("/")))));
    m.parentId = parent ? parent.id : 1;
    m.covered = under;
    this.mounts.set(m.path, m);
    this.all.push(m);
  }

  /**
   * do_move_mount: m and the mounts below it go to `path`, keeping their ids and their places
   * in the list; m's new parent is the mount it now sits on.
   */
  move(m: Mount, path: string): void {
    const old = m.path;
    const moving = this.all.filter((x) => x === m || x.path.startsWith(old === "/" ? "/" : old + "/"));
    for (const x of moving) {
      if (this.mounts.get(x.path) === x) {
        if (x.covered) this.mounts.set(x.path, x.covered);
        else this.mounts.delete(x.path);
      }
    }
    for (const x of moving) {
      x.path = path + x.path.slice(old.length);
      x.covered = this.mounts.get(x.path) ?? null;
      this.mounts.set(x.path, x);
    }
    const parent = m.covered ?? this.mountOf(path.slice(0, Math.max(1, path.lastIndexOf("/"))));
    m.parentId = parent ? parent.id : 1;
  }

  /** Takes m out of the table; the mount it hid comes back. */
  detach(m: Mount): void {
    const i = this.all.indexOf(m);
    if (i >= 0) this.all.splice(i, 1);
    if (this.mounts.get(m.path) !== m) return;
    if (m.covered) this.mounts.set(m.path, m.covered);
    else this.mounts.delete(m.path);
  }

  /** The guest path of a host path, when the guest can see it (below the root); else null. */
  guestPathOfHost(hostPath: string): string | null {
    if (this.hostRoot === "/") return hostPath;
    if (hostPath === this.hostRoot) return "/";
    return hostPath.startsWith(this.hostRoot + "/") ? hostPath.slice(this.hostRoot.length) : null;
  }

  private sysrootDentry(dir: string, uid: number, owner: { uid: number; gid: number } | null): Dentry {
    const fs = new HostFs(realpathSync(dir), this.readOnly, uid, owner);
    const m = new Mount("/", fs, hostRootInode(fs), fs.hostRoot, 0, 0, 1, new SuperState(""));
    return new Dentry("", null, m.root, m);
  }
}

function hostRootInode(fs: HostFs): Inode {
  const r = fs.root();
  if (typeof r === "number") throw new Error(`${fs.hostRoot}: cannot use as a root directory (errno ${-r})`);
  return r;
}
