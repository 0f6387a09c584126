// Memory system calls (the kernel's mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c):
// argument checks as Linux makes them, then the address space's own operations.

import { EBADF, EEXIST, EINVAL, ENODEV, ENOMEM, EACCES } from "../src/kernel/errno.ts";
import type { OpenFile } from "../src/kernel/fs/file.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { findOrCreateMapping } from "../src/mm/filemap.ts";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, MAP_SHARED, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, type MM, type Vma } from "../src/mm/mm.ts";
import { brkWithinDataLimit, mayBecomeData, mayExpandVm } from "./vm-rlimit.ts";
import { defineSyscall } from "./types.ts";
import { memfdFile } from "../src/kernel/fs/memfd.ts";
import { checkSealsMmap, F_SEAL_EXEC, F_SEAL_SEAL } from "../src/kernel/fs/memfd_seals.ts";
import { strncpy_from_user } from "../src/mm/uaccess.ts";

const MAP_SHARED_VALIDATE = 0x03, MAP_FIXED_NOREPLACE = 0x100000, MAP_TYPE = 0x0f;
const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
const MADV_DONTNEED = 4;
const MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

const pageUp = (n: number) => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
const aligned = (n: number) => n % PAGE_SIZE === 0;

function overlaps(mm: MM, start: number, end: number): boolean {
  return mm.vmas().some((v) => v.start < end && start < v.end);
}

/** brk(2): moves the program break; returns the new break, or the old one when it can't. */
export const sys_brk = defineSyscall({
  name: "brk", args: ["ptr"], ret: "hex",
  fn: (t, a) => {
    const mm = t.mm;
    const want = a.ptr(0);
    if (want < mm.startBrk || want > mm.limit) return mm.brk;
    if (!brkWithinDataLimit(t, want)) return mm.brk;
    const oldEnd = pageUp(mm.brk), newEnd = pageUp(want);
    if (newEnd > oldEnd) {
      // the heap may not run into another mapping, nor too close to the stack
      if (overlaps(mm, oldEnd, newEnd + PAGE_SIZE)) return mm.brk;
      if (!mayExpandVm(t, newEnd - oldEnd, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)) return mm.brk;
      mm.mapFixed(oldEnd, newEnd - oldEnd, PROT_READ | PROT_WRITE, { name: "[heap]" });
    } else if (newEnd < oldEnd) {
      mm.unmap(newEnd, oldEnd - newEnd);
    }
    mm.brk = want;
    return want;
  },
});

/**
 * mmap(2): anonymous mappings; private file mappings are copies of the file made at mmap time;
 * shared ones map the file's page cache (src/mm/filemap.ts), written back on msync, munmap, exit
 * and before the kernel reads the file.
 */
export const sys_mmap = defineSyscall({
  name: "mmap", args: ["ptr", "size", "prot", "mapflags", "fd", "hex"], ret: "hex",
  support: "partial", note: "MAP_SHARED of files other than host and tmpfs files is a private copy",
  fn: (t, a) => {
    const [addr, len, prot, flags, fd] = [a.ptr(0), a.size(1), a.int(2), a.int(3), a.fd(4)];
    const off = a.ulong(5);
    if (len === 0 || off % BigInt(PAGE_SIZE) !== 0n) return -EINVAL;
    const type = flags & MAP_TYPE;
    if (type !== MAP_PRIVATE && type !== MAP_SHARED && type !== MAP_SHARED_VALIDATE) return -EINVAL;
    const size = pageUp(len);
    if (size > t.mm.limit) return -ENOMEM;
    const anon = (flags & MAP_ANONYMOUS) !== 0;
    const file = anon ? null : t.files.get(fd);
    if (!anon) {
      if (!file) return -EBADF;
      if (!file.readable || !file.ops.read) return -EACCES;
      if (!file.ops.llseek) return -ENODEV;
      if (type !== MAP_PRIVATE && prot & PROT_WRITE && !file.writable) return -EACCES;
    }
    let start: number;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
      if (!aligned(addr) || addr + size > t.mm.limit) return -EINVAL;
      if (flags & MAP_FIXED_NOREPLACE && !(flags & MAP_FIXED) && overlaps(t.mm, addr, addr + size)) return -EEXIST;
      start = addr;
    } else {
      start = t.mm.getUnmappedArea(size, addr);
      if (start < 0) return start;
    }
    const vmaFlags = (type === MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED) | (anon ? MAP_ANONYMOUS : 0) | (flags & MAP_GROWSDOWN);
    if (!mayExpandVm(t, size, prot, vmaFlags, start, start + size)) return -ENOMEM;
    const info: Partial<Vma> = { flags: vmaFlags, name: file ? file.path : "", pgoff: Number(off) / PAGE_SIZE };
    const vmaProt = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
    if (file && type !== MAP_PRIVATE) {
      const seals = checkSealsMmap(file, prot);
      if (seals.err) return seals.err;
      info.mayWrite = seals.mayWrite;
    }
    // a file with a page cache: a host or tmpfs regular file
    const m = file ? file.ops.mapping?.(file) ?? null : null;
    if (m && type !== MAP_PRIVATE) {
      // unmapped first: a replaced mapping of the same file may be the last one of its cache
      t.mm.unmap(start, size);
      t.mm.mapFixed(start, size, vmaProt, { ...info, mapping: findOrCreateMapping(t.mm.phys, m, file!.writable) });
      return start;
    }
    const st = file ? file.ops.stat(file) : 0;
    const fileSize = typeof st === "number" ? 0 : Number(st.size);
    if (m) info.filePages = Math.ceil(fileSize / PAGE_SIZE); // pages from the end of the file on are SIGBUS
    t.mm.mapFixed(start, size, vmaProt, info);
    if (file && !copyFile(t, file, start, size, Number(off), fileSize)) {
      t.mm.unmap(start, size);
      return -ENOMEM;
    }
    return start;
  },
});

