// Open files and file descriptor tables: struct file and struct files_struct, minus what
// sysemu doesn't need. A file's behaviour lives in its FileOps (host file, pipe, /dev/null...).

import type { FileMapping } from "../../mm/filemap.ts";
import { EBADF, EINVAL, EMFILE, ENXIO } from "../errno.ts";
import type { KStat } from "./stat.ts";
import type { Task } from "../proc/task.ts";
import type { Dentry } from "../vfs/dentry.ts";
import type { SetAttr } from "../vfs/inode.ts";

/** What a kind of file can do; a missing operation fails as Linux's default does. */
export interface FileOps {
  /** Reads into dst at `pos` (or the file position when pos is null); bytes read or -errno. */
  read?(f: OpenFile, t: Task, dst: Uint8Array, pos: number | null): number;
  write?(f: OpenFile, t: Task, src: Uint8Array, pos: number | null): number;
  /** write copies src before it returns and keeps nothing of it (so the caller may reuse it). */
  readonly writeCopies?: boolean;
  /** New absolute position for lseek, or -errno; absent means ESPIPE. */
  llseek?(f: OpenFile, offset: number, whence: number): number;
  stat(f: OpenFile): KStat | number;
  ioctl?(f: OpenFile, t: Task, req: number, arg: number): number;
  /** The POLL* events ready now (poll, select); absent means always readable and writable. */
  poll?(f: OpenFile, t: Task): number;
  /** fchmod, fchown, ftruncate, futimens on the open file itself; absent: through its dentry. */
  setattr?(f: OpenFile, attr: SetAttr): number;
  /** fsync/fdatasync; absent means there is nothing to flush. */
  fsync?(f: OpenFile, datasync: boolean): number;
  /** What MAP_SHARED maps (f_mapping): absent or null, a shared mapping is a copy of the file. */
  mapping?(f: OpenFile): FileMapping | null;
  /** Called when the last descriptor referring to this open file goes away. */
  release?(f: OpenFile): void;
}

// O_* flags (asm-generic/fcntl.h), the guest's values
export const O_ACCMODE = 0o3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
export const O_CREAT = 0o100, O_EXCL = 0o200, O_NOCTTY = 0o400, O_TRUNC = 0o1000, O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000, O_DSYNC = 0o10000, O_DIRECT = 0o40000, O_LARGEFILE = 0o100000;
export const O_DIRECTORY = 0o200000, O_NOFOLLOW = 0o400000, O_NOATIME = 0o1000000, O_CLOEXEC = 0o2000000;
export const O_SYNC = 0o4010000, O_PATH = 0o10000000, O_TMPFILE = 0o20200000;

/** fsnotify_close's hook, set by src/kernel/fs/fsnotify.ts: the last close of an open file. */
export const fileHooks: { close: ((f: OpenFile) => void) | null } = { close: null };

/** struct file: one open of something, shared by dup'ed descriptors and across fork. */
export class OpenFile {
  pos = 0;
  /** Where the file was opened in the guest's tree; null for pipes, sockets, borrowed stdio. */
  dentry: Dentry | null = null;
  /** Run once after release, when the last reference goes (OFD locks, ...). */
  onLastClose: (() => void) | null = null;
  private refs = 0;
  /**
   * `path` is what /proc/<pid>/fd shows for files without a dentry: "pipe:[ino]",
   * "socket:[ino]", "anon_inode:[eventfd]", or the host's name of a borrowed descriptor.
   */
  constructor(readonly ops: FileOps, public flags: number, readonly path: string, readonly data: unknown = null) {}

  get readable(): boolean {
    return (this.flags & O_ACCMODE) !== O_WRONLY && (this.flags & O_PATH) === 0;
  }
  get writable(): boolean {
    return (this.flags & O_ACCMODE) !== O_RDONLY && (this.flags & O_PATH) === 0;
  }
  get(): this {
    this.refs++;
    return this;
  }
  put(): void {
    if (--this.refs !== 0) return;
    fileHooks.close?.(this);
    this.ops.release?.(this);
    this.onLastClose?.();
  }
}

/** Generic llseek for files with a size (generic_file_llseek): SEEK_SET/CUR/END. */
export function seekWithSize(f: OpenFile, offset: number, whence: number, size: number): number {
  let pos: number;
  if (whence === 0) pos = offset;
  else if (whence === 1) pos = f.pos + offset;
  else if (whence === 2) pos = size + offset;
  else if (whence === SEEK_DATA || whence === SEEK_HOLE) {
    // generic_file_llseek_size for a file system that keeps no holes: all of it is data, and
    // the only hole is the virtual one at the end; past the end there is neither (ENXIO)
    if (offset < 0 || offset >= size) return -ENXIO;
    pos = whence === SEEK_DATA ? offset : size;
  } else return -EINVAL;
  return pos < 0 ? -EINVAL : pos;
}

const SEEK_DATA = 3, SEEK_HOLE = 4;

/** RLIMIT_NOFILE's default soft limit. */
export const NR_OPEN_DEFAULT = 1024;

/** struct files_struct: the descriptor table, with close-on-exec bits. */
export class FileTable {
  private fds: (OpenFile | null)[] = [];
  private cloexec: boolean[] = [];
  limit = NR_OPEN_DEFAULT;

  /** The open file behind fd, or null (EBADF). */
  get(fd: number): OpenFile | null {
    return (fd >= 0 && this.fds[fd]) || null;
  }
  /** Installs f at the lowest free descriptor >= min; the descriptor or -EMFILE. */
  install(f: OpenFile, cloexec: boolean, min = 0): number {
    let fd = min;
    while (fd < this.fds.length && this.fds[fd]) fd++;
    if (fd >= this.limit) return -EMFILE;
    this.fds[fd] = f.get();
    this.cloexec[fd] = cloexec;
    return fd;
  }
  /** Puts f at exactly fd (dup2/dup3), closing what was there. */
  installAt(fd: number, f: OpenFile, cloexec: boolean): number {
    if (fd < 0 || fd >= this.limit) return -EBADF;
    f.get();
    this.close(fd);
    this.fds[fd] = f;
    this.cloexec[fd] = cloexec;
    return fd;
  }
  close(fd: number): number {
    const f = this.get(fd);
    if (!f) return -EBADF;
    this.fds[fd] = null;
    f.put();
    return 0;
  }
  isCloexec(fd: number): boolean {
    return this.cloexec[fd] ?? false;
  }
  setCloexec(fd: number, on: boolean): void {
    this.cloexec[fd] = on;
  }
  /** Every open descriptor, ascending. */
  entries(): [number, OpenFile][] {
    const out: [number, OpenFile][] = [];
    this.fds.forEach((f, fd) => f && out.push([fd, f]));
    return out;
  }
  /** A copy for fork: the same open files, one more reference each. */
  clone(): FileTable {
    const t = new FileTable();
    t.limit = this.limit;
    this.fds.forEach((f, fd) => {
      if (f) {
        t.fds[fd] = f.get();
        t.cloexec[fd] = this.cloexec[fd] ?? false;
      }
    });
    return t;
  }
  /** exec closes the close-on-exec descriptors. */
  closeOnExec(): void {
    this.fds.forEach((f, fd) => f && this.cloexec[fd] && this.close(fd));
  }
  closeAll(): void {
    this.fds.forEach((f, fd) => f && this.close(fd));
  }
}
