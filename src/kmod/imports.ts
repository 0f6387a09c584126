// The kernel functions a student module imports (imports-list.ts), implemented over the
// emulated kernel: the uaccess helpers of src/mm/uaccess.ts on the calling task's memory (each
// access recorded for the checks of uaccess-check.ts), printk to the kernel log, the kernel's
// random source, BUG/WARN, and the stack protector's __stack_chk_fail.
//
// Kernel-side pointers are addresses in the module's memory; a kernel buffer that does not lie
// inside it is what hardened usercopy catches in Linux ("usercopy: Kernel memory overwrite
// attempt detected"): a BUG, and the call ends in an oops. User pointers arrive tagged by the
// SYSCALL_DEFINE entry (linux/syscalls.h) and are untagged here.

import * as uaccess from "../mm/uaccess.ts";
import { BAD_POINTER } from "../../syscalls/args.ts";
import { EFAULT } from "../kernel/errno.ts";
import { KERN_WARNING } from "../kernel/printk.ts";
import type { Task } from "../kernel/proc/task.ts";
import type { KmodImport } from "./imports-list.ts";
import type { WasmMemory } from "../wasm/webassembly.ts";
import type { UserAccess } from "./uaccess-check.ts";

/** The call in progress on an instance. */
export interface CallContext {
  task: Task;
  /** "__do_sys_hello2": the handler, for messages. */
  fn: string;
  accesses: UserAccess[];
}

/** Thrown from an import to end the call: the report is already in the kernel log. */
export class KmodStop extends Error {
  constructor(
    readonly outcome: "stack-protector" | "bug",
    message: string,
  ) {
    super(message);
  }
}

/** What the imports need of their instance. */
export interface ImportHost {
  memory(): WasmMemory;
  ctx(): CallContext;
  /** A line (or part of one: KERN_CONT) for the kernel log. */
  log(text: string): void;
  /** Logs a BUG or panic report for the current call and returns the KmodStop to throw. */
  stop(outcome: "stack-protector" | "bug", headline: string[], fnName?: string): KmodStop;
  /** Logs a WARNING report; the call goes on. */
  warn(where: string): void;
}

const UTAG = 0xa5n;

/** A user pointer the handler got from a SYSCALL_DEFINE argument or anywhere else, untagged. */
export function userAddr(v: bigint | number): number {
  let u = BigInt.asUintN(64, BigInt(v));
  if (u >> 56n === UTAG) u &= (1n << 56n) - 1n;
  return u > 0x1f_ffff_ffff_ffffn ? BAD_POINTER : Number(u);
}

const STRING_CHUNK = 4096;
const chunk = new Uint8Array(STRING_CHUNK);

const n64 = (v: bigint | number): number => {
  const u = BigInt.asUintN(64, BigInt(v));
  return u > 0x1f_ffff_ffff_ffffn ? Number.MAX_SAFE_INTEGER : Number(u);
};

