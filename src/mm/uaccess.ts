// The only doors into user memory, with the names and contracts of <linux/uaccess.h>.
//
// Every guest pointer is untrusted: these functions never throw for guest input. They check the
// range against the memory's limit first (both "addr + n overflows" and "addr + n is past the
// limit", as xv6's copyin does), then copy page by page and stop at the first page that is not
// mapped or not accessible.

import { EFAULT } from "./errno.ts";

/** Memory a syscall handler can reach: an ELF task's MM, or a WASM module's linear memory. */
export interface UserMemory {
  /** Copies up to n bytes from addr; returns the count copied before the first fault. */
  userRead(addr: number, dst: Uint8Array, dstOff: number, n: number): number;
  /** Copies up to n bytes to addr; returns the count copied before the first fault. */
  userWrite(addr: number, src: Uint8Array, srcOff: number, n: number): number;
  /** First address past user memory: TASK_SIZE for ELF tasks, the memory size for WASM. */
  readonly limit: number;
}

const CHUNK = 4096;
const zeros = new Uint8Array(CHUNK);
const scratch = new Uint8Array(8);

/** Whether [addr, addr+size) lies inside user memory (no mapping check, like Linux access_ok). */
export function access_ok(um: UserMemory, addr: number, size: number): boolean {
  return (
    Number.isSafeInteger(addr) &&
    Number.isSafeInteger(size) &&
    addr >= 0 &&
    size >= 0 &&
    addr <= um.limit &&
    size <= um.limit - addr
  );
}

/** Copies n bytes from user `from` into `to`; returns the bytes NOT copied (0 = success); the uncopied tail of `to` is zeroed. */
export function copy_from_user(um: UserMemory, to: Uint8Array, from: number, n: number = to.length): number {
  if (!validCount(n, to.length)) return n;
  const copied = access_ok(um, from, n) ? um.userRead(from, to, 0, n) : 0;
  if (copied < n) to.fill(0, copied, n);
  return n - copied;
}

/** Copies n bytes of `from` to user `to`; returns the bytes NOT copied (0 = success). */
export function copy_to_user(um: UserMemory, to: number, from: Uint8Array, n: number = from.length): number {
  if (!validCount(n, from.length)) return n;
  if (!access_ok(um, to, n)) return n;
  return n - um.userWrite(to, from, 0, n);
}

/** Zeroes n bytes of user memory at `to`; returns the bytes NOT cleared. */
export function clear_user(um: UserMemory, to: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0 || !access_ok(um, to, n)) return n;
  let done = 0;
  while (done < n) {
    const k = Math.min(CHUNK, n - done);
    const w = um.userWrite(to + done, zeros, 0, k);
    done += w;
    if (w < k) break;
  }
  return n - done;
}

/**
 * Copies a NUL-terminated string of at most `count` bytes into dst (which must hold count
 * bytes); returns its length without the NUL, `count` if no NUL came first, or -EFAULT.
 */
export function strncpy_from_user(um: UserMemory, dst: Uint8Array, src: number, count: number): number {
  if (!Number.isSafeInteger(count) || count < 0 || count > dst.length) return -EFAULT;
  if (!access_ok(um, src, 0) || src >= um.limit) return count === 0 ? 0 : -EFAULT;
  let done = 0;
  while (done < count) {
    const a = src + done;
    const want = Math.min(count - done, CHUNK - (a % CHUNK));
    const got = um.userRead(a, dst, done, want);
    const nul = dst.subarray(done, done + got).indexOf(0);
    if (nul >= 0) return done + nul;
    done += got;
    if (got < want) return -EFAULT;
  }
  return count;
}

/** Length of a user string INCLUDING its NUL; a value > n if there is none in n bytes; 0 on a fault. */
export function strnlen_user(um: UserMemory, src: number, n: number): number {
  if (!Number.isSafeInteger(n) || n <= 0 || !access_ok(um, src, 0) || src >= um.limit) return 0;
  const buf = new Uint8Array(Math.min(n, CHUNK));
  let done = 0;
  while (done < n) {
    const a = src + done;
    const want = Math.min(n - done, CHUNK - (a % CHUNK), buf.length);
    const got = um.userRead(a, buf, 0, want);
    const nul = buf.subarray(0, got).indexOf(0);
    if (nul >= 0) return done + nul + 1;
    done += got;
    if (got < want) return 0;
  }
  return n + 1;
}

// get_user/put_user: the value (unsigned; bigint for 64 bits) or null on a fault; put_user
// returns 0 or -EFAULT.

function getBytes(um: UserMemory, addr: number, size: number): boolean {
  return access_ok(um, addr, size) && um.userRead(addr, scratch, 0, size) === size;
}

/** Reads a u8 from user memory, or null on a fault. */
export function get_user_u8(um: UserMemory, addr: number): number | null {
  return getBytes(um, addr, 1) ? scratch[0]! : null;
}

/** Reads a little-endian u16 from user memory, or null on a fault. */
export function get_user_u16(um: UserMemory, addr: number): number | null {
  return getBytes(um, addr, 2) ? scratch[0]! | (scratch[1]! << 8) : null;
}

/** Reads a little-endian u32 from user memory, or null on a fault. */
export function get_user_u32(um: UserMemory, addr: number): number | null {
  return getBytes(um, addr, 4) ? readU32(0) : null;
}

/** Reads a little-endian u64 from user memory, or null on a fault. */
export function get_user_u64(um: UserMemory, addr: number): bigint | null {
  if (!getBytes(um, addr, 8)) return null;
  return (BigInt(readU32(4)) << 32n) | BigInt(readU32(0));
}

function readU32(off: number): number {
  return (scratch[off]! | (scratch[off + 1]! << 8) | (scratch[off + 2]! << 16) | (scratch[off + 3]! << 24)) >>> 0;
}

// A value straddling into a bad page may be partly written, as with a faulting store.
function putBytes(um: UserMemory, addr: number, size: number): number {
  if (!access_ok(um, addr, size)) return -EFAULT;
  return um.userWrite(addr, scratch, 0, size) === size ? 0 : -EFAULT;
}

/** Writes a u8 to user memory: 0 or -EFAULT. */
export function put_user_u8(um: UserMemory, addr: number, v: number): number {
  scratch[0] = v;
  return putBytes(um, addr, 1);
}

/** Writes a little-endian u16 to user memory: 0 or -EFAULT. */
export function put_user_u16(um: UserMemory, addr: number, v: number): number {
  scratch[0] = v;
  scratch[1] = v >>> 8;
  return putBytes(um, addr, 2);
}

/** Writes a little-endian u32 to user memory: 0 or -EFAULT. */
export function put_user_u32(um: UserMemory, addr: number, v: number): number {
  writeU32(0, v);
  return putBytes(um, addr, 4);
}

/** Writes a little-endian u64 (taken modulo 2^64) to user memory: 0 or -EFAULT. */
export function put_user_u64(um: UserMemory, addr: number, v: bigint): number {
  const u = BigInt.asUintN(64, v);
  writeU32(0, Number(u & 0xffffffffn));
  writeU32(4, Number(u >> 32n));
  return putBytes(um, addr, 8);
}

function writeU32(off: number, v: number): void {
  scratch[off] = v;
  scratch[off + 1] = v >>> 8;
  scratch[off + 2] = v >>> 16;
  scratch[off + 3] = v >>> 24;
}

function validCount(n: number, bufLen: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= bufLen;
}
