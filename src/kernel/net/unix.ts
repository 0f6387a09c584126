// AF_UNIX sockets (net/unix/af_unix.c): stream, datagram and seqpacket sockets between tasks of
// this kernel. Each sock has a receive queue of skbs (a message, or a piece of a stream, with
// the sender's name, credentials and passed files); a sender counts what it has queued at its
// peer (sk_wmem_alloc) and sleeps once that reaches sk_sndbuf. A connecting stream socket is
// paired at once with a new sock that waits in the listener's backlog until accept takes it.

import { ECONNREFUSED, ECONNRESET, EINVAL, EISCONN, ENOTCONN, EOPNOTSUPP, EPIPE, EPROTOTYPE, EAGAIN, EMSGSIZE, EPERM } from "../errno.ts";
import type { OpenFile } from "../fs/file.ts";
import { sleepOn, WaitQueue } from "../proc/sched.ts";
import { SI_USER, SIGPIPE } from "../signal/signal.ts";
import { sendSignal } from "../signal/sigsend.ts";
import { RETRY } from "../sysret.ts";
import { NO_TIMEOUT, sockDeadline, sockIntrErrno, timedOut } from "./sock_timeo.ts";
import type { BlockState, Task } from "../proc/task.ts";
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRBAND, POLLWRNORM } from "../vfs/pollbits.ts";
import { AF_UNIX, findOther, type UnixName } from "./unix_addr.ts";

export const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
export const MSG_OOB = 0x1, MSG_PEEK = 0x2, MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40;
export const MSG_EOR = 0x80, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
export const RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;
/** net.core.wmem_default */
export const SK_SNDBUF = 212992;
/** net.unix.max_dgram_qlen */
const MAX_DGRAM_QLEN = 10;
/** net.core.somaxconn */
export const SOMAXCONN = 4096;

/** struct ucred: who is at the other end (SO_PEERCRED, SCM_CREDENTIALS). */
export interface Ucred {
  pid: number;
  uid: number;
  gid: number;
}

/** A queued message or stream piece (struct sk_buff with its unix_skb_parms). */
interface Skb {
  data: Uint8Array;
  off: number;
  /** Whose sk_wmem_alloc the bytes are charged to; null for UDP, whose sender is not charged once delivered. */
  from: UnixSock | null;
  addr: Uint8Array | null;
  fds: OpenFile[] | null;
  cred: Ucred;
}

/** What a receive found besides the bytes: the sender's name, passed files, MSG_TRUNC. */
export interface RecvMeta {
  addr: Uint8Array | null;
  fds: OpenFile[];
  cred: Ucred | null;
  msgFlags: number;
}

let nextIno = 20000;

export function currentCred(t: Task): Ucred {
  return { pid: t.tgid, uid: t.cred.euid, gid: t.cred.egid };
}

/** struct unix_sock */
export class UnixSock {
  readonly ino = nextIno++;
  state: "close" | "listen" | "established" = "close";
  peer: UnixSock | null = null;
  /** The bound name as getsockname reports it (the whole sockaddr_un), or null. */
  addr: Uint8Array | null = null;
  /** Removes the name from the kernel's tables (set by bind). */
  unhash: (() => void) | null = null;
  readonly queue: Skb[] = [];
  /** Bytes in `queue`. */
  queued = 0;
  /** Bytes this sock has queued at its peers and not yet read (sk_wmem_alloc). */
  inflight = 0;
  readonly backlog: UnixSock[] = [];
  maxBacklog = 0;
  shutdown = 0;
  /** A pending error (sk_err), reported once by the next receive or SO_ERROR. */
  err = 0;
  dead = false;
  /** sk_peer_cred: the listener's at connect, the connector's for an accepted sock. */
  peerCred: Ucred | null = null;
  sndbuf = SK_SNDBUF;
  rcvbuf = SK_SNDBUF;
  /** Options setsockopt accepted and getsockopt reports back (SO_PASSCRED, SO_KEEPALIVE ...). */
  readonly opts = new Map<number, number>();
  readonly wait = new WaitQueue();
  /** SO_RCVTIMEO, SO_SNDTIMEO in jiffies (sock_timeo.ts). */
  rcvtimeo = NO_TIMEOUT;
  sndtimeo = NO_TIMEOUT;

  constructor(readonly type: number, protected readonly pollWait: WaitQueue) {}