// A private file mapping's contents: the file's bytes, copied now; false when memory ran out.
function copyFile(t: Task, file: OpenFile, start: number, size: number, off: number, fileSize: number): boolean {
  const n = Math.max(0, Math.min(size, fileSize - off));
  if (n === 0) return true;
  const buf = new Uint8Array(n);
  const got = file.ops.read!(file, t, buf, off);
  return got <= 0 || t.mm.poke(start, buf.subarray(0, got));
}

/** munmap(2) */
export const sys_munmap = defineSyscall({
  name: "munmap", args: ["ptr", "size"],
  fn: (t, a) => {
    const [addr, len] = [a.ptr(0), a.size(1)];
    if (!aligned(addr) || len === 0 || addr + pageUp(len) > t.mm.limit) return -EINVAL;
    t.mm.unmap(addr, pageUp(len));
    return 0;
  },
});

/** mprotect(2) */
export const sys_mprotect = defineSyscall({
  name: "mprotect", args: ["ptr", "size", "prot"],
  fn: (t, a) => {
    const [addr, len, prot] = [a.ptr(0), a.size(1), a.int(2)];
    if (!aligned(addr) || prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | 0x3000000)) return -EINVAL;
    if (len === 0) return 0;
    if (addr + pageUp(len) > t.mm.limit) return -ENOMEM;
    for (const v of t.mm.vmas()) {
      const s = Math.max(v.start, addr), e = Math.min(v.end, addr + pageUp(len));
      if (s < e && prot & PROT_WRITE && v.flags & MAP_SHARED && v.mayWrite === false) return -EACCES;
      if (s < e && !mayBecomeData(t, v, s, e, prot & 7)) return -ENOMEM;
    }
    return t.mm.protect(addr, pageUp(len), prot & 7);
  },
});

/** mremap(2): shrink in place, grow in place when the space is free, or move (MREMAP_MAYMOVE). */
export const sys_mremap = defineSyscall({
  name: "mremap", args: ["ptr", "size", "size", "mremapflags", "ptr"], ret: "hex",
  fn: (t, a) => {
    const [old, oldLen, newLen, flags, newAddr] = [a.ptr(0), pageUp(a.size(1)), pageUp(a.size(2)), a.int(3), a.ptr(4)];
    if (!aligned(old) || newLen === 0 || flags & ~7 || (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE))) return -EINVAL;
    const vma = t.mm.findVma(old);
    if (!vma || old + oldLen > vma.end) return -14; // EFAULT: not one mapping
    if (flags & MREMAP_FIXED) {
      if (newLen > oldLen && !mayExpandVm(t, newLen - oldLen, vma.prot, vma.flags)) return -ENOMEM;
      return move(t, old, oldLen, newLen, newAddr, vma);
    }
    if (newLen <= oldLen) {
      if (newLen < oldLen) t.mm.unmap(old + newLen, oldLen - newLen);
      return old;
    }
    if (!mayExpandVm(t, newLen - oldLen, vma.prot, vma.flags)) return -ENOMEM;
    if (old + newLen <= t.mm.limit && !overlaps(t.mm, old + oldLen, old + newLen)) {
      t.mm.mapFixed(old + oldLen, newLen - oldLen, vma.prot, like(vma, old + oldLen));
      return old;
    }
    if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
    const to = t.mm.getUnmappedArea(newLen);
    return to < 0 ? to : move(t, old, oldLen, newLen, to, vma);
  },
});

// The attributes of a mapping continuing `vma` at `addr` (mremap's new parts).
function like(vma: Vma, addr: number): Partial<Vma> {
  const info: Partial<Vma> = { flags: vma.flags, name: vma.name, pgoff: vma.pgoff + (addr - vma.start) / PAGE_SIZE };
  if (vma.mapping) info.mapping = vma.mapping;
  if (vma.filePages !== undefined) info.filePages = vma.filePages;
  if (vma.mayWrite !== undefined) info.mayWrite = vma.mayWrite;
  return info;
}

