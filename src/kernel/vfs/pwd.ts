// The working directory as Linux keeps it (fs_struct.pwd): a reference to the directory itself,
// not to a path. A rename of it or of a directory above it changes what getcwd says and nothing
// else; once it is removed, getcwd fails with ENOENT, "." still opens and stats (nlink 0), lists
// nothing, and nothing can be created in it, even if a new directory takes its old name.
//
// Dentries here are built per lookup and do not follow renames, so a DirRef keeps what stays
// the same and derives a fresh dentry (d_path) from it when asked:
// - tmpfs: the node itself; its parent pointers give the names up to the mount's root.
// - hostfs: an open host descriptor of the directory (O_RDONLY|O_DIRECTORY). The host kernel
//   follows renames for it: /proc/self/fd/N names where it is now, " (deleted)" once removed.
//   Limits: this needs a Linux host with /proc (elsewhere, and past MAX_HOST_PINS descriptors
//   held at once, the directory is re-found by its old path, as before); a directory moved out
//   of --root keeps its old path; descriptors close when their DirRef is garbage collected.
// The task's root needs none of this: it is always the root mount's root (no chroot), which
// can be neither renamed nor removed.

import { closeSync, constants, fstatSync, openSync, readlinkSync } from "node:fs";
import { ENOENT } from "../errno.ts";
import { decodeName } from "./filename.ts";
import type { OpenFile } from "../fs/file.ts";
import { kstatFromHost, S_IFDIR, type KStat } from "../fs/stat.ts";
import { Dentry } from "./dentry.ts";
import { openDirectory } from "./dirfile.ts";
import { hostCall, HostInode, hostOpen, mapOwner, type HostFs } from "./hostfs.ts";
import type { DirEntry, Inode, NewInode } from "./inode.ts";
import { TmpNode } from "./tmpfs.ts";

const MAX_HOST_PINS = 256;
const O_PATH = 0o10000000;
let hostPins = 0;
const closer = new FinalizationRegistry<number>((fd) => {
  hostPins--;
  hostCall(() => closeSync(fd));
});

/** struct path for fs_struct.pwd: a directory, wherever it is now. */
export class DirRef {
  private last: Dentry;
  private hostFd: number | null;

  /** @param hint the path the working directory was set by (FsContext.cwd at the time) */
  constructor(d: Dentry, readonly hint: string) {
    this.last = d;
    this.hostFd = d.inode instanceof HostInode ? pinHost(d.inode) : null;
    if (this.hostFd !== null) closer.register(this, this.hostFd, this);
  }

  /** Lets go of the host descriptor now (an open directory's last close), not at collection. */
  release(): void {
    if (this.hostFd === null) return;
    closer.unregister(this);
    hostCall(() => closeSync(this.hostFd!));
    hostPins--;
    this.hostFd = null;
  }

  /** A dentry for the directory where it is now (a removed one keeps its old name and parent). */
  current(): Dentry {
    const d = this.last;
    if (d.inode instanceof TmpNode) return (this.last = tmpCurrent(d, d.inode));
    if (d.inode instanceof HostInode && this.hostFd !== null) return (this.last = hostCurrent(d, d.inode, this.hostFd));
    return d;
  }

  /** d_path: the directory's path, and whether it has been removed (" (deleted)" in /proc). */
  path(): { path: string; deleted: boolean } {
    const d = this.current();
    const deleted = d.inode instanceof TmpNode ? d.inode.dead : d.inode instanceof DeadHostDir;
    return { path: d.path, deleted };
  }
}

function pinHost(inode: HostInode): number | null {
  if (hostPins >= MAX_HOST_PINS) return null;
  // O_PATH (Linux): a pin needs no read permission, only the name
  const fd = hostOpen(() => openSync(inode.host, (process.platform === "linux" ? O_PATH : constants.O_RDONLY) | constants.O_DIRECTORY | constants.O_NOFOLLOW));
  if (fd < 0) return null;
  hostPins++;
  return fd;
}

/** The dentry at which `d`'s mount is attached: the top of the part of the chain a rename can change. */
function mountRoot(d: Dentry): Dentry {
  let r = d;
  while (r.inode !== r.mnt.root && r.parent) r = r.parent;
  return r;
}

/** A dentry chain from the mount root down through `names`, each level made by `inodeAt`. */
function rebuild(d: Dentry, names: string[], inodeAt: (i: number) => Inode): Dentry {
  let cur = mountRoot(d);
  names.forEach((name, i) => (cur = new Dentry(name, cur, inodeAt(i), d.mnt)));
  return cur;
}

