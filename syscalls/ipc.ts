// System V IPC (the kernel's ipc/shm.c, ipc/sem.c, ipc/msg.c): argument decoding, the
// asm-generic 64-bit struct layouts (ipc64_perm, shmid64_ds, semid64_ds, msqid64_ds and the
// *info structs), and the *ctl command switches. The objects live in src/kernel/ipc/.
//
// riscv64 has no ARCH_WANT_IPC_PARSE_VERSION: glibc passes the commands without IPC_64 and the
// kernel does not strip it (a command with 0x100 set is EINVAL).

import { E2BIG, EACCES, EFAULT, EINVAL, EPERM, ERANGE } from "../src/kernel/errno.ts";
import { doMsgrcv, doMsgsnd, msgget, msgRmid, msgSetQbytes, MSG_COPY, MSG_EXCEPT, MSG_INFO, MSG_STAT, MSG_STAT_ANY, type MsgQueue } from "../src/kernel/ipc/msg.ts";
import { ipcNs, MSGMAX, MSGMNB, MSGMNI, SEMAEM, SEMMNI, SEMMNS, SEMMSL, SEMOPM, SEMVMX, SHMMNI } from "../src/kernel/ipc/namespace.ts";
import {
  countSemcnt, GETALL, GETNCNT, GETPID, GETVAL, GETZCNT, semget, semRmid, semSetAll, semSetVal, semtimedop, SEM_INFO, SEM_STAT,
  SEM_STAT_ANY, SETALL, SETVAL, type SemArray, type Sembuf,
} from "../src/kernel/ipc/sem.ts";
import { doShmat, shmctlDown, shmdt, shmget, shmLock, SHM_INFO, SHM_LOCK, SHM_STAT, SHM_STAT_ANY, SHM_UNLOCK, type ShmidKernel } from "../src/kernel/ipc/shm.ts";
import { IPC_INFO, IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, ipcOwnerCheck, ipcperms, ipcUpdatePerm, realSeconds, S_IRUGO, S_IWUGO, type IpcIds, type IpcObject, type KernIpcPerm } from "../src/kernel/ipc/util.ts";
import { CAP_SYS_RESOURCE, capable, type Task } from "../src/kernel/proc/task.ts";
import { copy_from_user, copy_to_user, get_user_u64, put_user_u64 } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

const NS = 1_000_000_000n;
/** SHMMAX and SHMALL as the kernel reports them: ULONG_MAX - 2^24. */
const SHM_CTL_MAX = 0xffff_ffff_feff_ffffn;

/** A little-endian struct being filled. */
class Out {
  readonly b: Uint8Array;
  readonly v: DataView;
  constructor(size: number) {
    this.b = new Uint8Array(size);
    this.v = new DataView(this.b.buffer);
  }
  i32(o: number, x: number): this {
    this.v.setInt32(o, x, true);
    return this;
  }
  u64(o: number, x: number | bigint): this {
    this.v.setBigUint64(o, BigInt(x), true);
    return this;
  }
}

/** struct ipc64_perm, the first 48 bytes of every *id64_ds. */
function putPerm(o: Out, p: KernIpcPerm): Out {
  o.i32(0, p.key).i32(4, p.uid).i32(8, p.gid).i32(12, p.cuid).i32(16, p.cgid).i32(20, p.mode);
  o.v.setUint16(24, p.seq, true);
  return o;
}

/** IPC_SET's input: the owner and mode of a user's *id64_ds, and msg_qbytes at 88 for a queue. */
function readSet(t: Task, ptr: number, size: number): { uid: number; gid: number; mode: number; v: DataView } | number {
  const raw = new Uint8Array(size);
  if (copy_from_user(t.mm, raw, ptr, size)) return -EFAULT;
  const v = new DataView(raw.buffer);
  return { uid: v.getUint32(4, true), gid: v.getUint32(8, true), mode: v.getUint32(20, true), v };
}

const out = (t: Task, ptr: number, o: Out, ret: number): number => (copy_to_user(t.mm, ptr, o.b) ? -EFAULT : ret);

/** *_STAT by table index, IPC_STAT by id: the object, after the read permission check (not for *_STAT_ANY). */
function statTarget<T extends IpcObject>(t: Task, ids: IpcIds<T>, id: number, byIndex: boolean, any: boolean): T | number {
  const obj = byIndex ? ids.at(id) : ids.find(id);
  if (!obj) return -EINVAL;
  if (!any && ipcperms(t.cred, obj.perm, S_IRUGO)) return -EACCES;
  return obj;
}

// ---- shared memory ----

/** shmget(2) */
export const sys_shmget = defineSyscall({
  name: "shmget", args: ["ipc_key", "size", "ipc_flags"],
  fn: (t, a) => shmget(t, a.int(0), a.size(1), a.int(2)),
});

