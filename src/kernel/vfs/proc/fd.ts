// /proc/<pid>/fd and fdinfo: one magic link per descriptor. Readlink shows where the file is
// (a guest path, "pipe:[ino]", the host's name of a borrowed descriptor); following the link
// leads to the file itself: its dentry when it has one, else the open file as it is (opening
// /proc/self/fd/0 of a pipe shares the pipe, as a reopen of a pipe does in Linux).

import { EACCES, EBADF } from "../../errno.ts";
import type { OpenFile } from "../../fs/file.ts";
import { O_CLOEXEC } from "../../fs/file.ts";
import { constants, openSync } from "node:fs";
import { borrowedPath, hostFileOps, hostOpenFile, type HostFileData } from "../../fs/hostfile.ts";
import { hostOpen, hostOpenFlags } from "../hostfs.ts";
import { S_IFMT, S_IFREG, type KStat } from "../../fs/stat.ts";
import type { Task } from "../../proc/task.ts";
import { Dentry, type Mount } from "../dentry.ts";
import type { Inode } from "../inode.ts";
import type { Vfs } from "../mount.ts";
import { SynthDir, SynthFile, SynthLink, type Owner, type SynthEntry, type SynthFs } from "../synth.ts";

/** Whether `reader` may look into `target`'s files (ptrace_may_access, simplified). */
export function mayInspect(reader: Task, target: Task): boolean {
  const c = reader.cred;
  return reader.pid === target.pid || c.fsuid === 0 || (c.fsuid === target.cred.uid && c.fsuid === target.cred.euid);
}

/** What readlink of /proc/<pid>/fd/N shows for f. */
export function fdPath(f: OpenFile, vfs: Vfs): string {
  if (!f.dentry) {
    const d = f.data as HostFileData | null;
    // sysemu's own stdin/stdout/stderr: what the host calls them ("/dev/pts/1", "pipe:[42]")
    if (f.ops === hostFileOps && d?.borrowed) return borrowedPath(d.hostFd, (p) => vfs.guestPathOfHost(p));
    return f.path;
  }
  const st = f.ops.stat(f);
  const gone = typeof st !== "number" && st.nlink === 0 && (st.mode & S_IFMT) === S_IFREG;
  return gone ? `${f.dentry.path} (deleted)` : f.dentry.path;
}

/** An inode standing for an open file that has no place in the tree. */
class OpenFileInode implements Inode {
  readonly mode: number;
  constructor(readonly sb: SynthFs, private readonly f: OpenFile) {
    const st = f.ops.stat(f);
    this.mode = typeof st === "number" ? 0 : st.mode;
  }
  getattr(): KStat | number {
    return this.f.ops.stat(this.f);
  }
  open(_t: Task, _d: Dentry, flags: number): OpenFile | number {
    const d = this.f.data as HostFileData | null;
    if (this.f.ops === hostFileOps && d?.borrowed && (this.mode & S_IFMT) === S_IFREG) {
      // sysemu's own stdin redirected from a file: opening it again is a new open file with
      // its own offset, as /dev/stdin is on Linux; pipes and terminals are shared as they are
      // (the host's /proc/self/fd/N is itself a link: followed here, unlike a guest path's last step)
      const fd = hostOpen(() => openSync(`/proc/self/fd/${d.hostFd}`, hostOpenFlags(flags) & ~constants.O_NOFOLLOW));
      return fd < 0 ? fd : hostOpenFile(fd, flags, this.f.path, false);
    }
    return this.f;
  }
}

/** The dentry following /proc/<pid>/fd/N leads to. */
export function fdDentry(f: OpenFile, sb: SynthFs, mnt: Mount): Dentry {
  return f.dentry ?? new Dentry(f.path, null, new OpenFileInode(sb, f), mnt, f.path);
}

/** /proc/<pid>/fd */
export function fdDir(sb: SynthFs, mnt: Mount, target: Task, owner: Owner): SynthDir {
  const key = `${target.tid}/fd`;
  const list = (reader: Task): SynthEntry[] => {
    if (!mayInspect(reader, target)) return [];
    return target.files.entries().map(([fd]) => [String(fd), () => fdLink(sb, mnt, target, fd, owner)]);
  };
  return new SynthDir(sb, sb.ino(key), 0o500, owner, list);
}

function fdLink(sb: SynthFs, mnt: Mount, target: Task, fd: number, owner: Owner): SynthLink {
  const check = (reader: Task) => (mayInspect(reader, target) ? 0 : -EACCES);
  const live = () => target.files.get(fd);
  return new SynthLink(
    sb, sb.ino(`${target.tid}/fd/${fd}`), owner,
    (reader) => check(reader) || (live() ? fdPath(live()!, reader.kernel.vfs) : -EBADF),
    (reader) => check(reader) || (live() ? fdDentry(live()!, sb, mnt) : -EBADF),
  );
}

/** /proc/<pid>/fdinfo */
export function fdinfoDir(sb: SynthFs, target: Task, owner: Owner): SynthDir {
  const list = (reader: Task): SynthEntry[] => {
    if (!mayInspect(reader, target)) return [];
    return target.files.entries().map(([fd, f]) => [
      String(fd),
      () => new SynthFile(sb, sb.ino(`${target.tid}/fdinfo/${fd}`), 0o444, owner, () => fdinfoText(target, fd, f)),
    ]);
  };
  return new SynthDir(sb, sb.ino(`${target.tid}/fdinfo`), 0o500, owner, list);
}

function fdinfoText(target: Task, fd: number, f: OpenFile): string {
  const st = f.ops.stat(f);
  const flags = f.flags | (target.files.isCloexec(fd) ? O_CLOEXEC : 0) | 0o100000; // O_LARGEFILE, as on 64-bit
  const ino = typeof st === "number" ? 0n : st.ino;
  return `pos:\t${f.pos}\nflags:\t0${flags.toString(8)}\nmnt_id:\t${f.dentry?.mnt.id ?? 15}\nino:\t${ino}\n`;
}
