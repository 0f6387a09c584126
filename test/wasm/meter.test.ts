// --max-insns for wasm core modules (src/wasm/meter.ts): the rewritten module validates, behaves
// as the original under a large budget, counts instructions exactly for straight-line runs, and
// stops a runaway guest with status 124 as an ELF guest is stopped.

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FUEL_EXPORT, fuelUsed, instrument, MeterError } from "../../src/wasm/meter.ts";
import { WA } from "../../src/wasm/webassembly.ts";
import { sysemu, type Ran } from "../e2e/helpers.ts";
import { sleb, uleb } from "./harness.ts";

const W = "samples/wasm";
const SAMPLES = readdirSync(W).filter((f) => f.endsWith(".wasm") && !f.endsWith(".component.wasm")).sort();
const tmp = () => mkdtempSync(join(tmpdir(), "sysemu-meter-"));

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const str = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const body = (locals: number[][], code: number[]) => {
  const b = [...vec(locals), ...code, 0x0b];
  return [...uleb(b.length), ...b];
};
const module = (...sections: number[][]) => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
const I32 = 0x7f;
const i32c = (v: number) => [0x41, ...sleb(BigInt(v))];

/**
 * A WASI-shaped command: memory, and `_start` counting a local down from `n` to 0. It executes
 * 3 + 5n instructions: i32.const, local.set, loop; then per iteration local.get, i32.const,
 * i32.sub, local.tee, br_if.
 */
function countdown(n: number): Uint8Array {
  const start = body([[1, I32]], [...i32c(n), 0x21, 0x00, 0x03, 0x40, 0x20, 0x00, ...i32c(1), 0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b]);
  return module(
    section(1, vec([[0x60, 0, 0]])),
    section(3, vec([[0]])),
    section(5, vec([[0x00, 0x01]])),
    section(7, vec([[...str("_start"), 0x00, 0], [...str("memory"), 0x02, 0]])),
    section(10, vec([start])),
  );
}

/** Instantiates `bytes` (no imports but `env`), returns its exports. */
function instance(bytes: Uint8Array, env: Record<string, unknown> = {}): Record<string, unknown> {
  return new WA.Instance(new WA.Module(bytes), { env }).exports;
}

const fuelLeft = (exports: Record<string, unknown>) => (exports[FUEL_EXPORT] as { value: bigint }).value;

function moduleFile(bytes: Uint8Array): string {
  const f = join(tmp(), "m.wasm");
  writeFileSync(f, bytes);
  return f;
}

/** sysemu run with a fixed environment, seed and a fresh /sandbox preopen (for files and tour). */
function run(file: string, flags: string[] = []): Ran {
  return sysemu(["run", "--clear-env", "--env", "A=1", "--seed", "7", "--dir", `${tmp()}:/sandbox`, ...flags, file, "/sandbox"], { input: "abc" });
}

describe("instrument: the committed samples", () => {
  it("finds the samples", () => {
    expect(SAMPLES).toEqual(expect.arrayContaining(["hello.wasm", "spin.wasm", "tour.wasm"]));
  });

  it.each(SAMPLES)("%s: validates after metering, with the fuel global exported", (f) => {
    const bytes = new Uint8Array(readFileSync(join(W, f)));
    const metered = instrument(bytes, 1000);
    expect(WA.validate(metered)).toBe(true);
    expect(metered.length).toBeGreaterThan(bytes.length);
    const exports = WA.Module.exports(new WA.Module(metered));
    expect(exports).toContainEqual({ name: FUEL_EXPORT, kind: "global" });
    // nothing else about the interface changes
    expect(exports.filter((e) => e.name !== FUEL_EXPORT)).toEqual(WA.Module.exports(new WA.Module(bytes)));
    expect(WA.Module.imports(new WA.Module(metered))).toEqual(WA.Module.imports(new WA.Module(bytes)));
  });

  it.each(SAMPLES.filter((f) => f !== "spin.wasm"))("%s: same output and status under a large budget", (f) => {
    const plain = run(join(W, f));
    const metered = run(join(W, f), ["--max-insns", "1000000000000", "--stats"]);
    expect(metered.stdout).toBe(plain.stdout);
    expect(metered.status).toBe(plain.status);
    const n = /^sysemu: (\d+) instructions in /m.exec(metered.stderr);
    expect(n).not.toBeNull();
    expect(Number(n![1])).toBeGreaterThan(100);
  });
});