/** shmat(2): the attach address (SHM_RND, SHM_RDONLY, SHM_REMAP, SHM_EXEC). */
export const sys_shmat = defineSyscall({
  name: "shmat", args: ["int", "ptr", "shm_flags"], ret: "hex",
  fn: (t, a) => doShmat(t, a.int(0), a.ptr(1), a.int(2)),
});

/** shmdt(2) */
export const sys_shmdt = defineSyscall({
  name: "shmdt", args: ["ptr"],
  fn: (t, a) => shmdt(t.mm, a.ptr(0)),
});

function shmid64(seg: ShmidKernel): Out {
  return putPerm(new Out(112), seg.perm).u64(48, seg.segsz).u64(56, seg.atime).u64(64, seg.dtime).u64(72, seg.ctime)
    .i32(80, seg.cpid).i32(84, seg.lpid).u64(88, seg.nattch);
}

/** shmctl(2) */
export const sys_shmctl = defineSyscall({
  name: "shmctl", args: ["int", "shmctl_cmd", "ptr"],
  fn: (t, a) => {
    const [id, cmd, buf] = [a.int(0), a.int(1), a.ptr(2)];
    if (cmd < 0 || id < 0) return -EINVAL;
    const ids = ipcNs(t.kernel).shm;
    const maxIdx = Math.max(0, ids.maxIdx());
    switch (cmd) {
      case IPC_INFO:
        return out(t, buf, new Out(72).u64(0, SHM_CTL_MAX).u64(8, 1).u64(16, SHMMNI).u64(24, SHMMNI).u64(32, SHM_CTL_MAX), maxIdx);
      case SHM_INFO: {
        const rss = ids.all().reduce((n, s) => n + s.rss, 0);
        return out(t, buf, new Out(48).i32(0, ids.inUse).u64(8, ipcNs(t.kernel).shmTot).u64(16, rss), maxIdx);
      }
      case IPC_STAT: case SHM_STAT: case SHM_STAT_ANY: {
        const seg = statTarget(t, ids, id, cmd !== IPC_STAT, cmd === SHM_STAT_ANY);
        if (typeof seg === "number") return seg;
        return out(t, buf, shmid64(seg), cmd === IPC_STAT ? 0 : seg.perm.id);
      }
      case IPC_SET: case IPC_RMID: {
        const set = cmd === IPC_SET ? readSet(t, buf, 112) : null;
        if (typeof set === "number") return set;
        const seg = ids.find(id);
        return seg ? shmctlDown(t, seg, cmd, set) : -EINVAL;
      }
      case SHM_LOCK: case SHM_UNLOCK: {
        const seg = ids.find(id);
        return seg ? shmLock(t.cred, seg, cmd === SHM_LOCK) : -EINVAL;
      }
      default:
        return -EINVAL;
    }
  },
});

// ---- semaphores ----

/** semget(2) */
export const sys_semget = defineSyscall({
  name: "semget", args: ["ipc_key", "int", "ipc_flags"],
  fn: (t, a) => semget(t, a.int(0), a.int(1), a.int(2)),
});

/** The array of struct sembuf (6 bytes each) at p. */
function readSops(t: Task, p: number, n: number): Sembuf[] | number {
  const raw = new Uint8Array(n * 6);
  if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
  const v = new DataView(raw.buffer);
  return Array.from({ length: n }, (_, i) => ({ num: v.getUint16(i * 6, true), op: v.getInt16(i * 6 + 2, true), flg: v.getInt16(i * 6 + 4, true) }));
}

function doSemtimedop(t: Task, semid: number, sopsPtr: number, nsops: number, timeoutPtr: number): number {
  if (nsops < 1 || semid < 0) return -EINVAL;
  if (nsops > SEMOPM) return -E2BIG;
  const sops = readSops(t, sopsPtr, nsops);
  if (typeof sops === "number") return sops;
  let timeout: bigint | null = null;
  if (timeoutPtr !== 0) {
    const raw = new Uint8Array(16);
    if (copy_from_user(t.mm, raw, timeoutPtr, 16)) return -EFAULT;
    const ts = t.abi.decodeTimespec(raw);
    if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= NS) return -EINVAL;
    timeout = ts.sec * NS + ts.nsec;
  }
  return semtimedop(t, semid, sops, timeout);
}

/** semop(2) */
export const sys_semop = defineSyscall({
  name: "semop", args: ["int", "sembuf", "uint"],
  fn: (t, a) => doSemtimedop(t, a.int(0), a.ptr(1), a.uint(2), 0),
});

