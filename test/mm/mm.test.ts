import { describe, expect, it } from "vitest";
import { ENOMEM } from "../../src/mm/errno.ts";
import {
  ACCESS_EXEC,
  ACCESS_READ,
  ACCESS_WRITE,
  MM,
  MMAP_MIN_ADDR,
  SEGV_ACCERR,
  SEGV_MAPERR,
  STACK_GUARD_GAP,
} from "../../src/mm/mm.ts";
import {
  MAP_ANONYMOUS,
  MAP_GROWSDOWN,
  MAP_PRIVATE,
  MAP_SHARED,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  TASK_SIZE,
} from "../../src/mm/mman.ts";
import { PhysMem, ZERO_FRAME } from "../../src/mm/physmem.ts";

const RW = PROT_READ | PROT_WRITE;
const newMM = () => new MM(new PhysMem(64 * 1024 * 1024));
const spans = (mm: MM) => mm.vmas().map((v) => [v.start, v.end, v.prot]);

describe("MM mappings", () => {
  it("exports Sv39's TASK_SIZE", () => {
    expect(TASK_SIZE).toBe(0x40_0000_0000);
  });

  it("maps, merges adjacent anonymous areas and splits on unmap", () => {
    const mm = newMM();
    mm.mapFixed(0x10000, 0x2000, RW);
    mm.mapFixed(0x12000, 0x1000, RW);
    expect(spans(mm)).toEqual([[0x10000, 0x13000, RW]]);
    mm.unmap(0x11000, 0x1000);
    expect(spans(mm)).toEqual([
      [0x10000, 0x11000, RW],
      [0x12000, 0x13000, RW],
    ]);
    expect(mm.findVma(0x11800)).toBeNull();
    expect(mm.findVma(0x12fff)?.start).toBe(0x12000);
  });

  it("does not merge file mappings whose offsets do not continue", () => {
    const mm = newMM();
    const file = { flags: MAP_PRIVATE, name: "/bin/x", ino: 7, dev: 1 };
    mm.mapFixed(0x10000, 0x1000, PROT_READ, { ...file, pgoff: 0 });
    mm.mapFixed(0x11000, 0x1000, PROT_READ, { ...file, pgoff: 5 });
    mm.mapFixed(0x12000, 0x1000, PROT_READ, { ...file, pgoff: 6 });
    expect(mm.vmas().map((v) => [v.start, v.end, v.pgoff])).toEqual([
      [0x10000, 0x11000, 0],
      [0x11000, 0x13000, 5],
    ]);
  });

  it("replaces overlapped mappings (MAP_FIXED) and drops their contents", () => {
    const mm = newMM();
    mm.mapFixed(0x10000, 0x3000, RW);
    mm.poke(0x11000, Uint8Array.of(1, 2, 3));
    mm.mapFixed(0x11000, 0x1000, PROT_READ, { name: "[x]" });
    expect(mm.vmas().map((v) => [v.start, v.end, v.name])).toEqual([
      [0x10000, 0x11000, ""],
      [0x11000, 0x12000, "[x]"],
      [0x12000, 0x13000, ""],
    ]);
    expect([...mm.peek(0x11000, 3)]).toEqual([0, 0, 0]);
  });

  it("mprotect splits and re-merges, and fails with ENOMEM at a hole after changing what precedes it", () => {
    const mm = newMM();
    mm.mapFixed(0x10000, 0x4000, RW);
    expect(mm.protect(0x11000, 0x1000, PROT_READ)).toBe(0);
    expect(spans(mm)).toEqual([
      [0x10000, 0x11000, RW],
      [0x11000, 0x12000, PROT_READ],
      [0x12000, 0x14000, RW],
    ]);
    expect(mm.protect(0x11000, 0x1000, RW)).toBe(0);
    expect(spans(mm)).toEqual([[0x10000, 0x14000, RW]]);
    mm.mapFixed(0x16000, 0x1000, RW);
    expect(mm.protect(0x13000, 0x4000, PROT_READ)).toBe(-ENOMEM);
    expect(spans(mm)).toEqual([
      [0x10000, 0x13000, RW],
      [0x13000, 0x14000, PROT_READ],
      [0x16000, 0x17000, RW],
    ]);
    expect(mm.protect(0x20000, 0x1000, PROT_READ)).toBe(-ENOMEM);
  });

  it("bumps gen, with the affected pages, on every change a TLB could have cached", () => {
    const mm = newMM();
    let g = mm.gen;
    const bumped = () => {
      const b = mm.gen !== g ? [mm.changedFrom * PAGE_SIZE, mm.changedTo * PAGE_SIZE] : null;
      g = mm.gen;
      return b;
    };
    mm.mapFixed(0x10000, 0x3000, RW);
    expect(bumped()).toBeNull(); // nothing was mapped there: nothing to invalidate
    mm.mapFixed(0x11000, 0x1000, RW);
    expect(bumped()).toEqual([0x11000, 0x12000]);
    mm.protect(0x10000, 0x1000, PROT_READ);
    expect(bumped()).toEqual([0x10000, 0x11000]);
    mm.unmap(0x12000, 0x1000);
    expect(bumped()).toEqual([0x12000, 0x13000]);
    mm.unmap(0x40000, 0x1000);
    expect(bumped()).toBeNull();
    mm.fork()!.release();
    expect(bumped()).toEqual([0, TASK_SIZE]);
  });
});

