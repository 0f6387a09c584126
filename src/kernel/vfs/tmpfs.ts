// tmpfs (mm/shmem.c): files that live in sysemu's memory, mounted at /dev/shm and wherever a
// caller mounts one. Directory entries keep the cookie they were created with, so a getdents
// position stays valid while entries come and go (as the kernel's simple_offset does).

import { EEXIST, EFBIG, EINVAL, EISDIR, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY, ENXIO, EPERM } from "../errno.ts";
import { fifoOpen } from "../fs/fifo.ts";
import { OpenFile, O_APPEND, O_TRUNC, seekWithSize, type FileOps } from "../fs/file.ts";
import { makedev, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, type KStat } from "../fs/stat.ts";
import type { Cred, Task } from "../proc/task.ts";
import type { Dentry } from "./dentry.ts";
import { openDirectory } from "./dirfile.ts";
import { keptFlags, RENAME_EXCHANGE, RENAME_NOREPLACE } from "./hostfs.ts";
import { dtype, type DirEntry, type Inode, type NewInode, type SetAttr, type SuperBlock } from "./inode.ts";
import { F_SEAL_EXEC, F_SEAL_GROW, F_SEAL_SEAL, F_SEAL_SHRINK, sealedWriteLength } from "../fs/memfd_seals.ts";
import { filemapActive, filemapTruncate, filemapUpdate, filemapWriteback, type FileBacking } from "../../mm/filemap.ts";

/** The largest file tmpfs keeps (sysemu's memory is the guest's disk here). */
const MAX_FILE = 1 << 30;
let nextAnonDev = 40;

/** The time now, in ns since the epoch. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** One tmpfs instance. */
export class TmpFs implements SuperBlock {
  readonly type = "tmpfs";
  readonly dev = makedev(0, nextAnonDev++);
  readonly readOnly = false;
  nextIno = 1n;
  readonly rootNode: TmpNode;

  constructor(mode = 0o1777, uid = 0, gid = 0) {
    this.rootNode = new TmpNode(this, { mode: S_IFDIR | mode, uid, gid });
  }

  hostDecides(_cred: Cred): boolean {
    return false;
  }
}

interface Child {
  node: TmpNode;
  off: number;
}

export class TmpNode implements Inode {
  readonly ino: bigint;
  mode: number;
  uid: number;
  gid: number;
  nlink = 1;
  atimeNs = nowNs();
  mtimeNs = this.atimeNs;
  ctimeNs = this.atimeNs;
  readonly btimeNs = this.atimeNs;
  data = new Uint8Array(0);
  size = 0;
  target = "";
  readonly children = new Map<string, Child>();
  /** A directory's parent (d_parent for d_path after renames); stale once it is removed. */
  parent: TmpNode | null = null;
  private nextOff = 2;
  /** info->seals (src/kernel/fs/memfd_seals.ts): F_SEAL_SEAL until memfd_create allows sealing. */
  seals = 1;

  constructor(readonly sb: TmpFs, attr: NewInode) {
    this.ino = sb.nextIno++;
    this.mode = attr.mode;
    this.uid = attr.uid;
    this.gid = attr.gid;
    if ((attr.mode & S_IFMT) === S_IFDIR) this.nlink = 2;
  }

  private get isDir(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }

  getattr(): KStat {
    const size = this.isDir ? 40n + BigInt(this.children.size) * 20n : (this.mode & S_IFMT) === S_IFLNK ? BigInt(this.target.length) : BigInt(this.size);
    return {
      dev: this.sb.dev, ino: this.ino, mode: this.mode, nlink: this.nlink, uid: this.uid, gid: this.gid, rdev: 0n,
      size, blksize: 4096, blocks: ((BigInt(this.size) + 4095n) / 4096n) * 8n,
      atimeNs: this.atimeNs, mtimeNs: this.mtimeNs, ctimeNs: this.ctimeNs, btimeNs: this.btimeNs,
    };
  }

  lookup(name: string): Inode | number {
    return this.children.get(name)?.node ?? -ENOENT;
  }

  /** IS_DEADDIR: a removed directory, nothing may be added to it (it may still be a cwd). */
  get dead(): boolean {
    return this.isDir && this.nlink === 0;
  }

  readdir(): DirEntry[] | number {
    if (this.dead) return -ENOENT;
    return [...this.children].map(([name, c]) => ({ name, ino: c.node.ino, type: dtype(c.node.mode), off: c.off }));
  }

