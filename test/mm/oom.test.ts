import { describe, expect, it } from "vitest";
import { OutOfMemory, PhysMem } from "../../src/mm/physmem.ts";
import { sysemu } from "../e2e/helpers.ts";

describe("the frame pool", () => {
  it("says OutOfMemory (the OOM killer's cue) when every frame is handed out", () => {
    const phys = new PhysMem(8 * 4096);
    const got: number[] = [];
    expect(() => {
      for (let i = 0; i < 100; i++) got.push(phys.alloc());
    }).toThrow(OutOfMemory);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(8);
  });
});

describe("--memory", () => {
  it("sizes the guest's physical memory: a program that allocates without end meets the OOM killer", () => {
    const r = sysemu(["run", "--memory", "256M", "--dmesg", "test/mm/fixtures/eatmem"]);
    expect(r.stderr).toMatch(/Out of memory: Killed process 1000 \(eatmem\)/);
    expect(r.stderr).toMatch(/terminated by SIGKILL/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no host stack trace
    expect([r.status, r.signal]).toEqual([null, "SIGKILL"]); // sysemu dies of the guest's SIGKILL
    // it got far enough to have used most of the 256 MiB, and not past them
    expect(r.stdout).toContain("192 MiB\n");
    expect(r.stdout).not.toContain("256 MiB\n");
  });

  it("rejects a size it cannot give with a one-line usage error", () => {
    for (const bad of ["12x", "1M", "3G", ""]) {
      const r = sysemu(["run", "--memory", bad, "samples/riscv64/hello"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--memory/);
    }
  });

  it("takes K, M and G suffixes", () => {
    const r = sysemu(["run", "--memory", "65536K", "samples/riscv64/hello"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("Hello, world!\n");
  });
});
