// System V shared memory (the kernel's ipc/shm.c): struct shmid_kernel and shmat/shmdt/shmctl's
// work on address spaces.
//
// A segment's pages live in a page cache like a shared file mapping's (src/mm/filemap.ts): one
// frame per page, mapped by every attach in every process, so that fork keeps them shared and
// exit or exec (which release the whole mm) detach. The segment itself holds the cache open
// while it exists, so its contents outlive the last attach until IPC_RMID; the cache's get/put,
// which VMAs call as they come and go (attach, fork, split, unmap), count shm_nattch.

import type { Kernel } from "../kernel.ts";
import { EACCES, EINVAL, ENOMEM, ENOSPC, EPERM } from "../errno.ts";
import { AddressSpace, type FileBacking, type MappingUser } from "../../mm/filemap.ts";
import { MAP_SHARED, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageAlignUp } from "../../mm/mman.ts";
import type { MM } from "../../mm/mm.ts";
import type { PhysMem } from "../../mm/physmem.ts";
import { capable, type Cred, type Task } from "../proc/task.ts";
import { ipcNs, SHMALL, SHMMAX, SHMMIN, type IpcNamespace } from "./namespace.ts";
import { EIDRM, IPC_RMID, ipcget, ipcOwnerCheck, ipcUpdatePerm, ipcperms, KernIpcPerm, realSeconds, S_IRUGO, S_IWUGO, S_IXUGO, type IpcObject } from "./util.ts";

export const SHM_RDONLY = 0o10000, SHM_RND = 0o20000, SHM_REMAP = 0o40000, SHM_EXEC = 0o100000;
/** shm_perm.mode bits: removed, waiting for its last detach; locked in memory. */
export const SHM_DEST = 0o1000, SHM_LOCKED = 0o2000;
export const SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;
const CAP_IPC_LOCK = 14;
/** The device /proc/<pid>/maps shows for attaches: the internal tmpfs mount (shm_mnt), 00:01. */
const SHM_DEV = 1;

/** A segment's bytes live only in its frames: nothing to read on first touch, nothing to write back. */
function shmBacking(seg: ShmidKernel): FileBacking {
  return { writable: false, read: () => 0, write: () => {}, size: () => seg.segsz, release: () => {} };
}

/** The segment's shmem file: its page cache, whose users are the attaching address spaces. */
class ShmFile extends AddressSpace {
  /** The segment's own hold on its pages, not an attach. */
  readonly holder: MappingUser = { unmapFilePages: () => {} };

  constructor(readonly seg: ShmidKernel, phys: PhysMem) {
    super(seg, phys, shmBacking(seg));
    super.get(this.holder);
  }

  override get(user: MappingUser): void {
    super.get(user);
    if (user !== this.holder) this.seg.shmOpen();
  }

  override put(user: MappingUser, first = 0, last = 0): void {
    super.put(user, first, last);
    if (user !== this.holder) this.seg.shmClose();
  }
}

/** struct shmid_kernel */
export class ShmidKernel implements IpcObject {
  readonly perm: KernIpcPerm;
  atime = 0;
  dtime = 0;
  ctime: number;
  readonly cpid: number;
  lpid = 0;
  nattch = 0;
  readonly file: ShmFile;

  constructor(private readonly ns: IpcNamespace, private readonly kernel: Kernel, key: number, flags: number, t: Task, readonly segsz: number) {
    this.perm = new KernIpcPerm(key, flags, t.cred);
    this.ctime = realSeconds(t);
    this.cpid = t.tgid;
    this.file = new ShmFile(this, t.mm.phys);
  }

  get pages(): number {
    return Math.ceil(this.segsz / PAGE_SIZE);
  }

  /** Pages with a frame now (shm_rss). */
  get rss(): number {
    return this.file.nrpages;
  }

  // Whoever is running attaches or detaches: shmat, fork, exit, exec (current in Linux).
  private touch(): number {
    this.lpid = this.kernel.sched.current?.tgid ?? this.lpid;
    return Number(this.kernel.clock.now(0)! / 1_000_000_000n);
  }

  /** shm_open: a VMA of the segment appeared. */
  shmOpen(): void {
    this.atime = this.touch();
    this.nattch++;
  }

  /** shm_close: a VMA went away; the last one of a removed segment destroys it. */
  shmClose(): void {
    this.dtime = this.touch();
    this.nattch--;
    if (this.nattch === 0 && this.perm.mode & SHM_DEST) this.destroy();
  }

  /** shm_destroy: out of the table, and the pages go once no VMA maps them. */
  destroy(): void {
    if (this.perm.deleted) return;
    this.ns.shm.remove(this);
    this.ns.shmTot -= this.pages;
    this.file.put(this.file.holder);
  }
}

/** newseg: a new segment of `size` bytes. */
function newseg(t: Task, ns: IpcNamespace, key: number, flags: number, size: number): ShmidKernel | number {
  if (size < SHMMIN || size > SHMMAX) return -EINVAL;
  const pages = Math.ceil(size / PAGE_SIZE);
  if (ns.shmTot + pages > SHMALL) return -ENOSPC;
  // shmem_acct_size: more than memory can hold is refused up front, as the overcommit heuristic does
  if (pages > t.mm.phys.nframes) return -ENOMEM;
  if (ns.shm.inUse >= ns.shm.max) return -ENOSPC;
  ns.shmTot += pages;
  return new ShmidKernel(ns, t.kernel, key, flags, t, size);
}

