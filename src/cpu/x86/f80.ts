// The 80-bit extended format <-> doubles. Loads round the 64-bit significand to 53 bits
// (nearest-even); stores of doubles are exact (every double is an extended value).

const scratch = new DataView(new ArrayBuffer(8));

/** The double nearest to the extended value with significand m and sign/exponent word se. */
export function f80ToDouble(m: bigint, se: number): number {
  const sign = (se & 0x8000) !== 0 ? -1 : 1;
  const e = se & 0x7fff;
  const um = BigInt.asUintN(64, m);
  if (e === 0x7fff) {
    if ((um & 0x7fffffffffffffffn) === 0n) return sign * Infinity;
    // keep the NaN's payload top bits and quiet bit as a double NaN
    const payload = (um >> 11n) & 0xfffffffffffffn;
    scratch.setBigUint64(0, (BigInt(se & 0x8000) << 48n) | 0x7ff0000000000000n | payload | 0x8000000000000n);
    return scratch.getFloat64(0);
  }
  if (um === 0n) return sign * 0;
  // round the significand to 53 bits ourselves: Number(um) rounds to nearest-even already
  let v = Number(um);
  let k = e - 16383 - 63;
  while (k > 1000) { v *= 2 ** 1000; k -= 1000; }
  while (k < -1000) { v *= 2 ** -1000; k += 1000; if (v === 0) break; }
  return sign * v * 2 ** k;
}

/** Writes double v as an extended value: significand into m[i], sign/exponent into se[i]. */
export function doubleToF80(v: number, m: BigInt64Array, se: Uint16Array, i: number): void {
  scratch.setFloat64(0, v);
  const bits = scratch.getBigUint64(0);
  const sign = Number(bits >> 63n) << 15;
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (e === 0x7ff) {
    m[i] = BigInt.asIntN(64, (1n << 63n) | (frac << 11n));
    se[i] = sign | 0x7fff;
  } else if (e === 0) {
    if (frac === 0n) {
      m[i] = 0n;
      se[i] = sign;
      return;
    }
    // a double denormal is a normal extended number
    const n = frac.toString(2).length; // bits in frac
    const shift = BigInt(64 - n);
    m[i] = BigInt.asIntN(64, frac << shift);
    // value = frac * 2^-1074 = (frac << shift) * 2^(-1074 - shift), exponent = -1074 - shift + 63
    se[i] = sign | (-1074 - Number(shift) + 63 + 16383);
  } else {
    m[i] = BigInt.asIntN(64, (1n << 63n) | (frac << 11n));
    se[i] = sign | (e - 1023 + 16383);
  }
}
