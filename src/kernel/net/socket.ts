// Sockets as open files (net/socket.c sock_alloc_file, socket_file_ops): read and write are
// recvmsg and sendmsg without flags, poll asks the protocol, and /proc/<pid>/fd shows
// "socket:[ino]". AF_UNIX, AF_INET and AF_INET6 on the loopback (inet.ts, built on the AF_UNIX
// socks), and AF_NETLINK's NETLINK_ROUTE (netlink.ts); every socket answers the SIOCGIF* ioctls.

import { copy_to_user } from "../../mm/uaccess.ts";
import { EFAULT, ENOTTY } from "../errno.ts";
import { OpenFile, O_NONBLOCK, O_RDWR, type FileOps } from "../fs/file.ts";
import { makedev, S_IFSOCK, type KStat } from "../fs/stat.ts";
import type { Task } from "../proc/task.ts";
import { devIoctl, isDevIoctl } from "./dev_ioctl.ts";
import { InetSock, inetRecvmsg, inetSendmsg } from "./inet.ts";
import { NetlinkSock, netlinkSendmsg } from "./netlink.ts";
import { unixPoll, unixRecvmsg, unixRelease, unixSendmsg, UnixSock, type RecvMeta } from "./unix.ts";

/** sockfs's anonymous device (major 0). */
const SOCKFS_DEV = makedev(0, 8);
const SIOCINQ = 0x541b, SIOCOUTQ = 0x5411;

export function sockOf(f: OpenFile): UnixSock | null {
  return f.ops === socketFileOps ? (f.data as UnixSock) : null;
}

export function newRecvMeta(): RecvMeta {
  return { addr: null, fds: [], cred: null, msgFlags: 0 };
}

function nonblock(f: OpenFile): boolean {
  return (f.flags & O_NONBLOCK) !== 0;
}

const created = new WeakMap<UnixSock, { uid: number; gid: number; ns: bigint }>();

export const socketFileOps: FileOps = {
  read(f, t, dst) {
    const meta = newRecvMeta();
    const sk = f.data as UnixSock;
    const n = sk instanceof InetSock ? inetRecvmsg(t, sk, dst, 0, nonblock(f), meta) : unixRecvmsg(t, sk, dst, 0, nonblock(f), meta);
    meta.fds.forEach((x) => x.put()); // read(2) has nowhere to put passed files: they close
    return n;
  },
  write(f, t, src) {
    const sk = f.data as UnixSock;
    if (sk instanceof NetlinkSock) return netlinkSendmsg(t, sk, src, null);
    return sk instanceof InetSock ? inetSendmsg(t, sk, src, 0, nonblock(f), null) : unixSendmsg(t, sk, src, 0, nonblock(f), null, null);
  },
  poll: (f) => unixPoll(f.data as UnixSock),
  stat(f): KStat {
    const sk = f.data as UnixSock;
    const c = created.get(sk) ?? { uid: 0, gid: 0, ns: 0n };
    return {
      dev: SOCKFS_DEV, ino: BigInt(sk.ino), mode: S_IFSOCK | 0o777, nlink: 1, uid: c.uid, gid: c.gid, rdev: 0n,
      size: 0n, blksize: 4096, blocks: 0n, atimeNs: c.ns, mtimeNs: c.ns, ctimeNs: c.ns,
    };
  },
  ioctl(f, t, req, arg) {
    if (isDevIoctl(req)) return devIoctl(t, req, arg);
    const sk = f.data as UnixSock;
    let v: number;
    if (req === SIOCINQ) v = sk.type === 1 ? sk.queued : (sk.queue[0]?.data.length ?? 0);
    else if (req === SIOCOUTQ) v = sk.inflight;
    else return -ENOTTY;
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v, true);
    return copy_to_user(t.mm, arg, b) ? -EFAULT : 0;
  },
  release: (f) => unixRelease(f.data as UnixSock),
};

/** sock_alloc_file: an open file for sk, with SOCK_NONBLOCK's O_NONBLOCK. */
export function sockAllocFile(t: Task, sk: UnixSock, flags: number): OpenFile {
  created.set(sk, { uid: t.cred.fsuid, gid: t.cred.fsgid, ns: BigInt(Date.now()) * 1_000_000n });
  return new OpenFile(socketFileOps, O_RDWR | (flags & O_NONBLOCK), `socket:[${sk.ino}]`, sk);
}