function move(t: Task, old: number, oldLen: number, newLen: number, to: number, vma: Vma): number {
  if (!aligned(to) || to + newLen > t.mm.limit || (to < old + oldLen && old < to + newLen)) return -EINVAL;
  const info = like(vma, old);
  t.mm.unmap(to, newLen);
  t.mm.mapFixed(to, newLen, vma.prot, info);
  t.mm.movePages(old, to, Math.min(oldLen, newLen));
  t.mm.unmap(old, oldLen);
  return to;
}

/** msync(2): stores through shared file mappings of the range reach the file. */
export const sys_msync = defineSyscall({
  name: "msync", args: ["ptr", "size", "int"],
  fn: (t, a) => {
    const [addr, len, flags] = [a.ptr(0), a.size(1), a.int(2)];
    if (!aligned(addr) || flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC) || (flags & MS_ASYNC && flags & MS_SYNC)) return -EINVAL;
    const end = addr + pageUp(len);
    if (end > t.mm.limit || end < addr) return -ENOMEM;
    return len === 0 ? 0 : t.mm.sync(addr, end);
  },
});

/** madvise(2): MADV_DONTNEED zero-fills private anonymous memory; other advice is accepted. */
export const sys_madvise = defineSyscall({
  name: "madvise", args: ["ptr", "size", "int"],
  fn: (t, a) => {
    const [addr, len, advice] = [a.ptr(0), pageUp(a.size(1)), a.int(2)];
    if (!aligned(addr)) return -EINVAL;
    if (advice !== MADV_DONTNEED) return 0;
    for (const v of [...t.mm.vmas()]) {
      const s = Math.max(v.start, addr), e = Math.min(v.end, addr + len);
      if (s >= e || !(v.flags & MAP_ANONYMOUS) || v.flags & MAP_SHARED) continue;
      t.mm.mapFixed(s, e - s, v.prot, { flags: v.flags, name: v.name, pgoff: v.pgoff });
    }
    return 0;
  },
});

/**
 * mlock(2) and its family: every page is always resident here, so locking only checks that
 * the range is mapped (ENOMEM otherwise), as the kernel does before it pins anything.
 */
function lockRange(t: Task, addr: number, len: number): number {
  const start = addr - (addr % PAGE_SIZE);
  const end = pageUp(addr + len);
  if (end > t.mm.limit || end < start) return -ENOMEM;
  for (let a = start; a < end; ) {
    const v = t.mm.findVma(a);
    if (!v || v.start > a) return -ENOMEM;
    a = v.end;
  }
  return 0;
}

export const sys_mlock = defineSyscall({ name: "mlock", args: ["ptr", "size"], fn: (t, a) => lockRange(t, a.ptr(0), a.size(1)) });
export const sys_munlock = defineSyscall({ name: "munlock", args: ["ptr", "size"], fn: (t, a) => lockRange(t, a.ptr(0), a.size(1)) });
export const sys_mlock2 = defineSyscall({
  name: "mlock2", args: ["ptr", "size", "int"],
  fn: (t, a) => (a.int(2) & ~1 ? -EINVAL : lockRange(t, a.ptr(0), a.size(1))),
});
const MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;
export const sys_mlockall = defineSyscall({
  name: "mlockall", args: ["int"],
  fn: (_t, a) => {
    const flags = a.int(0);
    return flags === 0 || flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || flags === MCL_ONFAULT ? -EINVAL : 0;
  },
});
export const sys_munlockall = defineSyscall({ name: "munlockall", args: [], fn: () => 0 });

const MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4, MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;
/** NAME_MAX less the "memfd:" prefix: the longest name memfd_create takes. */
const MFD_NAME_MAX_LEN = 255 - 6;

/** memfd_create(2): an anonymous memory file (src/kernel/fs/memfd.ts), sealable with MFD_ALLOW_SEALING. */
export const sys_memfd_create = defineSyscall({
  name: "memfd_create", args: ["path", "uint"], ret: "fd",
  support: "partial", note: "MFD_HUGETLB is EINVAL",
  fn: (t, a) => {
    const flags = a.uint(1);
    if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC) || flags & MFD_HUGETLB) return -EINVAL;
    if (flags & MFD_NOEXEC_SEAL && flags & MFD_EXEC) return -EINVAL;
    const raw = new Uint8Array(MFD_NAME_MAX_LEN + 1);
    const n = strncpy_from_user(t.mm, raw, a.ptr(0), raw.length);
    if (n < 0) return n;
    if (n > MFD_NAME_MAX_LEN) return -EINVAL;
    const f = memfdFile(t, Buffer.from(raw.buffer, 0, n).toString("utf8"));
    if (typeof f === "number") return f;
    const node = f.data as { seals: number; mode: number };
    // MFD_NOEXEC_SEAL: not executable, sealed so, and sealable (memfd_create in mm/memfd.c)
    if (flags & MFD_NOEXEC_SEAL) {
      node.mode &= ~0o111;
      node.seals = F_SEAL_EXEC;
    } else if (flags & MFD_ALLOW_SEALING) node.seals &= ~F_SEAL_SEAL;
    const fd = t.files.install(f, (flags & MFD_CLOEXEC) !== 0);
    if (fd < 0) f.get().put();
    return fd;
  },
});
