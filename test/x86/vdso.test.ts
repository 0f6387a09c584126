// The x86-64 vDSO as glibc and binutils see it: the calls glibc routes through it never trap,
// and the image sysemu maps is an ELF that readelf reads without a complaint, with the
// five entry points of arch/x86/entry/vdso/vdso.lds.S at version LINUX_2.6.

import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sysemu } from "../e2e/helpers.ts";

const ENTRY_POINTS = ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu", "__vdso_clock_getres"];

describe("the x86-64 vDSO", () => {
  it("lets glibc read the clock without a system call: 1000 clock_gettime calls, none in --strace", () => {
    const r = sysemu(["run", "--strace", "samples/x86_64/clock_loop"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("ok\n");
    expect(r.stderr).toContain("exit_group"); // the trace is there, and it has no clock call
    expect(r.stderr).not.toMatch(/clock_gettime|gettimeofday/);
  });

  it("lists its entry points at LINUX_2.6", () => {
    const r = sysemu(["vdso", "--arch", "x86_64"]);
    expect(r.status).toBe(0);
    for (const name of ENTRY_POINTS) expect(r.stdout).toContain(`${name}@@LINUX_2.6`);
  });

  it("is an image readelf reads cleanly, with every entry point defined", () => {
    const file = join(mkdtempSync(join(tmpdir(), "sysemu-vdso-x86-")), "vdso.so");
    expect(sysemu(["vdso", "--arch", "x86_64", "--dump", file]).status).toBe(0);
    // readelf reports what it dislikes on stderr; merge it so a warning fails the test
    const all = execFileSync("sh", ["-c", `readelf -aW "${file}" 2>&1`], { encoding: "utf8" });
    expect(all).not.toMatch(/warning|error/i);
    expect(all).toMatch(/Machine:\s+Advanced Micro Devices X86-64/);
    expect(all).toMatch(/Type:\s+DYN/);
    for (const name of ENTRY_POINTS) expect(all).toMatch(new RegExp(`FUNC +GLOBAL +DEFAULT +\\d+ ${name}@@LINUX_2\\.6`));
  });
});
