// The WebAssembly translation tier against the interpreter: the emitter's encodings, then small
// programs run once interpreted and once with every region compiled to wasm, which must end in
// the same registers, pc, retired count, stop reason and fault address, for every budget.

import { describe, expect, it } from "vitest";
import { RiscvCpu, StopReason } from "../../src/cpu/riscv/cpu.ts";
import { buildModule, Code, I64, W } from "../../src/cpu/riscv/wasm/binary.ts";
import { MAX_REGION } from "../../src/cpu/riscv/jit/region.ts";
import { WA } from "../../src/wasm/webassembly.ts";
import { PROT_READ, PROT_WRITE, PROT_EXEC } from "../../src/mm/mman.ts";
import * as A from "./asm.ts";
import { A0, A1, A2, A3, A4, A5, T0, T1, T2 } from "./asm.ts";
import { CODE, DATA, boot, testPhys } from "./harness.ts";

const phys = testPhys();

/** A module around `body` with params (i64, i64) -> i64, instantiated on the test pool's memory. */
function runI64(body: (c: Code) => void, a: bigint, b: bigint): bigint {
  const c = new Code();
  body(c);
  const bytes = buildModule({
    memoryPages: { min: phys.buffer.byteLength / 65536, max: phys.buffer.byteLength / 65536, shared: true },
    imports: [],
    params: [I64, I64],
    results: [I64],
    locals: [],
    body: [c],
  });
  expect(WA.validate(bytes)).toBe(true);
  const inst = new WA.Instance(new WA.Module(bytes), { env: { mem: phys.memory } });
  return (inst.exports.run as (a: bigint, b: bigint) => bigint)(a, b);
}

describe("wasm emitter", () => {
  it("encodes i64 constants at the signed-LEB128 edges", () => {
    for (const v of [0n, 1n, -1n, 63n, 64n, -64n, -65n, 0x7fffffffn, -0x80000000n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdefn]) {
      expect(runI64((c) => c.i64(v), 0n, 0n)).toBe(v);
    }
    // an unsigned 64-bit pattern is its two's complement
    expect(runI64((c) => c.i64(0xffffffffffffffffn), 0n, 0n)).toBe(-1n);
  });

  it("encodes i32 constants and operators", () => {
    for (const v of [0, -1, 127, 128, -129, 0x7fffffff, -0x80000000]) {
      expect(runI64((c) => c.i32(v).op(W.i64_extend_i32_s), 0n, 0n)).toBe(BigInt(v));
    }
    expect(runI64((c) => c.get(0).get(1).op(W.i64_add), 0x7fffffffffffffffn, 1n)).toBe(-0x8000000000000000n);
  });

  it("nests blocks, loops and br_table", () => {
    // sum 1..a by a loop
    const sum = (c: Code) => {
      c.open(W.block).open(W.loop);
      c.get(0).op(W.i64_eqz).open(W.if).br(2).end();
      c.get(1).get(0).op(W.i64_add).set(1);
      c.get(0).i64(1n).op(W.i64_sub).set(0).br(0);
      c.end().end().get(1);
    };
    expect(runI64(sum, 100n, 0n)).toBe(5050n);
    // br_table: 10 * (index of the case taken)
    const table = (c: Code) => {
      c.open(W.block).open(W.block).open(W.block);
      c.get(0).op(W.i32_wrap_i64).brTable([0, 1], 2);
      c.end().i64(0n).op(W.return);
      c.end().i64(10n).op(W.return);
      c.end().i64(20n);
    };
    expect([0n, 1n, 2n, 9n].map((v) => runI64(table, v, 0n))).toEqual([0n, 10n, 20n, 20n]);
  });
});

interface Outcome {
  stop: StopReason;
  pc: number;
  instret: number;
  x: bigint[];
  fault?: number;
  mem: number[];
}

/** Runs `code` to its first stop (or `budget`) in one mode; the state it ends in. */
function outcome(code: readonly (number | { c: number })[], wasm: boolean, budget: number, setup?: (cpu: RiscvCpu) => void, codeProt?: number): Outcome & { compiles: number } {
  const { cpu, mm } = boot(code, codeProt);
  cpu.jitThreshold = wasm ? 1 : 0;
  cpu.wasmTier = wasm;
  setup?.(cpu);
  const stop = cpu.run(budget);
  const mem = [...mm.peek(DATA, 64)];
  const res = {
    stop,
    pc: cpu.pc,
    instret: cpu.instret,
    x: [...cpu.x],
    fault: stop === StopReason.Fault || stop === StopReason.Misaligned ? cpu.faultAddr : undefined,
    mem,
    compiles: cpu.wasmCompiles,
  };
  mm.release();
  return res;
}

