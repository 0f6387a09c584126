// Runs one instruction through decodeFp on a fresh register file, the way the CPU would.

import { decodeFp } from "../../../src/cpu/riscv/fp/index.ts";
import type { FpCpuState, FpOp } from "../../../src/cpu/riscv/fp/index.ts";
import type { OpSpec } from "./ops.ts";

/** A zeroed hart state whose f and fbits share one buffer, as the contract requires. */
export function newCpu(): FpCpuState {
  const buf = new ArrayBuffer(32 * 8);
  return { x: new BigInt64Array(32), fbits: new BigInt64Array(buf), f: new Float64Array(buf), fflags: 0, frm: 0 };
}

const cache = new Map<number, FpOp>();

/** The executor for an instruction word (decoded once, like the CPU's cache). */
export function opFor(insn: number): FpOp {
  let op = cache.get(insn);
  if (!op) {
    const d = decodeFp(insn);
    if (!d) throw new Error(`decodeFp rejected ${insn.toString(16)}`);
    op = d;
    cache.set(insn, op);
  }
  return op;
}

export interface Outcome {
  result: bigint;
  flags: number;
}

const SENTINEL = 0x5a5a5a5a5a5a5a5an;

/**
 * Executes spec on raw operands (rs1=1, rs2=2, rs3=3, rd=4) in mode rm, either as the static rm
 * field or through frm with rm=DYN (then the static case runs with a different frm to prove it
 * is ignored).
 */
export function execute(cpu: FpCpuState, spec: OpSpec, rm: number, dyn: boolean, a: bigint, b: bigint, c: bigint): Outcome {
  if (spec.src === "x") cpu.x[1] = BigInt.asIntN(64, a);
  else {
    cpu.fbits[1] = BigInt.asIntN(64, a);
    cpu.fbits[2] = BigInt.asIntN(64, b);
    cpu.fbits[3] = BigInt.asIntN(64, c);
  }
  cpu.fbits[4] = SENTINEL;
  cpu.x[4] = SENTINEL;
  cpu.fflags = 0;
  cpu.frm = dyn ? rm : (rm + 2) % 5;
  const ok = opFor(spec.encode(dyn && spec.rounding ? 7 : rm))(cpu);
  if (!ok) throw new Error(`${spec.name} returned false`);
  const toX = spec.kind === "XF" || spec.kind === "XFF";
  return { result: BigInt.asUintN(64, toX ? cpu.x[4] : cpu.fbits[4]), flags: cpu.fflags };
}