describe("--max-insns on a runaway wasm guest", () => {
  it("stops samples/wasm/spin.wasm with status 124 and the ELF guests' message", () => {
    const r = sysemu(["run", "--max-insns", "100000", `${W}/spin.wasm`], { timeoutMs: 30_000 });
    expect(r.stdout).toBe("spinning forever\n");
    expect(r.stderr).toBe(`sysemu: ${W}/spin.wasm: stopped after --max-insns 100000 instructions\n`);
    expect(r.status).toBe(124);
  });

  it("strace shows the kill as for --timeout; --stats counts at most the budget", () => {
    const r = sysemu(["run", "--strace", "--stats", "--max-insns", "50000", `${W}/spin.wasm`]);
    expect(r.status).toBe(124);
    expect(r.stderr).toContain("+++ killed by SIGKILL +++\n");
    expect(r.stderr).not.toMatch(/SIGILL|unreachable/);
    const n = Number(/^sysemu: (\d+) instructions in /m.exec(r.stderr)![1]);
    expect(n).toBeLessThanOrEqual(50000);
    expect(n).toBeGreaterThan(49000);
  });
});

describe("--max-insns on a component", () => {
  const haveJco = existsSync("node_modules/@bytecodealliance/jco-transpile");
  it.skipIf(!haveJco)("is ignored with a one-line warning (jco compiles components)", () => {
    const r = sysemu(["run", "--max-insns", "10", `${W}/hello.component.wasm`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("Hello from WebAssembly!\n");
    expect(r.stderr).toBe(`sysemu: ${W}/hello.component.wasm: --max-insns is not supported for components: ignored (--timeout works)\n`);
  });
});

describe("the count", () => {
  it("is exact for a loop: 3 + 5n instructions run in a budget of 3 + 5n, not in one less", () => {
    const n = 1000, exact = 3 + 5 * n;
    const ok = instance(instrument(countdown(n), exact));
    (ok._start as () => void)();
    expect(fuelLeft(ok)).toBe(0n);
    expect(fuelUsed(exact, fuelLeft(ok))).toEqual({ instructions: BigInt(exact), exhausted: false });

    const short = instance(instrument(countdown(n), exact - 1));
    expect(() => (short._start as () => void)()).toThrow(WA.RuntimeError);
    // the last iteration's run did not fit: it was not executed, and is not counted
    expect(fuelUsed(exact - 1, fuelLeft(short))).toEqual({ instructions: BigInt(exact - 5), exhausted: true });
  });

  it("a guest's own trap is not taken for --max-insns", () => {
    const trap = module(
      section(1, vec([[0x60, 0, 0]])),
      section(3, vec([[0]])),
      section(7, vec([[...str("f"), 0x00, 0]])),
      section(10, vec([body([], [0x01, 0x00])])), // nop; unreachable
    );
    const e = instance(instrument(trap, 100));
    expect(() => (e.f as () => void)()).toThrow(WA.RuntimeError);
    expect(fuelUsed(100, fuelLeft(e))).toEqual({ instructions: 2n, exhausted: false });
  });

  it("through bin/sysemu: exit 0 at the exact budget with --stats saying so, 124 one below", () => {
    const n = 1000, exact = 3 + 5 * n;
    const f = moduleFile(countdown(n));
    const ok = sysemu(["run", "--stats", "--max-insns", String(exact), f]);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(new RegExp(`^sysemu: ${exact} instructions in `, "m"));
    const stopped = sysemu(["run", "--max-insns", String(exact - 1), f]);
    expect(stopped.status).toBe(124);
    expect(stopped.stderr).toBe(`sysemu: ${f}: stopped after --max-insns ${exact - 1} instructions\n`);
  });
});

describe("instrument: instructions with immediates, and index spaces", () => {
  // main: () -> i32 uses block types by index, sign extension, saturating truncation, bulk
  // memory, SIMD (memargs, lanes, v128.const, shuffle, load_lane), atomics, typed select,
  // br_table, call_indirect, tail calls, try/catch, reference types; then a loop with if/else.
  const SIMD_CONST = [0xfd, 0x0c, ...Array.from({ length: 16 }, (_, i) => i + 1)];
  const main = [
    ...i32c(5), 0x02, 0x01, ...i32c(7), 0x0b, 0x6a, // block (type 1): (i32) -> (i32 i32)
    0xc0, // i32.extend8_s
    0x43, 0x00, 0x00, 0x60, 0x40, 0xfc, 0x00, 0x6a, // f32.const 3.5; i32.trunc_sat_f32_s
    ...i32c(0), ...i32c(0x11), ...i32c(16), 0xfc, 0x0b, 0x00, // memory.fill
    ...i32c(16), ...i32c(0), ...i32c(16), 0xfc, 0x0a, 0x00, 0x00, // memory.copy
    ...i32c(0), 0xfd, 0x00, 0x00, 0x10, 0xfd, 0x16, 0x03, 0x6a, // v128.load offset=16; i8x16.extract_lane_u 3
    ...SIMD_CONST, ...SIMD_CONST, 0xfd, 0x0d, ...Array.from({ length: 16 }, (_, i) => 31 - i), 0xfd, 0x1b, 0x01, 0x6a, // shuffle; i32x4.extract_lane 1
    ...i32c(0), ...SIMD_CONST, 0xfd, 0x54, 0x00, 0x00, 0x05, 0xfd, 0x16, 0x05, 0x6a, // v128.load8_lane lane 5
    ...i32c(32), ...i32c(9), 0xfe, 0x1e, 0x02, 0x00, 0x6a, 0xfe, 0x03, 0x00, // i32.atomic.rmw.add; atomic.fence
    ...i32c(32), 0xfe, 0x10, 0x02, 0x00, 0x6a, // i32.atomic.load
    ...i32c(1), ...i32c(2), ...i32c(0), 0x1c, 0x01, I32, 0x6a, // select (result i32)
    0x02, 0x40, 0x02, 0x40, ...i32c(1), 0x0e, 0x02, 0x00, 0x01, 0x00, 0x0b, 0x00, 0x0b, // br_table to the outer block
    ...i32c(5), ...i32c(0), 0x11, 0x02, 0x00, 0x6a, // call_indirect (type 2) table 0
    ...i32c(1), 0x10, 0x02, 0x6a, // call 2 (which return_calls 1)
    0x06, 0x40, 0x08, 0x00, 0x07, 0x00, 0x0b, // try; throw 0; catch 0; end
    0x06, 0x40, 0x08, 0x00, 0x19, 0x0b, // try; throw 0; catch_all; end
    0xd0, 0x70, 0xd1, 0x6a, 0xd2, 0x01, 0xd1, 0x6a, // ref.null func; ref.is_null; ref.func 1; ref.is_null
    0xfc, 0x10, 0x00, 0x6a, 0x3f, 0x00, 0x6a, // table.size; memory.size
    0x42, ...sleb(-(1n << 60n)), 0xa7, 0x6a, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xaa, 0x6a, // i64.const; f64.const 1.0
    ...i32c(10), 0x21, 0x00, 0x03, 0x40, // loop
    0x20, 0x00, ...i32c(1), 0x6b, 0x22, 0x00, ...i32c(2), 0x70, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, // if/else
    0x20, 0x00, 0x0d, 0x00, 0x0b,
    0x23, 0x00, 0x6a, 0x23, 0x01, 0x6a, // the imported and the defined global
  ];
  // line: () -> i32, straight-line code whose immediates are full of 0x01 (nop) bytes, so that
  // skipping too few or too many bytes changes the count the meter takes
  const ONES = Array(16).fill(0x01);
  const line = [
    i32c(0), [0xfd, 0x00, 0x00, 0x01], [0xfd, 0x0c, ...ONES], [0xfd, 0x0d, ...ONES], [0xfd, 0x16, 0x01],
    i32c(0), [0xfd, 0x0c, ...ONES], [0xfd, 0x54, 0x00, 0x01, 0x01], [0xfd, 0x1b, 0x01], [0x6a],
    [0x43, 1, 1, 1, 1], [0xfc, 0x00], [0x6a], [0x44, ...ONES.slice(8)], [0xfc, 0x02], [0x6a],
    [0x42, 0x01], [0xa7], [0x6a], i32c(3), [0xfe, 0x10, 0x02, 0x01], [0x6a], i32c(1), [0x28, 0x00, 0x01], [0x6a], [0xc0],
    i32c(0), i32c(1), i32c(1), [0xfc, 0x0b, 0x00], i32c(1), i32c(1), i32c(1), [0xfc, 0x0a, 0x00, 0x00],
    [0xd0, 0x70], [0xd1], [0x6a], [0x3f, 0x00], [0x6a], [0xfc, 0x10, 0x00], [0x6a],
    i32c(1), i32c(1), i32c(1), [0x1c, 0x01, I32], [0x6a], [0x23, 0x01], [0x6a],
  ];
  const features = module(
    section(1, vec([[0x60, 0, 1, I32], [0x60, 1, I32, 2, I32, I32], [0x60, 1, I32, 1, I32], [0x60, 0, 0]])),
    section(2, vec([[...str("env"), ...str("g"), 0x03, I32, 0x00]])),
    section(3, vec([[0], [2], [2], [0]])),
    section(4, vec([[0x70, 0x00, 0x01]])),
    section(5, vec([[0x00, 0x01]])),
    section(13, vec([[0x00, 3]])),
    section(6, vec([[I32, 0x00, ...i32c(1000), 0x0b]])),
    section(7, vec([[...str("main"), 0x00, 0], [...str("memory"), 0x02, 0], [...str("line"), 0x00, 3]])),
    section(9, vec([[0x00, ...i32c(0), 0x0b, ...vec([[1]])]])),
    section(10, vec([
      body([[1, I32]], main),
      body([], [0x20, 0x00, ...i32c(100), 0x6a]),
      body([], [0x20, 0x00, 0x12, 0x01]), // return_call 1
      body([], line.flat()),
    ])),
    section(0, [...str("name"), ...section(1, vec([[0, ...str("main")]]))]),
  );
  const env = { g: new (globalThis as unknown as { WebAssembly: { Global: new (d: { value: string; mutable: boolean }, v: number) => unknown } }).WebAssembly.Global({ value: "i32", mutable: false }, 20000) };

  it("the hand-assembled module is valid as it stands", () => {
    expect(WA.validate(features)).toBe(true);
  });

  it("metered, it validates and computes the same result; the fuel global comes after the others", () => {
    const metered = instrument(features, 1_000_000);
    expect(WA.validate(metered)).toBe(true);
    const want = (instance(features, env).main as () => number)();
    const got = instance(metered, env);
    expect((got.main as () => number)()).toBe(want);
    const used = fuelUsed(1_000_000, fuelLeft(got)).instructions;
    expect(used).toBeGreaterThan(100n);
    expect(used).toBeLessThan(400n);
  });

  it("straight-line code costs exactly its number of instructions", () => {
    const got = instance(instrument(features, 1000), env);
    expect((got.line as () => number)()).toBe((instance(features, env).line as () => number)());
    expect(fuelUsed(1000, fuelLeft(got))).toEqual({ instructions: BigInt(line.length), exhausted: false });
  });

  it("creates the global and export sections when the module has none", () => {
    const bare = module(section(1, vec([[0x60, 0, 0]])), section(3, vec([[0]])), section(10, vec([body([], [0x01])])));
    const metered = instrument(bare, 5);
    expect(WA.validate(metered)).toBe(true);
    expect(WA.Module.exports(new WA.Module(metered))).toEqual([{ name: FUEL_EXPORT, kind: "global" }]);
    expect(fuelLeft(instance(metered))).toBe(5n);
  });
});

describe("modules the meter cannot rewrite", () => {
  const withOpcode = (op: number[]) =>
    module(section(1, vec([[0x60, 0, 0]])), section(3, vec([[0]])), section(10, vec([body([], [0x01, ...op])])));

  it("an unknown opcode is a MeterError naming it and where it is", () => {
    expect(() => instrument(withOpcode([0xff]))).toThrow(MeterError);
    expect(() => instrument(withOpcode([0xff]))).toThrow(/unknown opcode 0xff at byte \d+ \(in function body 0\)/);
    expect(() => instrument(withOpcode([0xfd, 0xff, 0x03]))).toThrow(/unknown opcode 0xfd 511/);
    expect(() => instrument(withOpcode([0x44, 0x00]))).toThrow(/unexpected end/); // f64.const with 2 of its 8 bytes
    expect(() => instrument(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 10, 99]))).toThrow(/runs past the end/);
  });

  const oneLine126 = (r: Ran) => {
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/^sysemu: [^\n]+\n$/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.[jt]s/);
  };

  it("through bin/sysemu: a malformed module is one line, status 126, as without --max-insns", () => {
    const f = moduleFile(withOpcode([0xff]));
    const r = sysemu(["run", "--max-insns", "10", f]);
    oneLine126(r);
    expect(r.stderr).toMatch(/invalid WebAssembly module/);
  });

  it("through bin/sysemu: a valid module it will not rewrite is one line, status 126", () => {
    const taken = module(
      section(1, vec([[0x60, 0, 0]])),
      section(3, vec([[0]])),
      section(5, vec([[0x00, 0x01]])),
      section(6, vec([[0x7e, 0x01, 0x42, 0x00, 0x0b]])),
      section(7, vec([[...str("_start"), 0x00, 0], [...str("memory"), 0x02, 0], [...str(FUEL_EXPORT), 0x03, 0]])),
      section(10, vec([body([], [])])),
    );
    const f = moduleFile(taken);
    expect(sysemu(["run", f]).status).toBe(0);
    const r = sysemu(["run", "--max-insns", "10", f]);
    oneLine126(r);
    expect(r.stderr).toBe(`sysemu: ${f}: --max-insns: cannot meter this module: it already exports ${FUEL_EXPORT}\n`);
  });
});
