// The frames exec keeps for programs' read-only segments (src/mm/imagecache.ts): shared by every
// address space that maps the same file, copy-on-write, given back when the file leaves the cache.

import { afterEach, describe, expect, it } from "vitest";
import { dropImageCache } from "../../src/mm/imagecache.ts";
import { MM } from "../../src/mm/mm.ts";
import { MAP_PRIVATE, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";

const A = 0x400000;
const RX = PROT_READ | PROT_EXEC;

function program(size: number, seed: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i * 7 + seed) & 0xff);
}

function mapText(mm: MM, file: Uint8Array, pages: number): void {
  mm.mapFixed(A, pages * PAGE_SIZE, RX, { name: "prog", flags: MAP_PRIVATE });
  expect(mm.mapImagePages(A, file, 0, pages)).toBe(true);
}

afterEach(() => dropImageCache());

describe("the image cache", () => {
  it("maps the same frames for every exec of one file, with the file's bytes and zeros past its end", () => {
    const phys = new PhysMem(64 * PAGE_SIZE);
    const file = program(2 * PAGE_SIZE + 100, 1);
    const a = new MM(phys), b = new MM(phys);
    mapText(a, file, 3);
    mapText(b, file, 3);
    for (let k = 0; k < 3; k++) expect(a.frameOf(A + k * PAGE_SIZE)).toBe(b.frameOf(A + k * PAGE_SIZE));
    expect(a.peek(A, file.length)).toEqual(file);
    expect(a.peek(A + file.length, 3 * PAGE_SIZE - file.length).every((x) => x === 0)).toBe(true);
    expect(phys.framesInUse()).toBe(3);
  });

  it("copies a page before anyone writes it: the other process and later execs keep the file's bytes", () => {
    const phys = new PhysMem(64 * PAGE_SIZE);
    const file = program(PAGE_SIZE, 2);
    const a = new MM(phys), b = new MM(phys);
    mapText(a, file, 1);
    mapText(b, file, 1);
    expect(a.protect(A, PAGE_SIZE, PROT_READ | PROT_WRITE)).toBe(0);
    expect(a.userWrite(A + 10, Uint8Array.of(0xee), 0, 1)).toBe(1);
    expect(a.peek(A + 10, 1)[0]).toBe(0xee);
    expect(b.peek(A, PAGE_SIZE)).toEqual(file);
    expect(a.frameOf(A)).not.toBe(b.frameOf(A));
    a.poke(A + 20, Uint8Array.of(1, 2, 3)); // the loader's own write: the same rule
    const c = new MM(phys);
    mapText(c, file, 1);
    expect(c.peek(A, PAGE_SIZE)).toEqual(file);
    expect(c.frameOf(A)).toBe(b.frameOf(A));
  });

  it("gives the frames back when the file leaves the cache and nobody maps them", () => {
    const phys = new PhysMem(256 * PAGE_SIZE);
    const first = program(4 * PAGE_SIZE, 3);
    const a = new MM(phys);
    mapText(a, first, 4);
    a.release();
    expect(phys.framesInUse()).toBe(4); // kept for the next exec
    for (let n = 0; n < 8; n++) {
      const m = new MM(phys);
      mapText(m, program(PAGE_SIZE, 10 + n), 1);
      m.release();
    }
    expect(phys.framesInUse()).toBe(8); // the first file was the least recently used: its 4 went
    dropImageCache();
    expect(phys.framesInUse()).toBe(0);
  });
});