function tmpCurrent(d: Dentry, node: TmpNode): Dentry {
  if (node.dead || node === d.mnt.root) return d;
  const nodes: TmpNode[] = [];
  const names: string[] = [];
  for (let n = node; n !== d.mnt.root; ) {
    const p = n.parent;
    const name = p ? [...p.children].find(([, c]) => c.node === n)?.[0] : undefined;
    if (!p || name === undefined) return d; // not below this mount's root any more
    names.unshift(name);
    nodes.unshift(n);
    n = p;
  }
  if (d.path === pathUnder(mountRoot(d), names)) return d;
  return rebuild(d, names, (i) => nodes[i]!);
}

function pathUnder(root: Dentry, names: string[]): string {
  const base = root.path === "/" ? "" : root.path;
  return names.length ? `${base}/${names.join("/")}` : root.path;
}

function hostCurrent(d: Dentry, inode: HostInode, fd: number): Dentry {
  const link = hostCall(() => readlinkSync(`/proc/self/fd/${fd}`, { encoding: "buffer" }));
  if (typeof link === "number") return d; // no /proc on this host: the old path it is
  const where = decodeName(link);
  if (where.endsWith(" (deleted)")) {
    const st = hostCall(() => fstatSync(fd, { bigint: true }));
    if (typeof st !== "number" && st.nlink === 0n) {
      return d.inode instanceof DeadHostDir ? d : new Dentry(d.name, d.parent, new DeadHostDir(inode, fd), d.mnt);
    }
  }
  const root = inode.sb.hostRoot;
  let rel: string;
  if (where === root) rel = "";
  else if (root === "/" && where.startsWith("/")) rel = where.slice(1);
  else if (where.startsWith(root + "/")) rel = where.slice(root.length + 1);
  else return d; // moved out of the guest's tree: keep the old name
  if (rel === inode.rel) return d;
  const top = mountRoot(d);
  const topRel = top.inode instanceof HostInode ? top.inode.rel : "";
  if (topRel !== "" && rel !== topRel && !rel.startsWith(topRel + "/")) return d;
  const names = (topRel === "" ? rel : rel.slice(topRel.length + 1)).split("/").filter((s) => s !== "");
  const prefix = (i: number) => [topRel, ...names.slice(0, i + 1)].filter((s) => s !== "").join("/");
  return rebuild(d, names, (i) => new HostInode(inode.sb, prefix(i), S_IFDIR | (inode.mode & 0o7777)));
}

/**
 * A removed host directory (IS_DEADDIR): stat answers through the pinned descriptor, it lists
 * nothing (getdents gives ENOENT, which readdir(3) takes as the end), and every name is absent.
 */
export class DeadHostDir implements Inode {
  readonly sb: HostFs;
  readonly mode: number;

  constructor(private readonly was: HostInode, private readonly fd: number) {
    this.sb = was.sb;
    this.mode = was.mode;
  }

  getattr(): KStat | number {
    const st = hostCall(() => fstatSync(this.fd, { bigint: true }));
    return typeof st === "number" ? st : mapOwner(kstatFromHost(st), this.was.sb.ownerMap);
  }

  lookup(): Inode | number {
    return -ENOENT;
  }

  readdir(): DirEntry[] | number {
    return -ENOENT;
  }

  open(_t: unknown, d: Dentry, flags: number): OpenFile | number {
    return openDirectory(d, flags);
  }

  atomicOpen(): OpenFile | number {
    return -ENOENT;
  }

  create(_name: string, _attr: NewInode): Inode | number {
    return -ENOENT;
  }

  mkdir(): Inode | number {
    return -ENOENT;
  }

  mknod(): Inode | number {
    return -ENOENT;
  }

  symlink(): Inode | number {
    return -ENOENT;
  }

  link(): number {
    return -ENOENT;
  }

  unlink(): number {
    return -ENOENT;
  }

  rmdir(): number {
    return -ENOENT;
  }

  rename(): number {
    return -ENOENT;
  }
}

const openDirs = new WeakMap<OpenFile, DirRef>();

/** Pins an open directory like the cwd, so that *at calls, fchdir and getdents follow renames. */
export function pinOpenDir(f: OpenFile, d: Dentry): void {
  const ref = new DirRef(d, d.path);
  openDirs.set(f, ref);
  const before = f.onLastClose;
  f.onLastClose = () => {
    ref.release();
    before?.();
  };
}

/** The dentry of an open file, where it is now when it is a pinned directory. */
export function fileDentry(f: OpenFile): Dentry | null {
  const ref = openDirs.get(f);
  if (ref) f.dentry = ref.current();
  return f.dentry;
}
