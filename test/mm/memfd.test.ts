// memfd_create: an anonymous in-memory file (test/mm/fixtures/memfd.c), as on Linux.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { have, qemu, sysemu } from "../e2e/helpers.ts";

const EXPECTED = readFileSync("test/mm/fixtures/memfd.expected", "utf8");

describe("memfd_create", () => {
  it("sizes, reads, writes and shares through MAP_SHARED like a file, with Linux's /proc name", () => {
    const r = sysemu(["run", "test/mm/fixtures/memfd"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(EXPECTED);
    if (have("qemu-riscv64")) expect(qemu(["test/mm/fixtures/memfd"]).stdout).toBe(EXPECTED);
  });
});
