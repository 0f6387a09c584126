// Pipes (the kernel's fs/pipe.c): a ring buffer (64 KiB unless F_SETPIPE_SZ changes it) between a read end and a write end.
// A reader of an empty pipe sleeps until a writer writes or the last writer closes (EOF); a
// writer of a full pipe sleeps until there is room, and gets SIGPIPE and EPIPE once no reader
// is left. Writes of up to PIPE_BUF bytes are atomic: they wait until they fit whole.

import { copy_to_user } from "../../mm/uaccess.ts";
import { EAGAIN, EBUSY, EFAULT, EINVAL, ENOTTY, EPIPE } from "../errno.ts";
import { OpenFile, O_NONBLOCK, O_RDONLY, O_WRONLY, type FileOps } from "./file.ts";
import { sleepOn, WaitQueue } from "../proc/sched.ts";
import { SI_USER, SIGPIPE } from "../signal/signal.ts";
import { sendSignal } from "../signal/sigsend.ts";
import { makedev, S_IFIFO, type KStat } from "./stat.ts";
import { ERESTARTSYS, RETRY } from "../sysret.ts";
import type { BlockState, Task } from "../proc/task.ts";
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from "../vfs/pollbits.ts";

export const PIPE_BUF = 4096;
/** The default pipe capacity (16 pages). */
export const PIPE_SIZE = 65536;
const FIONREAD = 0x541b;
/** pipefs's anonymous device (major 0). */
const PIPEFS_DEV = makedev(0, 12);

let nextIno = 4000;

/** /proc/sys/fs/pipe-max-size: the most F_SETPIPE_SZ gives without CAP_SYS_RESOURCE. */
export const PIPE_MAX_SIZE = 1048576;
const PAGE_SIZE = 4096;

/** struct pipe_inode_info */
export class Pipe {
  /** The ring; it grows on demand up to `capacity` (a 2 GiB F_SETPIPE_SZ allocates nothing). */
  private buf = new Uint8Array(PIPE_SIZE);
  private head = 0;
  /** Bytes waiting to be read. */
  len = 0;
  /** max_usage * PAGE_SIZE: what F_GETPIPE_SZ reports and writes may fill. */
  capacity = PIPE_SIZE;
  readers = 0;
  writers = 0;
  /** r_counter / w_counter: opens of each end so far (a FIFO opener waits for the other to move). */
  rCounter = 0;
  wCounter = 0;
  readonly readWait = new WaitQueue();
  readonly writeWait = new WaitQueue();
  readonly ino = nextIno++;
  readonly ctimeNs = BigInt(Date.now()) * 1_000_000n;

  /** @param pollWait the kernel's poll/select sleepers, told of every change */
  constructor(readonly uid: number, readonly gid: number, readonly pollWait: WaitQueue) {}

  get free(): number {
    return this.capacity - this.len;
  }

  /** Copies up to dst.length bytes out; returns how many. */
  take(dst: Uint8Array): number {
    const size = this.buf.length;
    const n = Math.min(dst.length, this.len);
    for (let i = 0; i < n; ) {
      const at = (this.head + i) % size;
      const k = Math.min(n - i, size - at);
      dst.set(this.buf.subarray(at, at + k), i);
      i += k;
    }
    this.head = (this.head + n) % size;
    this.len -= n;
    return n;
  }

  /** Appends src (which must fit in `free`). */
  put(src: Uint8Array): void {
    if (this.len + src.length > this.buf.length) this.regrow(Math.min(this.capacity, Math.max(this.len + src.length, this.buf.length * 2)));
    const size = this.buf.length;
    for (let i = 0; i < src.length; ) {
      const at = (this.head + this.len) % size;
      const k = Math.min(src.length - i, size - at);
      this.buf.set(src.subarray(i, i + k), at);
      i += k;
      this.len += k;
    }
  }

  /**
   * pipe_set_size: the new capacity in bytes (already a power-of-two number of pages), or
   * -EBUSY when the data in the pipe would not fit in that many pages.
   */
  resize(size: number): number {
    if (Math.ceil(this.len / PAGE_SIZE) > size / PAGE_SIZE) return -EBUSY;
    this.capacity = size;
    if (this.buf.length > size || this.buf.length < Math.min(size, PIPE_SIZE)) this.regrow(Math.min(size, PIPE_SIZE));
    return size;
  }

