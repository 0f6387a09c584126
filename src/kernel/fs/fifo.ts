// FIFOs (fs/pipe.c fifo_open): a named pipe. The name and inode belong to a file system (a tmpfs
// node, or a FIFO on the host directory: hostfs never opens it on the host, where Node would block
// and no data could reach the guest anyway); the pipe behind it is a kernel Pipe that lives while
// some end is open, so data written and not read is gone when the last end closes, as in Linux.
// An open for reading waits for a writer and one for writing waits for a reader, each counting
// itself first so that the partner's open sees it (r_counter/w_counter tell a waiting opener
// that a partner came, even if it already left again).

import { ENXIO, ERESTARTSYS } from "../errno.ts";
import { OpenFile, O_ACCMODE, O_CLOEXEC, O_CREAT, O_EXCL, O_NOCTTY, O_NONBLOCK, O_RDONLY, O_TRUNC, O_WRONLY, type FileOps } from "./file.ts";
import type { Kernel } from "../kernel.ts";
import { Pipe, pipeIoctl, pipePoll, pipeRead, pipeRelease, pipeWrite, registerPipeOps, type PipeEnd } from "./pipe.ts";
import { sleepOn, WaitQueue } from "../proc/sched.ts";
import { RETRY } from "../sysret.ts";
import type { Task } from "../proc/task.ts";
import type { Dentry } from "../vfs/dentry.ts";

/** What identifies one FIFO: its tmpfs node, or "dev:ino" of a host FIFO. */
export type FifoKey = object | string;

/** A task waiting in fifo_open: its end (already counted) and the partner counter it saw. */
interface Opening {
  end: PipeEnd;
  seen: number;
}

interface FifoState {
  key: FifoKey;
  opening: Map<Task, Opening>;
  /** Openers sleep here until a partner opens (the kernel uses pipe->rd_wait). */
  openWait: WaitQueue;
}

const states = new WeakMap<Pipe, FifoState>();

function end(f: OpenFile): PipeEnd {
  return f.data as PipeEnd;
}

/** A FIFO's open file: a pipe end whose stat is the named inode's. */
const fifoFileOps: FileOps = {
  writeCopies: true, // into the pipe's ring
  read: (f, t, dst) => pipeRead(f, t, dst),
  write: (f, t, src) => pipeWrite(f, t, src),
  stat: (f) => f.dentry!.inode.getattr(),
  poll: (f) => pipePoll(end(f)),
  ioctl: (f, t, req, arg) => pipeIoctl(end(f).pipe, t, req, arg),
  release: (f) => {
    pipeRelease(end(f));
    dropIfUnused(end(f).pipe);
  },
};
let registered = false;

function table(k: Kernel): Map<FifoKey, Pipe> {
  return (k.fifos ??= new Map());
}

/** The pipe of a FIFO: the one in use, or a new one (find_inode_pipe / get_pipe_inode). */
function fifoPipe(t: Task, key: FifoKey): Pipe {
  const m = table(t.kernel);
  let pipe = m.get(key);
  if (!pipe) {
    pipe = new Pipe(t.cred.fsuid, t.cred.fsgid, t.kernel.pollWait);
    pipe.readers = pipe.writers = 0;
    states.set(pipe, { key, opening: new Map(), openWait: new WaitQueue() });
    m.set(key, pipe);
    fifoKernel.set(pipe, t.kernel);
  }
  return pipe;
}

const fifoKernel = new WeakMap<Pipe, Kernel>();

/** free_pipe_info: no end open and nobody opening: the buffer goes. */
function dropIfUnused(pipe: Pipe): void {
  const st = states.get(pipe)!;
  if (pipe.readers + pipe.writers > 0 || st.opening.size > 0) return;
  const k = fifoKernel.get(pipe);
  if (k && table(k).get(st.key) === pipe) table(k).delete(st.key);
}

/** The waiting opener's call ended some other way (killed, or a signal after its wake-up). */
function pruneStale(pipe: Pipe, st: FifoState): void {
  for (const [task, o] of st.opening) {
    const still = (task.blockState as FifoWait | null)?.fifoOpen === pipe && task.state !== "zombie" && task.state !== "dead";
    if (still) continue;
    st.opening.delete(task);
    pipeRelease(o.end);
  }
}

interface FifoWait {
  fifoOpen?: Pipe;
}

/** wake_up_partner */
function wakePartner(st: FifoState): void {
  st.openWait.wake();
}

/** fifo_open: opens the FIFO `key` named by d; may sleep until the other end opens. */
export function fifoOpen(t: Task, key: FifoKey, d: Dentry, flags: number): OpenFile | number {
  const pipe = fifoPipe(t, key);
  const st = states.get(pipe)!;
  const mine = st.opening.get(t);
  if (mine && (t.blockState as FifoWait | null)?.fifoOpen === pipe) {
    const now = mine.end.read ? pipe.wCounter : pipe.rCounter;
    if (now !== mine.seen) {
      st.opening.delete(t);
      return fifoFile(d, flags, mine.end);
    }
    return waitForPartner(t, pipe, st);
  }
  pruneStale(pipe, st);
  const acc = flags & O_ACCMODE;
  const nonblock = (flags & O_NONBLOCK) !== 0;
  let e: PipeEnd;
  if (acc === O_RDONLY) {
    e = { pipe, read: true, write: false };
    pipe.rCounter++;
    if (pipe.readers++ === 0) wakePartner(st);
    if (pipe.writers === 0 && !nonblock) return beginWait(t, pipe, st, e, pipe.wCounter);
  } else if (acc === O_WRONLY) {
    if (pipe.readers === 0 && nonblock) {
      dropIfUnused(pipe);
      return -ENXIO;
    }
    e = { pipe, read: false, write: true };
    pipe.wCounter++;
    if (pipe.writers++ === 0) wakePartner(st);
    if (pipe.readers === 0) return beginWait(t, pipe, st, e, pipe.rCounter);
  } else {
    // O_RDWR never waits: it is its own partner
    e = { pipe, read: true, write: true };
    pipe.readers++;
    pipe.writers++;
    pipe.rCounter++;
    pipe.wCounter++;
    if (pipe.readers === 1 || pipe.writers === 1) wakePartner(st);
  }
  return fifoFile(d, flags, e);
}

function fifoFile(d: Dentry, flags: number, e: PipeEnd): OpenFile {
  // at first use, not at load: pipe.ts may still be loading when this module is (import cycle)
  if (!registered) registerPipeOps(fifoFileOps);
  registered = true;
  const f = new OpenFile(fifoFileOps, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | O_NOCTTY), d.path, e);
  f.dentry = d;
  return f;
}

function beginWait(t: Task, pipe: Pipe, st: FifoState, e: PipeEnd, seen: number): number {
  st.opening.set(t, { end: e, seen });
  t.blockState = { ...t.blockState, fifoOpen: pipe };
  return waitForPartner(t, pipe, st);
}

/** wait_for_partner: sleeps until the partner's counter moves; a signal undoes this open. */
function waitForPartner(t: Task, pipe: Pipe, st: FifoState): number {
  return sleepOn(t, {
    what: "fifo_open",
    queues: [st.openWait],
    resume: (why) => {
      if (why !== "signal") return RETRY;
      const o = st.opening.get(t);
      if (o) {
        st.opening.delete(t);
        pipeRelease(o.end);
        dropIfUnused(pipe);
      }
      return -ERESTARTSYS;
    },
  });
}