  /** sk_family (SO_DOMAIN); AF_INET socks (inet.ts) reuse this machinery. */
  get family(): number {
    return AF_UNIX;
  }

  /** sk_protocol (SO_PROTOCOL). */
  get protocol(): number {
    return 0;
  }

  /** Readiness changed: sleepers on this sock and in poll/select/epoll look again. */
  changed(): void {
    this.wait.wake();
    this.pollWait.wake();
  }

  get connectionOriented(): boolean {
    return this.type !== SOCK_DGRAM;
  }

  /** A sock of the same kind in the same kernel (socketpair, an accepted connection). */
  sibling(): UnixSock {
    return new UnixSock(this.type, this.pollWait);
  }
}

export function pipeErr(t: Task, flags: number): number {
  if (!(flags & MSG_NOSIGNAL)) sendSignal(t, { signo: SIGPIPE, code: SI_USER, pid: t.tgid, uid: t.cred.uid }, false);
  return -EPIPE;
}

/**
 * The sleep of a socket call until `sk` changes (or `queues`), for at most `timeo` jiffies
 * (SO_RCVTIMEO/SO_SNDTIMEO: then `onTimeout`); a signal ends it with `onSignal`.
 */
function sleepOnSock(
  t: Task, sk: UnixSock, what: string, timeo: number = NO_TIMEOUT,
  onSignal: () => number = () => sockIntrErrno(timeo), onTimeout: () => number = () => -EAGAIN, queues: WaitQueue[] = [sk.wait],
): number {
  if (timeo === 0) return onTimeout();
  const deadline = sockDeadline(t, timeo);
  if (timedOut(t, deadline)) return onTimeout();
  return sleepOn(t, { what, queues, deadline, resume: (why) => (why === "signal" ? onSignal() : why === "timeout" ? onTimeout() : RETRY) });
}

/** A stream send's progress across the runs of one call that had to wait (see sched.ts). */
interface SendProgress extends BlockState {
  sk: UnixSock;
  done: number;
  skip: number;
}

function progress(t: Task, sk: UnixSock): SendProgress {
  const st = t.blockState as SendProgress | null;
  if (st && st.sk === sk) return st;
  const fresh: SendProgress = { sk, done: 0, skip: 0, retry() { this.skip = this.done; } };
  t.blockState = fresh;
  return fresh;
}

/** Files passed with a send (SCM_RIGHTS), one reference each, until a queued skb takes them. */
interface FdBox {
  fds: OpenFile[] | null;
}

/** A datagram with its sender's name and nobody charged for it (udp_queue_rcv_skb). */
export function queueDgram(to: UnixSock, data: Uint8Array, addr: Uint8Array, cred: Ucred): void {
  to.queue.push({ data, off: 0, from: null, addr, fds: null, cred });
  to.queued += data.length;
  to.changed();
}

function enqueue(to: UnixSock, from: UnixSock, data: Uint8Array, box: FdBox, t: Task): void {
  to.queue.push({ data, off: 0, from, addr: from.addr, fds: box.fds, cred: currentCred(t) });
  box.fds = null;
  to.queued += data.length;
  from.inflight += data.length;
  to.changed();
}

/** unix_stream_sendmsg; files ride on the first piece. */
function streamSend(t: Task, sk: UnixSock, src: Uint8Array, flags: number, nb: boolean, box: FdBox): number {
  if (sk.state !== "established" || !sk.peer) return -ENOTCONN;
  const st = progress(t, sk);
  const skipped = Math.min(st.skip, src.length); // sent by an earlier run of this call
  st.skip -= skipped;
  if (skipped > 0) box.fds?.forEach((f) => f.put()); // went out with the first piece
  if (skipped > 0) box.fds = null;
  let off = skipped;
  while (true) {
    const other = sk.peer;
    // TCP has no way to tell the sender about the peer's SHUT_RD: only AF_UNIX refuses the bytes
    if (sk.shutdown & SEND_SHUTDOWN || !other || other.dead || (other.shutdown & RCV_SHUTDOWN && sk.family === AF_UNIX)) return st.done > 0 ? st.done : pipeErr(t, flags);
    if (off === src.length) break;
    const room = sk.sndbuf - sk.inflight;
    if (room <= 0) {
      if (nb) return st.done > 0 ? st.done : -EAGAIN;
      const timeo = sk.sndtimeo;
      return sleepOnSock(t, sk, "unix_stream_sendmsg", timeo, () => (st.done > 0 ? st.done : sockIntrErrno(timeo)), () => (st.done > 0 ? st.done : -EAGAIN));
    }
    const n = Math.min(room, src.length - off);
    enqueue(other, sk, src.slice(off, off + n), box, t);
    off += n;
    st.done += n;
  }
  return src.length;
}