/** semtimedop(2): semop with a relative timeout (EAGAIN when it passes). */
export const sys_semtimedop = defineSyscall({
  name: "semtimedop", args: ["int", "sembuf", "uint", "timespec"],
  fn: (t, a) => doSemtimedop(t, a.int(0), a.ptr(1), a.uint(2), a.ptr(3)),
});

function semid64(sma: SemArray): Out {
  return putPerm(new Out(88), sma.perm).u64(48, sma.otime).u64(56, sma.ctime).u64(64, sma.nsems);
}

/** struct seminfo: ten ints, the limits (IPC_INFO) or what is in use (SEM_INFO). */
function seminfo(t: Task, cmd: number, buf: number): number {
  const ns = ipcNs(t.kernel);
  const o = new Out(40);
  [SEMMNS, SEMMNI, SEMMNS, SEMMNS, SEMMSL, SEMOPM, SEMOPM, 20, SEMVMX, SEMAEM].forEach((v, i) => o.i32(i * 4, v));
  if (cmd === SEM_INFO) o.i32(28, ns.sem.inUse).i32(36, ns.usedSems);
  return out(t, buf, o, Math.max(0, ns.sem.maxIdx()));
}

/** semctl_main: GETALL, SETALL, and the per-semaphore reads. */
function semctlMain(t: Task, sma: SemArray, semnum: number, cmd: number, p: number): number {
  if (ipcperms(t.cred, sma.perm, cmd === SETALL ? S_IWUGO : S_IRUGO)) return -EACCES;
  const n = sma.nsems;
  if (cmd === GETALL) {
    const o = new Out(n * 2);
    sma.sems.forEach((s, i) => o.v.setUint16(i * 2, s.semval, true));
    return out(t, p, o, 0);
  }
  if (cmd === SETALL) {
    const raw = new Uint8Array(n * 2);
    if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
    const v = new DataView(raw.buffer);
    return semSetAll(t, sma, Array.from({ length: n }, (_, i) => v.getUint16(i * 2, true)));
  }
  if (semnum < 0 || semnum >= n) return -EINVAL;
  const s = sma.sems[semnum]!;
  if (cmd === GETVAL) return s.semval;
  if (cmd === GETPID) return s.sempid;
  return countSemcnt(sma, semnum, cmd === GETZCNT);
}

/** semctl(2): the fourth argument is union semun passed by value (an int for SETVAL, else a pointer). */
export const sys_semctl = defineSyscall({
  name: "semctl", args: ["int", "int", "semctl_cmd", "hex"],
  fn: (t, a) => {
    const [id, semnum, cmd, p] = [a.int(0), a.int(1), a.int(2), a.ptr(3)];
    if (id < 0) return -EINVAL;
    const ns = ipcNs(t.kernel);
    switch (cmd) {
      case IPC_INFO: case SEM_INFO:
        return seminfo(t, cmd, p);
      case IPC_STAT: case SEM_STAT: case SEM_STAT_ANY: {
        const sma = statTarget(t, ns.sem, id, cmd !== IPC_STAT, cmd === SEM_STAT_ANY);
        if (typeof sma === "number") return sma;
        return out(t, p, semid64(sma), cmd === IPC_STAT ? 0 : sma.perm.id);
      }
      case GETALL: case GETVAL: case GETPID: case GETNCNT: case GETZCNT: case SETALL: {
        const sma = ns.sem.find(id);
        return sma ? semctlMain(t, sma, semnum, cmd, p) : -EINVAL;
      }
      case SETVAL: {
        const val = a.int(3);
        if (val < 0 || val > SEMVMX) return -ERANGE; // before the id is looked at
        const sma = ns.sem.find(id);
        if (!sma || semnum < 0 || semnum >= sma.nsems) return -EINVAL;
        if (ipcperms(t.cred, sma.perm, S_IWUGO)) return -EACCES;
        return semSetVal(t, sma, semnum, val);
      }
      case IPC_SET: case IPC_RMID: {
        const set = cmd === IPC_SET ? readSet(t, p, 88) : null;
        if (typeof set === "number") return set;
        const sma = ns.sem.find(id);
        if (!sma) return -EINVAL;
        const err = ipcOwnerCheck(t.cred, sma.perm);
        if (err) return err;
        if (set === null) semRmid(ns, sma);
        else {
          ipcUpdatePerm(sma.perm, set.uid, set.gid, set.mode);
          sma.ctime = realSeconds(t);
        }
        return 0;
      }
      default:
        return -EINVAL;
    }
  },
});

// ---- message queues ----

/** msgget(2) */
export const sys_msgget = defineSyscall({
  name: "msgget", args: ["ipc_key", "ipc_flags"],
  fn: (t, a) => msgget(t, a.int(0), a.int(1)),
});

