// "Physical memory": one WebAssembly.Memory cut into 4 KiB frames that address spaces map.
//
// Why one buffer and not one ArrayBuffer per page: the CPU's fast path can then index a single
// BigInt64Array/Int32Array with `frameOffset + pageOffset`, which TurboFan compiles to a bounds
// check and a load, with no per-page object to fetch; and code the translation tier emits as
// WebAssembly reaches the same frames as its linear memory. The memory is reserved at its full
// size up front (a shared memory, so that it never detaches its buffer); the host backs it with
// lazily-zeroed pages, so untouched frames cost no RAM. Its size is the guest's physical memory
// (`--memory`): when every frame is handed out, the kernel's OOM killer runs.
//
// Frames are reference counted (a frame shared after fork has count > 1; see MM.fork) and know
// whether the CPU has decoded instructions from them, so that writes can invalidate that code.

import { PAGE_SHIFT, PAGE_SIZE } from "./mman.ts";
import { WA, type WasmMemory } from "../wasm/webassembly.ts";

const SharedMemory = WA.Memory as unknown as new (d: { initial: number; maximum: number; shared: true }) => WasmMemory;

/** The frame every untouched private page maps on a read: never written, always zero. */
export const ZERO_FRAME = 0;

/** Byte offsets must stay below 2^31 so that `offset >> 3` is a valid int32 index. */
export const MAX_POOL_BYTES = 2 ** 31;
/** The guest's physical memory unless `--memory` says otherwise. */
export const DEFAULT_POOL_BYTES = 2 ** 31;
const WASM_PAGE = 65536;

/** The frame pool is exhausted: the kernel answers with the OOM killer, not with a crash. */
export class OutOfMemory extends RangeError {}

export class PhysMem {
  /** The frames as WebAssembly linear memory (the translation tier's code imports it). */
  readonly memory: WasmMemory;
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly i64: BigInt64Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly nframes: number;
  /** References per frame; 0 = free. ZERO_FRAME is pinned. */
  readonly refcount: Int32Array;
  /** 1 while some CPU holds decoded instructions of the frame (its stores must go the slow way). */
  readonly isCode: Uint8Array;
  /** Bumped whenever a code frame is written or freed: decoded copies carry the value they saw. */
  readonly codeGen: Int32Array;
  /** Byte offset of codeGen in the memory. */
  readonly codeGenBase: number;
  /** Bumped whenever a frame becomes code, so that CPUs drop write-TLB entries that may point at it. */
  codeMarks = 0;
  private readonly freeList: Int32Array;
  private freeTop = 0;
  private next = 1; // frames [next, nframes) were never handed out and are still zero

  constructor(bytes = DEFAULT_POOL_BYTES) {
    const size = Math.min(Math.max(bytes, 2 * PAGE_SIZE), MAX_POOL_BYTES);
    this.memory = allocatePool(size - (size % PAGE_SIZE));
    this.buffer = this.memory.buffer;
    const b = this.buffer;
    this.u8 = new Uint8Array(b);
    this.i8 = new Int8Array(b);
    this.u16 = new Uint16Array(b);
    this.i16 = new Int16Array(b);
    this.i32 = new Int32Array(b);
    this.u32 = new Uint32Array(b);
    this.i64 = new BigInt64Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
    // the memory is a whole number of 64 KiB wasm pages: frames past the size asked for stay
    // unused; the last frames hold the code generations, which the translation tier reads too
    const total = Math.min(b.byteLength, size - (size % PAGE_SIZE)) >>> PAGE_SHIFT;
    const genFrames = Math.ceil((total * 4) / PAGE_SIZE);
    this.nframes = total - genFrames;
    this.codeGenBase = this.nframes * PAGE_SIZE;
    this.codeGen = new Int32Array(b, this.codeGenBase, this.nframes);
    this.refcount = new Int32Array(this.nframes);
    this.isCode = new Uint8Array(this.nframes);
    this.freeList = new Int32Array(this.nframes);
    this.refcount[ZERO_FRAME] = 1;
  }

