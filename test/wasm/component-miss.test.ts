// A component importing a function sysemu lacks, in an interface it provides: jco's glue finds
// the member undefined at instantiation, logs "ERROR:" and throws; sysemu says instead, in one
// line, which function is missing (exit status 126).

import { describe, expect, it, vi } from "vitest";
import { CliError } from "../../src/util/errors.ts";
import { instantiateOrExplain, recordingMisses } from "../../src/wasm/component/run.ts";

/** What jco's generated instantiate does with one imported function. */
function glue(imports: Record<string, Record<string, unknown>>, iface: string, member: string): string {
  const f = imports[iface]![member];
  if (f === undefined) {
    const err = new Error(`unexpectedly undefined instance import '${member}', was '${member}' available at instantiation?`);
    console.error("ERROR:", err.toString());
    throw err;
  }
  return "instantiated";
}

describe("a component importing what sysemu lacks", () => {
  const host = { "wasi:cli/exit": { exit: () => {} } };

  it("is a one-line error naming the WIT function, and jco's ERROR line is not printed", () => {
    const missed: string[] = [];
    const imports = recordingMisses(host, missed);
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    let thrown: unknown;
    try {
      instantiateOrExplain("p.wasm", () => glue(imports, "wasi:cli/exit", "exitWithCode"), missed);
    } catch (e) {
      thrown = e;
    }
    const printed = spy.mock.calls.length;
    spy.mockRestore();
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as CliError).message).toBe("cannot run: it imports wasi:cli/exit.exit-with-code, which sysemu does not provide");
    expect((thrown as CliError).status).toBe(126);
    expect(printed).toBe(0);
  });

  it("changes nothing when every import is there", () => {
    const missed: string[] = [];
    const imports = recordingMisses(host, missed);
    expect(instantiateOrExplain("p.wasm", () => glue(imports, "wasi:cli/exit", "exit"), missed)).toBe("instantiated");
    expect(missed).toEqual([]);
  });

  it("passes other instantiation errors through", () => {
    const missed: string[] = [];
    expect(() => instantiateOrExplain("p.wasm", () => { throw new RangeError("boom"); }, missed)).toThrow(RangeError);
  });
});
