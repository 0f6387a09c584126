// Files that live on the host: a host descriptor behind a guest open file. Regular files are
// read and written at the guest's own file position (so dup'ed descriptors share it as in
// Linux); pipes, terminals and sockets are streamed.
//
// sysemu's own stdin/stdout/stderr ("borrowed") share their open file description, offset
// included, with whoever started us: after `(prog; cat) < file`, cat goes on where prog stopped.
// Node has no lseek(2), so that offset can only be moved forward, by reading or writing through
// it. A borrowed regular file therefore has a position of its own too, taken from the host's
// offset (/proc/self/fdinfo) when first needed: reads are positional and leave the host offset
// behind; writes where the host offset is go through it (so that `prog > log` and `>> log` move
// it as they write, and stdout and stderr sharing one file interleave as on Linux), after which
// the position is the host's again; and when the guest closes the file for the last time, the
// host offset is read forward to where the guest's position ended. So lseek, pread, fseek and
// ftell work as on Linux, glibc's lseek back over the unread part of stdin's buffer at exit
// included, and the shell's offset ends where Linux leaves it, except when that is behind the
// host offset (the guest wrote through it, then seeked back) or the file is not open for
// reading: Node cannot move it there.

import * as fs from "node:fs";
import { hostIsatty as isatty } from "./isatty.ts";
import { EAGAIN, EBADF, EINVAL, EISDIR, ENOTTY, EPIPE, ERESTARTSYS, ESPIPE, hostErrno } from "../errno.ts";
import { OpenFile, O_APPEND, O_NONBLOCK, seekWithSize, type FileOps } from "./file.ts";
import { filemapActive, filemapHas, filemapTruncate, filemapUpdate, filemapWriteback, type FileBacking, type FileMapping } from "../../mm/filemap.ts";
import { setHostTimes } from "./hosttimes.ts";
import { kstatFromHost, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG } from "./stat.ts";
import type { Task } from "../proc/task.ts";
import { ttyJobIoctl, ttyNrFromHostRdev } from "./tty.ts";
import type { SetAttr } from "../vfs/inode.ts";
import { DEFAULT_POLLMASK, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from "../vfs/pollbits.ts";
import { waitEvent } from "../vfs/wait.ts";
import { PARK } from "../sysret.ts";
import { copy_from_user, copy_to_user } from "../../mm/uaccess.ts";
import { SI_USER, SIGPIPE } from "../signal/signal.ts";
import { sendSignal } from "../signal/sigsend.ts";

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
  /** A regular file's identity in the page cache: host "dev:ino". */
  key?: string;
  /**
   * A borrowed regular file: where the host's offset was when last looked up; null when not
   * known (at first, and after a write through it). While f.pos is there, it is the host's.
   */
  hostPos?: number | null;
  /** The host descriptor is O_APPEND (`>> log`): every write goes to the end, through it. */
  hostAppend?: boolean;
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
  writeCopies: true, // writeSync, and the page cache's own frames
  read(f, t, dst, pos) {
    const d = data(f);
    if (d.isDir) return -EISDIR;
    if (pos !== null && !d.seekable) return -ESPIPE; // pread of a pipe or terminal
    const early = takePeeked(d, dst);
    if (early !== null) return early;
    if (!d.seekable) {
      const streamed = streamRead(f, t, dst);
      if (streamed !== null) return streamed;
    }
    const at = d.seekable ? (pos ?? filePos(f, d)) : null;
    if (at !== null && d.key !== undefined && filemapActive()) filemapWriteback(d.key, at, dst.length);
    const n = host(() => fs.readSync(d.hostFd, dst, 0, dst.length, at), (f.flags & O_NONBLOCK) === 0);
    if (typeof n === "number" && n > 0 && d.seekable && pos === null) f.pos += n;
    return n;
  },
  write(f, t, src, pos) {
    const d = data(f);
    if (pos !== null && !d.seekable) return -ESPIPE;
    // a borrowed file written where the host's offset is: through it, so that it follows
    const through = pos === null && d.hostPos !== undefined && (d.hostPos === null || f.pos === d.hostPos || d.hostAppend === true) && (f.flags & O_APPEND) === 0;
    let at = d.seekable && !through ? (pos ?? f.pos) : null;
    if (d.seekable && pos === null && f.flags & O_APPEND) at = fs.fstatSync(d.hostFd).size;
    let done = 0;
    while (done < src.length) {
      const where = at === null || through ? null : at + done;
      const n = host(() => fs.writeSync(d.hostFd, src, done, src.length - done, where), true);
      if (typeof n !== "number" || n < 0) {
        // a host pipe whose reader is gone (`prog | head`): SIGPIPE, as pipe_write sends it
        if (n === -EPIPE && done === 0) sendSignal(t, { signo: SIGPIPE, code: SI_USER, pid: t.tgid, uid: t.cred.uid }, false);
        return done > 0 ? done : (n as number);
      }
      done += n;
    }
    if (through) {
      // the host offset moved on (to the end, under `>>`; others may share it): looked up when needed
      d.hostPos = null;
      const info = d.key !== undefined && filemapHas(d.key) ? hostFdinfo(d.hostFd) : null;
      if (info !== null) at = info.pos - done;
    } else if (d.seekable && pos === null) {
      f.pos = at! + done;
    }
    if (at !== null && d.key !== undefined && filemapActive()) filemapUpdate(d.key, at, src.subarray(0, done));
    return done;
  },
  llseek(f, offset, whence) {
    const d = data(f);
    if (!d.seekable && !d.isDir) return -ESPIPE;
    if (d.seekable) filePos(f, d);
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
  setattr: (f, attr) => hostSetattr(data(f).hostFd, attr, data(f).key),
  mapping: (f) => hostMapping(f),
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
    else if (d.hostPos !== undefined && d.hostPos !== null && f.pos > d.hostPos) skipForward(d.hostFd, f.pos - d.hostPos);
  },
};