describe("getUnmappedArea", () => {
  it("goes top-down below mmapBase and honours a free hint", () => {
    const mm = newMM();
    mm.mmapBase = 0x7000_0000;
    expect(mm.getUnmappedArea(0x1000)).toBe(0x6fff_f000);
    mm.mapFixed(0x6fff_f000, 0x1000, RW);
    expect(mm.getUnmappedArea(0x2000)).toBe(0x6fff_d000);
    expect(mm.getUnmappedArea(0x1000, 0x5000_0000)).toBe(0x5000_0000);
    // an occupied hint is ignored
    expect(mm.getUnmappedArea(0x1000, 0x6fff_f000)).toBe(0x6fff_e000);
  });

  it("keeps the stack guard gap free and falls back bottom-up", () => {
    const mm = newMM();
    mm.mmapBase = 0x100_0000;
    mm.mapFixed(0x40_0000, 0xc0_0000, RW, { flags: MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, name: "[stack]" });
    expect(mm.getUnmappedArea(0x1000)).toBe(0x40_0000 - STACK_GUARD_GAP - 0x1000);
    expect(mm.getUnmappedArea(0x40_0000)).toBeGreaterThanOrEqual(Math.floor(TASK_SIZE / 3));
    expect(mm.getUnmappedArea(TASK_SIZE)).toBe(-ENOMEM);
    expect(mm.getUnmappedArea(0x1000, 0x100)).toBe(MMAP_MIN_ADDR > 0x1000 ? mm.getUnmappedArea(0x1000) : 0x1000);
  });
});

