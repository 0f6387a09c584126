// hostfs: a host directory passed through to the guest (the root file system: the host's "/"
// as qemu-user shows it, or --root DIR). An inode is a path relative to that directory made of
// names the guest walk has checked one at a time, so the host is never handed a "..", and never
// asked to follow a symlink: the walk resolves them itself (O_NOFOLLOW on every open guards the
// last step). Host errors are translated by name into the guest's errno values.

import childProcess from "node:child_process"; // default import: the bundle loads it lazily (tools/lazy-child-process.cjs)
import { accessSync, chmodSync, constants, fchmodSync, lchownSync, linkSync, lstatSync, lutimesSync, mkdirSync, openSync, readdirSync, readlinkSync, renameSync, rmdirSync, statSync, symlinkSync, unlinkSync } from "node:fs";
import { EACCES, EEXIST, EINVAL, EISDIR, ENOENT, EPERM, EROFS, hostErrno } from "../errno.ts";
import { fifoOpen } from "../fs/fifo.ts";
import * as O from "../fs/file.ts";
import { hostOpenFile, truncateMapped, type HostFileData } from "../fs/hostfile.ts";
import { setHostTimes } from "../fs/hosttimes.ts";
import { kstatFromHost, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, type KStat } from "../fs/stat.ts";
import type { Cred, Task } from "../proc/task.ts";
import type { Dentry } from "./dentry.ts";
import { openDirectory } from "./dirfile.ts";
import { decodeName, hostPathArg } from "./filename.ts";
import { dtype, type DirEntry, type Inode, type NewInode, type SetAttr, type SuperBlock } from "./inode.ts";

const C = constants;
export const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

/** Runs a host call; a thrown Node error becomes -errno (guest numbering). */
export function hostCall<T>(fn: () => T): T | number {
  try {
    return fn();
  } catch (e) {
    return -hostErrno((e as NodeJS.ErrnoException).code);
  }
}

/** Opens a host file: the descriptor, or -errno (a descriptor is a number too: hence apart). */
export function hostOpen(fn: () => number): number {
  try {
    return fn();
  } catch (e) {
    return -hostErrno((e as NodeJS.ErrnoException).code);
  }
}

// Guest O_* → host open(2) flags, one by one: the host's values need not be the guest's.
const OPEN_FLAGS: [number, number][] = [
  [O.O_NOCTTY, C.O_NOCTTY], [O.O_APPEND, C.O_APPEND], [O.O_NONBLOCK, C.O_NONBLOCK],
  [O.O_DIRECTORY, C.O_DIRECTORY], [O.O_SYNC, C.O_SYNC], [O.O_DSYNC, C.O_DSYNC], [O.O_TRUNC, C.O_TRUNC],
];

/** The host flags for a guest open of an existing file (creation is atomicOpen's). */
export function hostOpenFlags(flags: number): number {
  let h = [C.O_RDONLY, C.O_WRONLY, C.O_RDWR, C.O_RDWR][flags & O.O_ACCMODE]!;
  for (const [g, hf] of OPEN_FLAGS) if ((flags & g) === g) h |= hf;
  return h | C.O_NOFOLLOW;
}

/** Guest flags an open file keeps (the creation flags are spent by open). */
export function keptFlags(flags: number): number {
  return flags & ~(O.O_CREAT | O.O_EXCL | O.O_TRUNC | O.O_CLOEXEC | O.O_NOCTTY);
}

/** --file-owner: the guest ids that files of the host user appear to have. */
export interface OwnerMap {
  hostUid: number;
  uid: number;
  gid: number;
}

/** The super block of a host directory tree. */
export class HostFs implements SuperBlock {
  readonly type = "hostfs";
  readonly dev = 0n;
  readonly ownerMap: OwnerMap | null;

  constructor(readonly hostRoot: string, readonly readOnly: boolean, private readonly hostUid: number, fileOwner: { uid: number; gid: number } | null = null) {
    this.ownerMap = fileOwner ? { hostUid, ...fileOwner } : null;
  }

  /** The host checks permissions when the guest acts as the host user (or its --file-owner ids). */
  hostDecides(cred: Cred): boolean {
    return cred.fsuid === this.hostUid || (this.ownerMap !== null && cred.fsuid === this.ownerMap.uid);
  }

  /** The root inode, or -errno when the directory is missing. */
  root(): HostInode | number {
    const st = hostCall(() => statSync(this.hostRoot, { bigint: true }));
    if (typeof st === "number") return st;
    return new HostInode(this, "", Number(st.mode));
  }

