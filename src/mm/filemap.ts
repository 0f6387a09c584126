// The page cache of shared file mappings (the kernel's struct address_space and mm/filemap.c,
// cut down to what MAP_SHARED needs).
//
// sysemu's files keep their bytes where they always did (the host file, a tmpfs inode's array),
// and read() and write() do not go through frames. Only pages that MAP_SHARED mappings touch are
// cached: one frame per page of the file, mapped by every shared mapping of it in every address
// space, so that two mmaps of one file see each other's stores as on Linux. Where the file's own
// bytes can be observed, the two are made to agree:
//   - stores through a mapping reach the file on msync, munmap and exit, and before the kernel
//     reads that part of the file (read, pread, a private mmap, sendfile): writeback;
//   - write() and pwrite() copy what they wrote into the cached pages they cover; truncate zeroes
//     what lies past the new end and forgets the pages wholly past it;
//   - when the last mapping goes, the pages are written back and the cache forgets the file.
// Stores go through the CPU's TLB with no dirty bit to look at: a page that a write fault has
// touched counts as dirty from then on, and is written back again at every sync point.

import { PAGE_SIZE } from "./mman.ts";
import type { PhysMem } from "./physmem.ts";

/** Where a cached file's bytes live (address_space_operations): the host file, a tmpfs inode. */
export interface FileBacking {
  /** Whether writeback may write (the mapping came from a descriptor open for writing). */
  readonly writable: boolean;
  /** Reads up to dst.length bytes at pos into dst; bytes read (short at end of file). */
  read(dst: Uint8Array, pos: number): number;
  /** Writes src at pos. */
  write(src: Uint8Array, pos: number): void;
  /** The file's size now. */
  size(): number;
  /** The cache no longer needs the file: drops what open() took. */
  release(): void;
}

/** An address space mapping a file: truncate reaches its page tables through this (the rmap). */
export interface MappingUser {
  /** Unmaps the pages of `as` from file page `from` on (unmap_mapping_range). */
  unmapFilePages(as: AddressSpace, from: number): void;
}

/** What a file offers to be mapped shared: who it is, and how to reach its bytes. */
export interface FileMapping {
  /** The file's identity: "dev:ino" of a host file, the inode object of a tmpfs file. */
  key: unknown;
  /** Takes what the cache needs to read and write the file for as long as it is mapped. */
  open(): FileBacking;
}

/** One mapped file's cached pages (struct address_space). */
export class AddressSpace {
  /** Page index in the file → frame; each entry holds one reference to its frame. */
  private readonly pages = new Map<number, number>();
  private readonly dirty = new Set<number>();
  /** The address spaces mapping it, with their number of VMAs of it (split halves count). */
  private readonly users = new Map<MappingUser, number>();

  constructor(readonly key: unknown, readonly phys: PhysMem, private backing: FileBacking) {}

  /** Pages cached now. */
  get nrpages(): number {
    return this.pages.size;
  }

  /** Whether page `index` is wholly past the end of the file (an access is SIGBUS). */
  beyondEof(index: number): boolean {
    return !this.pages.has(index) && index * PAGE_SIZE >= this.backing.size();
  }

  /** The frame of page `index`, read from the file on first use; the caller takes its own reference. */
  findOrReadPage(index: number): number {
    let f = this.pages.get(index);
    if (f === undefined) {
      f = this.phys.alloc();
      const base = f * PAGE_SIZE;
      const want = Math.max(0, Math.min(PAGE_SIZE, this.backing.size() - index * PAGE_SIZE));
      if (want > 0) this.backing.read(this.phys.u8.subarray(base, base + want), index * PAGE_SIZE);
      this.pages.set(index, f);
    }
    return f;
  }

  /** A store may have reached page `index` (a write fault mapped it writable). */
  markDirty(index: number): void {
    this.dirty.add(index);
  }

  /** Writes the dirty pages among [first, last) back to the file, none of them past its end. */
  writeback(first = 0, last = Infinity): void {
    if (this.dirty.size === 0 || !this.backing.writable) return;
    const size = this.backing.size();
    for (const index of this.dirty) {
      if (index < first || index >= last) continue;
      const f = this.pages.get(index);
      const n = Math.min(PAGE_SIZE, size - index * PAGE_SIZE);
      if (f === undefined || n <= 0) continue;
      this.backing.write(this.phys.u8.subarray(f * PAGE_SIZE, f * PAGE_SIZE + n), index * PAGE_SIZE);
    }
  }