describe("page faults and copy-on-write", () => {
  it("reads untouched private pages from the zero frame, allocates on first write", () => {
    const mm = newMM();
    mm.mapFixed(0x10000, 0x1000, RW);
    expect(mm.handleFault(0x10010, ACCESS_READ)).toBe(ZERO_FRAME);
    const f = mm.handleFault(0x10010, ACCESS_WRITE);
    expect(f).toBeGreaterThan(0);
    expect(mm.frameOf(0x10000)).toBe(f);
  });

  it("returns MAPERR for holes and out-of-range addresses, ACCERR for wrong permissions", () => {
    const mm = newMM();
    mm.mapFixed(0x10000, 0x1000, PROT_READ);
    expect(mm.handleFault(0x20000, ACCESS_READ)).toBe(-SEGV_MAPERR);
    expect(mm.handleFault(-8, ACCESS_READ)).toBe(-SEGV_MAPERR);
    expect(mm.handleFault(TASK_SIZE, ACCESS_READ)).toBe(-SEGV_MAPERR);
    expect(mm.handleFault(0x10000, ACCESS_WRITE)).toBe(-SEGV_ACCERR);
    expect(mm.handleFault(0x10000, ACCESS_EXEC)).toBe(-SEGV_ACCERR);
  });

  it("fork shares frames until one side writes", () => {
    const mm = newMM();
    mm.mapFixed(0x10000, 0x2000, RW);
    mm.poke(0x10000, Uint8Array.of(42));
    const child = mm.fork()!;
    const shared = mm.frameOf(0x10000);
    expect(child.frameOf(0x10000)).toBe(shared);
    expect(mm.phys.refcount[shared]).toBe(2);
    child.userWrite(0x10000, Uint8Array.of(7), 0, 1);
    expect(child.frameOf(0x10000)).not.toBe(shared);
    expect(mm.peek(0x10000, 1)[0]).toBe(42);
    expect(child.peek(0x10000, 1)[0]).toBe(7);
    // the parent is now the only user: its write needs no copy
    const g = mm.gen;
    mm.userWrite(0x10000, Uint8Array.of(9), 0, 1);
    expect(mm.frameOf(0x10000)).toBe(shared);
    expect(mm.gen).toBe(g);
  });

  it("fork keeps MAP_SHARED pages shared, even ones untouched before the fork", () => {
    const mm = newMM();
    mm.mapFixed(0x10000, 0x2000, RW, { flags: MAP_SHARED | MAP_ANONYMOUS });
    const child = mm.fork()!;
    child.userWrite(0x11000, Uint8Array.of(5), 0, 1);
    expect(mm.peek(0x11000, 1)[0]).toBe(5);
  });

  it("frees frames on unmap and release", () => {
    const phys = new PhysMem(64 * 1024 * 1024);
    const mm = new MM(phys);
    const before = phys.framesInUse();
    mm.mapFixed(0x10000, 0x4000, RW);
    mm.poke(0x10000, new Uint8Array(0x4000).fill(1));
    expect(phys.framesInUse()).toBe(before + 4);
    mm.unmap(0x10000, 0x2000);
    expect(phys.framesInUse()).toBe(before + 2);
    mm.release();
    expect(phys.framesInUse()).toBe(before);
    expect(mm.vmas()).toEqual([]);
    // a reused frame comes back zeroed
    mm.mapFixed(0x10000, 0x1000, RW);
    mm.handleFault(0x10000, ACCESS_WRITE);
    expect([...mm.peek(0x10000, 4)]).toEqual([0, 0, 0, 0]);
  });

  it("grows a MAP_GROWSDOWN stack within RLIMIT_STACK and not into the guard gap", () => {
    const mm = newMM();
    const top = 0x800_0000;
    mm.mapFixed(top - 0x10000, 0x10000, RW, { flags: MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, name: "[stack]" });
    expect(mm.handleFault(top - 0x20000 + 8, ACCESS_WRITE)).toBeGreaterThan(0);
    expect(mm.findVma(top - 1)!.start).toBe(top - 0x20000);
    expect(mm.handleFault(top - mm.stackLimit - PAGE_SIZE, ACCESS_READ)).toBe(-SEGV_MAPERR);
    mm.mapFixed(0x100_0000, 0x1000, RW);
    expect(mm.handleFault(0x100_1000 + STACK_GUARD_GAP - PAGE_SIZE, ACCESS_READ)).toBe(-SEGV_MAPERR);
  });

  it("poke and peek ignore protections but throw on unmapped addresses", () => {
    const mm = newMM();
    mm.mapFixed(0x10000, 0x2000, PROT_EXEC);
    mm.poke(0x10ffe, Uint8Array.of(1, 2, 3, 4));
    expect([...mm.peek(0x10ffe, 4)]).toEqual([1, 2, 3, 4]);
    expect(() => mm.poke(0x12000, Uint8Array.of(1))).toThrow(RangeError);
    expect(() => mm.peek(0x11fff, 2)).toThrow(RangeError);
  });
});
