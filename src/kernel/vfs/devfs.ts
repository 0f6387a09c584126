// /dev (drivers/char/mem.c, random.c, tty_io.c, printk's devkmsg): the memory devices, the
// random devices, the controlling terminal, the kernel log, and the fd links into /proc/self.
// Names /dev does not have come from the host's /dev when the guest sees the host's root (a
// terminal's /dev/pts/N); under --root nothing of the host's /dev is visible.

import { openSync } from "node:fs";
import { EAGAIN, EINTR, EINVAL, ENOSPC, ENXIO, EPIPE } from "../errno.ts";
import { OpenFile, O_NONBLOCK, O_TRUNC, type FileOps } from "../fs/file.ts";
import { hostOpenFile } from "../fs/hostfile.ts";
import { makedev, S_IFCHR } from "../fs/stat.ts";
import type { Task } from "../proc/task.ts";
import type { Dentry } from "./dentry.ts";
import { hostOpen, HostFs, hostOpenFlags, keptFlags } from "./hostfs.ts";
import type { Inode } from "./inode.ts";
import { SynthDev, SynthDir, SynthFs, SynthLink, type SynthEntry } from "./synth.ts";
import { POLLIN, POLLRDNORM } from "./pollbits.ts";
import { waitEvent } from "./wait.ts";
import { PARK } from "../sysret.ts";

const devStat = (f: OpenFile) => f.dentry!.inode.getattr();

const nullOps: FileOps = { read: () => 0, write: (_f, _t, src) => src.length, llseek: () => 0, stat: devStat };
const zeroOps: FileOps = { read: (_f, _t, dst) => (dst.fill(0), dst.length), write: (_f, _t, src) => src.length, llseek: () => 0, stat: devStat };
const fullOps: FileOps = { read: (_f, _t, dst) => (dst.fill(0), dst.length), write: () => -ENOSPC, llseek: () => 0, stat: devStat };
const randomOps: FileOps = {
  read: (_f, t, dst) => (dst.set(t.kernel.random.bytes(dst.length)), dst.length),
  write: (_f, _t, src) => src.length, // mixed into the pool in Linux; ours is seeded, so ignored
  llseek: (f) => f.pos,
  stat: devStat,
};

/** One record of the kernel log, as the lead's printk ring (src/kernel/printk.ts) keeps them. */
export interface PrintkRecord {
  seq: number;
  level: number;
  usec: bigint;
  text: string;
}

/** The part of the printk ring /dev/kmsg uses; `log` takes the lines written to /dev/kmsg. */
interface PrintkLike {
  records(): PrintkRecord[];
  log?(level: number, text: string): void;
}

function printkOf(t: Task): PrintkLike | null {
  const p = (t.kernel as unknown as { printk?: PrintkLike }).printk;
  return p && typeof p.records === "function" ? p : null;
}

/** devkmsg's escaping: bytes outside printable ASCII as \xNN. */
function kmsgEscape(text: string): string {
  let out = "";
  for (const b of Buffer.from(text, "utf8")) out += b < 0x20 || b >= 0x7f || b === 0x5c ? `\\x${b.toString(16).padStart(2, "0")}` : String.fromCharCode(b);
  return out;
}

interface KmsgData {
  seq: number;
  /** The opener: llseek has no task argument, and the log is its kernel's. */
  opener: Task;
}