  readlink(): string | number {
    return (this.mode & S_IFMT) === S_IFLNK ? this.target : -EINVAL;
  }

  open(_t: Task, d: Dentry, flags: number): OpenFile | number {
    if (this.isDir) return openDirectory(d, flags);
    if ((this.mode & S_IFMT) === S_IFIFO) return fifoOpen(_t, this, d, flags);
    if ((this.mode & S_IFMT) === S_IFSOCK) return -ENXIO;
    if (flags & O_TRUNC && (this.mode & S_IFMT) === S_IFREG) {
      const r = this.truncate(0);
      if (r < 0) return r;
    }
    const f = new OpenFile(tmpFileOps, keptFlags(flags), d.path, this);
    f.dentry = d;
    return f;
  }

  private add(name: string, attr: NewInode): TmpNode | number {
    if (this.dead) return -ENOENT;
    if (this.children.has(name)) return -EEXIST;
    const node = new TmpNode(this.sb, attr);
    this.attach(name, node);
    return node;
  }

  private attach(name: string, node: TmpNode): void {
    this.children.set(name, { node, off: this.nextOff++ });
    if (node.isDir) {
      this.nlink++;
      node.parent = this;
    }
    this.touch();
  }

  private detach(name: string): TmpNode | undefined {
    const c = this.children.get(name);
    if (!c) return undefined;
    this.children.delete(name);
    if (c.node.isDir) this.nlink--;
    this.touch();
    return c.node;
  }

  private touch(): void {
    this.mtimeNs = this.ctimeNs = nowNs();
  }

  create(name: string, attr: NewInode): Inode | number {
    return this.add(name, { ...attr, mode: S_IFREG | (attr.mode & 0o7777) });
  }

  mkdir(name: string, attr: NewInode): Inode | number {
    return this.add(name, { ...attr, mode: S_IFDIR | (attr.mode & 0o7777) });
  }

  mknod(name: string, attr: NewInode): Inode | number {
    return this.add(name, attr);
  }

  symlink(name: string, target: string, attr: NewInode): Inode | number {
    const node = this.add(name, { ...attr, mode: S_IFLNK | 0o777 });
    if (typeof node !== "number") node.target = target;
    return node;
  }

  link(name: string, old: Inode): number {
    if (!(old instanceof TmpNode) || old.sb !== this.sb) return -EINVAL;
    if (old.isDir) return -EPERM;
    if (this.dead) return -ENOENT;
    if (this.children.has(name)) return -EEXIST;
    old.nlink++;
    old.ctimeNs = nowNs();
    this.attach(name, old);
    return 0;
  }

  unlink(name: string): number {
    const c = this.children.get(name);
    if (!c) return -ENOENT;
    if (c.node.isDir) return -EISDIR;
    this.detach(name);
    c.node.nlink--;
    c.node.ctimeNs = nowNs();
    return 0;
  }

  rmdir(name: string): number {
    const c = this.children.get(name);
    if (!c) return -ENOENT;
    if (!c.node.isDir) return -ENOTDIR;
    if (c.node.children.size) return -ENOTEMPTY;
    this.detach(name);
    c.node.nlink = 0;
    return 0;
  }

  rename(oldName: string, newDir: Inode, newName: string, flags: number): number {
    if (!(newDir instanceof TmpNode)) return -EINVAL;
    const src = this.children.get(oldName)?.node;
    if (!src || newDir.dead) return -ENOENT;
    const dst = newDir.children.get(newName)?.node;
    if (flags & RENAME_EXCHANGE) {
      if (!dst) return -ENOENT;
      this.detach(oldName);
      newDir.detach(newName);
      newDir.attach(newName, src);
      this.attach(oldName, dst);
      return 0;
    }
    if (dst === src) return 0;
    if (dst) {
      if (flags & RENAME_NOREPLACE) return -EEXIST;
      if (src.isDir && !dst.isDir) return -ENOTDIR;
      if (!src.isDir && dst.isDir) return -EISDIR;
      if (dst.isDir && dst.children.size) return -ENOTEMPTY;
      newDir.detach(newName);
      dst.nlink = dst.isDir ? 0 : dst.nlink - 1;
    }
    this.detach(oldName);
    newDir.attach(newName, src);
    src.ctimeNs = nowNs();
    return 0;
  }