  /** Moves the bytes waiting into a fresh ring of `size` bytes, from its start. */
  private regrow(size: number): void {
    const data = new Uint8Array(this.len);
    const n = this.len;
    this.take(data);
    this.buf = new Uint8Array(Math.max(size, n));
    this.head = 0;
    this.put(data);
  }
}

/** round_pipe_size: a whole power-of-two number of pages, or 0 for sizes past 2^31. */
export function roundPipeSize(size: number): number {
  if (size > 2 ** 31) return 0;
  if (size < PAGE_SIZE) return PAGE_SIZE;
  return 2 ** Math.ceil(Math.log2(size));
}

/** A pipe's open file: the read end, the write end, or both (a FIFO opened O_RDWR). */
export interface PipeEnd {
  pipe: Pipe;
  read: boolean;
  write: boolean;
}

function end(f: OpenFile): PipeEnd {
  return f.data as PipeEnd;
}

/** Readiness changed: sleepers on the pipe and in poll/select look again. */
function changed(pipe: Pipe, q: WaitQueue): void {
  if (q.sleepers.length > 0) q.wake();
  if (pipe.pollWait.sleepers.length > 0) pipe.pollWait.wake();
}

/** A pipe write's progress across the runs of one write(2) that had to wait (see sched.ts). */
interface WriteProgress extends BlockState {
  pipe: Pipe;
  done: number;
  skip: number;
}

function progress(t: Task, pipe: Pipe): WriteProgress {
  const st = t.blockState as WriteProgress | null;
  if (st && st.pipe === pipe) return st;
  const fresh: WriteProgress = { pipe, done: 0, skip: 0, retry() { this.skip = this.done; } };
  t.blockState = fresh;
  return fresh;
}

/** pipe_read: what a read(2) of a pipe or FIFO end does. */
export function pipeRead(f: OpenFile, t: Task, dst: Uint8Array): number {
  const pipe = end(f).pipe;
  if (dst.length === 0) return 0;
  if (pipe.len > 0) {
    const n = pipe.take(dst);
    changed(pipe, pipe.writeWait);
    return n;
  }
  if (pipe.writers === 0) return 0;
  if (f.flags & O_NONBLOCK) return -EAGAIN;
  return sleepOn(t, { what: "pipe_read", queues: [pipe.readWait], resume: (why) => (why === "signal" ? -ERESTARTSYS : RETRY) });
}

/** pipe_write */
export function pipeWrite(f: OpenFile, t: Task, src: Uint8Array): number {
  const pipe = end(f).pipe;
  if (pipe.readers === 0) {
    sendSignal(t, { signo: SIGPIPE, code: SI_USER, pid: t.tgid, uid: t.cred.uid }, false);
    return -EPIPE;
  }
  // The common case, a write that fits and no earlier run of this call: no progress to keep.
  if (src.length <= pipe.free && !(t.blockState && (t.blockState as WriteProgress).pipe === pipe)) {
    pipe.put(src);
    changed(pipe, pipe.readWait);
    return src.length;
  }
  const st = progress(t, pipe);
  const skipped = Math.min(st.skip, src.length); // written by an earlier run of this call
  st.skip -= skipped;
  let off = skipped;
  const atomic = src.length <= Math.min(PIPE_BUF, pipe.capacity);
  while (off < src.length) {
    const n = Math.min(pipe.free, src.length - off);
    if (n === 0 || (atomic && pipe.free < src.length - off)) break;
    pipe.put(src.subarray(off, off + n));
    off += n;
    st.done += n;
    changed(pipe, pipe.readWait);
  }
  if (off === src.length) return src.length;
  if (f.flags & O_NONBLOCK) return off > 0 ? off : -EAGAIN;
  return sleepOn(t, {
    what: "pipe_write",
    queues: [pipe.writeWait],
    resume: (why) => (why !== "signal" ? RETRY : st.done > 0 ? st.done : -ERESTARTSYS),
  });
}

/**
 * How many bytes a write to pipe end f could take now without waiting, for the kernel's own
 * copies (sendfile, splice) that must not take more from their source than the pipe accepts:
 * a positive count, or what the write returns instead (EPIPE with SIGPIPE, EAGAIN, or the wait
 * for room, after which the call runs again). A count of at least PIPE_BUF, or the whole
 * `want` when that is less, so that the write that follows is whole.
 */