/** unix_dgram_sendmsg (seqpacket too): one message, to the peer or to `dest`. */
function dgramSend(t: Task, sk: UnixSock, src: Uint8Array, nb: boolean, box: FdBox, dest: UnixName | null): number {
  if (sk.type === SOCK_SEQPACKET) {
    if (sk.state !== "established") return -ENOTCONN;
    dest = null;
  }
  if (sk.shutdown & SEND_SHUTDOWN) return -EPIPE;
  if (src.length > sk.sndbuf - 32) return -EMSGSIZE;
  let other: UnixSock | number;
  if (dest) {
    other = findOther(t, dest);
    if (typeof other === "number") return other;
    if (other.type !== sk.type) return -EPROTOTYPE;
  } else {
    other = sk.peer ?? -ENOTCONN;
    if (typeof other === "number") return other;
  }
  if (other.dead) {
    if (sk.peer === other && sk.type === SOCK_DGRAM) sk.peer = null;
    return sk.type === SOCK_SEQPACKET ? -EPIPE : -ECONNREFUSED;
  }
  if (other.peer && other.peer !== sk && other.type === SOCK_DGRAM) return -EPERM;
  if (other.shutdown & RCV_SHUTDOWN) return -EPIPE;
  const full = (other.peer !== sk && other.queue.length > MAX_DGRAM_QLEN) || sk.inflight + src.length > sk.sndbuf;
  if (full) {
    if (nb) return -EAGAIN;
    return sleepOnSock(t, sk, "unix_dgram_sendmsg", sk.sndtimeo, undefined, undefined, [sk.wait, other.wait]);
  }
  enqueue(other, sk, src.slice(), box, t);
  return src.length;
}

/**
 * sendmsg on an AF_UNIX socket: bytes sent or -errno. It owns `fds` (SCM_RIGHTS, one reference
 * each): queued with the data, or dropped.
 */
export function unixSendmsg(t: Task, sk: UnixSock, src: Uint8Array, flags: number, nb: boolean, fds: OpenFile[] | null, dest: UnixName | null): number {
  const box: FdBox = { fds };
  let ret: number;
  nb ||= (flags & MSG_DONTWAIT) !== 0;
  if (flags & MSG_OOB) ret = -EOPNOTSUPP;
  else if (sk.type !== SOCK_STREAM) ret = dgramSend(t, sk, src, nb, box, dest);
  else if (dest) ret = sk.state === "established" ? -EISCONN : -EOPNOTSUPP;
  else ret = streamSend(t, sk, src, flags, nb, box);
  box.fds?.forEach((f) => f.put());
  return ret;
}

/** Drops what a receive consumed: the sender may send again. */
function consumed(sk: UnixSock, skb: Skb, n: number): void {
  skb.off += n;
  sk.queued -= n;
  if (skb.from) {
    skb.from.inflight -= n;
    skb.from.changed();
  }
  if (skb.off >= skb.data.length) sk.queue.shift();
}

function takeFds(skb: Skb, meta: RecvMeta, peek: boolean): void {
  if (!skb.fds) return;
  meta.fds.push(...(peek ? skb.fds.map((f) => f.get()) : skb.fds));
  if (!peek) skb.fds = null;
}

/** An error the sock holds (sk_err), handed out once. */
function sockError(sk: UnixSock): number {
  const e = sk.err;
  sk.err = 0;
  return e ? -e : 0;
}

