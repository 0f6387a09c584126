// Differential tests: each fixture program under RiscvCpu must print what it printed under
// qemu-riscv64 (recorded in NAME.out by build.sh), and, when qemu is installed, what it prints
// there now.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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

describe("fixtures vs qemu-riscv64", () => {
  it("has fixtures", () => {
    expect(names.length).toBeGreaterThan(3);
  });
  for (const name of names) {
    it(name, () => {
      const cpu = loadFlat(readFileSync(join(DIR, `${name}.bin`)), testPhys());
      const r = runFlat(cpu);
      cpu.mm.release();
      expect(r.stop).toBeUndefined();
      expect(r.stdout).toBe(readFileSync(join(DIR, `${name}.out`), "utf8"));
      expect(r.exitCode).toBe(Number(readFileSync(join(DIR, `${name}.rc`), "utf8")));
      if (qemu && existsSync(join(DIR, `${name}.elf`))) {
        const live = execFileSync("qemu-riscv64", [join(DIR, `${name}.elf`)], { encoding: "utf8" });
        expect(r.stdout).toBe(live);
      }
    });
  }
});
