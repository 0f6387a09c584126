// What every strace decoder needs: quoting as strace quotes, and safe reads of guest memory.

import type { SyscallArgs } from "../../../syscalls/args.ts";
import { copy_from_user, strncpy_from_user } from "../../mm/uaccess.ts";
import type { Task } from "../proc/task.ts";

/** How many bytes of a string or buffer strace shows (its -s default). */
export const STRSIZE = 32;

/** The call being printed: the task, its arguments, which one, and the result (null before). */
export interface DecodeContext {
  t: Task;
  a: SyscallArgs;
  i: number;
  ret: number | null;
  failed: boolean;
}

/** Formats one argument kind. */
export type Decoder = (c: DecodeContext) => string;

/** strace's quoting: C escapes, octal for other non-printables, cut at STRSIZE with "...". */
export function quote(bytes: Uint8Array, truncated: boolean): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    const next = bytes[i + 1];
    if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += "\\\\";
    else if (c === 0x0a) s += "\\n";
    else if (c === 0x09) s += "\\t";
    else if (c === 0x0d) s += "\\r";
    else if (c === 0x0c) s += "\\f";
    else if (c === 0x0b) s += "\\v";
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += "\\" + (next !== undefined && next >= 0x30 && next <= 0x37 ? c.toString(8).padStart(3, "0") : c.toString(8));
  }
  return s + '"' + (truncated ? "..." : "");
}

export function hex(n: number | bigint): string {
  return "0x" + n.toString(16);
}

export function ptrOrNull(p: number): string {
  return p === 0 ? "NULL" : hex(p);
}

/** A full 64-bit address (a fault's), as the unsigned value the kernel reports. */
export function addrOrNull(p: bigint): string {
  const u = BigInt.asUintN(64, p);
  return u === 0n ? "NULL" : "0x" + u.toString(16);
}

export function readString(t: Task, p: number): string {
  if (p === 0) return "NULL";
  const buf = new Uint8Array(STRSIZE + 1);
  const n = strncpy_from_user(t.mm, buf, p, STRSIZE + 1);
  if (n < 0) return hex(p);
  return quote(buf.subarray(0, Math.min(n, STRSIZE)), n > STRSIZE);
}

export function readBuf(t: Task, p: number, len: number): string {
  const n = Math.min(len, STRSIZE);
  const buf = new Uint8Array(n);
  if (copy_from_user(t.mm, buf, p, n) !== 0) return hex(p);
  return quote(buf, len > STRSIZE);
}

/** `size` bytes of guest memory at p, for an Abi decoder; null for NULL or a bad address. */
export function readBytes(t: Task, p: number, size: number): Uint8Array | null {
  if (p === 0) return null;
  const buf = new Uint8Array(size);
  return copy_from_user(t.mm, buf, p, size) === 0 ? buf : null;
}

export function readStruct(t: Task, p: number, size: number): DataView | null {
  if (p === 0) return null;
  const buf = new Uint8Array(size);
  return copy_from_user(t.mm, buf, p, size) === 0 ? new DataView(buf.buffer) : null;
}

