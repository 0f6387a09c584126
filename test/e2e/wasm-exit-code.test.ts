// A component that exits through wasi:cli/exit's exit-with-code: its code survives as sysemu's
// exit status (the preview1 adapter's exit(result) can only say 0 or 1). The sample is
// committed (samples/wasm/exit_code.component.wasm, from samples/src/wasm/exit_code.wat by
// tools/build-exit-component.sh): no network, no tool.

import { describe, expect, it } from "vitest";
import { sysemu } from "./helpers.ts";

const PROG = "samples/wasm/exit_code.component.wasm";

describe("wasi:cli/exit exit-with-code", () => {
  it("exits with the code given, after its output went through the kernel", () => {
    for (const [args, code] of [[["3"], 3], [["300"], 44], [[], 7]] as [string[], number][]) {
      const r = sysemu(["run", "--strace", PROG, ...args]);
      expect(r.status, `exit_code ${args.join(" ")}`).toBe(code);
      expect(r.stdout).toBe(`exit-with-code ${code}\n`);
      expect(r.stderr.split("\n").slice(-4)).toEqual([
        `output-stream.blocking-write-and-flush(1, "exit-with-code ${code}\\n") = ok`,
        expect.stringMatching(new RegExp(`^exit\\.exit-with-code\\(${code}\\) += \\?$`)),
        `+++ exited with ${code} +++`,
        "",
      ]);
    }
  });

  it("counts the calls as the kernel's, and needs no --strace for the status", () => {
    const r = sysemu(["run", "--stats", PROG, "42"]);
    expect(r.status).toBe(42);
    expect(r.stdout).toBe("exit-with-code 42\n");
    expect(r.stderr).toMatch(/^ +1 +output-stream\.blocking-write-and-flush$/m);
    expect(r.stderr).toMatch(/^ +1 +exit\.exit-with-code$/m);
    expect(r.stderr).not.toMatch(/exit\.exit$/m);
  });
});
