// Files that live on the host: a host descriptor behind a guest open file. Regular files are
// read and written at the guest's own file position (so dup'ed descriptors share it as in
// Linux); pipes, terminals and sockets are streamed.

import * as fs from "node:fs";
import { hostIsatty as isatty } from "./isatty.ts";
import { EAGAIN, EBADF, EINVAL, EISDIR, ENOTTY, ERESTARTSYS, ESPIPE, hostErrno } from "./errno.ts";
import { OpenFile, O_APPEND, O_NONBLOCK, seekWithSize, type FileOps } from "./file.ts";
import { kstatFromHost, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG } from "./stat.ts";
import type { Task } from "./task.ts";
import { ttyJobIoctl, ttyNrFromHostRdev } from "./tty.ts";
import type { SetAttr } from "./vfs/inode.ts";
import { DEFAULT_POLLMASK, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from "./vfs/pollbits.ts";
import { waitEvent } from "./vfs/wait.ts";
import { copy_to_user } from "../mm/uaccess.ts";

export interface HostFileData {
  hostFd: number;
  seekable: boolean;
  isDir: boolean;
  /** Host descriptors 0-2 belong to sysemu itself: the guest closing them must not close ours. */
  borrowed: boolean;
  /** Bytes poll() took from a stream to see whether it was readable: read returns them first. */
  peeked?: Uint8Array | null;
  /** poll() saw the end of the stream: the next read returns 0. */
  peekedEof?: boolean;
  /** A second, non-blocking host descriptor of the same stream, for poll() to look through. */
  peekFd?: number | null;
  /** S_IFIFO or S_IFCHR: what kind of stream the twin is of. */
  streamType?: number;
  /** --file-owner: the host user's files are shown as owned by these guest ids. */
  ownerMap?: { hostUid: number; uid: number; gid: number };
}

function data(f: OpenFile): HostFileData {
  return f.data as HostFileData;
}

/** Runs a host call, turning a thrown Node error into -errno; retries EAGAIN by waiting. */
function host<T>(fn: () => T, blocking: boolean): T | number {
  for (;;) {
    try {
      return fn();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN" && blocking) {
        sleepMs(1); // a host descriptor in non-blocking mode: wait as a blocking read would
        continue;
      }
      return -hostErrno(code);
    }
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the emulator thread for ms milliseconds. */
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export const hostFileOps: FileOps = {
  read(f, t, dst, pos) {
    const d = data(f);
    if (d.isDir) return -EISDIR;
    const early = takePeeked(d, dst);
    if (early !== null) return early;
    if (!d.seekable) {
      const streamed = streamRead(f, t, dst);
      if (streamed !== null) return streamed;
    }
    const at = d.seekable ? (pos ?? f.pos) : null;
    const n = host(() => fs.readSync(d.hostFd, dst, 0, dst.length, at), (f.flags & O_NONBLOCK) === 0);
    if (typeof n === "number" && n > 0 && d.seekable && pos === null) f.pos += n;
    return n;
  },
  write(f, _t, src, pos) {
    const d = data(f);
    let at = d.seekable ? (pos ?? f.pos) : null;
    if (d.seekable && pos === null && f.flags & O_APPEND) at = fs.fstatSync(d.hostFd).size;
    let done = 0;
    while (done < src.length) {
      const n = host(() => fs.writeSync(d.hostFd, src, done, src.length - done, at === null ? null : at + done), true);
      if (typeof n !== "number" || n < 0) return done > 0 ? done : (n as number);
      done += n;
    }
    if (d.seekable && pos === null) f.pos = (at ?? 0) + done;
    return done;
  },
  llseek(f, offset, whence) {
    const d = data(f);
    if (!d.seekable && !d.isDir) return -ESPIPE;
    const size = Number(fs.fstatSync(d.hostFd).size);
    return seekWithSize(f, offset, whence, size);
  },
  stat(f) {
    const d = data(f);
    const r = host(() => fs.fstatSync(d.hostFd, { bigint: true }), false);
    if (typeof r === "number") return r;
    const st = kstatFromHost(r);
    return d.ownerMap && st.uid === d.ownerMap.hostUid ? { ...st, uid: d.ownerMap.uid, gid: d.ownerMap.gid } : st;
  },
  ioctl(f, t, req, arg) {
    if (req === FIONREAD) return fionread(f, t, arg);
    return ttyIoctl(data(f).hostFd, t, req, arg);
  },
  poll: (f) => hostPoll(f),
  setattr: (f, attr) => hostSetattr(data(f).hostFd, attr),
  fsync(f, datasync) {
    const d = data(f);
    if (!d.seekable && !d.isDir) return -EINVAL;
    const r = host(() => (datasync ? fs.fdatasyncSync(d.hostFd) : fs.fsyncSync(d.hostFd)), false);
    return typeof r === "number" ? r : 0;
  },
  release(f) {
    const d = data(f);
    if (d.peekFd !== undefined && d.peekFd !== null) host(() => fs.closeSync(d.peekFd!), false);
    if (!d.borrowed) host(() => fs.closeSync(d.hostFd), false);
  },
};

/** Serves bytes a poll() read ahead; null when there are none. */
function takePeeked(d: HostFileData, dst: Uint8Array): number | null {
  if (d.peeked && d.peeked.length > 0) {
    const n = Math.min(dst.length, d.peeked.length);
    dst.set(d.peeked.subarray(0, n));
    d.peeked = d.peeked.subarray(n);
    return n;
  }
  if (d.peekedEof) {
    d.peekedEof = false;
    return 0;
  }
  return null;
}

/**
 * The non-blocking twin of a host stream (a pipe, a terminal): a second open of the same stream
 * through /proc/self/fd/N, which poll and reads look through without blocking sysemu (Node has
 * no poll(2) and no O_NONBLOCK of its own descriptors). null for sockets, which cannot be
 * reopened, and for regular files, read at the offset they share with the host.
 */
function twin(d: HostFileData): number | null {
  if (d.peekFd !== undefined) return d.peekFd;
  const st = host(() => fs.fstatSync(d.hostFd), false);
  const type = typeof st === "number" ? 0 : st.mode & S_IFMT;
  d.peekFd = null;
  if (type === S_IFIFO || type === S_IFCHR) {
    const C = fs.constants;
    const fd = host(() => fs.openSync(`/proc/self/fd/${d.hostFd}`, C.O_RDONLY | C.O_NONBLOCK | C.O_NOCTTY), false);
    if (fd >= 0) d.peekFd = fd;
    d.streamType = type;
  }
  return d.peekFd;
}

/** Takes what the stream has now into d.peeked (or notes its end); false when it has nothing. */
function peek(d: HostFileData, fd: number): boolean {
  if ((d.peeked && d.peeked.length) || d.peekedEof) return true;
  const buf = new Uint8Array(65536);
  const n = host(() => fs.readSync(fd, buf, 0, buf.length, null), false);
  if (n === -EAGAIN) return false;
  if (n <= 0) d.peekedEof = true; // the end, or an error the real read will report
  else d.peeked = buf.slice(0, n);
  return true;
}

/** A read of a host stream that waits by parking the task; null when the stream has no twin. */
function streamRead(f: OpenFile, t: Task, dst: Uint8Array): number | null {
  const d = data(f);
  const fd = twin(d);
  if (fd === null) return null;
  if (!peek(d, fd)) {
    if (f.flags & O_NONBLOCK) return -EAGAIN;
    if (waitEvent(t, () => peek(d, fd), null) === "signal") return -ERESTARTSYS;
  }
  return takePeeked(d, dst) ?? 0;
}

/** Readiness of a host descriptor: streams are looked at through their twin. */
function hostPoll(f: OpenFile): number {
  const d = data(f);
  const out = f.writable ? POLLOUT | POLLWRNORM : 0;
  if (!f.readable || d.seekable || d.isDir) return DEFAULT_POLLMASK;
  const fd = twin(d);
  if (fd === null) return DEFAULT_POLLMASK;
  if (!peek(d, fd)) return out;
  // at the end, a pipe without writers is POLLHUP alone (pipe_poll); a terminal's EOF is POLLIN
  if (d.peeked && d.peeked.length) return out | POLLIN | POLLRDNORM;
  return out | (d.streamType === S_IFIFO ? POLLHUP : POLLIN | POLLRDNORM);
}

/** fchmod, fchown, ftruncate and futimens on a host descriptor. */
export function hostSetattr(fd: number, attr: SetAttr): number {
  const steps: (() => void)[] = [];
  if (attr.uid !== undefined || attr.gid !== undefined) steps.push(() => fs.fchownSync(fd, attr.uid ?? -1, attr.gid ?? -1));
  if (attr.mode !== undefined) steps.push(() => fs.fchmodSync(fd, attr.mode! & 0o7777));
  if (attr.size !== undefined) steps.push(() => fs.ftruncateSync(fd, attr.size));
  if (attr.atime !== undefined || attr.mtime !== undefined) {
    steps.push(() => {
      const st = fs.fstatSync(fd, { bigint: true });
      const pick = (v: SetAttr["atime"], old: bigint): number => (v === "now" ? Date.now() / 1000 : Number(v ?? old) / 1e9);
      fs.futimesSync(fd, pick(attr.atime, st.atimeNs), pick(attr.mtime, st.mtimeNs));
    });
  }
  for (const step of steps) {
    const r = host(step, false);
    if (typeof r === "number" && r < 0) return r;
  }
  return 0;
}

/** What /proc/self/fd shows for one of sysemu's own descriptors: the host's name for it. */
export function borrowedPath(fd: number, toGuest: (hostPath: string) => string | null): string {
  const target = host(() => fs.readlinkSync(`/proc/self/fd/${fd}`), false);
  if (typeof target === "number") return `/dev/fd/${fd}`;
  return target.startsWith("/") && !target.startsWith("/dev/") ? toGuest(target) ?? target : target;
}

/** An OpenFile for a host descriptor we already hold. */
export function hostOpenFile(hostFd: number, flags: number, path: string, borrowed: boolean): OpenFile | number {
  const st = host(() => fs.fstatSync(hostFd), false);
  if (typeof st === "number") return borrowed ? new OpenFile(hostFileOps, flags, path, { hostFd, seekable: false, isDir: false, borrowed }) : st;
  const type = st.mode & S_IFMT;
  // sysemu's own stdin/stdout/stderr share their file offset with whoever started us (a shell
  // appending to a log, say): they are streamed at the host's offset, never at one of ours.
  // Node has no lseek(2), so lseek on them fails with ESPIPE: a known limitation.
  const d: HostFileData = { hostFd, seekable: !borrowed && (type === S_IFREG || type === S_IFBLK), isDir: type === S_IFDIR, borrowed };
  return new OpenFile(hostFileOps, flags, path, d);
}

// termios for a terminal we cannot query (Node has no tcgetattr): the values a fresh Linux tty
// has (`stty sane`), which is what matters to programs: "this is a terminal", cooked mode.
const TCGETS = 0x5401, TIOCGWINSZ = 0x5413, FIONREAD = 0x541b, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;

function ttyIoctl(hostFd: number, t: Task, req: number, arg: number): number {
  if (!isatty(hostFd)) return -ENOTTY;
  const job = ttyJobIoctl(t, ttyNrFromHostRdev(fs.fstatSync(hostFd).rdev), req, arg); // TIOCSPGRP ...
  if (job !== null) return job;
  switch (req) {
    case TCGETS: {
      const b = new Uint8Array(36); // the kernel's struct termios (asm-generic): 4 flags, c_line, c_cc[19]
      const v = new DataView(b.buffer);
      v.setUint32(0, 0x6502, true);  // c_iflag: BRKINT|ICRNL|IXON|IMAXBEL|IUTF8
      v.setUint32(4, 0x5, true);     // c_oflag: OPOST|ONLCR
      v.setUint32(8, 0xbf, true);    // c_cflag: B38400|CS8|CREAD
      v.setUint32(12, 0x8a3b, true); // c_lflag: ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE
      b.set([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0], 17);
      return copy_to_user(t.mm, arg, b) ? -14 : 0;
    }
    case TCSETS: case TCSETSW: case TCSETSF:
      return 0; // accepted; the host terminal's mode is sysemu's own and stays as it is
    case TIOCGWINSZ: {
      const out = hostFd === 2 ? process.stderr : process.stdout;
      const b = new Uint8Array(8);
      const v = new DataView(b.buffer);
      v.setUint16(0, out.rows ?? 24, true);
      v.setUint16(2, out.columns ?? 80, true);
      return copy_to_user(t.mm, arg, b) ? -14 : 0;
    }
    default:
      return -EINVAL;
  }
}

/** FIONREAD: bytes left before EOF for a regular file; 0 for streams (Node cannot ask the host). */
function fionread(f: OpenFile, t: Task, arg: number): number {
  const d = data(f);
  if (d.isDir) return -ENOTTY;
  const st = host(() => fs.fstatSync(d.hostFd), false);
  if (typeof st === "number") return st;
  const n = d.seekable ? Math.max(0, Math.min(0x7fffffff, st.size - f.pos)) : 0;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return copy_to_user(t.mm, arg, b) ? -14 : 0;
}

export { EAGAIN, EBADF };
