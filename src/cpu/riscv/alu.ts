// Integer operations whose RISC-V semantics need more than one JS operator: the M extension's
// high multiplies and division edge cases, and Zbb's bit counting and byte shuffles.
// Shared by the interpreter and the block compiler (which calls them by name).
//
// Bit counting works on the two 32-bit halves (from an Int32Array view of the registers),
// where Math.clz32 and integer ops are fast; BigInt has no such primitives.

const MIN64 = -(1n << 63n);

/** MULH: high 64 bits of the signed 128-bit product. */
export function mulh(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, (a * b) >> 64n);
}

/** MULHU: high 64 bits of the unsigned product. */
export function mulhu(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, (BigInt.asUintN(64, a) * BigInt.asUintN(64, b)) >> 64n);
}

/** MULHSU: high 64 bits of signed a times unsigned b. */
export function mulhsu(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, (a * BigInt.asUintN(64, b)) >> 64n);
}

/** DIV: division by zero gives -1, overflow gives the dividend. */
export function div(a: bigint, b: bigint): bigint {
  if (b === 0n) return -1n;
  if (b === -1n && a === MIN64) return a;
  return a / b;
}

/** DIVU: division by zero gives all ones. */
export function divu(a: bigint, b: bigint): bigint {
  if (b === 0n) return -1n;
  return BigInt.asIntN(64, BigInt.asUintN(64, a) / BigInt.asUintN(64, b));
}

/** REM: remainder by zero gives the dividend; the sign follows the dividend. */
export function rem(a: bigint, b: bigint): bigint {
  if (b === 0n) return a;
  return a % b;
}

/** REMU */
export function remu(a: bigint, b: bigint): bigint {
  if (b === 0n) return a;
  return BigInt.asIntN(64, BigInt.asUintN(64, a) % BigInt.asUintN(64, b));
}

/** DIVW on int32 operands; returns an int32. */
export function divw(a: number, b: number): number {
  if (b === 0) return -1;
  if (b === -1 && a === -0x80000000) return a;
  return (a / b) | 0;
}

/** DIVUW; returns the int32 that the 32-bit result sign-extends from. */
export function divuw(a: number, b: number): number {
  if (b === 0) return -1;
  return ((a >>> 0) / (b >>> 0)) | 0;
}

/** REMW */
export function remw(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return a % b | 0;
}

/** REMUW */
export function remuw(a: number, b: number): number {
  if (b === 0) return a;
  return (a >>> 0) % (b >>> 0) | 0;
}

/** CLZ of the 64-bit value with halves (lo, hi). */
export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

/** CTZ of a 32-bit value (32 for zero). */
export function ctz32(v: number): number {
  return v === 0 ? 32 : 31 - Math.clz32(v & -v);
}

/** CTZ of the 64-bit value with halves (lo, hi). */
export function ctz64(lo: number, hi: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Population count of a 32-bit value. */
export function cpop32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** ORC.B on a 32-bit half: each non-zero byte becomes 0xff. */
export function orcb32(v: number): number {
  let r = 0;
  for (let k = 0; k < 32; k += 8) if (((v >>> k) & 0xff) !== 0) r |= 0xff << k;
  return r;
}

/** Byte-reverses a 32-bit value. */
export function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** ROL of a 64-bit value by s (0..63). */
export function rol64(a: bigint, s: bigint): bigint {
  const u = BigInt.asUintN(64, a);
  return BigInt.asIntN(64, (u << s) | (u >> ((64n - s) & 63n)));
}

/** ROR of a 64-bit value by s (0..63). */
export function ror64(a: bigint, s: bigint): bigint {
  const u = BigInt.asUintN(64, a);
  return BigInt.asIntN(64, (u >> s) | (u << ((64n - s) & 63n)));
}

/** 32-bit rotate right of an int32 by s (0..31); returns an int32. */
export function ror32(v: number, s: number): number {
  return ((v >>> s) | (v << ((32 - s) & 31))) | 0;
}

/** Combines two int32 halves into a signed 64-bit BigInt. */
export function join64(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}
