// POSIX message queue system calls (ipc/mqueue.c): mq_open, mq_unlink, mq_timedsend,
// mq_timedreceive, mq_notify, mq_getsetattr. glibc's mq_open passes the name without its
// leading '/'. The queues are src/kernel/ipc/mqueue.ts.

import { EACCES, EBADF, EBUSY, EEXIST, EFAULT, EINVAL, EMFILE, EMSGSIZE, ENAMETOOLONG, ENOENT, EOVERFLOW, EPERM } from "../src/kernel/errno.ts";
import { O_ACCMODE, O_CLOEXEC, O_CREAT, O_EXCL, O_NONBLOCK, type OpenFile } from "../src/kernel/fs/file.ts";
import {
  DFLT_MSG, DFLT_MSGMAX, DFLT_MSGSIZE, DFLT_MSGSIZEMAX, HARD_MSGMAX, HARD_MSGSIZEMAX, MQ_PRIO_MAX, MqInode, mqFile, mqNamespace, mqOf, mqReceive, mqSend,
  SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD,
} from "../src/kernel/ipc/mqueue.ts";
import { CAP_SYS_RESOURCE, capable, type Task } from "../src/kernel/proc/task.ts";
import { MAY_READ, MAY_WRITE, modePermission } from "../src/kernel/vfs/perm.ts";
import { copy_from_user, copy_to_user, strncpy_from_user } from "../src/mm/uaccess.ts";
import { decodeMqAttr, decodeSigeventHead, encodeMqAttr, SIZEOF_MQ_ATTR, SIZEOF_SIGEVENT } from "./abi/uapi-new.ts";
import { rlimit } from "./rlimit.ts";
import { defineSyscall } from "./types.ts";

const NAME_MAX = 255, PATH_MAX = 4096;
const RLIMIT_MSGQUEUE = 12;
/** sizeof(struct msg_msg) and sizeof(struct posix_msg_tree_node) on a 64-bit kernel. */
const SIZEOF_MSG_MSG = 48, SIZEOF_TREE_NODE = 48;
const NS = 1_000_000_000n;

/** getname + lookup_one_len in the mqueue root: the name, or -errno. */
function mqName(t: Task, p: number): string | number {
  const raw = new Uint8Array(PATH_MAX);
  const n = strncpy_from_user(t.mm, raw, p, raw.length);
  if (n < 0) return n;
  if (n >= PATH_MAX) return -ENAMETOOLONG;
  if (n === 0) return -ENOENT; // getname refuses the empty string
  const name = Buffer.from(raw.buffer, 0, n).toString("latin1");
  if (name === "." || name === ".." || name.includes("/")) return -EACCES;
  if (n > NAME_MAX) return -ENAMETOOLONG;
  return name;
}

/** The bytes a queue charges to its creator's RLIMIT_MSGQUEUE (mqueue_get_inode). */
function mqBytes(maxmsg: number, msgsize: number): bigint {
  const tree = BigInt(maxmsg) * BigInt(SIZEOF_MSG_MSG) + BigInt(Math.min(maxmsg, MQ_PRIO_MAX)) * BigInt(SIZEOF_TREE_NODE);
  return BigInt(maxmsg) * BigInt(msgsize) + tree;
}

/** Each kernel's ucounts of RLIMIT_MSGQUEUE bytes, by uid. */
const charged = new WeakMap<object, Map<number, bigint>>();
function chargedOf(t: Task): Map<number, bigint> {
  let m = charged.get(t.kernel);
  if (!m) charged.set(t.kernel, (m = new Map()));
  return m;
}

/** A queue's charge goes when it is unlinked and its last descriptor closed. */
const live = new WeakMap<MqInode, { opens: number; linked: boolean; uid: number; bytes: bigint; owner: Map<number, bigint> }>();
function maybeFree(q: MqInode): void {
  const l = live.get(q);
  if (!l || l.opens > 0 || l.linked) return;
  l.owner.set(l.uid, (l.owner.get(l.uid) ?? 0n) - l.bytes);
  live.delete(q);
}

function install(t: Task, q: MqInode, oflag: number): number {
  const f = mqFile(t, q, oflag & (O_ACCMODE | O_NONBLOCK));
  const l = live.get(q)!;
  l.opens++;
  f.onLastClose = () => {
    l.opens--;
    maybeFree(q);
  };
  const fd = t.files.install(f, (oflag & O_CLOEXEC) !== 0);
  if (fd < 0) f.get().put();
  return fd;
}