/** The program ends alike in both modes, whole and cut at every budget up to `upTo`. */
function agrees(code: readonly (number | { c: number })[], opts: { setup?: (cpu: RiscvCpu) => void; upTo?: number; prot?: number } = {}): Outcome {
  const full = outcome(code, false, 1_000_000, opts.setup, opts.prot);
  const w = outcome(code, true, 1_000_000, opts.setup, opts.prot);
  expect(w.compiles).toBeGreaterThan(0);
  const { compiles: _a, ...fa } = full;
  const { compiles: _b, ...wa } = w;
  expect(wa).toEqual(fa);
  for (let n = 1; n <= (opts.upTo ?? 0); n++) {
    const { compiles: _c, ...i } = outcome(code, false, n, opts.setup, opts.prot);
    const { compiles: _d, ...j } = outcome(code, true, n, opts.setup, opts.prot);
    expect({ n, ...j }).toEqual({ n, ...i });
  }
  return fa;
}

/** An M-extension operation rd = a0 op a1 (funct7 1), by funct3 and major opcode. */
const rtype = (f3: number, rd: number, op: number) => ((1 << 25) | (A1 << 20) | (A0 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;

const EDGES = [0n, 1n, -1n, 0x7fffffffn, -0x80000000n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdef0n];

describe("wasm tier agrees with the interpreter", () => {
  it("on ALU, shift, compare and W operations at the edges", () => {
    const ops = [
      A.add(A2, A0, A1), A.sub(A3, A0, A1), A.sll(A4, A0, A1), A.srl(A5, A0, A1), A.sra(T0, A0, A1),
      A.slt(T1, A0, A1), A.sltu(T2, A0, A1), A.addw(A2, A2, A0), A.xor(A3, A3, A1), A.or(A4, A4, A0),
      A.and(A5, A5, A1), A.srai(T0, T0, 63), A.slli(T1, A0, 33), A.srli(T2, A1, 1), A.addiw(A2, A0, -1),
      A.sltiu(A3, A0, -1), A.slti(A4, A1, -2048), A.xori(A5, A0, -1), A.ecall(),
    ];
    for (const a of EDGES) for (const b of EDGES) agrees(ops, { setup: (c) => ((c.x[A0] = a), (c.x[A1] = b)) });
  });

  it("on mul, div and rem at the edges (by zero, overflow)", () => {
    const ops = [A.mul(A2, A0, A1), A.div(A3, A0, A1), rtype(5, A4, 0x33) /* divu */, rtype(6, A5, 0x33) /* rem */,
      rtype(7, T0, 0x33) /* remu */, rtype(1, T1, 0x33) /* mulh */, rtype(3, T2, 0x33) /* mulhu */,
      rtype(4, A2, 0x3b) /* divw */, rtype(7, A3, 0x3b) /* remuw */, A.ecall()];
    for (const a of EDGES) for (const b of EDGES) agrees(ops, { setup: (c) => ((c.x[A0] = a), (c.x[A1] = b)) });
  });

  it("retires exactly as many instructions as the budget allows, in loops and across branches", () => {
    // a0 = sum of 1..20 by a counted loop with a forward branch inside
    const code = [A.addi(A0, 0, 0), A.addi(A1, 0, 20), A.andi(A2, A1, 1), A.beq(A2, 0, 8), A.addi(A3, A3, 1), A.add(A0, A0, A1), A.addi(A1, A1, -1), A.bne(A1, 0, -20), A.ecall()];
    const r = agrees(code, { upTo: 140 });
    expect(r.x[A0]).toBe(210n);
  });

  it("loads and stores through the TLB, signed and unsigned, and faults at the exact pc and address", () => {
    const code = [
      ...A.li32(A0, DATA), A.addi(A1, 0, -3), A.sd(A1, A0, 0), A.sw(A1, A0, 8), A.sh(A1, A0, 12), A.sb(A1, A0, 14),
      A.ld(A2, A0, 0), A.lw(A3, A0, 8), A.lwu(A4, A0, 8), A.lh(A5, A0, 12), A.lhu(T0, A0, 12), A.lb(T1, A0, 14), A.lbu(T2, A0, 14),
      A.sd(A2, A0, 0x1ffc), // straddles the second data page's end: a fault on the unmapped third page
      A.ecall(),
    ];
    const r = agrees(code, { upTo: 20 });
    expect(r.stop).toBe(StopReason.Fault); // the address is the interpreter's (agrees checked it)
    // a read of a page that is not there, in a loop already compiled
    const code2 = [...A.li32(A0, DATA + 0x1ff0), A.ld(A1, A0, 0), A.addi(A0, A0, 8), A.jal(0, -8)];
    const r2 = agrees(code2);
    expect(r2.stop).toBe(StopReason.Fault);
    expect(r2.fault).toBe(DATA + 0x2000);
  });

  it("one TLB check serves loads off one base only until that base is written", () => {
    // ld a3,8(a0) and ld a4,16(a0) are no group: ld a0,0(a5) moves a0 between them (in a loop,
    // so that its later passes run in wasm with the TLB filled)
    const code = [
      ...A.li32(A0, DATA), ...A.li32(A1, DATA + 48), A.addi(A5, A0, 0), A.addi(T0, 0, 3),
      A.addi(A2, 0, 5), A.sd(A2, A0, 8), A.addi(A2, 0, 1), A.sd(A2, A0, 16), A.addi(A2, 0, 9), A.sd(A2, A1, 16), A.sd(A1, A0, 0),
      A.addi(A0, A5, 0), A.ld(A3, A0, 8), A.ld(A0, A5, 0), A.ld(A4, A0, 16), A.addi(T0, T0, -1), A.bne(T0, 0, -20), A.ecall(),
    ];
    const r = agrees(code, { upTo: 40 });
    expect([r.x[A3], r.x[A4]]).toEqual([5n, 9n]);
  });

  it("a write to read-only memory faults with the write's address", () => {
    const code = [...A.li32(A0, CODE), A.sw(0, A0, 16), A.ecall()];
    const r = agrees(code);
    expect(r.stop).toBe(StopReason.Fault);
    expect(r.fault).toBe(CODE + 16);
  });

  it("runs code it has just written, after fence.i, in a loop compiled before the write", () => {
    // a loop on a writable code page that rewrites one of its own instructions half way
    const loop = [
      A.addi(A2, 0, 6), // 0 counter
      ...A.li32(A3, A.addi(A0, A0, 100)), // 1,2 the new instruction
      A.auipc(A1, 0), // 3 a1 = pc of word 3
      A.addi(A1, A1, 4 * (9 - 3)), // 4 a1 -> word 9
      A.addi(A4, 0, 3), // 5
      A.bne(A2, A4, 12), // 6 -> 9
      A.sw(A3, A1, 0), // 7
      A.fence_i(), // 8
      A.addi(A0, A0, 1), // 9 patched
      A.addi(A2, A2, -1), // 10
      A.bne(A2, 0, -20), // 11 -> 6
      A.ecall(), // 12
    ];
    const r = agrees(loop, { prot: PROT_READ | PROT_WRITE | PROT_EXEC, upTo: 60 });
    expect(r.x[A0]).toBe(3n + 3n * 100n);
  });

  it("LR/SC and AMOs", () => {
    const code = [
      ...A.li32(A0, DATA), A.addi(A1, 0, 5), A.sd(A1, A0, 0),
      A.lr_d(A2, A0), A.addi(A2, A2, 1), A.sc_d(A3, A2, A0), // succeeds: a3 = 0
      A.sc_d(A4, A2, A0), // no reservation: a4 = 1
      A.amoadd_d(A5, A1, A0), A.amoadd_w(T0, A1, A0), A.ld(T1, A0, 0), A.ecall(),
    ];
    const r = agrees(code, { upTo: 16 });
    expect([r.x[A3], r.x[A4], r.x[T1]]).toEqual([0n, 1n, 16n]);
  });

  it("promotes a hot JavaScript region to WebAssembly, with the same result", () => {
    // threshold 2: the loop entry becomes JavaScript at once, WebAssembly after WASM_PROMOTE calls
    const code = [A.addi(A0, 0, 0), ...A.li32(A1, 300000), A.addi(A0, A0, 3), A.addi(A1, A1, -1), A.bne(A1, 0, -8), A.ecall()];
    const run = (wasm: boolean) => {
      const { cpu, mm } = boot(code);
      cpu.jitThreshold = 2;
      cpu.wasmTier = wasm;
      // budgets that make the loop leave compiled code and come back through the interpreter
      let stop = cpu.run(7);
      while (stop === StopReason.Budget) stop = cpu.run(MAX_REGION + 5);
      const r = { stop, pc: cpu.pc, instret: cpu.instret, a0: cpu.x[A0], js: cpu.jitCompiles, wasm: cpu.wasmCompiles };
      mm.release();
      return r;
    };
    const js = run(false);
    const w = run(true);
    expect(js.wasm).toBe(0);
    expect(w.wasm).toBeGreaterThan(0);
    expect(w.js).toBeGreaterThan(w.wasm); // first JavaScript, then WebAssembly
    expect({ ...w, js: 0, wasm: 0 }).toEqual({ ...js, js: 0, wasm: 0 });
    expect(w.a0).toBe(900000n);
  });

  it("stops at ecall and ebreak with the pc of the instruction", () => {
    const r = agrees([A.addi(A0, 0, 1), A.ebreak(), A.ecall()]);
    expect(r.stop).toBe(StopReason.Breakpoint);
    expect(r.pc).toBe(CODE + 4);
  });
});

describe("the shared region table", () => {
  it("gets a released CPU's entries back: a run of short processes does not grow it", () => {
    const code = [A.addi(A0, 0, 0), ...A.li32(A1, 3000), A.addi(A0, A0, 3), A.addi(A1, A1, -1), A.bne(A1, 0, -8), A.ecall()];
    const inUse: number[] = [];
    for (let k = 0; k < 4; k++) {
      const { cpu, mm } = boot(code);
      cpu.jitThreshold = 1; // every block to wasm at once
      cpu.wasmTier = true;
      expect(cpu.run(100_000)).toBe(StopReason.Ecall);
      expect(cpu.x[A0]).toBe(9000n);
      const regions = (cpu as unknown as { wasm: { regions: { inUse: number } } }).wasm.regions;
      inUse.push(regions.inUse);
      cpu.release();
      mm.release();
    }
    expect(inUse[0]).toBeGreaterThan(0);
    expect(inUse).toEqual([inUse[0], inUse[0], inUse[0], inUse[0]]); // unreleased, each CPU's would add up
  });
});
