// si_addr of a fault carries the whole 64-bit address. On riscv64 every wild address is a page
// fault (stval holds the address; arch/riscv/mm/fault.c reports it with SEGV_MAPERR, whatever
// Sv39/Sv48 can map). qemu-riscv64 is no oracle here: it reports 0 for an address outside its
// guest address space, so the expected lines are written out. x86-64's run is compared with the
// host CPU in test/diff/x86.test.ts (non-canonical addresses are #GP there: si_addr 0, SI_KERNEL).

import { describe, expect, it } from "vitest";
import { JIT_ENV, sysemu } from "./helpers.ts";

const WILD = [
  "0x10", "0x7ffffffff000", "0x7a3f123456789abc", "0xfffffffffff16482",
  "0xffff800000001000", "0x800000000000", "0x123456789abcdef0", "0xfffffffffffffff8",
];

describe("fault addresses", () => {
  it("riscv64: si_addr is the address loaded from, exactly, even above 2^53", () => {
    const r = sysemu(["run", "samples/riscv64/wild_addr"], { env: { ...process.env, ...JIT_ENV } });
    expect(r.stdout).toBe(WILD.map((a) => `load from ${a}: SIGSEGV si_addr=${a} si_code=1\n`).join(""));
    expect(r.status).toBe(0);
  });

  it("strace prints a fault's address unsigned", () => {
    const r = sysemu(["run", "--strace", "samples/riscv64/wild_addr"]);
    expect(r.stderr).toContain("si_addr=0xfffffffffff16482} ---");
    expect(r.stderr).toContain("si_addr=0x123456789abcdef0} ---");
    expect(r.stderr).not.toMatch(/0x-/);
  });
});
