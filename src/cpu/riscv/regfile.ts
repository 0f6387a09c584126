// A hart's register file, kept in a frame of physical memory: the interpreter reaches it through
// typed-array views, and code of the WebAssembly tier loads and stores the same bytes as linear
// memory (at region entry and exit). A CPU whose memory has no frame to spare gets plain arrays,
// and then runs without the WebAssembly tier.

import { PAGE_SIZE } from "../../mm/mman.ts";
import { OutOfMemory, type PhysMem } from "../../mm/physmem.ts";

/** Byte offsets in the register file: x0..x31 and the x0 sink, f0..f31, the exit pc and budget. */
export const RF_X = 0;
export const RF_F = 272;
export const RF_PC = 528;
export const RF_LEFT = 536;
/** The exit pc again as an i64, for the chaining loop (wasm/chain.ts). */
export const RF_PC64 = 544;
/** A WebAssembly region that missed in the TLB leaves the address (i64) and the fill kind (i32) here. */
export const RF_MISS = 552;
const RF_BYTES = 568;

export interface RegFile {
  /** Byte offset of the file in phys's memory, or -1 for plain arrays. */
  readonly base: number;
  readonly regs: BigInt64Array;
  readonly fbits: BigInt64Array;
  /** The exit pc and budget the WebAssembly tier leaves (as a double and an int32). */
  readonly pcOut: Float64Array;
  readonly leftOut: Int32Array;
}

// The frame goes back to the pool when its CPU is collected (tasks do not say when they end).
const release = new FinalizationRegistry<{ phys: PhysMem; frame: number }>(({ phys, frame }) => phys.put(frame));

/** Allocates the register file of `owner` in phys's memory. */
export function allocRegFile(phys: PhysMem, owner: object): RegFile {
  let frame = -1;
  try {
    frame = phys.alloc();
  } catch (e) {
    if (!(e instanceof OutOfMemory)) throw e;
  }
  if (frame < 0) {
    const b = new ArrayBuffer(RF_BYTES);
    return views(b, 0, -1);
  }
  release.register(owner, { phys, frame });
  return views(phys.buffer, frame * PAGE_SIZE, frame * PAGE_SIZE);
}

function views(buffer: ArrayBuffer, off: number, base: number): RegFile {
  return {
    base,
    regs: new BigInt64Array(buffer, off + RF_X, 33),
    fbits: new BigInt64Array(buffer, off + RF_F, 32),
    pcOut: new Float64Array(buffer, off + RF_PC, 1),
    leftOut: new Int32Array(buffer, off + RF_LEFT, 1),
  };
}
