// The wasm task on the kernel: its memory (uaccess over linear memory, the scratch window),
// raw Linux system calls through the `linux` import, the wasm table, and binary detection.

import { describe, expect, it } from "vitest";
import { copy_from_user, copy_to_user, strncpy_from_user } from "../../src/mm/uaccess.ts";
import { wasmKind } from "../../src/wasm/detect.ts";
import { SCRATCH_BASE, WasmMM } from "../../src/wasm/memory.ts";
import { normalizeRelative } from "../../src/wasm/preview1/path.ts";
import { ENOTCAPABLE } from "../../src/wasm/preview1/abi.ts";
import { trapSignal } from "../../src/wasm/trap.ts";
import { WA } from "../../src/wasm/webassembly.ts";
import { testGuest } from "./harness.ts";

const NR = { write: 64n, brk: 214n, mmap: 222n, getpid: 172n, uname: 160n, hello: 400n };

describe("a wasm task's memory", () => {
  it("is its linear memory, with limit = the memory's size, re-read after growth", () => {
    const mm = new WasmMM();
    expect(mm.limit).toBe(0);
    const mem = new WA.Memory({ initial: 1 });
    mm.attach(mem);
    expect(mm.limit).toBe(65536);
    expect(copy_to_user(mm, 65530, new Uint8Array(8))).toBe(8); // straddles the end: nothing copied
    expect(copy_to_user(mm, 10, new Uint8Array([1, 2, 3]))).toBe(0);
    expect(new Uint8Array(mem.buffer, 10, 3)).toEqual(new Uint8Array([1, 2, 3]));
    mem.grow(2);
    expect(mm.limit).toBe(3 * 65536);
    expect(copy_to_user(mm, 70000, new Uint8Array([9]))).toBe(0);
    expect(new Uint8Array(mem.buffer)[70000]).toBe(9);
  });

  it("keeps the kernel scratch window out of the guest's reach", () => {
    const mm = new WasmMM();
    mm.attach(new WA.Memory({ initial: 1 }));
    const addr = mm.inKernel(() => {
      const a = mm.scratchAlloc(8);
      mm.scratchView(a, 5).set(new TextEncoder().encode("path\0"));
      const dst = new Uint8Array(8);
      expect(strncpy_from_user(mm, dst, a, 8)).toBe(4); // the kernel reads it while inside
      return a;
    });
    expect(addr).toBeGreaterThanOrEqual(SCRATCH_BASE);
    expect(copy_from_user(mm, new Uint8Array(4), addr, 4)).toBe(4); // outside: EFAULT-like
  });
});

describe("the linux.syscall import", () => {
  it("dispatches into the riscv64 table with pointers into linear memory", async () => {
    const g = await testGuest();
    expect(g.linux.syscall!(NR.getpid, 0n, 0n, 0n, 0n, 0n, 0n)).toBe(BigInt(g.boot.task.tgid));
    expect(g.linux.syscall!(NR.uname, 1024n, 0n, 0n, 0n, 0n, 0n)).toBe(0n);
    expect(new TextDecoder().decode(g.bytes().subarray(1024, 1029))).toBe("Linux");
  });

  it("returns -EFAULT for a pointer past the end of memory or into the scratch window", async () => {
    const g = await testGuest();
    expect(g.linux.syscall!(NR.write, 1n, 0xffffff00n, 4n, 0n, 0n, 0n)).toBe(-14n);
    expect(g.linux.syscall!(NR.write, 1n, 65534n, 4n, 0n, 0n, 0n)).toBe(-14n);
    expect(g.linux.syscall!(NR.write, 1n, BigInt(SCRATCH_BASE), 4n, 0n, 0n, 0n)).toBe(-14n);
    expect(g.linux.syscall!(NR.uname, 1n << 40n, 0n, 0n, 0n, 0n, 0n)).toBe(-14n);
  });

  it("has no address-space calls for a wasm guest, and no handler for unknown numbers", async () => {
    const g = await testGuest();
    expect(g.linux.syscall!(NR.brk, 0n, 0n, 0n, 0n, 0n, 0n)).toBe(-38n);
    expect(g.linux.syscall!(NR.mmap, 0n, 4096n, 3n, 0x22n, -1n, 0n)).toBe(-38n);
    expect(g.linux.syscall!(1n << 40n, 0n, 0n, 0n, 0n, 0n, 0n)).toBe(-38n);
    expect(g.linux.syscall!(-1n, 0n, 0n, 0n, 0n, 0n, 0n)).toBe(-38n);
  });

  it("reaches sys_hello, which copies its greeting into linear memory", async () => {
    const g = await testGuest();
    expect(g.linux.syscall!(NR.hello, 512n, 64n, 0n, 0n, 0n, 0n)).toBe(0n);
    expect(new TextDecoder().decode(g.bytes().subarray(512, 530))).toBe("Hello from kernel!");
    const off = await testGuest({ hello: false });
    expect(off.linux.syscall!(NR.hello, 512n, 64n, 0n, 0n, 0n, 0n)).toBe(-38n);
  });
});

describe("wasm binaries and traps", () => {
  it("tells core modules from components by the header's version and layer", () => {
    const h = (...b: number[]) => new Uint8Array([0, 0x61, 0x73, 0x6d, ...b]);
    expect(wasmKind(h(1, 0, 0, 0))).toBe("module");
    expect(wasmKind(h(0x0d, 0, 1, 0))).toBe("component");
    expect(wasmKind(h(2, 0, 0, 0))).toBe("unknown-wasm");
    expect(wasmKind(h(1))).toBe("unknown-wasm");
    expect(wasmKind(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBeNull();
    expect(wasmKind(new Uint8Array(0))).toBeNull();
  });

  it("maps traps to the signals native faults raise", () => {
    expect(trapSignal(new WA.RuntimeError("unreachable"))?.signal).toBe(4);
    expect(trapSignal(new WA.RuntimeError("memory access out of bounds"))?.signal).toBe(11);
    expect(trapSignal(new WA.RuntimeError("divide by zero"))?.signal).toBe(8);
    expect(trapSignal(new RangeError("Maximum call stack size exceeded"))?.signal).toBe(11);
    expect(trapSignal(new Error("a host bug"))).toBeNull();
  });

  it("leaves WASI paths for the kernel to walk (no lexical folding) and refuses escapes", () => {
    expect(normalizeRelative("a/./b//c/")).toBe("a/./b//c/");
    expect(normalizeRelative("missing/../x")).toBe("missing/../x");
    expect(normalizeRelative("a/..")).toBe("a/..");
    expect(normalizeRelative("a/b/../../c")).toBe("a/b/../../c");
    expect(normalizeRelative("")).toBe(".");
    expect(normalizeRelative("..")).toBe(ENOTCAPABLE);
    expect(normalizeRelative("a/./../..")).toBe(ENOTCAPABLE);
    expect(normalizeRelative("a/../../b")).toBe(ENOTCAPABLE);
    expect(normalizeRelative("/etc")).toBe(ENOTCAPABLE);
  });
});
