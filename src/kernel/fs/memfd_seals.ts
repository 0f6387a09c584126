// File seals (mm/memfd.c, mm/shmem.c): a tmpfs inode's info->seals. Every tmpfs file has them; a
// file starts sealed with F_SEAL_SEAL (so nothing can be added) unless memfd_create was asked for
// MFD_ALLOW_SEALING. fcntl F_ADD_SEALS/F_GET_SEALS reach them; tmpfs enforces them on write and
// truncate, mmap on shared writable mappings.

import { EBUSY, EINVAL, EPERM } from "../errno.ts";
import type { Task } from "../proc/task.ts";
import { MAP_SHARED, PROT_WRITE } from "../../mm/mman.ts";
import type { TmpNode } from "../vfs/tmpfs.ts";
import type { OpenFile } from "./file.ts";

export const F_SEAL_SEAL = 0x1, F_SEAL_SHRINK = 0x2, F_SEAL_GROW = 0x4, F_SEAL_WRITE = 0x8, F_SEAL_FUTURE_WRITE = 0x10, F_SEAL_EXEC = 0x20;
const F_ALL_SEALS = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC;
export const F_ADD_SEALS = 1033, F_GET_SEALS = 1034;

/** memfd_file_seals_ptr: the inode whose seals a descriptor reaches, or null (not tmpfs). */
function sealed(f: OpenFile): TmpNode | null {
  const d = f.data as Partial<TmpNode> | null;
  return d && typeof d.seals === "number" && d.sb?.type === "tmpfs" ? (d as TmpNode) : null;
}

/**
 * mapping_deny_writable: whether some shared mapping of the inode may write (VM_SHARED with
 * VM_MAYWRITE: every shared mapping made through a descriptor open for writing, whatever its prot).
 */
function mappedWritable(t: Task, node: TmpNode): boolean {
  const seen = new Set<unknown>();
  for (const task of t.kernel.tasks.values()) {
    if (seen.has(task.mm)) continue;
    seen.add(task.mm);
    for (const v of task.mm.vmas()) if (v.mapping?.key === node && v.flags & MAP_SHARED && v.mayWrite !== false) return true;
  }
  return false;
}

/** memfd_fcntl: F_ADD_SEALS and F_GET_SEALS. */
export function memfdFcntl(t: Task, f: OpenFile, cmd: number, arg: number): number {
  const node = sealed(f);
  if (!node) return -EINVAL;
  if (cmd === F_GET_SEALS) return node.seals;
  let seals = arg >>> 0;
  // F_SEAL_EXEC on an executable file implies the write seals (memfd_add_seals)
  if (seals & F_SEAL_EXEC && node.mode & 0o111) seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
  if (!f.writable) return -EPERM;
  if (seals & ~F_ALL_SEALS) return -EINVAL;
  if (node.seals & F_SEAL_SEAL) return -EPERM;
  if (seals & F_SEAL_WRITE && !(node.seals & F_SEAL_WRITE) && mappedWritable(t, node)) return -EBUSY;
  node.seals |= seals;
  return 0;
}

/**
 * memfd_check_seals_mmap for a shared file mapping: writable, of a file sealed against writing,
 * it is EPERM; `mayWrite` (VM_MAYWRITE) is false when mprotect may never make it writable.
 */
export function checkSealsMmap(f: OpenFile, prot: number): { err: number; mayWrite: boolean } {
  const node = sealed(f);
  const mayWrite = f.writable;
  if (!node || !(node.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))) return { err: 0, mayWrite };
  return { err: prot & PROT_WRITE ? -EPERM : 0, mayWrite: false };
}

/** shmem_write_begin under F_SEAL_GROW: how much of a write may land (page by page), or -EPERM. */
export function sealedWriteLength(node: TmpNode, pos: number, len: number): number {
  if (node.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) return -EPERM;
  if (!(node.seals & F_SEAL_GROW) || pos + len <= node.size) return len;
  const ok = Math.floor(node.size / 4096) * 4096 - pos;
  return ok > 0 ? ok : -EPERM;
}