/** unix_stream_recvmsg */
function streamRecv(t: Task, sk: UnixSock, dst: Uint8Array, flags: number, nb: boolean, meta: RecvMeta): number {
  if (sk.state !== "established") return -EINVAL;
  const eof = (sk.shutdown & RCV_SHUTDOWN) !== 0;
  const want = flags & MSG_WAITALL && !(flags & MSG_PEEK) ? dst.length : 1;
  if (dst.length > 0 && sk.queued < want && !eof) {
    if (sk.queued === 0) {
      const e = sockError(sk);
      if (e) return e;
    }
    if (nb) {
      if (sk.queued === 0) return -EAGAIN;
    } else {
      return sleepOnSock(t, sk, "unix_stream_recvmsg", sk.rcvtimeo);
    }
  }
  if (sk.queued === 0 && eof) {
    const e = sockError(sk);
    return e || 0;
  }
  let copied = 0;
  for (let i = 0; i < sk.queue.length && copied < dst.length; ) {
    const skb = sk.queue[i]!;
    if (copied > 0 && skb.fds) break; // files arrive with the bytes they were sent with
    if (copied === 0) {
      meta.addr = skb.addr;
      meta.cred = skb.cred;
    }
    const n = Math.min(dst.length - copied, skb.data.length - skb.off);
    dst.set(skb.data.subarray(skb.off, skb.off + n), copied);
    copied += n;
    const hadFds = skb.fds !== null;
    takeFds(skb, meta, (flags & MSG_PEEK) !== 0);
    if (flags & MSG_PEEK) i++;
    else consumed(sk, skb, n);
    if (hadFds) break;
  }
  return copied;
}

/** unix_dgram_recvmsg (seqpacket too): one message, cut to dst (MSG_TRUNC says so). */
function dgramRecv(t: Task, sk: UnixSock, dst: Uint8Array, flags: number, nb: boolean, meta: RecvMeta): number {
  if (sk.type === SOCK_SEQPACKET && sk.state !== "established") return -ENOTCONN;
  const skb = sk.queue[0];
  if (!skb) {
    const e = sockError(sk);
    if (e) return e;
    if (sk.shutdown & RCV_SHUTDOWN) return 0;
    if (nb) return -EAGAIN;
    return sleepOnSock(t, sk, "unix_dgram_recvmsg", sk.rcvtimeo);
  }
  const size = skb.data.length;
  const n = Math.min(dst.length, size);
  dst.set(skb.data.subarray(0, n));
  meta.addr = skb.addr;
  meta.cred = skb.cred;
  if (n < size) meta.msgFlags |= MSG_TRUNC;
  takeFds(skb, meta, (flags & MSG_PEEK) !== 0);
  if (!(flags & MSG_PEEK)) consumed(sk, skb, size);
  return flags & MSG_TRUNC ? size : n;
}

/** recvmsg on an AF_UNIX socket: bytes received (0 at EOF) or -errno; `meta` gets the rest. */
export function unixRecvmsg(t: Task, sk: UnixSock, dst: Uint8Array, flags: number, nb: boolean, meta: RecvMeta): number {
  if (flags & MSG_OOB) return -EOPNOTSUPP;
  nb ||= (flags & MSG_DONTWAIT) !== 0;
  return sk.type === SOCK_STREAM ? streamRecv(t, sk, dst, flags, nb, meta) : dgramRecv(t, sk, dst, flags, nb, meta);
}

/** unix_stream_connect: pairs sk with a new sock queued on the listener's backlog. */
export function unixConnect(t: Task, sk: UnixSock, name: UnixName, nb: boolean): number {
  if (!sk.connectionOriented) {
    const other = findOther(t, name);
    if (typeof other === "number") return other;
    if (other.type !== sk.type) return -EPROTOTYPE;
    sk.peer = other;
    return 0;
  }
  if (sk.state === "established") return -EISCONN;
  if (sk.state === "listen") return -EINVAL;
  const other = findOther(t, name);
  if (typeof other === "number") return other;
  if (other.type !== sk.type) return -EPROTOTYPE;
  return streamConnect(t, sk, other, nb);
}

/**
 * The connection itself, once the listener is found (by name here, by port for TCP's
 * inet_stream_connect): a new sock on other's backlog, paired with sk; 0, or the task waits.
 */
export function streamConnect(t: Task, sk: UnixSock, other: UnixSock, nb: boolean): number {
  if (other.state !== "listen" || other.dead) return -ECONNREFUSED;
  if (other.backlog.length > other.maxBacklog) {
    if (nb) return -EAGAIN;
    return sleepOnSock(t, other, "unix_stream_connect", sk.sndtimeo);
  }
  const newsk = sk.sibling();
  newsk.state = "established";
  newsk.peer = sk;
  newsk.addr = other.addr;
  newsk.peerCred = currentCred(t);
  sk.peer = newsk;
  sk.state = "established";
  sk.peerCred = other.peerCred;
  other.backlog.push(newsk);
  other.changed();
  return 0;
}

