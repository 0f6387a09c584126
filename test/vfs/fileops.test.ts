// The file calls glibc leans on (test/vfs/fixtures/fileops.c): posix_fallocate/fallocate,
// posix_fadvise, sendfile, copy_file_range, sync/syncfs, close_range, the mlock family.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { haveQemu, runQemu, runSysemu, scratch } from "./fixture-run.ts";

const EXPECTED = readFileSync("test/vfs/fixtures/fileops.expected", "utf8");

describe("fallocate, fadvise, sendfile, copy_file_range, close_range, mlock", () => {
  it("behave as on Linux", () => {
    const r = runSysemu("fileops", scratch("sysemu-fileops-"));
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(EXPECTED);
  });

  it.runIf(haveQemu)("as qemu-riscv64 (Linux) answers them", () => {
    expect(runQemu("fileops", scratch("sysemu-fileopsq-")).stdout).toBe(EXPECTED);
  });
});