  setattr(attr: SetAttr): number {
    if (attr.size !== undefined) {
      if (this.isDir) return -EISDIR;
      const r = this.truncate(attr.size);
      if (r < 0) return r;
    }
    if (attr.mode !== undefined && this.seals & F_SEAL_EXEC && (attr.mode ^ this.mode) & 0o111) return -EPERM;
    if (attr.mode !== undefined) this.mode = (this.mode & S_IFMT) | (attr.mode & 0o7777);
    if (attr.uid !== undefined) this.uid = attr.uid;
    if (attr.gid !== undefined) this.gid = attr.gid;
    const now = nowNs();
    if (attr.atime !== undefined) this.atimeNs = attr.atime === "now" ? now : attr.atime;
    if (attr.mtime !== undefined) this.mtimeNs = attr.mtime === "now" ? now : attr.mtime;
    this.ctimeNs = now;
    return 0;
  }

  /** Sets the size, zero-filling growth; -ENOSPC past MAX_FILE. */
  truncate(size: number): number {
    if ((size < this.size && this.seals & F_SEAL_SHRINK) || (size > this.size && this.seals & F_SEAL_GROW)) return -EPERM;
    if (size > MAX_FILE) return size > Number.MAX_SAFE_INTEGER ? -EFBIG : -ENOSPC;
    this.reserve(size);
    if (size < this.size) this.data.fill(0, size, this.size);
    if (filemapActive()) filemapTruncate(this, this.size, size);
    this.size = size;
    this.touch();
    return 0;
  }

  /** Makes room for `size` bytes. */
  reserve(size: number): void {
    if (size <= this.data.length) return;
    const grown = new Uint8Array(Math.min(MAX_FILE, Math.max(size, this.data.length * 2, 4096)));
    grown.set(this.data.subarray(0, this.size));
    this.data = grown;
  }
}

function node(f: OpenFile): TmpNode {
  return f.data as TmpNode;
}

/** Reading and writing a tmpfs file: its bytes in memory, at the open file's position. */
export const tmpFileOps: FileOps = {
  read(f, _t, dst, pos) {
    const n = node(f);
    const at = pos ?? f.pos;
    if (filemapActive()) filemapWriteback(n, at, dst.length);
    const len = Math.max(0, Math.min(dst.length, n.size - at));
    dst.set(n.data.subarray(at, at + len));
    if (pos === null) f.pos += len;
    n.atimeNs = nowNs();
    return len;
  },
  write(f, _t, src, pos) {
    const n = node(f);
    let at = pos ?? f.pos;
    if (pos === null && f.flags & O_APPEND) at = n.size;
    if (n.seals & ~F_SEAL_SEAL) {
      const len = sealedWriteLength(n, at, src.length);
      if (len < 0) return len;
      src = src.subarray(0, len);
    }
    const end = at + src.length;
    if (end > MAX_FILE) {
      if (at >= MAX_FILE) return end > Number.MAX_SAFE_INTEGER ? -EFBIG : -ENOSPC;
      src = src.subarray(0, MAX_FILE - at);
    }
    n.reserve(at + src.length);
    n.data.set(src, at);
    n.size = Math.max(n.size, at + src.length);
    if (filemapActive()) filemapUpdate(n, at, src);
    n.mtimeNs = n.ctimeNs = nowNs();
    if (pos === null) f.pos = at + src.length;
    return src.length;
  },
  llseek: (f, offset, whence) => seekWithSize(f, offset, whence, node(f).size),
  stat: (f) => node(f).getattr(),
  setattr: (f, attr) => node(f).setattr(attr),
  fsync: () => 0,
  // the page cache is keyed by the inode itself; it writes back into the inode's bytes
  mapping: (f) => ({ key: node(f), open: () => tmpBacking(node(f), f.writable) }),
};

function tmpBacking(n: TmpNode, writable: boolean): FileBacking {
  return {
    writable,
    read(dst, pos) {
      const len = Math.max(0, Math.min(dst.length, n.size - pos));
      dst.set(n.data.subarray(pos, pos + len));
      return len;
    },
    write(src, pos) {
      n.data.set(src.subarray(0, Math.max(0, Math.min(src.length, n.size - pos))), pos);
    },
    size: () => n.size,
    release() {},
  };
}
