// WASI preview1 on the kernel, called as a module calls its imports: out-of-bounds pointers,
// path escapes, rights, preopens, errno translation, and a fuzz that must never throw.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EFAULT, ENOENT as WASI_ENOENT, ENOTCAPABLE, EBADF, ESUCCESS, RIGHT, RIGHTS_FILE, wasiErrno, WASI_ERRNO_NAMES } from "../../src/wasm/preview1/abi.ts";
import { PREVIEW1 } from "../../src/wasm/preview1/index.ts";
import type { ParamKind } from "../../src/wasm/preview1/defs.ts";
import { isI64 } from "../../src/wasm/preview1/defs.ts";
import { i32, testGuest, u32, type TestGuest } from "./harness.ts";

const BAD = i32(0xfffffff0);
const PTR_KINDS: ReadonlySet<ParamKind> = new Set(["ptr", "path", "buf", "buf_out", "iovs", "iovs_out", "subs", "events", "out_u32", "out_u64", "out_fd", "out_filestat", "out_fdstat", "out_prestat", "out_name"]);
const DIR_CALLS = /^(path_|fd_readdir|fd_prestat)/;

/** Opens `name` in the sandbox (fd 4) with every right a file can have; its fd. */
function openFile(g: TestGuest, name: string, oflags = 0): number {
  g.put(100, name);
  expect(g.wasi.path_open!(4, 1, 100, name.length, oflags, RIGHTS_FILE, 0n, 0, 200)).toBe(ESUCCESS);
  return u32(g, 200);
}

/** Valid arguments for every parameter of a call: real paths, iovecs and buffers in memory. */
function validArgs(g: TestGuest, params: readonly ParamKind[], fd: number): unknown[] {
  return params.map((k, i) => {
    const at = 4096 + i * 1024;
    const prev = params[i - 1];
    switch (k) {
      case "fd": return fd;
      case "path": g.put(at, "f.txt"); return at;
      case "iovs": case "iovs_out": g.put(at, new Uint8Array(new Uint32Array([30000 + i * 64, 4]).buffer)); return at;
      case "subs": g.put(at, new Uint8Array(48)); return at; // one relative clock subscription, timeout 0 (REALTIME)
      case "len": return prev === "path" ? 5 : prev === "iovs" || prev === "iovs_out" || prev === "events" ? 1 : prev === "out_name" ? 64 : 4;
      case "clockid": return 1;
      default: return PTR_KINDS.has(k) ? at : isI64(k) ? 0n : 0;
    }
  });
}

