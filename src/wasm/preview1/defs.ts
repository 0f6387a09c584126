// The shape of a WASI preview1 import: its parameters (what strace needs to print them) and
// its implementation, which returns a WASI errno. Guest memory is reached only through the
// helpers below, over uaccess: an address outside linear memory is EFAULT, never an exception.

import { copy_from_user, copy_to_user, put_user_u32, put_user_u64 } from "../../mm/uaccess.ts";
import { EFAULT, EINVAL, ESUCCESS } from "./abi.ts";
import type { WasiContext } from "./context.ts";

/**
 * How a parameter is passed and shown. 64-bit kinds are wasm i64 (a BigInt in JS), the others
 * i32. Kinds starting with "out_" are pointers the call writes, decoded after it returns; a
 * "path", "buf", "iovs" or "subs" pointer is followed by its length or count.
 */
export type ParamKind =
  | "fd" | "u32" | "len" | "ptr" | "path" | "buf" | "buf_out" | "iovs" | "iovs_out" | "subs" | "events"
  | "oflags" | "fdflags" | "lookupflags" | "fstflags" | "whence" | "clockid" | "advice" | "signal"
  | "out_u32" | "out_u64" | "out_fd" | "out_filestat" | "out_fdstat" | "out_prestat" | "out_name"
  | "u64" | "s64" | "rights" | "timestamp";

const I64_KINDS: ReadonlySet<ParamKind> = new Set(["u64", "s64", "rights", "timestamp"]);

/** Whether a kind is a wasm i64. */
export function isI64(k: ParamKind): boolean {
  return I64_KINDS.has(k);
}

/** The raw wasm arguments of one call, read with the type the kind says. */
export class WasiArgs {
  constructor(readonly raw: readonly unknown[]) {}
  /** An i32 parameter as unsigned (pointers, lengths, descriptors, flags). */
  u32(i: number): number {
    const v = this.raw[i];
    return typeof v === "number" ? v >>> 0 : 0;
  }
  /** An i64 parameter as unsigned. */
  u64(i: number): bigint {
    const v = this.raw[i];
    return typeof v === "bigint" ? BigInt.asUintN(64, v) : 0n;
  }
  /** An i64 parameter as signed (filedelta). */
  s64(i: number): bigint {
    const v = this.raw[i];
    return typeof v === "bigint" ? BigInt.asIntN(64, v) : 0n;
  }
}

/** One preview1 import. */
export interface WasiDef {
  params: readonly ParamKind[];
  fn: (c: WasiContext, a: WasiArgs) => number;
  /** Set for calls that do not return (proc_exit). */
  noreturn?: boolean;
}

/** Declares a preview1 import (a typed identity, like defineSyscall). */
export function defineWasi(def: WasiDef): WasiDef {
  return def;
}

/** Copies n guest bytes at p, or null on a fault. */
export function readGuest(c: WasiContext, p: number, n: number): Uint8Array | null {
  const b = new Uint8Array(n);
  return copy_from_user(c.mm, b, p, n) === 0 ? b : null;
}

/** Writes bytes to the guest: ESUCCESS or EFAULT. */
export function writeGuest(c: WasiContext, p: number, b: Uint8Array): number {
  return copy_to_user(c.mm, p, b) === 0 ? ESUCCESS : EFAULT;
}

/** Stores a u32 result: ESUCCESS or EFAULT. */
export function putU32(c: WasiContext, p: number, v: number): number {
  return put_user_u32(c.mm, p, v) === 0 ? ESUCCESS : EFAULT;
}

/** Stores a u64 result: ESUCCESS or EFAULT. */
export function putU64(c: WasiContext, p: number, v: bigint): number {
  return put_user_u64(c.mm, p, v) === 0 ? ESUCCESS : EFAULT;
}

/** Whether [p, p+n) lies inside linear memory (checked before a call has side effects). */
export function inMemory(c: WasiContext, p: number, n: number): boolean {
  const size = c.mm.bytes().length;
  return p >= 0 && n >= 0 && p <= size && n <= size - p;
}

/** Reads an iovec array ({buf: u32, len: u32} each); EFAULT for one outside memory, EINVAL past IOV_MAX. */
export function readIovecs(c: WasiContext, p: number, count: number): { buf: number; len: number }[] | number {
  if (count > 1024) return EINVAL;
  const raw = readGuest(c, p, count * 8);
  if (!raw) return EFAULT;
  const v = new DataView(raw.buffer);
  const out: { buf: number; len: number }[] = [];
  for (let i = 0; i < count; i++) {
    const iov = { buf: v.getUint32(i * 8, true), len: v.getUint32(i * 8 + 4, true) };
    if (!inMemory(c, iov.buf, iov.len)) return EFAULT;
    out.push(iov);
  }
  return out;
}
