// /proc/<pid>: one process's files. The text comes from task-text.ts; this file lays out the
// directory, its owners and modes, and the magic links (exe, cwd, root, fd/N).

import { constants, openSync, statSync } from "node:fs";
import { EACCES, ENOENT } from "../../errno.ts";
import { O_ACCMODE, O_RDONLY, type OpenFile } from "../../fs/file.ts";
import { hostOpenFile } from "../../fs/hostfile.ts";
import { kstatFromHost, type KStat } from "../../fs/stat.ts";
import type { Task } from "../../proc/task.ts";
import { Dentry, type Mount } from "../dentry.ts";
import { hostCall, hostOpen } from "../hostfs.ts";
import type { Inode } from "../inode.ts";
import { AT_FDCWD, cwdOf, cwdPath, lookupAt } from "../namei.ts";
import { SynthDir, SynthFile, SynthLink, type Generate, type Owner, type SynthEntry, type SynthFs } from "../synth.ts";
import { fdDir, fdinfoDir, mayInspect } from "./fd.ts";
import { mountinfoText, mountsText } from "./misc-text.ts";
import { mapsText, statmText, statText, statusText, taskMemory } from "./task-text.ts";

/** The directory /proc/<pid> (or /proc/<pid>/task/<tid> when `thread`). */
export function pidDir(sb: SynthFs, mnt: Mount, target: Task, thread: boolean): SynthDir {
  const owner: Owner = () => ({ uid: target.cred.euid, gid: target.cred.egid });
  const key = thread ? `${target.pid}/task/${target.tid}` : `${target.tid}`;
  const file = (name: string, mode: number, gen: Generate, accept: ((t: Task, d: Uint8Array) => number) | null = null): SynthEntry =>
    [name, () => new SynthFile(sb, sb.ino(`${key}/${name}`), mode, owner, gen, accept)];
  const guarded = (gen: Generate): Generate => (reader) => (mayInspect(reader, target) ? gen(reader) : -EACCES);
  const link = (name: string, text: (r: Task) => string | number, magic: (r: Task) => Dentry | number): SynthEntry =>
    [name, () => new SynthLink(sb, sb.ino(`${key}/${name}`), owner, guarded(text) as (r: Task) => string | number, (r) => (mayInspect(r, target) ? magic(r) : -EACCES))];
  const entries: SynthEntry[] = [
    file("auxv", 0o400, guarded(() => target.auxv.slice())),
    file("cmdline", 0o444, () => taskMemory(target, target.argStart, target.argEnd)),
    file("comm", 0o644, () => `${target.comm}\n`, (_r, d) => setComm(target, d)),
    link("cwd", () => cwdText(target), () => cwdOf(target)),
    file("environ", 0o400, guarded(() => taskMemory(target, target.envStart, target.envEnd))),
    link("exe", () => target.exe || -ENOENT, (r) => exeDentry(r, target, sb, mnt)),
    ["fd", () => fdDir(sb, mnt, target, owner)],
    ["fdinfo", () => fdinfoDir(sb, target, owner)],
    file("maps", 0o444, guarded((r) => mapsText(r, target))),
    file("mountinfo", 0o444, (r) => mountinfoText(r)),
    file("mounts", 0o444, (r) => mountsText(r)),
    link("root", () => "/", (r) => r.kernel.vfs.root),
    file("stat", 0o444, () => statText(target)),
    file("statm", 0o444, () => statmText(target)),
    file("status", 0o444, () => statusText(target)),
  ];
  if (!thread) entries.push(["task", () => taskDir(sb, mnt, target, owner)]);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return new SynthDir(sb, sb.ino(key), 0o555, owner, () => entries);
}

/** /proc/<pid>/task: a directory per thread of the process. */
function taskDir(sb: SynthFs, mnt: Mount, target: Task, owner: Owner): SynthDir {
  const list = (reader: Task): SynthEntry[] =>
    [...reader.kernel.tasks.values()]
      .filter((o) => o.pid === target.pid && o.state !== "dead")
      .sort((a, b) => a.tid - b.tid)
      .map((o) => [String(o.tid), () => pidDir(sb, mnt, o, true)]);
  return new SynthDir(sb, sb.ino(`${target.tid}/task`), 0o555, owner, list);
}

/** Writing /proc/<pid>/comm renames the task (16 bytes with the NUL, a final newline dropped). */
function setComm(target: Task, data: Uint8Array): number {
  let text = Buffer.from(data).toString("utf8");
  if (text.endsWith("\n")) text = text.slice(0, -1);
  target.comm = Buffer.from(text, "utf8").subarray(0, 15).toString("utf8");
  return data.length;
}

/** Where /proc/<pid>/exe leads: the program in the guest's tree, or the host file the command
 *  line named when it lies outside --root (readable only: it is the program itself). */
function exeDentry(reader: Task, target: Task, sb: SynthFs, mnt: Mount): Dentry | number {
  if (!target.exe) return -ENOENT;
  const vfs = reader.kernel.vfs;
  if (vfs.hostExes.has(target.exe)) return new Dentry(target.exe, null, new HostExeInode(sb, target.exe), mnt, target.exe);
  return lookupAt(reader, AT_FDCWD, target.exe, true);
}

class HostExeInode implements Inode {
  readonly mode: number;
  constructor(readonly sb: SynthFs, private readonly host: string) {
    const st = hostCall(() => statSync(host));
    this.mode = typeof st === "number" ? 0 : st.mode;
  }
  getattr(): KStat | number {
    const st = hostCall(() => statSync(this.host, { bigint: true }));
    return typeof st === "number" ? st : kstatFromHost(st);
  }
  open(_t: Task, _d: Dentry, flags: number): OpenFile | number {
    if ((flags & O_ACCMODE) !== O_RDONLY) return -EACCES;
    const fd = hostOpen(() => openSync(this.host, constants.O_RDONLY));
    return fd < 0 ? fd : hostOpenFile(fd, O_RDONLY, this.host, false);
  }
}

/** readlink of /proc/<pid>/cwd: d_path, with " (deleted)" once the directory is removed. */
function cwdText(target: Task): string | number {
  const p = cwdPath(target);
  return typeof p === "number" ? p : p.deleted ? `${p.path} (deleted)` : p.path;
}