describe("WASI preview1 imports", () => {
  it("refuse an out-of-bounds pointer in every argument of every call with an error code", async () => {
    const g = await testGuest();
    writeFileSync(join(g.dir, "f.txt"), "some text");
    const file = openFile(g, "f.txt");
    let checked = 0;
    for (const [name, def] of PREVIEW1) {
      if (def.noreturn) continue;
      def.params.forEach((k, i) => {
        if (!PTR_KINDS.has(k)) return;
        const args = validArgs(g, def.params, DIR_CALLS.test(name) ? 4 : file);
        args[i] = BAD;
        const r = g.wasi[name]!(...args);
        expect(r, `${name} with argument ${i} (${k}) out of bounds`).toBeGreaterThan(0);
        expect(r).toBeLessThan(WASI_ERRNO_NAMES.length);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(40);
    expect(readFileSync(join(g.dir, "f.txt"), "utf8")).toBe("some text"); // nothing written through a bad iovec
  });

  it("give EFAULT for pointers past the end of memory, also when they straddle it", async () => {
    const g = await testGuest();
    const end = g.bytes().length;
    expect(g.wasi.args_sizes_get!(end - 2, 0)).toBe(EFAULT);
    expect(g.wasi.random_get!(end - 8, 16)).toBe(EFAULT);
    expect(g.wasi.clock_time_get!(1, 0n, BAD)).toBe(EFAULT);
    g.put(0, new Uint8Array(new Uint32Array([end - 4, 8]).buffer));
    expect(g.wasi.fd_write!(1, 0, 1, 64)).toBe(EFAULT);
    expect(g.wasi.fd_prestat_get!(3, BAD)).toBe(EFAULT);
  });

  it("see a grown memory at once (the limit is re-read)", async () => {
    const g = await testGuest();
    expect(g.wasi.random_get!(70000, 16)).toBe(EFAULT);
    g.memory.grow(1);
    expect(g.wasi.random_get!(70000, 16)).toBe(ESUCCESS);
  });

  it("refuse absolute paths and .. above the directory with ENOTCAPABLE", async () => {
    const g = await testGuest();
    writeFileSync(join(g.dir, "f.txt"), "x");
    for (const p of ["../etc/passwd", "/etc/passwd", "a/../../x", ".."]) {
      g.put(100, p);
      expect(g.wasi.path_open!(4, 1, 100, p.length, 0, RIGHT.FD_READ, 0n, 0, 200), p).toBe(ENOTCAPABLE);
      expect(g.wasi.path_filestat_get!(4, 1, 100, p.length, 300), p).toBe(ENOTCAPABLE);
    }
    // `..` is walked as Linux walks it: after a missing name it is ENOENT, after a directory its parent
    g.put(100, "sub/../f.txt");
    expect(g.wasi.path_filestat_get!(4, 1, 100, 12, 300)).toBe(WASI_ENOENT);
    mkdirSync(join(g.dir, "sub"));
    expect(g.wasi.path_filestat_get!(4, 1, 100, 12, 300)).toBe(ESUCCESS);
    expect(new DataView(g.memory.buffer).getBigUint64(300 + 32, true)).toBe(1n); // size of f.txt
  });

  it("enforce rights: a read-only descriptor cannot write, rights only shrink", async () => {
    const g = await testGuest();
    writeFileSync(join(g.dir, "f.txt"), "x");
    g.put(100, "f.txt");
    expect(g.wasi.path_open!(4, 1, 100, 5, 0, RIGHT.FD_READ, 0n, 0, 200)).toBe(ESUCCESS);
    const fd = u32(g, 200);
    g.put(0, new Uint8Array(new Uint32Array([100, 5]).buffer));
    expect(g.wasi.fd_write!(fd, 0, 1, 64)).toBe(ENOTCAPABLE);
    expect(g.wasi.fd_fdstat_set_rights!(fd, RIGHT.FD_READ | RIGHT.FD_WRITE, 0n)).toBe(ENOTCAPABLE);
    expect(g.wasi.fd_fdstat_set_rights!(fd, 0n, 0n)).toBe(ESUCCESS);
    expect(g.wasi.fd_read!(fd, 0, 1, 64)).toBe(ENOTCAPABLE);
    // asking for more than the directory may hand out
    expect(g.wasi.path_open!(4, 1, 100, 5, 0, 1n << 40n, 0n, 0, 200)).toBe(ENOTCAPABLE);
  });

  it("list the preopens: / at fd 3, then each --dir", async () => {
    const g = await testGuest();
    expect(g.wasi.fd_prestat_get!(3, 0)).toBe(ESUCCESS);
    expect(u32(g, 4)).toBe(1);
    expect(g.wasi.fd_prestat_dir_name!(3, 16, 1)).toBe(ESUCCESS);
    expect(String.fromCharCode(g.bytes()[16]!)).toBe("/");
    expect(g.wasi.fd_prestat_get!(4, 0)).toBe(ESUCCESS);
    expect(u32(g, 4)).toBe("/sandbox".length);
    expect(g.wasi.fd_prestat_get!(5, 0)).toBe(EBADF);
    expect(g.wasi.fd_prestat_get!(1, 0)).toBe(EBADF);
  });

  it("work on the task's own descriptors: a file made by path_open is read back by fd_pread", async () => {
    const g = await testGuest();
    const fd = openFile(g, "new.txt", 1 /* CREAT */);
    g.put(1000, "hello");
    g.put(0, new Uint8Array(new Uint32Array([1000, 5]).buffer));
    expect(g.wasi.fd_write!(fd, 0, 1, 64)).toBe(ESUCCESS);
    expect(u32(g, 64)).toBe(5);
    expect(g.boot.task.files.get(fd)).not.toBeNull();
    expect(readFileSync(join(g.dir, "new.txt"), "utf8")).toBe("hello");
    g.put(0, new Uint8Array(new Uint32Array([2000, 3]).buffer));
    expect(g.wasi.fd_pread!(fd, 0, 1, 1n, 64)).toBe(ESUCCESS);
    expect(new TextDecoder().decode(g.bytes().subarray(2000, 2003))).toBe("ell");
    expect(g.wasi.fd_close!(fd)).toBe(ESUCCESS);
    expect(g.boot.task.files.get(fd)).toBeNull();
    expect(g.wasi.fd_close!(fd)).toBe(EBADF);
  });

  it("translate Linux errno into WASI's numbering", () => {
    expect(wasiErrno(-2)).toBe(WASI_ERRNO_NAMES.indexOf("ENOENT"));
    expect(wasiErrno(-14)).toBe(EFAULT);
    expect(wasiErrno(-38)).toBe(WASI_ERRNO_NAMES.indexOf("ENOSYS"));
    expect(wasiErrno(-95)).toBe(WASI_ERRNO_NAMES.indexOf("ENOTSUP"));
    expect(wasiErrno(-9999)).toBe(WASI_ERRNO_NAMES.indexOf("EIO"));
    expect(WASI_ERRNO_NAMES[76]).toBe("ENOTCAPABLE");
  });

  it("never throw, whatever the arguments (fuzz)", async () => {
    const g = await testGuest();
    g.bytes().fill(0x61); // every string in memory reads "aaa...": names inside the sandbox only
    expect(g.wasi.fd_close!(3)).toBe(ESUCCESS); // leave only the sandbox reachable
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = (k: ParamKind): unknown => {
      if (isI64(k)) return BigInt(Math.floor(rnd() * 2 ** 20)) * (rnd() < 0.1 ? 1n << 40n : 1n);
      if (k === "fd") return [4, 5, 6, 100, -1][Math.floor(rnd() * 5)]; // never stdio: the test runner owns it
      const r = rnd();
      return r < 0.3 ? Math.floor(rnd() * 64) : r < 0.6 ? Math.floor(rnd() * 70000) : r < 0.8 ? i32(Math.floor(rnd() * 2 ** 32)) : 0;
    };
    for (let n = 0; n < 3000; n++) {
      const names = [...PREVIEW1.keys()].filter((x) => !PREVIEW1.get(x)!.noreturn && x !== "poll_oneoff");
      const name = names[Math.floor(rnd() * names.length)]!;
      const r = g.wasi[name]!(...PREVIEW1.get(name)!.params.map(pick));
      expect(typeof r).toBe("number");
      expect(g.boot.task.state).toBe("running");
    }
  });
});