export function pipeWriteRoom(f: OpenFile, t: Task, want: number): number {
  const pipe = end(f).pipe;
  if (pipe.readers === 0) {
    sendSignal(t, { signo: SIGPIPE, code: SI_USER, pid: t.tgid, uid: t.cred.uid }, false);
    return -EPIPE;
  }
  if (pipe.free > 0 && pipe.free >= Math.min(want, PIPE_BUF, pipe.capacity)) return Math.min(pipe.free, want);
  if (f.flags & O_NONBLOCK) return -EAGAIN;
  return sleepOn(t, { what: "pipe_write", queues: [pipe.writeWait], resume: (why) => (why === "signal" ? -ERESTARTSYS : RETRY) });
}

export const pipeFileOps: FileOps = {
  writeCopies: true, // into the ring
  read: (f, t, dst) => pipeRead(f, t, dst),
  write: (f, t, src) => pipeWrite(f, t, src),
  stat(f): KStat {
    const p = end(f).pipe;
    return {
      dev: PIPEFS_DEV, ino: BigInt(p.ino), mode: S_IFIFO | 0o600, nlink: 1, uid: p.uid, gid: p.gid, rdev: 0n,
      size: 0n, blksize: 4096, blocks: 0n, atimeNs: p.ctimeNs, mtimeNs: p.ctimeNs, ctimeNs: p.ctimeNs,
    };
  },
  poll: (f) => pipePoll(end(f)),
  ioctl: (f, t, req, arg) => pipeIoctl(end(f).pipe, t, req, arg),
  release: (f) => pipeRelease(end(f)),
};

/** pipe_poll */
export function pipePoll({ pipe, read, write }: PipeEnd): number {
  let ev = 0;
  if (read) ev |= (pipe.len > 0 ? POLLIN | POLLRDNORM : 0) | (pipe.writers === 0 ? POLLHUP : 0);
  if (write) ev |= (pipe.free >= Math.min(PIPE_BUF, pipe.capacity) ? POLLOUT | POLLWRNORM : 0) | (pipe.readers === 0 ? POLLERR : 0);
  return ev;
}

/** pipe_ioctl: FIONREAD. */
export function pipeIoctl(pipe: Pipe, t: Task, req: number, arg: number): number {
  if (req !== FIONREAD) return -ENOTTY;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, pipe.len, true);
  return copy_to_user(t.mm, arg, b) ? -EFAULT : 0;
}

/** pipe_release: one end fewer; the other side sees EOF or EPIPE when it was the last. */
export function pipeRelease({ pipe, read, write }: PipeEnd): void {
  if (read) pipe.readers--;
  if (write) pipe.writers--;
  if (read) changed(pipe, pipe.writeWait);
  if (write) changed(pipe, pipe.readWait);
}

const pipeEnds = new WeakMap<FileOps, true>([[pipeFileOps, true]]);

/** Marks a FileOps whose files' data is a PipeEnd (FIFOs), for pipeOf. */
export function registerPipeOps(ops: FileOps): void {
  pipeEnds.set(ops, true);
}

/** get_pipe_info: the pipe behind an open pipe or FIFO, or null for anything else. */
export function pipeOf(f: OpenFile): Pipe | null {
  return pipeEnds.has(f.ops) ? end(f).pipe : null;
}

/** Creates a pipe: the read end and the write end, with O_NONBLOCK/O_DIRECT from flags. */
export function createPipe(t: Task, flags: number): [OpenFile, OpenFile] | number {
  if (flags & ~(O_NONBLOCK | 0o40000 /* O_DIRECT */ | 0o2000000 /* O_CLOEXEC */)) return -EINVAL;
  const pipe = new Pipe(t.cred.fsuid, t.cred.fsgid, t.kernel.pollWait);
  const keep = flags & O_NONBLOCK;
  const path = `pipe:[${pipe.ino}]`;
  const r = new OpenFile(pipeFileOps, O_RDONLY | keep, path, { pipe, read: true, write: false } satisfies PipeEnd);
  const w = new OpenFile(pipeFileOps, O_WRONLY | keep, path, { pipe, read: false, write: true } satisfies PipeEnd);
  pipe.readers = 1;
  pipe.writers = 1;
  return [r, w];
}
