// The F and D extensions: decodeFp turns one instruction word into an executor closure.

export { decodeFp } from "./decode.ts";
export type { FpCpuState, FpOp } from "./types.ts";