/**
 * The file position of a seekable file. A borrowed one's is the host's offset until the guest
 * moves away from it: looked up afresh while they agree, as another descriptor sharing the
 * host's (stderr, when `> log 2>&1`) may have moved it.
 */
function filePos(f: OpenFile, d: HostFileData): number {
  if (d.hostPos === null || (d.hostPos !== undefined && f.pos === d.hostPos)) {
    const info = hostFdinfo(d.hostFd);
    if (info !== null) {
      f.pos = info.pos;
      d.hostAppend = (info.flags & fs.constants.O_APPEND) !== 0;
    }
    d.hostPos = f.pos;
  }
  return f.pos;
}

/** The `pos:` and `flags:` of /proc/self/fdinfo/N: the host's offset of one of our descriptors. */
function hostFdinfo(fd: number): { pos: number; flags: number } | null {
  const text = host(() => fs.readFileSync(`/proc/self/fdinfo/${fd}`, "latin1"), false);
  if (typeof text === "number") return null;
  const pos = /^pos:\s*(\d+)/m.exec(text);
  const flags = /^flags:\s*([0-7]+)/m.exec(text);
  return pos ? { pos: Number(pos[1]), flags: flags ? parseInt(flags[1]!, 8) : 0 } : null;
}

/** Moves a host descriptor's offset n bytes forward by reading through it (stops at an error or EOF). */
function skipForward(fd: number, n: number): void {
  const buf = new Uint8Array(Math.min(n, 1 << 20));
  while (n > 0) {
    const got = host(() => fs.readSync(fd, buf, 0, Math.min(n, buf.length), null), false);
    if (got <= 0) return;
    n -= got;
  }
}

/** A regular host file's page cache identity and access, for MAP_SHARED. */
function hostMapping(f: OpenFile): FileMapping | null {
  const d = data(f);
  if (d.key === undefined) return null;
  return { key: d.key, open: () => hostBacking(f, d) };
}

/**
 * Writeback goes through the mapped descriptor, kept open while the file is mapped (the guest
 * may close it, as vm_file keeps Linux's). An O_APPEND one is reopened without O_APPEND: a
 * positional write to it appends on Linux.
 */
function hostBacking(f: OpenFile, d: HostFileData): FileBacking {
  let fd = d.hostFd;
  let own = false;
  if (f.writable && f.flags & O_APPEND) {
    const C = fs.constants;
    const r = host(() => fs.openSync(`/proc/self/fd/${d.hostFd}`, C.O_RDWR | C.O_NOCTTY), false);
    if (r >= 0) [fd, own] = [r, true];
  }
  if (!own) f.get();
  return {
    writable: f.writable && (own || (f.flags & O_APPEND) === 0),
    read: (dst, pos) => {
      const n = host(() => fs.readSync(fd, dst, 0, dst.length, pos), false);
      return n < 0 ? 0 : n;
    },
    write: (src, pos) => void host(() => fs.writeSync(fd, src, 0, src.length, pos), false),
    size: () => {
      const st = host(() => fs.fstatSync(fd), false);
      return typeof st === "number" ? 0 : st.size;
    },
    release: () => (own ? void host(() => fs.closeSync(fd), false) : f.put()),
  };
}

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
    const why = waitEvent(t, () => peek(d, fd), null);
    if (why === "sleep") return PARK;
    if (why === "signal") return -ERESTARTSYS;
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

/** fchmod, fchown, ftruncate and futimens on a host descriptor (`key`: its page cache identity). */
export function hostSetattr(fd: number, attr: SetAttr, key?: string): number {
  const steps: (() => void)[] = [];
  if (attr.uid !== undefined || attr.gid !== undefined) steps.push(() => fs.fchownSync(fd, attr.uid ?? -1, attr.gid ?? -1));
  if (attr.mode !== undefined) steps.push(() => fs.fchmodSync(fd, attr.mode! & 0o7777));
  if (attr.size !== undefined) {
    steps.push(() => {
      const oldSize = key !== undefined && filemapHas(key) ? fs.fstatSync(fd).size : null;
      fs.ftruncateSync(fd, attr.size);
      if (oldSize !== null) filemapTruncate(key, oldSize, attr.size!);
    });
  }
  if (attr.atime !== undefined || attr.mtime !== undefined) {
    steps.push(() => setHostTimes(attr, () => fs.fstatSync(fd, { bigint: true }), (a, m) => fs.futimesSync(fd, a, m)));
  }
  for (const step of steps) {
    const r = host(step, false);
    if (typeof r === "number" && r < 0) return r;
  }
  return 0;
}

