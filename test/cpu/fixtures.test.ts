// Differential tests: each fixture program under RiscvCpu must print what it printed under
// qemu-riscv64 (recorded in NAME.out by build.sh), and, when qemu is installed, what it prints
// there now.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFlat, runFlat } from "./flat.ts";
import { testPhys } from "./harness.ts";

const DIR = join(import.meta.dirname, "../fixtures/cpu");
const names = readdirSync(DIR)
  .filter((f) => f.endsWith(".bin"))
  .map((f) => f.slice(0, -4))
  .sort();

function haveQemu(): boolean {
  try {
    execFileSync("qemu-riscv64", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const qemu = haveQemu();

// Each program runs with every entry point compiled at once, and (except the long benchmarks)
// interpreted only. Under vitest the interpreter is ~10x slower than in the bundle: esbuild's
// per-file transform cannot inline the const enum opcodes into its switch.
const MODES = [
  { name: "interpreter", jitThreshold: 0, wasm: false, skip: (n: string) => n.startsWith("bench_") },
  { name: "compiled", jitThreshold: 1, wasm: false, skip: () => false },
  { name: "wasm", jitThreshold: 1, wasm: true, skip: () => false },
];

describe("fixtures vs qemu-riscv64", () => {
  it("has fixtures", () => {
    expect(names.length).toBeGreaterThan(3);
  });
  for (const mode of MODES) {
    for (const name of names.filter((n) => !mode.skip(n))) {
      it(`${name} (${mode.name})`, () => {
        const cpu = loadFlat(readFileSync(join(DIR, `${name}.bin`)), testPhys());
        cpu.jitThreshold = mode.jitThreshold;
        cpu.wasmTier = mode.wasm;
        const r = runFlat(cpu);
        cpu.mm.release();
        expect(r.stop).toBeUndefined();
        expect(r.stdout).toBe(readFileSync(join(DIR, `${name}.out`), "utf8"));
        expect(r.exitCode).toBe(Number(readFileSync(join(DIR, `${name}.rc`), "utf8")));
        if (mode.jitThreshold > 0) expect(cpu.jitInsns).toBeGreaterThan(r.instret / 2);
        else expect(cpu.jitCompiles).toBe(0);
        if (mode.wasm) expect(cpu.wasmCompiles).toBeGreaterThan(0);
        else expect(cpu.wasmCompiles).toBe(0);
      });
    }
  }
  // registered only where qemu-riscv64 is installed; the recorded outputs cover the rest
  if (qemu) for (const name of names) {
    it(`${name} agrees with a live qemu-riscv64 run`, () => {
      const live = execFileSync("qemu-riscv64", [join(DIR, `${name}.elf`)], { encoding: "utf8" });
      expect(live).toBe(readFileSync(join(DIR, `${name}.out`), "utf8"));
    });
  }
});