const kmsgOps: FileOps = {
  read(f, t, dst) {
    const d = f.data as KmsgData;
    const next = () => printkOf(t)?.records().find((r) => r.seq >= d.seq) ?? null;
    if (!next() && f.flags & O_NONBLOCK) return -EAGAIN;
    const why = waitEvent(t, () => next() !== null, null);
    if (why === "sleep") return PARK;
    if (why === "signal") return -EINTR;
    const recs = printkOf(t)!.records();
    if (recs.length && d.seq < recs[0]!.seq) {
      d.seq = recs[0]!.seq;
      return -EPIPE; // records were overwritten before this reader saw them
    }
    const r = next()!;
    const line = Buffer.from(`${r.level},${r.seq},${r.usec},-;${kmsgEscape(r.text)}\n`, "utf8");
    if (line.length > dst.length) return -EINVAL;
    dst.set(line);
    d.seq = r.seq + 1;
    return line.length;
  },
  write(_f, t, src) {
    const text = Buffer.from(src).toString("utf8").replace(/\n$/, "");
    const m = /^<(\d+)>/.exec(text);
    printkOf(t)?.log?.(m ? Number(m[1]) & 7 : 4, m ? text.slice(m[0].length) : text);
    return src.length;
  },
  llseek(f, offset, whence) {
    if (offset !== 0) return -EINVAL;
    const d = f.data as KmsgData;
    const recs = printkOf(d.opener)?.records() ?? [];
    if (whence === 0 || whence === 3) d.seq = recs[0]?.seq ?? 0; // SEEK_SET, SEEK_DATA
    else if (whence === 2) d.seq = (recs[recs.length - 1]?.seq ?? -1) + 1; // SEEK_END
    else return -EINVAL;
    return 0;
  },
  poll(f, t) {
    const d = f.data as KmsgData;
    return printkOf(t)?.records().some((r) => r.seq >= d.seq) ? POLLIN | POLLRDNORM : 0;
  },
  stat: devStat,
};

/** /dev/tty: the controlling terminal, which is the host's when sysemu runs on one. */
function openTty(t: Task, _d: Dentry, flags: number): OpenFile | number {
  if (t.ttyNr === 0) return -ENXIO;
  const fd = hostOpen(() => openSync("/dev/tty", hostOpenFlags(flags & ~O_TRUNC)));
  if (fd < 0) return -ENXIO;
  return hostOpenFile(fd, keptFlags(flags), "/dev/tty", false);
}

export class DevFs extends SynthFs {
  readonly rootInode: SynthDir;
  private readonly hostDev: HostFs | null;

  /** `hostFallback`: names missing here are looked up in the host's /dev. */
  constructor(hostFallback: boolean) {
    super("devtmpfs", makedev(0, 5), 2n);
    this.hostDev = hostFallback ? new HostFs("/dev", false, process.getuid?.() ?? 0) : null;
    const entries = this.entries();
    this.rootInode = new SynthDir(this, 1n, 0o755, () => ({ uid: 0, gid: 0 }), () => entries, (name) => this.hostLookup(name));
  }

  private entries(): SynthEntry[] {
    const dev = (name: string, mode: number, major: number, minor: number, open: (t: Task, d: Dentry, flags: number) => OpenFile | number): SynthEntry => {
      const inode = new SynthDev(this, this.ino(name), S_IFCHR | mode, makedev(major, minor), open);
      return [name, () => inode];
    };
    const simple = (ops: FileOps, name: string) => (_t: Task, _d: Dentry, flags: number) => new OpenFile(ops, keptFlags(flags), `/dev/${name}`);
    const link = (name: string, target: string): SynthEntry => {
      const inode = new SynthLink(this, this.ino(name), () => ({ uid: 0, gid: 0 }), () => target);
      return [name, () => inode];
    };
    return [
      link("fd", "/proc/self/fd"),
      dev("full", 0o666, 1, 7, simple(fullOps, "full")),
      dev("kmsg", 0o644, 1, 11, (t, _d, flags) =>
        new OpenFile(kmsgOps, keptFlags(flags), "/dev/kmsg", { seq: printkOf(t)?.records()[0]?.seq ?? 0, opener: t } satisfies KmsgData)),
      dev("null", 0o666, 1, 3, simple(nullOps, "null")),
      dev("random", 0o666, 1, 8, simple(randomOps, "random")),
      link("stderr", "/proc/self/fd/2"),
      link("stdin", "/proc/self/fd/0"),
      link("stdout", "/proc/self/fd/1"),
      dev("tty", 0o666, 5, 0, openTty),
      dev("urandom", 0o666, 1, 9, simple(randomOps, "urandom")),
      dev("zero", 0o666, 1, 5, simple(zeroOps, "zero")),
    ];
  }

  private hostLookup(name: string): Inode | null {
    if (!this.hostDev || name === "shm") return null;
    const root = this.hostDev.root();
    if (typeof root === "number") return null;
    const inode = root.lookup(name);
    return typeof inode === "number" ? null : inode;
  }
}
