// A short run of `npm run fuzz` (the full one: 100,000 calls on each architecture, 10,000 ELF
// mutants, 5,000 programs of random machine code; see
// test/fuzz/main.ts), and the judge that decides what a finding is.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/util/errors.ts";
import { judge } from "./report.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("fuzz", () => {
  it("a short run of every fuzzer finds nothing", () => {
    const r = spawnSync(process.execPath, ["tools/fuzz.mjs", "--seed", "13", "--elf", "400", "--wasi", "1000", "--syscalls", "3000", "--cpu", "600"], { cwd: ROOT, encoding: "utf8", timeout: 170_000 });
    expect(r.stdout).toMatch(/fuzz: elf: 400 mutants/);
    expect(r.stdout).toMatch(/fuzz: wasi: 1000 calls/);
    expect(r.stdout).toMatch(/syscalls \(riscv64\): fuzz_syscalls: seed 13: 3000 calls/);
    expect(r.stdout).toMatch(/syscalls \(x86_64\): fuzz_syscalls: seed 13: 3000 calls/);
    expect(r.stdout).toMatch(/fuzz: cpu: 600 programs \(300 riscv64 and 300 x86-64/);
    expect(r.stdout).toContain("fuzz: 0 findings");
    expect(r.status).toBe(0);
  }, 180_000);

  it("judges an exception, an oops line and a multi-line error as findings, a 126 as none", () => {
    expect(judge({ err: "", thrown: new RangeError("mm: bad range") }, [126])).toMatch(/exit 70/);
    expect(judge({ err: "sysemu: prog: killed by an oops in system call read", thrown: undefined }, [])).toMatch(/oops/);
    expect(judge({ err: "", thrown: new CliError("p", "two\nlines", 126) }, [126])).toMatch(/multi-line/);
    expect(judge({ err: "", thrown: new CliError("p", "No such file", 127) }, [126])).toMatch(/exit 127/);
    expect(judge({ err: "sysemu: p: terminated by SIGSEGV (fault address 0x-e9b7e)", thrown: undefined }, [])).toMatch(/negative address/);
    expect(judge({ err: "", thrown: new CliError("p", "not a valid riscv64 ELF program: bad magic", 126) }, [126])).toBeNull();
  });
});
