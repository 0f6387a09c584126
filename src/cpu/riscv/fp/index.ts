// The F and D extensions: decodeFp turns one instruction word into an executor closure.
// Exactness: JS arithmetic rounds to nearest-even only, so each operation computes that result
// plus its exact error (TwoSum, Dekker's product, exact remainders; round.ts), derives the other
// rounding modes and the flags from the error's sign, and falls back to exact BigInt arithmetic
// (exact.ts) near overflow, near the subnormal range and for the rare hard double FMAs.
// Loads and stores (flw/fsw/fld/fsd, NaN-boxing on flw) and the fcsr CSRs belong to the CPU.

export { decodeFp } from "./decode.ts";
export type { FpCpuState, FpOp } from "./types.ts";