export function makeImports(h: ImportHost): Record<KmodImport, (...a: never[]) => unknown> {
  const record = (op: UserAccess["op"], helper: string, addr: number, len: number, notCopied: number): void => {
    h.ctx().accesses.push({ op, helper, addr, len, notCopied });
  };
  /** The kernel buffer [p, p+n) of the module's memory, or a usercopy BUG. */
  const kbuf = (p: bigint | number, n: number, what: string): Uint8Array => {
    const mem = h.memory().buffer;
    const at = n64(p);
    if (at + n > mem.byteLength || at >= mem.byteLength) {
      throw h.stop("bug", [`usercopy: Kernel memory ${what} attempt detected ${what === "overwrite" ? "to" : "from"} ${at >= mem.byteLength ? "an address outside kernel memory" : "kernel memory"} (0x${at.toString(16)}, size ${n})!`, "kernel BUG at mm/usercopy.c:99!"]);
    }
    return new Uint8Array(mem, at, n);
  };
  const mm = () => h.ctx().task.mm;

  return {
    copy_from_user: (to: bigint, from: bigint, n: bigint): bigint => {
      const len = n64(n);
      const u = userAddr(from);
      const left = uaccess.copy_from_user(mm(), kbuf(to, len, "overwrite"), u, len);
      record("read", "copy_from_user", u, len, left);
      return BigInt(left);
    },
    copy_to_user: (to: bigint, from: bigint, n: bigint): bigint => {
      const len = n64(n);
      const u = userAddr(to);
      const left = uaccess.copy_to_user(mm(), u, kbuf(from, len, "exposure"), len);
      record("write", "copy_to_user", u, len, left);
      return BigInt(left);
    },
    clear_user: (to: bigint, n: bigint): bigint => {
      const len = n64(n);
      const u = userAddr(to);
      const left = uaccess.clear_user(mm(), u, len);
      record("write", "clear_user", u, len, left);
      return BigInt(left);
    },
    // As Linux: the string is copied as far as its NUL (or count), and only the bytes copied
    // must fit the kernel buffer: a huge count with a short string is fine.
    strncpy_from_user: (dst: bigint, src: bigint, count: bigint): bigint => {
      const c = BigInt.asIntN(64, BigInt(count));
      if (c <= 0n) return 0n;
      const total = n64(c);
      const u = userAddr(src);
      const at = n64(dst);
      let done = 0;
      while (done < total) {
        const n = Math.min(STRING_CHUNK, total - done);
        const r = uaccess.strncpy_from_user(mm(), chunk, u + done, n);
        if (r < 0) {
          record("read", "strncpy_from_user", u, done + n, n);
          return BigInt(-EFAULT);
        }
        const found = r < n;
        kbuf(at + done, found ? r + 1 : n, "overwrite").set(chunk.subarray(0, found ? r + 1 : n));
        if (found) {
          record("read", "strncpy_from_user", u, done + r + 1, 0);
          return BigInt(done + r);
        }
        done += n;
      }
      record("read", "strncpy_from_user", u, total, 0);
      return BigInt(total);
    },
    strnlen_user: (src: bigint, n: bigint): bigint => {
      const lim = BigInt.asIntN(64, BigInt(n));
      if (lim <= 0n) return 0n;
      const u = userAddr(src);
      const max = n64(lim);
      const r = uaccess.strnlen_user(mm(), u, max);
      record("read", "strnlen_user", u, r === 0 ? 1 : Math.min(r, max), r === 0 ? 1 : 0);
      return BigInt(r);
    },
    __kmod_get_user: (to: bigint, from: bigint, size: bigint): number => {
      const n = n64(size);
      const dst = kbuf(to, 8, "overwrite");
      const tmp = new Uint8Array(n);
      const u = userAddr(from);
      const left = uaccess.copy_from_user(mm(), tmp, u, n);
      record("read", "get_user", u, n, left);
      dst.fill(0);
      if (left) return -EFAULT;
      dst.set(tmp.subarray(0, Math.min(n, 8)));
      return 0;
    },
    __kmod_put_user: (from: bigint, to: bigint, size: bigint): number => {
      const n = n64(size);
      const u = userAddr(to);
      const left = uaccess.copy_to_user(mm(), u, kbuf(from, n, "exposure").slice(), n);
      record("write", "put_user", u, n, left);
      return left ? -EFAULT : 0;
    },
    __kmod_access_ok: (addr: bigint, size: bigint): number => (uaccess.access_ok(mm(), userAddr(addr), n64(size)) ? 1 : 0),
    get_random_bytes: (buf: bigint, n: bigint): void => {
      h.ctx().task.kernel.random.fill(kbuf(buf, n64(n), "overwrite"));
    },
    __kmod_log: (text: bigint, len: bigint): void => {
      h.log(decode(kbuf(text, n64(len), "exposure")));
    },
    __kmod_bug: (file: bigint, line: number): never => {
      throw h.stop("bug", [`kernel BUG at ${cString(h, file)}:${line}!`]);
    },
    __kmod_warn: (file: bigint, line: number): void => {
      h.warn(`${cString(h, file)}:${line}`);
    },
    __stack_chk_fail: (): never => {
      const fn = callerOf(new Error().stack ?? "") ?? h.ctx().fn;
      throw h.stop("stack-protector", [`Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: ${fn}`], fn);
    },
  };
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

function decode(b: Uint8Array): string {
  return utf8.decode(b.slice());
}

function cString(h: ImportHost, p: bigint): string {
  const mem = new Uint8Array(h.memory().buffer);
  const at = n64(p);
  let end = at;
  while (end < mem.length && end - at < 4096 && mem[end] !== 0) end++;
  return decode(mem.subarray(at, end));
}

/** The WebAssembly function that called the import (V8 names wasm frames by the name section). */
export function callerOf(stack: string): string | null {
  const m = /at (\S+) \(wasm:\/\//.exec(stack);
  if (!m) return null;
  return m[1]!.replace(/^__se_sys_/, "__do_sys_");
}

export { KERN_WARNING };
