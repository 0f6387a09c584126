// Differential runs on the host CPU: every line of samples/x86_64/diffable.txt runs natively
// and under sysemu with the same stdin, environment and arguments; stdout and exit status
// must be equal. The native run needs an x86-64 Linux host; elsewhere the suite says so and
// skips (the riscv64 differential suite, samples.test.ts, still runs there).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { arch, constants, platform } from "node:os";
import { describe, expect, it } from "vitest";
import { shellStatus, sysemu } from "../e2e/helpers.ts";

const onX86Linux = arch() === "x64" && platform() === "linux";
const runs = readFileSync("samples/x86_64/diffable.txt", "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"))
  .map((l) => l.trim().split(/\s+/));

const ENV = { PATH: process.env.PATH, HOME: "/nonexistent", LANG: "C", TERM: "dumb", SYSEMU_SAMPLE: "42" };
const INPUT = "line one\nline two\n";

function native(prog: string, args: string[]): { stdout: string; status: number | null } {
  const r = spawnSync(prog, args, { input: INPUT, env: ENV, encoding: "utf8", timeout: 60_000 });
  return { stdout: r.stdout, status: r.status ?? (r.signal ? 128 + constants.signals[r.signal] : null) };
}

describe("x86-64 samples natively and under sysemu", () => {
  if (!onX86Linux) {
    it.skip(`needs an x86-64 Linux host to run the samples natively (this host: ${platform()}/${arch()})`, () => {});
    return;
  }
  it("covers the samples it claims", () => {
    expect(runs.length).toBeGreaterThanOrEqual(20);
  });
  for (const [name, ...args] of runs) {
    it([name, ...args].join(" "), () => {
      const prog = `samples/x86_64/${name}`;
      const ours = sysemu(["run", prog, ...args], { env: ENV, input: INPUT, timeoutMs: 120_000 });
      expect(ours.stderr).not.toMatch(/internal error|oops/);
      const theirs = native(prog, args);
      // a shell's view of both (128+N for a signal): see test/e2e/signal-exit.test.ts for the signal itself
      expect({ stdout: ours.stdout, status: shellStatus(ours) }).toEqual(theirs);
    }, 180_000);
  }
});
