// What the three System V IPC families share (the kernel's ipc/util.c): struct kern_ipc_perm,
// the id tables (struct ipc_ids) that hand out ids and find objects by key, the permission
// check (ipcperms), the get-or-create logic of *get() (ipcget) and the one IPC namespace a
// sysemu run has.

import { EACCES, EEXIST, EINVAL, ENOENT, ENOSPC, EPERM } from "../errno.ts";
import { CAP_SYS_ADMIN, capable, type Cred, type Task } from "../proc/task.ts";

/** errno.ts names these but exports only the common ones: the IPC-only codes. */
export const ENOMSG = 42, EIDRM = 43;

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
export const IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
/** Ids per family (IPCMNI): an id is seq * IPCMNI + index. */
export const IPCMNI = 32768;
const IPCID_SEQ_MAX = Math.floor(0x7fffffff / IPCMNI);
export const S_IRUGO = 0o444, S_IWUGO = 0o222, S_IXUGO = 0o111;
const S_IRWXUGO = 0o777;
const CAP_IPC_OWNER = 15;

/** struct kern_ipc_perm: who owns an object and who may use it. */
export class KernIpcPerm {
  id = -1;
  seq = 0;
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  mode: number;
  /** Cleared once the object leaves its table (ipc_valid_object); waiters then see EIDRM. */
  deleted = false;

  constructor(public key: number, flags: number, cred: Cred) {
    this.uid = this.cuid = cred.euid;
    this.gid = this.cgid = cred.egid;
    this.mode = flags & S_IRWXUGO;
  }
}

function inGroup(cred: Cred, gid: number): boolean {
  return cred.egid === gid || cred.groups.includes(gid);
}

/** ipcperms: 0 when `cred` may access the object as `flag`'s low nine bits ask, else -EACCES. */
export function ipcperms(cred: Cred, p: KernIpcPerm, flag: number): number {
  const requested = (flag >> 6) | (flag >> 3) | flag;
  let granted = p.mode;
  if (cred.euid === p.cuid || cred.euid === p.uid) granted >>= 6;
  else if (inGroup(cred, p.cgid) || inGroup(cred, p.gid)) granted >>= 3;
  return requested & ~granted & 0o7 && !capable(cred, CAP_IPC_OWNER) ? -EACCES : 0;
}

/** ipcctl_obtain_check's rule for IPC_SET and IPC_RMID: the creator, the owner or CAP_SYS_ADMIN. */
export function ipcOwnerCheck(cred: Cred, p: KernIpcPerm): number {
  return cred.euid === p.cuid || cred.euid === p.uid || capable(cred, CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/** ipc_update_perm (IPC_SET): the owner's ids and the permission bits. */
export function ipcUpdatePerm(p: KernIpcPerm, uid: number, gid: number, mode: number): void {
  p.uid = uid;
  p.gid = gid;
  p.mode = (p.mode & ~S_IRWXUGO) | (mode & S_IRWXUGO);
}

/** What every IPC object carries. */
export interface IpcObject {
  readonly perm: KernIpcPerm;
}

/** struct ipc_ids: one family's objects by index (handed out cyclically, as idr_alloc_cyclic) and by key. */
export class IpcIds<T extends IpcObject> {
  private readonly byIndex = new Map<number, T>();
  private readonly byKey = new Map<number, T>();
  private seq = 0;
  private lastIdx = -1;

  constructor(readonly max: number) {}

  get inUse(): number {
    return this.byIndex.size;
  }

  /** ipc_addid: gives `obj` an id; -ENOSPC when the family is full. */
  add(obj: T): number {
    if (this.byIndex.size >= this.max) return -ENOSPC;
    let idx = this.lastIdx + 1;
    while (this.byIndex.has(idx % IPCMNI)) idx++;
    idx %= IPCMNI;
    if (idx <= this.lastIdx && ++this.seq > IPCID_SEQ_MAX) this.seq = 0;
    this.lastIdx = idx;
    obj.perm.seq = this.seq;
    obj.perm.id = this.seq * IPCMNI + idx;
    this.byIndex.set(idx, obj);
    if (obj.perm.key !== IPC_PRIVATE) this.byKey.set(obj.perm.key, obj);
    return obj.perm.id;
  }

  /** ipc_obtain_object_check: the object with this id, or null (EINVAL) for a stale or unknown id. */
  find(id: number): T | null {
    if (id < 0) return null;
    const obj = this.byIndex.get(id % IPCMNI);
    return obj && obj.perm.id === id ? obj : null;
  }

  /** The object at table index `idx` (the *_STAT commands), or null. */
  at(idx: number): T | null {
    return this.byIndex.get(idx) ?? null;
  }

  findKey(key: number): T | null {
    return this.byKey.get(key) ?? null;
  }

  /** ipc_set_key_private: the object stays, but its key no longer finds it. */
  forgetKey(obj: T): void {
    if (obj.perm.key !== IPC_PRIVATE && this.byKey.get(obj.perm.key) === obj) this.byKey.delete(obj.perm.key);
    obj.perm.key = IPC_PRIVATE;
  }

  /** ipc_rmid: the object leaves the table; its waiters will see EIDRM. */
  remove(obj: T): void {
    this.forgetKey(obj);
    this.byIndex.delete(obj.perm.id % IPCMNI);
    obj.perm.deleted = true;
  }

  /** ipc_get_maxidx: the highest index in use, -1 when empty (what IPC_INFO returns). */
  maxIdx(): number {
    return this.byIndex.size === 0 ? -1 : Math.max(...this.byIndex.keys());
  }

  /** The objects, by index (for /proc/sysvipc). */
  all(): T[] {
    return [...this.byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, o]) => o);
  }
}

/** How a family makes a new object and checks an existing one against a *get() call. */
export interface IpcOps<T> {
  getnew(key: number, flags: number): T | number;
  moreChecks?(obj: T): number;
}

/** ipcget: the id of the object `key` names, made under IPC_CREAT, or -errno. */
export function ipcget<T extends IpcObject>(ids: IpcIds<T>, cred: Cred, key: number, flags: number, ops: IpcOps<T>): number {
  if (key === IPC_PRIVATE) return made(ids, ops.getnew(key, flags));
  const obj = ids.findKey(key);
  if (obj === null) return flags & IPC_CREAT ? made(ids, ops.getnew(key, flags)) : -ENOENT;
  if (flags & IPC_CREAT && flags & IPC_EXCL) return -EEXIST;
  const err = ops.moreChecks?.(obj) ?? 0;
  if (err) return err;
  return ipcperms(cred, obj.perm, flags) ? -EACCES : obj.perm.id;
}

function made<T extends IpcObject>(ids: IpcIds<T>, obj: T | number): number {
  return typeof obj === "number" ? obj : ids.add(obj);
}

/** Wall-clock seconds, as ktime_get_real_seconds() (the objects' times). */
export function realSeconds(t: Task): number {
  return Number(t.kernel.clock.now(0)! / 1_000_000_000n);
}

/** A bad command (the `default:` of every *ctl switch). */
export const BAD_CMD = -EINVAL;
