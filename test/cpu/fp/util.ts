// Helpers for the unit tests: run one named instruction on values or raw register contents.

import { execute, newCpu } from "./harness.ts";
import { OPS } from "./ops.ts";

export const NV = 0x10;
export const DZ = 0x08;
export const OF = 0x04;
export const UF = 0x02;
export const NX = 0x01;
export const [RNE, RTZ, RDN, RUP, RMM] = [0, 1, 2, 3, 4];
export const MODES = [RNE, RTZ, RDN, RUP, RMM];

const view = new DataView(new ArrayBuffer(8));

/** Raw bits of a double. */
export function d(v: number): bigint {
  view.setFloat64(0, v);
  return view.getBigUint64(0);
}

/** NaN-boxed register contents of a single (v must be exactly representable, or given as bits). */
export function s(v: number): bigint {
  view.setFloat32(0, v);
  if (view.getFloat32(0) !== v && v === v) throw new Error(`${v} is not a single`);
  return 0xffffffff00000000n | BigInt(view.getUint32(0));
}

/** NaN-boxed register contents of single bits. */
export function sb(bits: number): bigint {
  return 0xffffffff00000000n | BigInt(bits >>> 0);
}

/** The double with the given bits. */
export function fromD(bits: bigint): number {
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

/** Runs the named instruction in mode rm on raw operands; returns result bits (hex) and flags. */
export function run(name: string, rm: number, a: bigint, b = 0n, c = 0n): { r: string; f: number } {
  const spec = OPS.find((o) => o.name === name);
  if (!spec) throw new Error(`no op ${name}`);
  const st = execute(newCpu(), spec, rm, false, a, b, c);
  const dy = execute(newCpu(), spec, rm, true, a, b, c);
  if (st.result !== dy.result || st.flags !== dy.flags) throw new Error(`${name}: static and dynamic rm disagree`);
  return { r: hex(st.result), f: st.flags };
}

/** 16-digit hex of a 64-bit pattern. */
export function hex(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, "0");
}
