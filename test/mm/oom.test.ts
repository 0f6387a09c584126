import { describe, expect, it } from "vitest";
import { OutOfMemory, PhysMem } from "../../src/mm/physmem.ts";

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
