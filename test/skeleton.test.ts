import { describe, expect, it } from "vitest";
import { EM_RISCV, PT_LOAD } from "../src/elf/constants.ts";

describe("skeleton", () => {
  it("has the ELF constants of <elf.h>", () => {
    expect(EM_RISCV).toBe(243);
    expect(PT_LOAD).toBe(1);
  });
});