/** shmget(2) */
export function shmget(t: Task, key: number, size: number, flags: number): number {
  const ns = ipcNs(t.kernel);
  return ipcget(ns.shm, t.cred, key, flags, {
    getnew: (k, f) => newseg(t, ns, k, f, size),
    moreChecks: (seg) => (seg.segsz < size ? -EINVAL : 0),
  });
}

/** Whether a VMA maps a segment: its segment. */
export function shmOfVma(v: { mapping?: AddressSpace }): ShmidKernel | null {
  return v.mapping instanceof ShmFile ? v.mapping.seg : null;
}

/** do_shmat: attaches segment `shmid` to t's address space; the address or -errno. */
export function doShmat(t: Task, shmid: number, addr: number, flags: number): number {
  if (shmid < 0) return -EINVAL;
  if (addr !== 0) {
    if (addr % t.abi.SHMLBA !== 0) {
      if (!(flags & SHM_RND)) return -EINVAL;
      addr -= addr % t.abi.SHMLBA;
      if (addr === 0 && flags & SHM_REMAP) return -EINVAL;
    }
  } else if (flags & SHM_REMAP) {
    return -EINVAL;
  }
  let prot = PROT_READ | PROT_WRITE, acc = S_IRUGO | S_IWUGO;
  if (flags & SHM_RDONLY) [prot, acc] = [PROT_READ, S_IRUGO];
  if (flags & SHM_EXEC) [prot, acc] = [prot | PROT_EXEC, acc | S_IXUGO];
  const seg = ipcNs(t.kernel).shm.find(shmid);
  if (!seg) return -EINVAL;
  if (ipcperms(t.cred, seg.perm, acc)) return -EACCES;
  if (seg.perm.deleted) return -EIDRM;
  const size = pageAlignUp(seg.segsz);
  const mm = t.mm;
  if (addr !== 0) {
    if (addr + size > mm.limit) return -ENOMEM;
    if (!(flags & SHM_REMAP) && mm.vmas().some((v) => v.start < addr + size && addr < v.end)) return -EINVAL;
  } else {
    addr = mm.getUnmappedArea(size);
    if (addr < 0) return addr;
  }
  // the segment's file holds a reference of its own: replacing an older attach cannot free it
  mm.unmap(addr, size);
  mm.mapFixed(addr, size, prot, {
    flags: MAP_SHARED, name: `/SYSV${(seg.perm.key >>> 0).toString(16).padStart(8, "0")} (deleted)`,
    pgoff: 0, dev: SHM_DEV, ino: seg.perm.id, mapping: seg.file,
  });
  return addr;
}

/** shmdt(2): detaches the attach that starts at addr (and its fragments); -EINVAL when none does. */
export function shmdt(mm: MM, addr: number): number {
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  const vmas = mm.vmas().filter((v) => v.end > addr);
  const at = (v: (typeof vmas)[number]) => (v.start - addr) / PAGE_SIZE === v.pgoff;
  const first = vmas.find((v) => shmOfVma(v) !== null && at(v));
  if (!first) return -EINVAL;
  const file = first.mapping;
  const size = pageAlignUp(shmOfVma(first)!.segsz);
  const gone = vmas.filter((v) => v.mapping === file && at(v) && v.end - addr <= size);
  for (const v of gone.map((g) => [g.start, g.end] as const)) mm.unmap(v[0], v[1] - v[0]);
  return 0;
}

/** shmctl's IPC_RMID: destroyed now, or marked SHM_DEST (and keyless) until the last detach. */
export function shmRmid(ns: IpcNamespace, seg: ShmidKernel): void {
  if (seg.nattch === 0) return seg.destroy();
  seg.perm.mode |= SHM_DEST;
  ns.shm.forgetKey(seg);
}

/** shmctl's IPC_SET and IPC_RMID after their permission checks; -errno or 0. */
export function shmctlDown(t: Task, seg: ShmidKernel, cmd: number, set: { uid: number; gid: number; mode: number } | null): number {
  const err = ipcOwnerCheck(t.cred, seg.perm);
  if (err) return err;
  if (cmd === IPC_RMID) {
    shmRmid(ipcNs(t.kernel), seg);
    return 0;
  }
  ipcUpdatePerm(seg.perm, set!.uid, set!.gid, set!.mode);
  seg.ctime = realSeconds(t);
  return 0;
}

/** SHM_LOCK / SHM_UNLOCK: nothing is ever swapped; only the flag and the permission rule. */
export function shmLock(cred: Cred, seg: ShmidKernel, lock: boolean): number {
  if (!capable(cred, CAP_IPC_LOCK) && cred.euid !== seg.perm.uid && cred.euid !== seg.perm.cuid) return -EPERM;
  if (lock) seg.perm.mode |= SHM_LOCKED;
  else seg.perm.mode &= ~SHM_LOCKED;
  return 0;
}