/** unix_listen */
export function unixListen(t: Task, sk: UnixSock, backlog: number): number {
  if (!sk.connectionOriented) return -EOPNOTSUPP;
  if (!sk.addr) return -EINVAL;
  if (sk.state !== "close" && sk.state !== "listen") return -EINVAL;
  sk.maxBacklog = Math.max(0, Math.min(backlog < 0 ? SOMAXCONN : backlog, SOMAXCONN));
  if (sk.state === "close") sk.peerCred = currentCred(t);
  sk.state = "listen";
  sk.changed(); // a connector waiting for room sees a bigger backlog
  return 0;
}

/** unix_accept: the next connection, or -EAGAIN/-EINVAL, or the task sleeps until one comes. */
export function unixAccept(t: Task, sk: UnixSock, nb: boolean): UnixSock | number {
  if (!sk.connectionOriented) return -EOPNOTSUPP;
  if (sk.state !== "listen") return -EINVAL;
  const newsk = sk.backlog.shift();
  if (!newsk) return nb ? -EAGAIN : sleepOnSock(t, sk, "unix_accept", sk.rcvtimeo);
  sk.changed(); // room in the backlog for a waiting connector
  return newsk;
}

/** socketpair: two connected socks. */
export function unixPair(t: Task, a: UnixSock): UnixSock {
  const b = a.sibling();
  a.peer = b;
  b.peer = a;
  a.state = b.state = "established";
  a.peerCred = b.peerCred = currentCred(t);
  return b;
}

/** unix_shutdown: SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2; the peer sees the mirror image. */
export function unixShutdown(sk: UnixSock, how: number): number {
  if (how < 0 || how > 2) return -EINVAL;
  const mode = how + 1; // SHUT_RD → RCV_SHUTDOWN, SHUT_WR → SEND_SHUTDOWN, SHUT_RDWR → both
  sk.shutdown |= mode;
  sk.changed();
  const other = sk.peer;
  if (other && sk.connectionOriented) {
    const peerMode = (mode & RCV_SHUTDOWN ? SEND_SHUTDOWN : 0) | (mode & SEND_SHUTDOWN ? RCV_SHUTDOWN : 0);
    other.shutdown |= peerMode;
    other.changed();
  } else if (sk.state !== "established" && sk.connectionOriented) {
    return -ENOTCONN;
  }
  return 0;
}

/** Empties a dead sock's queue: passed files are closed, senders may send again. */
function purge(sk: UnixSock): void {
  for (const skb of sk.queue.splice(0)) {
    skb.fds?.forEach((f) => f.put());
    if (skb.from) {
      skb.from.inflight -= skb.data.length - skb.off;
      skb.from.changed();
    }
  }
  sk.queued = 0;
}

/** unix_release_sock: the last descriptor of sk closed. */
export function unixRelease(sk: UnixSock, embryo = false): void {
  sk.dead = true;
  sk.unhash?.();
  sk.unhash = null;
  const other = sk.peer;
  if (other && sk.connectionOriented) {
    if (sk.queue.length > 0 || embryo) other.err = ECONNRESET;
    // a TCP peer's close is a FIN: the survivor may still send (once) until a RST comes back
    if (other.family === AF_UNIX || other.err) other.shutdown = SHUTDOWN_MASK;
    else other.shutdown |= RCV_SHUTDOWN;
    other.changed();
  } else if (other) {
    other.changed();
  }
  sk.peer = null;
  purge(sk);
  for (const child of sk.backlog.splice(0)) unixRelease(child, true);
  sk.state = "close";
  sk.shutdown = SHUTDOWN_MASK;
  sk.changed();
}

/** unix_poll / unix_dgram_poll */
export function unixPoll(sk: UnixSock): number {
  let mask = 0;
  if (sk.err) mask |= POLLERR;
  if (sk.shutdown === SHUTDOWN_MASK) mask |= POLLHUP;
  if (sk.shutdown & RCV_SHUTDOWN) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
  if (sk.queue.length > 0 || sk.backlog.length > 0) mask |= POLLIN | POLLRDNORM;
  if (sk.connectionOriented && sk.state === "close") mask |= POLLHUP;
  let writable = sk.state !== "listen" && sk.inflight * 4 <= sk.sndbuf;
  const other = sk.peer;
  if (!sk.connectionOriented && other && other.peer !== sk && other.queue.length > MAX_DGRAM_QLEN) writable = false;
  if (writable) mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
  return mask;
}
