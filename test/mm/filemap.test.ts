// The page cache of shared file mappings (src/mm/filemap.ts) and the MM's use of it, with an
// in-memory file behind it: no CPU, no kernel.

import { describe, expect, it } from "vitest";
import {
  filemapHas,
  filemapTruncate,
  filemapUpdate,
  filemapWriteback,
  findOrCreateMapping,
  type FileBacking,
  type FileMapping,
} from "../../src/mm/filemap.ts";
import { ACCESS_READ, ACCESS_WRITE, FAULT_SIGBUS, MM } from "../../src/mm/mm.ts";
import { MAP_PRIVATE, MAP_SHARED, PAGE_SIZE, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";

const RW = PROT_READ | PROT_WRITE;
const A = 0x100000;

/** A file in memory, with counters of what the cache did to it. */
class MemFile implements FileMapping {
  bytes: Uint8Array;
  opens = 0;
  releases = 0;
  writes: number[] = [];
  constructor(readonly key: unknown, size: number, readonly writable = true) {
    this.bytes = new Uint8Array(size).map((_, i) => 0x41 + (i % 26));
  }
  open(): FileBacking {
    this.opens++;
    return {
      writable: this.writable,
      read: (dst, pos) => {
        const n = Math.max(0, Math.min(dst.length, this.bytes.length - pos));
        dst.set(this.bytes.subarray(pos, pos + n));
        return n;
      },
      write: (src, pos) => {
        this.writes.push(pos);
        this.bytes.set(src.subarray(0, Math.max(0, this.bytes.length - pos)), pos);
      },
      size: () => this.bytes.length,
      release: () => void this.releases++,
    };
  }
  resize(n: number): void {
    const b = new Uint8Array(n);
    b.set(this.bytes.subarray(0, Math.min(n, this.bytes.length)));
    filemapTruncate(this.key, this.bytes.length, n);
    this.bytes = b;
  }
}

function mapShared(mm: MM, file: MemFile, start: number, pages: number, pgoff = 0, prot = RW): void {
  mm.mapFixed(start, pages * PAGE_SIZE, prot, { flags: MAP_SHARED, name: "/f", pgoff, mapping: findOrCreateMapping(mm.phys, file, file.writable) });
}

const text = (mm: MM, addr: number, n: number) => new TextDecoder().decode(mm.peek(addr, n));
const put = (mm: MM, addr: number, s: string) => mm.userWrite(addr, new TextEncoder().encode(s), 0, s.length);

describe("page cache of shared file mappings", () => {
  it("gives two mappings in two address spaces the same frames, read from the file once", () => {
    const phys = new PhysMem(16 << 20);
    const file = new MemFile(Symbol("f"), 2 * PAGE_SIZE);
    const a = new MM(phys), b = new MM(phys);
    mapShared(a, file, A, 2);
    mapShared(b, file, A + 0x10000, 1, 1);
    expect(file.opens).toBe(1);
    expect(a.handleFault(A + PAGE_SIZE, ACCESS_READ)).toBe(b.handleFault(A + 0x10000, ACCESS_WRITE));
    put(b, A + 0x10000, "xyz");
    expect(text(a, A + PAGE_SIZE, 4)).toBe("xyzR");
    a.release();
    b.release();
  });

  it("writes dirty pages back on sync, at munmap, and before a read of the range", () => {
    const phys = new PhysMem(16 << 20);
    const file = new MemFile(Symbol("f"), 3 * PAGE_SIZE);
    const mm = new MM(phys);
    mapShared(mm, file, A, 3);
    text(mm, A, 1); // a read fault: not dirty
    put(mm, A + PAGE_SIZE + 5, "dirty");
    filemapWriteback(file.key, 0, PAGE_SIZE); // a read of page 0 only
    expect(file.writes).toEqual([]);
    filemapWriteback(file.key, PAGE_SIZE, 10);
    expect(file.writes).toEqual([PAGE_SIZE]);
    expect(new TextDecoder().decode(file.bytes.subarray(PAGE_SIZE + 5, PAGE_SIZE + 10))).toBe("dirty");
    put(mm, A + 2 * PAGE_SIZE, "Z");
    expect(mm.sync(A, A + 2 * PAGE_SIZE)).toBe(0); // page 2 is outside the range
    expect(file.writes).toEqual([PAGE_SIZE, PAGE_SIZE]);
    mm.unmap(A + 2 * PAGE_SIZE, PAGE_SIZE);
    expect(file.bytes[2 * PAGE_SIZE]).toBe(0x5a);
    expect(mm.sync(A, A + 3 * PAGE_SIZE)).toBe(-12); // ENOMEM: the range has a hole now
  });

  it("lets write() reach mapped pages and keeps stores past the end of the file out of it", () => {
    const phys = new PhysMem(16 << 20);
    const file = new MemFile(Symbol("f"), 100);
    const mm = new MM(phys);
    mapShared(mm, file, A, 1);
    file.bytes.set([0x71, 0x71], 98); // a write() before the page is cached: read from the file
    filemapUpdate(file.key, 98, new TextEncoder().encode("qq"));
    expect(text(mm, A + 97, 4)).toBe("Tqq\0");
    filemapUpdate(file.key, 1, new TextEncoder().encode("pw"));
    expect(text(mm, A, 3)).toBe("Apw");
    put(mm, A + 200, "beyond");
    mm.release();
    expect(file.bytes.length).toBe(100);
  });

  it("makes a page wholly past the end of the file SIGBUS, for faults and for uaccess", () => {
    const phys = new PhysMem(16 << 20);
    const file = new MemFile(Symbol("f"), PAGE_SIZE + 1);
    const mm = new MM(phys);
    mapShared(mm, file, A, 3);
    expect(mm.handleFault(A + PAGE_SIZE + 100, ACCESS_READ)).toBeGreaterThan(0);
    expect(mm.handleFault(A + 2 * PAGE_SIZE, ACCESS_READ)).toBe(-FAULT_SIGBUS);
    expect(mm.handleFault(A + 2 * PAGE_SIZE, ACCESS_WRITE)).toBe(-FAULT_SIGBUS);
    const dst = new Uint8Array(2 * PAGE_SIZE);
    expect(mm.userRead(A + PAGE_SIZE, dst, 0, dst.length)).toBe(PAGE_SIZE);
    expect(mm.userWrite(A + 2 * PAGE_SIZE - 2, dst, 0, 4)).toBe(2);
  });

  it("SIGBUSes a private file mapping past the file's size when mapped", () => {
    const mm = new MM(new PhysMem(16 << 20));
    mm.mapFixed(A, 2 * PAGE_SIZE, PROT_READ, { flags: MAP_PRIVATE, name: "/f", filePages: 1 });
    expect(mm.handleFault(A, ACCESS_READ)).toBeGreaterThanOrEqual(0);
    expect(mm.handleFault(A + PAGE_SIZE, ACCESS_READ)).toBe(-FAULT_SIGBUS);
  });

  it("on truncate zeroes the tail, unmaps pages past the end everywhere, and reads growth afresh", () => {
    const phys = new PhysMem(16 << 20);
    const file = new MemFile(Symbol("f"), 2 * PAGE_SIZE);
    const a = new MM(phys), b = new MM(phys);
    mapShared(a, file, A, 2);
    mapShared(b, file, A, 2);
    put(a, A + PAGE_SIZE, "stale");
    const gen = b.gen;
    file.resize(10);
    expect(b.gen).toBeGreaterThan(gen);
    expect(b.frameOf(A + PAGE_SIZE)).toBe(-1);
    expect(a.handleFault(A + PAGE_SIZE, ACCESS_READ)).toBe(-FAULT_SIGBUS);
    expect(text(b, A + 8, 3)).toBe("IJ\0");
    file.resize(2 * PAGE_SIZE);
    expect(text(a, A + PAGE_SIZE, 5)).toBe("\0\0\0\0\0");
  });

  it("follows splits, merges and fork, and forgets the file with its last mapping", () => {
    const phys = new PhysMem(16 << 20);
    const file = new MemFile(Symbol("f"), 4 * PAGE_SIZE);
    const mm = new MM(phys);
    mapShared(mm, file, A, 4);
    put(mm, A, "p0");
    mm.protect(A + PAGE_SIZE, PAGE_SIZE, PROT_READ); // split in three
    mm.protect(A + PAGE_SIZE, PAGE_SIZE, RW); // merged again
    expect(mm.vmas()).toHaveLength(1);
    const child = mm.fork()!;
    put(child, A + 3 * PAGE_SIZE, "c3");
    const inUse = phys.framesInUse();
    mm.release();
    expect(filemapHas(file.key)).toBe(true);
    expect(text(child, A, 2)).toBe("p0");
    child.unmap(A, 2 * PAGE_SIZE);
    child.unmap(A + 2 * PAGE_SIZE, 2 * PAGE_SIZE);
    expect(filemapHas(file.key)).toBe(false);
    expect(file.releases).toBe(1);
    expect(new TextDecoder().decode(file.bytes.subarray(0, 2))).toBe("p0");
    expect(new TextDecoder().decode(file.bytes.subarray(3 * PAGE_SIZE, 3 * PAGE_SIZE + 2))).toBe("c3");
    expect(phys.framesInUse()).toBeLessThan(inUse);
  });

  it("moves pages with mremap's movePages, keeping them shared", () => {
    const phys = new PhysMem(16 << 20);
    const file = new MemFile(Symbol("f"), PAGE_SIZE);
    const mm = new MM(phys);
    mapShared(mm, file, A, 1);
    const f = mm.handleFault(A, ACCESS_WRITE);
    mapShared(mm, file, A + 0x20000, 1);
    mm.movePages(A, A + 0x20000, PAGE_SIZE);
    mm.unmap(A, PAGE_SIZE);
    expect(mm.frameOf(A + 0x20000)).toBe(f);
    expect(phys.refcount[f]).toBe(2); // the cache and the moved pte
    mm.release();
  });

  it("upgrades a read-only file's writeback when a writable descriptor maps it", () => {
    const phys = new PhysMem(16 << 20);
    const key = Symbol("f");
    const ro = new MemFile(key, PAGE_SIZE, false);
    const rw = new MemFile(key, PAGE_SIZE, true);
    rw.bytes = ro.bytes;
    const mm = new MM(phys);
    mapShared(mm, ro, A, 1, 0, PROT_READ);
    mapShared(mm, rw, A + 0x10000, 1);
    put(mm, A + 0x10000, "up");
    mm.release();
    expect(ro.releases).toBe(1);
    expect(rw.writes).toEqual([0, 0]); // at each munmap: there is no dirty bit to clear
    expect(new TextDecoder().decode(ro.bytes.subarray(0, 2))).toBe("up");
  });
});