/** truncate(2) of a host path, keeping shared mappings of the file coherent (see mm/filemap.ts). */
export function truncateMapped(path: string | Buffer, size: number): void {
  const st = filemapActive() ? fs.statSync(path) : null;
  const key = st ? `${st.dev}:${st.ino}` : "";
  fs.truncateSync(path, size);
  if (st && filemapHas(key)) filemapTruncate(key, st.size, size);
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
  // A borrowed descriptor is seekable when it is a regular file (see the top of this file);
  // pipes and terminals are not, here as anywhere.
  const d: HostFileData = { hostFd, seekable: type === S_IFREG || (!borrowed && type === S_IFBLK), isDir: type === S_IFDIR, borrowed };
  if (type === S_IFREG) {
    d.key = `${st.dev}:${st.ino}`;
    // an open with O_TRUNC (or anyone on the host) may have cut a mapped file short
    if (filemapActive() && filemapHas(d.key)) filemapTruncate(d.key, Infinity, st.size);
  }
  if (borrowed && type === S_IFREG) d.hostPos = null;
  return new OpenFile(hostFileOps, flags, path, d);
}

// termios for a terminal we cannot query (Node has no tcgetattr): the values a fresh Linux tty
// has (`stty sane`), which is what matters to programs: "this is a terminal", cooked mode.
const TCGETS = 0x5401, TIOCGWINSZ = 0x5413, FIONREAD = 0x541b, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;

const ICANON = 0x2, ECHO = 0x8;

/** What a fresh Linux tty has (`stty sane`): cooked mode with echo. */
function saneTermios(t: Task): Uint8Array {
  return t.abi.encodeTermios({
    iflag: 0x6502,  // BRKINT|ICRNL|IXON|IMAXBEL|IUTF8
    oflag: 0x5,     // OPOST|ONLCR
    cflag: 0xbf,    // B38400|CS8|CREAD
    lflag: 0x8a3b,  // ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE
    line: 0,
    cc: [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0],
  });
}


function termiosOf(t: Task, hostFd: number): Uint8Array {
  return t.kernel.termios.get(fs.fstatSync(hostFd).rdev) ?? saneTermios(t);
}

/**
 * tcsetattr: kept for tcgetattr, and the part Node can apply reaches the host terminal: with
 * ICANON or ECHO off (raw mode, a password prompt) the terminal goes raw; Node puts it back
 * as it was when sysemu exits.
 */
function setTermios(t: Task, hostFd: number, b: Uint8Array): void {
  t.kernel.termios.set(fs.fstatSync(hostFd).rdev, b.slice());
  const { lflag } = t.abi.decodeTermios(b);
  const raw = (lflag & (ICANON | ECHO)) !== (ICANON | ECHO);
  if (hostFd === 0 && process.stdin.isTTY) process.stdin.setRawMode?.(raw);
}

function ttyIoctl(hostFd: number, t: Task, req: number, arg: number): number {
  if (!isatty(hostFd)) return -ENOTTY;
  const job = ttyJobIoctl(t, ttyNrFromHostRdev(fs.fstatSync(hostFd).rdev), req, arg); // TIOCSPGRP ...
  if (job !== null) return job;
  switch (req) {
    case TCGETS:
      return copy_to_user(t.mm, arg, termiosOf(t, hostFd)) ? -14 : 0;
    case TCSETS: case TCSETSW: case TCSETSF: {
      const b = new Uint8Array(t.abi.SIZEOF_TERMIOS);
      if (copy_from_user(t.mm, b, arg, b.length)) return -14;
      setTermios(t, hostFd, b);
      return 0;
    }
    case TIOCGWINSZ: {
      const out = hostFd === 2 ? process.stderr : process.stdout;
      return copy_to_user(t.mm, arg, t.abi.encodeWinsize(out.rows ?? 24, out.columns ?? 80)) ? -14 : 0;
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
  const n = d.seekable ? Math.max(0, Math.min(0x7fffffff, st.size - filePos(f, d))) : 0;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return copy_to_user(t.mm, arg, b) ? -14 : 0;
}

export { EAGAIN, EBADF };

/** Whether f is sysemu's own standard output or error (which a caller's pipe reader waits on). */
export function isHostStdout(f: OpenFile): boolean {
  if (f.ops !== hostFileOps) return false;
  const d = data(f);
  return d.borrowed && (d.hostFd === 1 || d.hostFd === 2);
}
