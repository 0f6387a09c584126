// The contract between the integer CPU and the F/D extensions.

/** The slice of hart state the FP instructions touch. `f` and `fbits` view the same 32 x 8 bytes. */
export interface FpCpuState {
  x: BigInt64Array;
  fbits: BigInt64Array;
  f: Float64Array;
  fflags: number;
  frm: number;
}

/** One decoded FP instruction; false means an illegal instruction at run time (invalid dynamic rounding mode). */
export type FpOp = (cpu: FpCpuState) => boolean;

// fflags bits, accumulated (OR-ed) into cpu.fflags.
export const NV = 0x10;
export const DZ = 0x08;
export const OF = 0x04;
export const UF = 0x02;
export const NX = 0x01;

// Rounding modes, as encoded in the rm field and in frm.
export const RNE = 0;
export const RTZ = 1;
export const RDN = 2;
export const RUP = 3;
export const RMM = 4;
export const DYN = 7;