/** msgsnd(2): struct msgbuf is a long mtype followed by the text. */
export const sys_msgsnd = defineSyscall({
  name: "msgsnd", args: ["int", "msgbuf_in", "size", "ipc_msgflg"],
  fn: (t, a) => {
    const [id, p, size, flags] = [a.int(0), a.ptr(1), a.size(2), a.int(3)];
    const mtype = get_user_u64(t.mm, p);
    if (mtype === null) return -EFAULT;
    if (size > MSGMAX || id < 0) return -EINVAL;
    if (BigInt.asIntN(64, mtype) < 1n) return -EINVAL;
    const text = new Uint8Array(size);
    if (copy_from_user(t.mm, text, p + 8, size)) return -EFAULT;
    return doMsgsnd(t, id, { type: BigInt.asIntN(64, mtype), text }, flags);
  },
});

/** msgrcv(2): the text's length, at most msgsz bytes of it copied. */
export const sys_msgrcv = defineSyscall({
  name: "msgrcv", args: ["int", "msgbuf_out", "size", "long", "ipc_msgflg"],
  fn: (t, a) => {
    const [id, p, flags] = [a.int(0), a.ptr(1), a.int(4)];
    const bufsz = a.long(2), msgtyp = a.long(3);
    if (id < 0 || bufsz < 0n) return -EINVAL;
    if (flags & MSG_COPY && (flags & MSG_EXCEPT || !(flags & IPC_NOWAIT))) return -EINVAL;
    const size = Math.min(Number(bufsz), flags & MSG_COPY ? MSGMAX : Number.MAX_SAFE_INTEGER);
    const msg = doMsgrcv(t, id, size, msgtyp, flags);
    if (typeof msg === "number") return msg;
    const n = Math.min(size, msg.text.length);
    if (put_user_u64(t.mm, p, msg.type) || copy_to_user(t.mm, p + 8, msg.text.subarray(0, n))) return -EFAULT;
    return n;
  },
});

function msqid64(q: MsgQueue): Out {
  return putPerm(new Out(120), q.perm).u64(48, q.stime).u64(56, q.rtime).u64(64, q.ctime).u64(72, q.cbytes)
    .u64(80, q.qnum).u64(88, q.qbytes).i32(96, q.lspid).i32(100, q.lrpid);
}

/** struct msginfo: seven ints and a short; limits (IPC_INFO) or use (MSG_INFO). */
function msginfo(t: Task, cmd: number, buf: number): number {
  const ns = ipcNs(t.kernel);
  const o = new Out(32);
  const info = cmd === MSG_INFO;
  [info ? ns.msg.inUse : (MSGMNI * MSGMNB) / 1024, info ? ns.msgHdrs : MSGMNB, MSGMAX, MSGMNB, MSGMNI, 16, info ? ns.msgBytes : MSGMNB]
    .forEach((v, i) => o.i32(i * 4, v));
  o.v.setUint16(28, 0xffff, true);
  return out(t, buf, o, Math.max(0, ns.msg.maxIdx()));
}

/** msgctl(2) */
export const sys_msgctl = defineSyscall({
  name: "msgctl", args: ["int", "msgctl_cmd", "ptr"],
  fn: (t, a) => {
    const [id, cmd, p] = [a.int(0), a.int(1), a.ptr(2)];
    if (id < 0 || cmd < 0) return -EINVAL;
    const ns = ipcNs(t.kernel);
    switch (cmd) {
      case IPC_INFO: case MSG_INFO:
        return msginfo(t, cmd, p);
      case IPC_STAT: case MSG_STAT: case MSG_STAT_ANY: {
        const q = statTarget(t, ns.msg, id, cmd !== IPC_STAT, cmd === MSG_STAT_ANY);
        if (typeof q === "number") return q;
        return out(t, p, msqid64(q), cmd === IPC_STAT ? 0 : q.perm.id);
      }
      case IPC_SET: case IPC_RMID: {
        const set = cmd === IPC_SET ? readSet(t, p, 120) : null;
        if (typeof set === "number") return set;
        const q = ns.msg.find(id);
        if (!q) return -EINVAL;
        const err = ipcOwnerCheck(t.cred, q.perm);
        if (err) return err;
        if (set === null) {
          msgRmid(ns, q);
          return 0;
        }
        const qbytes = Number(set.v.getBigUint64(88, true));
        if (qbytes > MSGMNB && !capable(t.cred, CAP_SYS_RESOURCE)) return -EPERM;
        ipcUpdatePerm(q.perm, set.uid, set.gid, set.mode);
        q.ctime = realSeconds(t);
        msgSetQbytes(q, qbytes);
        return 0;
      }
      default:
        return -EINVAL;
    }
  },
});
