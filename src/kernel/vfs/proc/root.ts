// procfs (fs/proc/root.c, base.c): /proc with its system-wide files, the "self" and
// "thread-self" links (whose targets depend on who looks), and a directory per process from
// the kernel's task table.

import { makedev } from "../../fs/stat.ts";
import type { Task } from "../../proc/task.ts";
import type { Mount } from "../dentry.ts";
import type { Inode } from "../inode.ts";
import { SynthDir, SynthFile, SynthFs, SynthLink, type Generate, type SynthEntry } from "../synth.ts";
import { cpuinfoText, meminfoText, uptimeText, versionText } from "./misc-text.ts";
import { pidDir } from "./pid.ts";
import { SYSCTLS } from "./sys-text.ts";
import { sysvipcMsg, sysvipcSem, sysvipcShm } from "../../ipc/procfs.ts";

export class ProcFs extends SynthFs {
  readonly rootInode: SynthDir;
  private mnt: Mount | null = null;

  constructor() {
    super("proc", makedev(0, 22), 2n);
    this.rootInode = new SynthDir(this, 1n, 0o555, () => ({ uid: 0, gid: 0 }), (t) => this.list(t), (name, t) => this.findPid(name, t));
  }

  /** The mount proc is at (dentries made for magic links need one). */
  private mount(t: Task): Mount {
    this.mnt ??= t.kernel.vfs.mounts.get("/proc") ?? [...t.kernel.vfs.mounts.values()][0]!;
    return this.mnt;
  }

  private list(t: Task): SynthEntry[] {
    const file = (name: string, gen: Generate): SynthEntry => [name, () => new SynthFile(this, this.ino(name), 0o444, () => ({ uid: 0, gid: 0 }), gen)];
    const link = (name: string, target: (r: Task) => string): SynthEntry => [name, () => new SynthLink(this, this.ino(name), () => ({ uid: 0, gid: 0 }), target)];
    const pids = new Set<number>();
    for (const task of t.kernel.tasks.values()) if (task.state !== "dead" && task.tid === task.pid) pids.add(task.pid);
    return [
      file("cpuinfo", cpuinfoText),
      file("meminfo", meminfoText),
      link("mounts", () => "self/mounts"),
      link("self", (r) => String(r.pid)),
      link("thread-self", (r) => `${r.pid}/task/${r.tid}`),
      ["sys", () => this.tree("sys", Object.keys(SYSCTLS), (path) => SYSCTLS[path]!)],
      ["sysvipc", () => this.sysvipc(file)],
      file("uptime", uptimeText),
      file("version", versionText),
      ...[...pids].sort((a, b) => a - b).map((pid): SynthEntry => [String(pid), () => this.pidInode(t, pid)!]),
    ];
  }

  /** /proc/sysvipc: what ipcs(1) reads. */
  private sysvipc(file: (name: string, gen: Generate) => SynthEntry): SynthDir {
    const entries = [file("sysvipc/msg", sysvipcMsg), file("sysvipc/sem", sysvipcSem), file("sysvipc/shm", sysvipcShm)];
    const named = entries.map(([path, make]): SynthEntry => [path.slice("sysvipc/".length), make]);
    return new SynthDir(this, this.ino("sysvipc"), 0o555, () => ({ uid: 0, gid: 0 }), () => named);
  }

  /** A directory `dir` holding read-only files at the given paths below it (nested directories made as needed). */
  private tree(dir: string, paths: string[], gen: (path: string) => Generate): SynthDir {
    const owner = () => ({ uid: 0, gid: 0 });
    const children = new Map<string, SynthEntry>();
    for (const path of paths) {
      const [head, ...rest] = path.split("/");
      if (rest.length === 0) children.set(head!, [head!, () => new SynthFile(this, this.ino(`${dir}/${path}`), 0o444, owner, gen(path))]);
      else if (!children.has(head!)) {
        const below = paths.filter((p) => p.startsWith(`${head}/`)).map((p) => p.slice(head!.length + 1));
        children.set(head!, [head!, () => this.tree(`${dir}/${head}`, below, (p) => gen(`${head}/${p}`))]);
      }
    }
    const list = [...children.values()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return new SynthDir(this, this.ino(dir), 0o555, owner, () => list);
  }

  /** /proc/<n> for any thread id, listed or not (threads are found but not listed). */
  private findPid(name: string, t: Task): Inode | null {
    if (!/^[1-9]\d*$/.test(name)) return null;
    return this.pidInode(t, Number(name));
  }

  private pidInode(t: Task, n: number): Inode | null {
    for (const task of t.kernel.tasks.values()) {
      if (task.tid === n && task.state !== "dead") return pidDir(this, this.mount(t), task, false);
    }
    return null;
  }
}
