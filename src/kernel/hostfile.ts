// Files that live on the host: a host descriptor behind a guest open file. Regular files are
// read and written at the guest's own file position (so dup'ed descriptors share it as in
// Linux); pipes, terminals and sockets are streamed.

import * as fs from "node:fs";
import { isatty } from "node:tty";
import { EAGAIN, EBADF, EINVAL, EISDIR, ENOTTY, hostErrno } from "./errno.ts";
import { OpenFile, O_APPEND, O_NONBLOCK, seekWithSize, type FileOps } from "./file.ts";
import { kstatFromHost, S_IFDIR, S_IFMT, S_IFREG, S_IFBLK } from "./stat.ts";
import type { Task } from "./task.ts";
import { copy_to_user } from "../mm/uaccess.ts";

export interface HostFileData {
  hostFd: number;
  seekable: boolean;
  isDir: boolean;
  /** Host descriptors 0-2 belong to sysemu itself: the guest closing them must not close ours. */
  borrowed: boolean;
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
  read(f, _t, dst, pos) {
    const d = data(f);
    if (d.isDir) return -EISDIR;
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
    if (!d.seekable && !d.isDir) return -29; // ESPIPE
    const size = Number(fs.fstatSync(d.hostFd).size);
    return seekWithSize(f, offset, whence, size);
  },
  stat(f) {
    const r = host(() => fs.fstatSync(data(f).hostFd, { bigint: true }), false);
    return typeof r === "number" ? r : kstatFromHost(r);
  },
  ioctl(f, t, req, arg) {
    if (req === FIONREAD) return fionread(f, t, arg);
    return ttyIoctl(data(f).hostFd, t, req, arg);
  },
  release(f) {
    const d = data(f);
    if (!d.borrowed) host(() => fs.closeSync(d.hostFd), false);
  },
};

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