  /** write() put `src` at `pos` of the file: the cached pages it covers take the same bytes. */
  update(pos: number, src: Uint8Array): void {
    const end = pos + src.length;
    for (let index = Math.floor(pos / PAGE_SIZE); index * PAGE_SIZE < end; index++) {
      const f = this.pages.get(index);
      if (f === undefined) continue;
      const from = Math.max(pos, index * PAGE_SIZE);
      const to = Math.min(end, (index + 1) * PAGE_SIZE);
      this.phys.u8.set(src.subarray(from - pos, to - pos), f * PAGE_SIZE + (from - index * PAGE_SIZE));
      this.phys.invalidateCode(f);
    }
  }

  /**
   * The file's size went from oldSize to newSize: what lies past the lower of the two reads as
   * zeroes (growth is a hole), and pages wholly past the new end leave the cache and every
   * mapping, so that touching them is SIGBUS (and after growth, a fresh page of the file).
   */
  truncate(oldSize: number, newSize: number): void {
    const from = Math.min(oldSize, newSize);
    const firstGone = Math.ceil(newSize / PAGE_SIZE);
    if (newSize < oldSize) for (const user of this.users.keys()) user.unmapFilePages(this, firstGone);
    for (const [index, f] of [...this.pages]) {
      const start = index * PAGE_SIZE;
      if (start >= newSize) {
        this.pages.delete(index);
        this.dirty.delete(index);
        this.phys.put(f);
      } else if (start + PAGE_SIZE > from) {
        this.phys.u8.fill(0, f * PAGE_SIZE + Math.max(0, from - start), (f + 1) * PAGE_SIZE);
        this.phys.invalidateCode(f);
      }
    }
  }

  /** A VMA of `user` maps the file (mmap, a split, fork). */
  get(user: MappingUser): void {
    this.users.set(user, (this.users.get(user) ?? 0) + 1);
  }

  /**
   * A VMA of `user` went away: its pages [first, last) are written back (munmap, exit); the
   * last one anywhere writes everything back and empties the cache.
   */
  put(user: MappingUser, first = 0, last = 0): void {
    const n = (this.users.get(user) ?? 0) - 1;
    if (n > 0) this.users.set(user, n);
    else this.users.delete(user);
    if (this.users.size > 0) return this.writeback(first, last);
    this.writeback();
    for (const f of this.pages.values()) this.phys.put(f);
    this.pages.clear();
    this.dirty.clear();
    this.backing.release();
    forget(this);
  }

  /** A mapping through a descriptor open for writing: writeback can use it from now on. */
  adopt(m: FileMapping, writable: boolean): void {
    if (this.backing.writable || !writable) return;
    const b = m.open();
    this.backing.release();
    this.backing = b;
  }
}

// Every cached file, by key: one AddressSpace per pool of frames (tests make their own pools).
const spaces = new Map<unknown, AddressSpace[]>();

/** The cache of file `m` in pool `phys`, created on first use; `writable`: the mapping may write. */
export function findOrCreateMapping(phys: PhysMem, m: FileMapping, writable: boolean): AddressSpace {
  const list = spaces.get(m.key) ?? [];
  let as = list.find((a) => a.phys === phys);
  if (as) {
    as.adopt(m, writable);
    return as;
  }
  as = new AddressSpace(m.key, phys, m.open());
  list.push(as);
  spaces.set(m.key, list);
  return as;
}

function forget(as: AddressSpace): void {
  const list = spaces.get(as.key);
  if (!list) return;
  const rest = list.filter((a) => a !== as);
  if (rest.length) spaces.set(as.key, rest);
  else spaces.delete(as.key);
}

/** Whether any file is mapped shared: the I/O paths skip the lookups below when none is. */
export function filemapActive(): boolean {
  return spaces.size !== 0;
}

/** Before the kernel reads [pos, pos+len) of the file `key`: stores through mappings reach it. */
export function filemapWriteback(key: unknown, pos: number, len: number): void {
  const list = spaces.get(key);
  if (!list) return;
  const first = Math.floor(pos / PAGE_SIZE);
  const last = Math.ceil((pos + len) / PAGE_SIZE);
  for (const as of list) as.writeback(first, last);
}

/** After the kernel wrote `src` at `pos` of the file `key`: shared mappings see it. */
export function filemapUpdate(key: unknown, pos: number, src: Uint8Array): void {
  for (const as of spaces.get(key) ?? []) as.update(pos, src);
}

/** After the file `key` changed size (truncate, ftruncate). */
export function filemapTruncate(key: unknown, oldSize: number, newSize: number): void {
  for (const as of spaces.get(key) ?? []) as.truncate(oldSize, newSize);
}

/** Whether the file `key` has cached pages (the I/O paths ask before costly look-ups). */
export function filemapHas(key: unknown): boolean {
  return spaces.has(key);
}