  /** The host path of a relative name. */
  hostPath(rel: string): string {
    if (rel === "") return this.hostRoot;
    return this.hostRoot === "/" ? `/${rel}` : `${this.hostRoot}/${rel}`;
  }
}

export class HostInode implements Inode {
  constructor(readonly sb: HostFs, readonly rel: string, readonly mode: number) {}

  /** The host path: a Buffer when the name holds bytes that are not UTF-8 (see filename.ts). */
  get host(): string | Buffer {
    return hostPathArg(this.sb.hostPath(this.rel));
  }

  private child(name: string): string | Buffer {
    return hostPathArg(this.sb.hostPath(this.rel === "" ? name : `${this.rel}/${name}`));
  }

  private childRel(name: string): string {
    return this.rel === "" ? name : `${this.rel}/${name}`;
  }

  getattr(): KStat | number {
    const st = hostCall(() => lstatSync(this.host, { bigint: true }));
    return typeof st === "number" ? st : mapOwner(kstatFromHost(st), this.sb.ownerMap);
  }

  lookup(name: string): Inode | number {
    const st = hostCall(() => lstatSync(this.child(name), { bigint: true, throwIfNoEntry: false }));
    if (typeof st === "number") return st;
    if (!st) return -ENOENT;
    return new HostInode(this.sb, this.childRel(name), Number(st.mode));
  }

  readdir(): DirEntry[] | number {
    const raw = hostCall(() => readdirSync(this.host, { encoding: "buffer" }));
    if (typeof raw === "number") return raw;
    const out: DirEntry[] = [];
    for (const bytes of raw) {
      const name = decodeName(bytes);
      const st = hostCall(() => lstatSync(this.child(name), { bigint: true, throwIfNoEntry: false }));
      if (typeof st === "number" || !st) continue; // gone since readdir: as if never there
      out.push({ name, ino: st.ino, type: dtype(Number(st.mode)) });
    }
    return out;
  }

  readlink(): string | number {
    const b = hostCall(() => readlinkSync(this.host, { encoding: "buffer" }));
    return typeof b === "number" ? b : decodeName(b);
  }

  open(t: Task, d: Dentry, flags: number): O.OpenFile | number {
    if ((this.mode & S_IFMT) === S_IFDIR) {
      if (!this.sb.hostDecides(t.cred)) return openDirectory(d, flags);
      const ok = hostCall(() => accessSync(this.host, C.R_OK));
      return typeof ok === "number" ? ok : openDirectory(d, flags);
    }
    if ((this.mode & S_IFMT) === S_IFIFO) {
      // never opened on the host (Node would block): the kernel's pipe, keyed by the host inode
      const st = hostCall(() => lstatSync(this.host, { bigint: true }));
      return typeof st === "number" ? st : fifoOpen(t, `host:${st.dev}:${st.ino}`, d, flags);
    }
    if (this.sb.readOnly && (flags & O.O_ACCMODE) !== O.O_RDONLY) return -EROFS;
    const fd = hostOpen(() => openSync(this.host, hostOpenFlags(flags)));
    if (fd < 0) return fd;
    return withOwnerMap(hostOpenFile(fd, keptFlags(flags), d.path, false), this.sb.ownerMap);
  }

  atomicOpen(_t: Task, dir: Dentry, name: string, flags: number, attr: NewInode): O.OpenFile | number {
    if (this.sb.readOnly) return -EROFS;
    const path = this.child(name);
    const fd = hostOpen(() => openSync(path, hostOpenFlags(flags) | C.O_CREAT | C.O_EXCL, attr.mode & 0o7777));
    if (fd < 0) return fd;
    hostCall(() => fchmodSync(fd, attr.mode & 0o7777)); // the host's own umask must not apply
    return withOwnerMap(hostOpenFile(fd, keptFlags(flags), dir.path === "/" ? `/${name}` : `${dir.path}/${name}`, false), this.sb.ownerMap);
  }

  mkdir(name: string, attr: NewInode): Inode | number {
    if (this.sb.readOnly) return -EROFS;
    const path = this.child(name);
    const r = hostCall(() => mkdirSync(path, attr.mode & 0o7777));
    if (typeof r === "number") return r;
    hostCall(() => chmodSync(path, attr.mode & 0o7777));
    return this.lookup(name);
  }

