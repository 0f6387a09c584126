// LEB128, the variable-length integers of the WebAssembly binary format (sizes, indices and
// the immediates of i32.const / i64.const): the meter writes them, the tests build modules.

/** Unsigned LEB128 of a non-negative integer (up to 2^53). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128. */
export function sleb(n: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && !(b & 0x40)) || (n === -1n && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}
