// Integer operations whose RISC-V semantics need more than one JS operator: the M extension's
// high multiplies and division edge cases, and Zbb's bit counting and byte shuffles.
// Shared by the interpreter and the block compiler (which calls them by name).
//
// Bit counting works on the two 32-bit halves (from an Int32Array view of the registers),
// where Math.clz32 and integer ops are fast; BigInt has no such primitives.

const MIN64 = -(1n << 63n);

// Shifting a BigInt by a non-constant amount is a runtime call in TurboFan (about 20x slower
// than the constant case), so variable shifts use a multiply (lowered to a machine multiply)
// or int32 halves instead.

/** 2^s as int64 (2^63 wraps to -2^63, which multiplies the same modulo 2^64). */
export const POW2 = new BigInt64Array(64);
for (let s = 0; s < 64; s++) POW2[s] = BigInt.asIntN(64, 1n << BigInt(s));

/** x << s (s in 0..63), wrapped to 64 bits. */
export function sll64(x: bigint, s: number): bigint {
  return BigInt.asIntN(64, x * POW2[s]!);
}

/** Logical right shift of register halves xi[a], xi[a+1] by s (0..63) into xi[d], xi[d+1]. */
export function srl64(xi: Int32Array, d: number, a: number, s: number): void {
  const lo = xi[a]!;
  const hi = xi[a + 1]!;
  if (s === 0) {
    xi[d] = lo;
    xi[d + 1] = hi;
  } else if (s < 32) {
    xi[d] = (lo >>> s) | (hi << (32 - s));
    xi[d + 1] = hi >>> s;
  } else {
    xi[d] = hi >>> (s - 32);
    xi[d + 1] = 0;
  }
}

/** Arithmetic right shift of register halves, like srl64. */
export function sra64(xi: Int32Array, d: number, a: number, s: number): void {
  const lo = xi[a]!;
  const hi = xi[a + 1]!;
  if (s === 0) {
    xi[d] = lo;
    xi[d + 1] = hi;
  } else if (s < 32) {
    xi[d] = (lo >>> s) | (hi << (32 - s));
    xi[d + 1] = hi >> s;
  } else {
    xi[d] = hi >> (s - 32);
    xi[d + 1] = hi >> 31;
  }
}

/** Bit s (0..63) of register halves xi[a], xi[a+1]. */
export function bit64(xi: Int32Array, a: number, s: number): number {
  return s < 32 ? (xi[a]! >>> s) & 1 : (xi[a + 1]! >>> (s - 32)) & 1;
}

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

// Division has no machine lowering for BigInt: when both operands fit in 53 bits (the common
// case), divide as doubles instead, which is exact there (floor/trunc of a correctly rounded
// quotient of integers below 2^53 is the integer quotient). The *R functions take register
// numbers and write rd themselves.

const TWO32 = 4294967296;

// Register r as a double when it lies in [-2^53, 2^53), else NaN.
function asSafe(xi: Int32Array, r: number): number {
  const hi = xi[2 * r + 1]!;
  return hi >= -0x200000 && hi < 0x200000 ? hi * TWO32 + (xi[2 * r]! >>> 0) : NaN;
}

// Writes an integer-valued double below 2^53 in magnitude into register d.
function setSafe(xi: Int32Array, d: number, q: number): void {
  xi[2 * d] = q | 0;
  xi[2 * d + 1] = Math.floor(q / TWO32) | 0;
}

/** DIV rd, rs1, rs2 */
export function divR(regs: BigInt64Array, xi: Int32Array, d: number, a: number, b: number): void {
  const x = asSafe(xi, a);
  const y = asSafe(xi, b);
  if (y !== 0 && x === x && y === y) setSafe(xi, d, Math.trunc(x / y));
  else regs[d] = div(regs[a]!, regs[b]!);
}

// A 64-bit unsigned dividend by a divisor below 2^21, by halves: the high word's remainder
// times 2^32 plus the low word stays below 2^53. Writes the quotient or the remainder.
function divSmall(xi: Int32Array, d: number, a: number, y: number, wantRem: boolean): void {
  const hi = xi[2 * a + 1]! >>> 0;
  const hq = Math.floor(hi / y);
  const t = (hi - hq * y) * TWO32 + (xi[2 * a]! >>> 0);
  const lq = Math.floor(t / y);
  if (wantRem) {
    xi[2 * d] = t - lq * y;
    xi[2 * d + 1] = 0;
  } else {
    xi[2 * d] = lq | 0;
    xi[2 * d + 1] = hq | 0;
  }
}

/** DIVU rd, rs1, rs2 */
export function divuR(regs: BigInt64Array, xi: Int32Array, d: number, a: number, b: number): void {
  const x = asSafe(xi, a);
  const y = asSafe(xi, b);
  if (x >= 0 && y > 0) setSafe(xi, d, Math.floor(x / y));
  else if (y > 0 && y < 0x200000) divSmall(xi, d, a, y, false);
  else regs[d] = divu(regs[a]!, regs[b]!);
}

/** REM rd, rs1, rs2 */
export function remR(regs: BigInt64Array, xi: Int32Array, d: number, a: number, b: number): void {
  const x = asSafe(xi, a);
  const y = asSafe(xi, b);
  if (y !== 0 && x === x && y === y) setSafe(xi, d, x - Math.trunc(x / y) * y);
  else regs[d] = rem(regs[a]!, regs[b]!);
}

/** REMU rd, rs1, rs2 */
export function remuR(regs: BigInt64Array, xi: Int32Array, d: number, a: number, b: number): void {
  const x = asSafe(xi, a);
  const y = asSafe(xi, b);
  if (x >= 0 && y > 0) setSafe(xi, d, x - Math.floor(x / y) * y);
  else if (y > 0 && y < 0x200000) divSmall(xi, d, a, y, true);
  else regs[d] = remu(regs[a]!, regs[b]!);
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
