// The frames of programs' read-only segments, kept between execs as the page cache keeps a
// binary's text on Linux: every exec of the same file maps the same frames, copy-on-write.
//
// exec used to copy each segment into fresh frames: a shell script execs the same 2 MB busybox
// for every command, and those copies (and the decoding of code the CPU then did afresh, since
// its decoded pages are kept per frame) were a large part of a fork+exec. Only pages whose bytes
// are the file's own are kept: a segment without bss and without PROT_WRITE (text, rodata),
// where the last page of the file reads as zeros past its end. The file is recognised by the
// bytes object exec read it into, which src/kernel/vfs/exec-file.ts keeps for an unchanged file
// (size, mtime and ctime); a changed file is new bytes, hence new frames.
//
// The cache holds one reference to each frame, so a mapping's write (after mprotect, or the
// kernel's own poke) copies the page first, as for any shared private page; at most FILES files
// are kept, and the frames of the least recently used one go back when another comes.

import { PAGE_SIZE } from "./mman.ts";
import type { PhysMem } from "./physmem.ts";

const FILES = 8;

interface Image {
  phys: PhysMem;
  /** Page index in the file → frame (one reference each). */
  frames: Map<number, number>;
}

const images = new Map<Uint8Array, Image>();

/** The frame holding page `index` of `file`, filled on first use; throws OutOfMemory. */
export function imageFrame(phys: PhysMem, file: Uint8Array, index: number): number {
  let img = images.get(file);
  if (img === undefined || img.phys !== phys) {
    if (img !== undefined) release(file, img);
    img = { phys, frames: new Map() };
    images.set(file, img);
    while (images.size > FILES) {
      const [oldest, old] = images.entries().next().value!;
      release(oldest, old);
    }
  } else {
    images.delete(file);
    images.set(file, img); // the most recent last
  }
  let f = img.frames.get(index);
  if (f === undefined) {
    f = phys.alloc();
    const from = index * PAGE_SIZE;
    phys.u8.set(file.subarray(from, Math.min(from + PAGE_SIZE, file.length)), f * PAGE_SIZE);
    img.frames.set(index, f);
  }
  return f;
}

function release(file: Uint8Array, img: Image): void {
  images.delete(file);
  for (const f of img.frames.values()) img.phys.put(f);
}

/** Gives every kept frame back (tests that count frames, and a kernel shutting down). */
export function dropImageCache(): void {
  for (const [file, img] of [...images]) release(file, img);
}
