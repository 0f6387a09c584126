// A wasm guest's address space: its linear memory, seen by the kernel through the same
// UserMemory contract as an ELF task's page tables (src/mm/uaccess.ts).
//
// Why a subclass of MM: Task.mm is an MM and every handler passes it to uaccess, so a wasm
// task's memory must be one. Only the user-access half is meaningful here: the VMA half stays
// empty, and the mm family of system calls (brk, mmap ...) is taken out of a wasm task's table
// (see table.ts), because the guest can only address its linear memory.
//
// Besides the linear memory there is a kernel scratch window far above 4 GiB: WASI calls are
// implemented by calling the Linux handlers, which take their strings and structs by pointer,
// so the bridge (bridge.ts) stages them there. The window is reachable only while the bridge is
// inside such a call: a guest pointer (32-bit in WASI, any 64-bit value through the raw
// linux.syscall import) never reaches it and gets EFAULT like any address past the memory.

import { MM } from "../mm/mm.ts";
import { PAGE_SIZE, type TASK_SIZE } from "../mm/mman.ts";
import { PhysMem } from "../mm/physmem.ts";
import type { WasmMemory } from "./webassembly.ts";

/** Where the kernel scratch window starts: past any wasm32 or wasm64-in-practice pointer. */
export const SCRATCH_BASE = 2 ** 36;
const SCRATCH_MIN = 64 * 1024;

export class WasmMM extends MM {
  /**
   * Linear memory size (re-read on every use: memory.grow replaces the buffer). MM infers the
   * literal type of TASK_SIZE for its field; the value here is any size up to 4 GiB.
   */
  declare readonly limit: typeof TASK_SIZE;
  private memory: WasmMemory | null = null;
  private scratch = new Uint8Array(SCRATCH_MIN);
  private scratchTop = 0;
  private kernelDepth = 0;

  constructor() {
    super(new PhysMem(2 * PAGE_SIZE)); // the VMA half is unused: don't take the shared 2 GiB pool
    // MM declares `limit` as a data field; a wasm memory's limit moves with memory.grow.
    Object.defineProperty(this, "limit", { get: () => this.currentLimit(), configurable: true, enumerable: true });
  }

  /** Connects the instance's exported memory (before the guest runs). */
  attach(memory: WasmMemory): void {
    this.memory = memory;
  }

  /** The guest's memory as bytes (a fresh view: growth detaches old ones), or an empty one. */
  bytes(): Uint8Array {
    return this.memory ? new Uint8Array(this.memory.buffer) : new Uint8Array(0);
  }

  /** Runs fn with the scratch window open, freeing what it staged afterwards. */
  inKernel<T>(fn: () => T): T {
    const top = this.scratchTop;
    this.kernelDepth++;
    try {
      return fn();
    } finally {
      this.kernelDepth--;
      this.scratchTop = top;
    }
  }

  /** Reserves n bytes (8-aligned) in the scratch window; returns their address. */
  scratchAlloc(n: number): number {
    const off = (this.scratchTop + 7) & ~7;
    if (off + n > this.scratch.length) {
      const bigger = new Uint8Array(Math.max(this.scratch.length * 2, off + n + SCRATCH_MIN));
      bigger.set(this.scratch);
      this.scratch = bigger;
    }
    this.scratchTop = off + n;
    this.scratch.fill(0, off, off + n);
    return SCRATCH_BASE + off;
  }

  /** A view of n scratch bytes at a scratchAlloc address. */
  scratchView(addr: number, n: number): Uint8Array {
    const off = addr - SCRATCH_BASE;
    return this.scratch.subarray(off, off + n);
  }

  override userRead(addr: number, dst: Uint8Array, dstOff: number, n: number): number {
    const src = this.window(addr, n);
    if (!src) return 0;
    dst.set(src, dstOff);
    return src.length;
  }

  override userWrite(addr: number, src: Uint8Array, srcOff: number, n: number): number {
    const dst = this.window(addr, n);
    if (!dst) return 0;
    dst.set(src.subarray(srcOff, srcOff + dst.length));
    return dst.length;
  }

  /** The reachable bytes of [addr, addr+n): a prefix, cut where the memory ends. */
  private window(addr: number, n: number): Uint8Array | null {
    if (!Number.isSafeInteger(addr) || addr < 0 || n <= 0) return null;
    if (addr >= SCRATCH_BASE) {
      if (this.kernelDepth === 0) return null;
      const off = addr - SCRATCH_BASE;
      if (off >= this.scratchTop) return null;
      return this.scratch.subarray(off, Math.min(this.scratchTop, off + n));
    }
    const buf = this.memory?.buffer;
    if (!buf || addr >= buf.byteLength) return null;
    return new Uint8Array(buf, addr, Math.min(n, buf.byteLength - addr));
  }

  private currentLimit(): number {
    if (this.kernelDepth > 0) return SCRATCH_BASE + this.scratch.length;
    return this.memory ? this.memory.buffer.byteLength : 0;
  }
}