  /** Returns a zero-filled frame with a reference count of 1; throws when memory is exhausted. */
  alloc(): number {
    const f = this.allocDirty();
    // as float64 words: fill on a shared buffer goes element by element, and zero bits are +0.0
    // (3x faster than a byte fill, measured on Node 20)
    if (this.recycled) this.f64.fill(0, f * (PAGE_SIZE / 8), (f + 1) * (PAGE_SIZE / 8));
    return f;
  }

  // A frame with a reference count of 1 and whatever it held before.
  private recycled = false;
  private allocDirty(): number {
    let f: number;
    this.recycled = false;
    if (this.freeTop > 0) {
      f = this.freeList[--this.freeTop]!;
      this.recycled = true;
    } else if (this.next < this.nframes) {
      f = this.next++;
    } else {
      throw new OutOfMemory(`out of emulated physical memory (${this.nframes * 4} KiB)`);
    }
    this.refcount[f] = 1;
    return f;
  }

  /**
   * Returns the first of n consecutive zeroed frames, for the CPU's own tables in linear memory;
   * they are never freed. Throws when memory is exhausted.
   */
  allocContiguous(n: number): number {
    if (this.next + n > this.nframes) throw new OutOfMemory(`out of emulated physical memory (${this.nframes * 4} KiB)`);
    const f = this.next;
    this.next += n;
    for (let k = f; k < f + n; k++) this.refcount[k] = 1;
    return f;
  }

  /** Returns a new frame holding a copy of frame `src` (copy-on-write break). */
  copy(src: number): number {
    const f = this.allocDirty(); // every byte is written next
    this.u8.copyWithin(f * PAGE_SIZE, src * PAGE_SIZE, (src + 1) * PAGE_SIZE);
    return f;
  }

  /** Takes one more reference to a frame. */
  get(frame: number): void {
    if (frame !== ZERO_FRAME) this.refcount[frame]!++;
  }

  /** Drops one reference; the frame is freed (and its decoded code invalidated) at zero. */
  put(frame: number): void {
    if (frame === ZERO_FRAME) return;
    if (--this.refcount[frame]! > 0) return;
    this.invalidateCode(frame);
    this.freeList[this.freeTop++] = frame;
  }

  /** Frames currently handed out (for statistics). */
  framesInUse(): number {
    return this.next - 1 - this.freeTop;
  }

  /** Marks a frame as holding decoded instructions. */
  markCode(frame: number): void {
    if (this.isCode[frame] === 0) {
      this.isCode[frame] = 1;
      this.codeMarks++;
    }
  }

  /** Forgets decoded instructions of a frame (it was written or freed). */
  invalidateCode(frame: number): void {
    if (this.isCode[frame] !== 0) {
      this.isCode[frame] = 0;
      this.codeGen[frame]!++;
    }
  }
}

// Tries smaller pools when the host refuses a big reservation (e.g. strict overcommit). Shared:
// growing or reserving a non-shared memory would detach the buffer under every typed-array view
// the CPU holds, and V8 counts a plain 2 GiB ArrayBuffer as external memory pressure, answered
// with a full mark-compact GC (~9 ms of every start-up, measured with --trace-gc). Nothing shares
// it across threads.
function allocatePool(size: number): WasmMemory {
  for (let s = size; ; s = Math.floor(s / 2 / PAGE_SIZE) * PAGE_SIZE) {
    const pages = Math.ceil(s / WASM_PAGE);
    try {
      return new SharedMemory({ initial: pages, maximum: pages, shared: true });
    } catch (e) {
      if (s <= 16 * 1024 * 1024) throw e;
    }
  }
}

let shared: PhysMem | null = null;
let sharedBytes = DEFAULT_POOL_BYTES;

/** Sets the size of the process-wide pool (`--memory`); only before its first use. */
export function setDefaultPhysMemSize(bytes: number): void {
  if (shared !== null) throw new Error("physical memory is already allocated");
  sharedBytes = bytes;
}

/** The process-wide pool that address spaces use unless given their own. */
export function defaultPhysMem(): PhysMem {
  shared ??= new PhysMem(sharedBytes);
  return shared;
}