  /**
   * Only FIFOs: Node has no mknod(2), so mkfifo(1) makes a real host FIFO (it shows in stat and
   * readdir, survives the run, and goes with unlink); sockets and devices give EPERM.
   */
  mknod(name: string, attr: NewInode): Inode | number {
    if (this.sb.readOnly) return -EROFS;
    if ((attr.mode & S_IFMT) !== S_IFIFO) return -EPERM;
    const path = this.child(name);
    const mode = (attr.mode & 0o7777).toString(8);
    if (typeof path !== "string") return -EPERM; // mkfifo(1) takes its name as a string
    const r = childProcess.spawnSync("mkfifo", ["-m", mode, "--", path], { encoding: "utf8" });
    if (r.error || r.status !== 0) return /exists/i.test(r.stderr ?? "") ? -EEXIST : /denied/i.test(r.stderr ?? "") ? -EACCES : -EPERM;
    hostCall(() => chmodSync(path, attr.mode & 0o7777));
    return this.lookup(name);
  }

  symlink(name: string, target: string): Inode | number {
    if (this.sb.readOnly) return -EROFS;
    const r = hostCall(() => symlinkSync(hostPathArg(target), this.child(name)));
    return typeof r === "number" ? r : this.lookup(name);
  }

  link(name: string, old: Inode): number {
    if (this.sb.readOnly) return -EROFS;
    if (!(old instanceof HostInode)) return -EINVAL;
    const r = hostCall(() => linkSync(old.host, this.child(name)));
    return typeof r === "number" ? r : 0;
  }

  unlink(name: string): number {
    if (this.sb.readOnly) return -EROFS;
    const r = hostCall(() => unlinkSync(this.child(name)));
    return typeof r === "number" ? r : 0;
  }

  rmdir(name: string): number {
    if (this.sb.readOnly) return -EROFS;
    const r = hostCall(() => rmdirSync(this.child(name)));
    return typeof r === "number" ? r : 0;
  }

  rename(oldName: string, newDir: Inode, newName: string, flags: number): number {
    if (this.sb.readOnly) return -EROFS;
    if (!(newDir instanceof HostInode)) return -EINVAL;
    const from = this.child(oldName);
    const to = newDir.child(newName);
    const exists = typeof hostCall(() => lstatSync(to)) !== "number";
    if (flags & RENAME_NOREPLACE && exists) return -EEXIST;
    if (flags & RENAME_EXCHANGE) return exchange(from, to);
    const r = hostCall(() => renameSync(from, to));
    return typeof r === "number" ? r : 0;
  }

  setattr(attr: SetAttr): number {
    if (this.sb.readOnly) return -EROFS;
    const path = this.host;
    const isLink = (this.mode & S_IFMT) === S_IFLNK;
    const steps: (() => void)[] = [];
    if (attr.uid !== undefined || attr.gid !== undefined) steps.push(() => lchownSync(path, attr.uid ?? -1, attr.gid ?? -1));
    if (attr.mode !== undefined && !isLink) steps.push(() => chmodSync(path, attr.mode! & 0o7777));
    if (attr.size !== undefined) {
      if ((this.mode & S_IFMT) === S_IFDIR) return -EISDIR;
      steps.push(() => truncateMapped(path, attr.size!));
    }
    if (attr.atime !== undefined || attr.mtime !== undefined) steps.push(() => setTimes(path, attr));
    for (const step of steps) {
      const r = hostCall(step);
      if (typeof r === "number") return r;
    }
    return 0;
  }
}

/** A host stat as the guest sees it: the host user's files owned by --file-owner's ids. */
export function mapOwner(st: KStat, map: OwnerMap | null): KStat {
  if (!map || st.uid !== map.hostUid) return st;
  return { ...st, uid: map.uid, gid: map.gid };
}

function withOwnerMap(f: O.OpenFile | number, map: OwnerMap | null): O.OpenFile | number {
  if (typeof f !== "number" && map) (f.data as HostFileData).ownerMap = map;
  return f;
}

/** utimensat on a host path: Node takes both times, so an omitted one keeps its value. */
function setTimes(path: string | Buffer, attr: SetAttr): void {
  setHostTimes(attr, () => lstatSync(path, { bigint: true }), (a, m) => lutimesSync(path, a, m));
}

/** RENAME_EXCHANGE through a temporary name (Node has no renameat2): not atomic on the host. */
function exchange(a: string | Buffer, b: string | Buffer): number {
  const tmp = Buffer.concat([Buffer.from(a), Buffer.from(`.sysemu-exchange-${process.pid}`)]);
  for (const [from, to] of [[a, tmp], [b, a], [tmp, b]] as const) {
    const r = hostCall(() => renameSync(from, to));
    if (typeof r === "number") return r;
  }
  return 0;
}