/** mq_open(2) */
export const sys_mq_open = defineSyscall({
  name: "mq_open", args: ["path", "oflags", "mode", "ptr"], ret: "fd",
  fn: (t, a) => {
    const oflag = a.int(1);
    let attr: { maxmsg: number; msgsize: number } | null = null;
    if (a.ptr(3) && oflag & O_CREAT) {
      const raw = new Uint8Array(SIZEOF_MQ_ATTR);
      if (copy_from_user(t.mm, raw, a.ptr(3), raw.length)) return -EFAULT;
      const m = decodeMqAttr(raw);
      if (m.maxmsg <= 0n || m.msgsize <= 0n) return -EINVAL;
      const [maxmsg, msgsize] = capable(t.cred, CAP_SYS_RESOURCE) ? [HARD_MSGMAX, HARD_MSGSIZEMAX] : [DFLT_MSGMAX, DFLT_MSGSIZEMAX];
      if (m.maxmsg > BigInt(maxmsg) || m.msgsize > BigInt(msgsize)) return -EINVAL;
      if (m.msgsize * m.maxmsg > 0xffff_ffff_ffff_ffffn) return -EOVERFLOW;
      attr = { maxmsg: Number(m.maxmsg), msgsize: Number(m.msgsize) };
    }
    const name = mqName(t, a.ptr(0));
    if (typeof name === "number") return name;
    const ns = mqNamespace(t.kernel);
    const q = ns.get(name);
    if (!q) {
      if (!(oflag & O_CREAT)) return -ENOENT;
      const maxmsg = attr?.maxmsg ?? DFLT_MSG, msgsize = attr?.msgsize ?? DFLT_MSGSIZE;
      const bytes = mqBytes(maxmsg, msgsize);
      const owner = chargedOf(t);
      const used = owner.get(t.cred.uid) ?? 0n;
      if (used + bytes > rlimit(t, RLIMIT_MSGQUEUE).cur) return -EMFILE;
      const mode = a.uint(2) & 0o7777 & ~t.fs.umask;
      const fresh = new MqInode(name, mode, t.cred.fsuid, t.cred.fsgid, maxmsg, msgsize, t.kernel.pollWait, t.kernel.clock.now(0)!);
      owner.set(t.cred.uid, used + bytes);
      live.set(fresh, { opens: 0, linked: true, uid: t.cred.uid, bytes, owner });
      ns.set(name, fresh);
      return install(t, fresh, oflag);
    }
    if ((oflag & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -EEXIST;
    if ((oflag & O_ACCMODE) === O_ACCMODE) return -EINVAL;
    const acc = [MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE][oflag & O_ACCMODE]!;
    const perm = modePermission(t.cred, q.mode, q.uid, q.gid, acc);
    if (perm) return perm;
    return install(t, q, oflag);
  },
});

/** mq_unlink(2): the name goes; open descriptors keep the queue. */
export const sys_mq_unlink = defineSyscall({
  name: "mq_unlink", args: ["path"],
  fn: (t, a) => {
    const name = mqName(t, a.ptr(0));
    if (typeof name === "number") return name;
    const ns = mqNamespace(t.kernel);
    const q = ns.get(name);
    if (!q) return -ENOENT;
    // the mqueue root is sticky (01777): only the queue's owner or root may remove it
    if (t.cred.fsuid !== 0 && t.cred.fsuid !== q.uid) return -EPERM;
    ns.delete(name);
    const l = live.get(q);
    if (l) l.linked = false;
    maybeFree(q);
    return 0;
  },
});

/** prepare_timeout: an absolute CLOCK_REALTIME deadline, null for none, or -errno. */
function absTimeout(t: Task, p: number): bigint | null | number {
  if (!p) return null;
  const raw = new Uint8Array(16);
  if (copy_from_user(t.mm, raw, p, 16)) return -EFAULT;
  const ts = t.abi.decodeTimespec(raw);
  if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= NS) return -EINVAL;
  return ts.sec * NS + ts.nsec;
}

function mqFileOf(t: Task, fd: number): { f: OpenFile; q: MqInode } | number {
  const f = t.files.get(fd);
  const q = mqOf(f);
  return f && q ? { f, q } : -EBADF;
}

/** mq_timedsend(2) */
export const sys_mq_timedsend = defineSyscall({
  name: "mq_timedsend", args: ["fd", "buf_in", "size", "uint", "timespec"],
  fn: (t, a) => {
    const deadline = absTimeout(t, a.ptr(4));
    if (typeof deadline === "number") return deadline;
    if (a.uint(3) >= MQ_PRIO_MAX) return -EINVAL;
    const m = mqFileOf(t, a.fd(0));
    if (typeof m === "number") return m;
    if (!m.f.writable) return -EBADF;
    const len = a.size(2);
    if (len > m.q.msgsize) return -EMSGSIZE;
    const data = new Uint8Array(len);
    if (copy_from_user(t.mm, data, a.ptr(1), len)) return -EFAULT;
    return mqSend(t, m.f, m.q, data, a.uint(3), deadline);
  },
});

/** mq_timedreceive(2): the oldest message of the highest priority. */
export const sys_mq_timedreceive = defineSyscall({
  name: "mq_timedreceive", args: ["fd", "ptr", "size", "ptr", "timespec"],
  fn: (t, a) => {
    const deadline = absTimeout(t, a.ptr(4));
    if (typeof deadline === "number") return deadline;
    const m = mqFileOf(t, a.fd(0));
    if (typeof m === "number") return m;
    if (!m.f.readable) return -EBADF;
    const len = a.size(2);
    if (len < m.q.msgsize) return -EMSGSIZE;
    const dst = new Uint8Array(m.q.msgsize);
    const prio = [0];
    const n = mqReceive(t, m.f, m.q, dst, prio, deadline);
    if (n < 0) return n;
    // the message is gone from the queue even when it cannot be stored (as Linux)
    if (copy_to_user(t.mm, a.ptr(1), dst.subarray(0, n))) return -EFAULT;
    if (a.ptr(3)) {
      const p = new Uint8Array(4);
      new DataView(p.buffer).setUint32(0, prio[0]!, true);
      if (copy_to_user(t.mm, a.ptr(3), p)) return -EFAULT;
    }
    return n;
  },
});

/** mq_notify(2): SIGEV_SIGNAL and SIGEV_NONE; SIGEV_THREAD needs a netlink socket sysemu lacks. */
export const sys_mq_notify = defineSyscall({
  name: "mq_notify", args: ["fd", "ptr"],
  support: "partial", note: "SIGEV_THREAD (a netlink socket) is EBADF",
  fn: (t, a) => {
    let ev: { value: bigint; signo: number; notify: number } | null = null;
    if (a.ptr(1)) {
      const raw = new Uint8Array(SIZEOF_SIGEVENT);
      if (copy_from_user(t.mm, raw, a.ptr(1), raw.length)) return -EFAULT;
      ev = decodeSigeventHead(raw);
      if (ev.notify !== SIGEV_NONE && ev.notify !== SIGEV_SIGNAL && ev.notify !== SIGEV_THREAD) return -EINVAL;
      if (ev.notify === SIGEV_SIGNAL && (ev.signo < 0 || ev.signo > 64)) return -EINVAL;
      if (ev.notify === SIGEV_THREAD) return -EBADF; // sigev_signo would be a netlink socket
    }
    const m = mqFileOf(t, a.fd(0));
    if (typeof m === "number") return m;
    const q = m.q;
    if (!ev) {
      if (q.notify?.group === t.group) q.notify = null;
      return 0;
    }
    if (q.notify && q.notify.group.life === "alive") return -EBUSY;
    q.notify = { group: t.group, notify: ev.notify, signo: ev.signo, value: ev.value };
    return 0;
  },
});

/** mq_getsetattr(2): only O_NONBLOCK of mq_flags can be set. */
export const sys_mq_getsetattr = defineSyscall({
  name: "mq_getsetattr", args: ["fd", "ptr", "ptr"],
  fn: (t, a) => {
    let flags: bigint | null = null;
    if (a.ptr(1)) {
      const raw = new Uint8Array(SIZEOF_MQ_ATTR);
      if (copy_from_user(t.mm, raw, a.ptr(1), raw.length)) return -EFAULT;
      flags = decodeMqAttr(raw).flags;
      if (flags & ~BigInt(O_NONBLOCK)) return -EINVAL;
    }
    const m = mqFileOf(t, a.fd(0));
    if (typeof m === "number") return m;
    const old = encodeMqAttr({ flags: BigInt(m.f.flags & O_NONBLOCK), maxmsg: BigInt(m.q.maxmsg), msgsize: BigInt(m.q.msgsize), curmsgs: BigInt(m.q.msgs.length) });
    if (flags !== null) m.f.flags = flags ? m.f.flags | O_NONBLOCK : m.f.flags & ~O_NONBLOCK;
    if (a.ptr(2) && copy_to_user(t.mm, a.ptr(2), old)) return -EFAULT;
    return 0;
  },
});
