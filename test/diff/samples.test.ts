// Differential runs: every diffable sample of the groups sysemu implements so far runs under
// qemu-riscv64 and under sysemu with the same stdin and environment; stdout and exit status
// must be equal. Without qemu the expected exit status from samples/expect.json is still checked.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { have, JIT_ENV, qemu, shellStatus, sysemu } from "../e2e/helpers.ts";

/** Groups of samples/src/ whose programs sysemu must run today. */
const GROUPS = ["basic", "run", "proc"];

const inGroup = new Set(GROUPS.flatMap((g) => readdirSync(`samples/src/${g}`).map((f) => f.replace(/\.[cS]$/, ""))));
const expectations = JSON.parse(readFileSync("samples/expect.json", "utf8")) as Record<string, { exit?: number }>;
const runs = readFileSync("samples/diffable.txt", "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"))
  .map((l) => l.trim().split(/\s+/))
  .filter(([name]) => inGroup.has(name!) && existsSync(`samples/riscv64/${name}`));

const ENV = { PATH: process.env.PATH, HOME: "/nonexistent", LANG: "C", TERM: "dumb", SYSEMU_SAMPLE: "42", ...JIT_ENV };
const INPUT = "line one\nline two\n";

describe("samples under sysemu and qemu-riscv64", () => {
  it("covers the groups it claims", () => {
    expect(runs.length).toBeGreaterThanOrEqual(15);
  });

  for (const [name, ...args] of runs) {
    const key = [name, ...args].join(" ");
    it(key, () => {
      const ours = sysemu(["run", `samples/riscv64/${name}`, ...args], { env: ENV, input: INPUT });
      expect(ours.stderr).not.toMatch(/internal error|oops/);
      if (have("qemu-riscv64")) {
        // a shell's view (128+N for a signal): a core-dumping signal kills qemu but, while
        // ulimit -c is not 0, makes sysemu exit 128+N (test/e2e/signal-exit.test.ts)
        const mine = { stdout: ours.stdout, status: shellStatus(ours) };
        let theirs = qemu([`samples/riscv64/${name}`, ...args], { env: ENV, input: INPUT });
        // The oracle has races of its own: qemu-user now and then delivers the SIGPIPE of
        // `pipes` part 2 too late, and the writer exits 0. A second qemu run settles it; sysemu
        // must still equal what qemu gives.
        if (theirs.stdout !== mine.stdout || shellStatus(theirs) !== mine.status) theirs = qemu([`samples/riscv64/${name}`, ...args], { env: ENV, input: INPUT });
        expect(mine).toEqual({ stdout: theirs.stdout, status: shellStatus(theirs) });
      } else {
        expect(shellStatus(ours)).toBe(expectations[key]?.exit ?? 0);
      }
    });
  }
});
