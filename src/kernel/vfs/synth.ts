// Building blocks of synthetic file systems (proc, devfs): directories listed by a function,
// files whose bytes are generated when first read (the kernel's seq_file), symlinks with a
// computed target (and "magic" ones that lead to a dentry), and device nodes.

import { EINVAL, ELOOP, ENOENT, EPERM } from "../errno.ts";
import { OpenFile, seekWithSize, type FileOps } from "../fs/file.ts";
import { S_IFDIR, S_IFLNK, S_IFREG, type KStat } from "../fs/stat.ts";
import type { Cred, Task } from "../proc/task.ts";
import type { Dentry } from "./dentry.ts";
import { openDirectory } from "./dirfile.ts";
import { keptFlags } from "./hostfs.ts";
import { dtype, type DirEntry, type Inode, type SetAttr, type SuperBlock } from "./inode.ts";
import { nowNs } from "./tmpfs.ts";

/** A synthetic file system's super block: inode numbers handed out per name, stable in a run. */
export class SynthFs implements SuperBlock {
  readonly readOnly = false;
  readonly mountNs = nowNs();
  private readonly inos = new Map<string, bigint>();

  constructor(readonly type: string, readonly dev: bigint, private nextIno: bigint) {}

  hostDecides(_cred: Cred): boolean {
    return false;
  }

  /** The inode number for a key such as "1000/status". */
  ino(key: string): bigint {
    let n = this.inos.get(key);
    if (n === undefined) this.inos.set(key, (n = this.nextIno++));
    return n;
  }
}

/** Who owns a synthetic inode (proc's per-process files belong to the process's euid). */
export type Owner = () => { uid: number; gid: number };
const ROOT: Owner = () => ({ uid: 0, gid: 0 });

export abstract class SynthInode implements Inode {
  constructor(
    readonly sb: SynthFs,
    readonly ino: bigint,
    readonly mode: number,
    protected readonly owner: Owner = ROOT,
    readonly rdev = 0n,
  ) {}

  getattr(): KStat {
    const { uid, gid } = this.owner();
    const t = this.sb.mountNs;
    return {
      dev: this.sb.dev, ino: this.ino, mode: this.mode, nlink: (this.mode & S_IFDIR) === S_IFDIR ? 2 : 1, uid, gid,
      rdev: this.rdev, size: 0n, blksize: 1024, blocks: 0n, atimeNs: t, mtimeNs: t, ctimeNs: t,
    };
  }

  abstract open(t: Task, d: Dentry, flags: number): OpenFile | number;
}

/** A directory entry of a synthetic directory: its name and how to make its inode. */
export type SynthEntry = [name: string, make: () => Inode];

export class SynthDir extends SynthInode {
  constructor(
    sb: SynthFs, ino: bigint, mode: number, owner: Owner,
    private readonly list: (t: Task) => SynthEntry[],
    /** Finds names that are not listed (/proc/<tid> of a thread), or null. */
    private readonly find: ((name: string, t: Task) => Inode | null) | null = null,
  ) {
    super(sb, ino, S_IFDIR | mode, owner);
  }

  lookup(name: string, t: Task): Inode | number {
    const hit = this.list(t).find(([n]) => n === name);
    return hit ? hit[1]() : this.find?.(name, t) ?? -ENOENT;
  }

  readdir(t: Task): DirEntry[] {
    return this.list(t).map(([name, make]) => {
      const inode = make();
      const st = inode.getattr();
      return { name, ino: typeof st === "number" ? 0n : st.ino, type: dtype(inode.mode) };
    });
  }

  open(_t: Task, d: Dentry, flags: number): OpenFile {
    return openDirectory(d, flags);
  }
}

/** Content of a generated file, made by the reading task; -errno refuses the read. */
export type Generate = (t: Task) => Uint8Array | string | number;
/** A write to a generated file: bytes taken, or -errno. */
export type Accept = (t: Task, data: Uint8Array) => number;

interface SeqData {
  gen: Generate;
  accept: Accept | null;
  inode: SynthFile;
  buf: Uint8Array | null;
}

function seq(f: OpenFile, t: Task | null): Uint8Array | number {
  const d = f.data as SeqData;
  if (d.buf === null) {
    if (!t) return new Uint8Array(0);
    const r = d.gen(t);
    if (typeof r === "number") return r;
    d.buf = typeof r === "string" ? new TextEncoder().encode(r) : r;
  }
  return d.buf;
}

/** Generated files: the bytes are made at the first read and served from there (seq_file). */
export const seqFileOps: FileOps = {
  read(f, t, dst, pos) {
    const buf = seq(f, t);
    if (typeof buf === "number") return buf;
    const at = pos ?? f.pos;
    const n = Math.max(0, Math.min(dst.length, buf.length - at));
    dst.set(buf.subarray(at, at + n));
    if (pos === null) f.pos += n;
    return n;
  },
  write(f, t, src) {
    const d = f.data as SeqData;
    return d.accept ? d.accept(t, src) : -EINVAL;
  },
  llseek(f, offset, whence) {
    if (whence === 2) return -EINVAL; // seq_lseek knows no end
    const buf = seq(f, null);
    return seekWithSize(f, offset, whence, typeof buf === "number" ? 0 : buf.length);
  },
  stat: (f) => (f.data as SeqData).inode.getattr(),
  setattr: () => -EPERM,
};

export class SynthFile extends SynthInode {
  constructor(sb: SynthFs, ino: bigint, mode: number, owner: Owner, private readonly gen: Generate, private readonly accept: Accept | null = null) {
    super(sb, ino, S_IFREG | mode, owner);
  }

  open(_t: Task, d: Dentry, flags: number): OpenFile {
    const data: SeqData = { gen: this.gen, accept: this.accept, inode: this, buf: null };
    const f = new OpenFile(seqFileOps, keptFlags(flags), d.path, data);
    f.dentry = d;
    return f;
  }

  setattr(_attr: SetAttr): number {
    return -EPERM;
  }
}

export class SynthLink extends SynthInode {
  readonly getLink?: (t: Task) => Dentry | number;

  constructor(sb: SynthFs, ino: bigint, owner: Owner, private readonly target: (t: Task) => string | number, magic: ((t: Task) => Dentry | number) | null = null) {
    super(sb, ino, S_IFLNK | 0o777, owner);
    if (magic) this.getLink = magic;
  }

  readlink(t: Task): string | number {
    return this.target(t);
  }

  open(): number {
    return -ELOOP;
  }
}

/** A character device node whose opens make the device's own open files. */
export class SynthDev extends SynthInode {
  constructor(sb: SynthFs, ino: bigint, mode: number, rdev: bigint, private readonly opener: (t: Task, d: Dentry, flags: number) => OpenFile | number) {
    super(sb, ino, mode, ROOT, rdev);
  }

  open(t: Task, d: Dentry, flags: number): OpenFile | number {
    const f = this.opener(t, d, flags);
    if (typeof f !== "number") f.dentry ??= d;
    return f;
  }

  setattr(_attr: SetAttr): number {
    return 0; // chmod/chown/utimes on /dev nodes: accepted, not kept (devtmpfs keeps them)
  }
}
