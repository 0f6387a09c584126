// fcntl record locks: posix_locks_deadlock. A process about to sleep in F_SETLKW for a lock whose
// owner waits (directly or through others) for one of its own gets EDEADLK instead of hanging.

import { describe, expect, it } from "vitest";
import { haveQemu, runQemu, runSysemu, scratch } from "./fixture-run.ts";

const EXPECTED = [
  "ring2: proc 0 waited for byte 1: Resource deadlock avoided",
  "ring2: proc 1 waited for byte 0: got it",
  "ring3: proc 0 waited for byte 1: Resource deadlock avoided",
  "ring3: proc 2 waited for byte 0: got it",
  "ring3: proc 1 waited for byte 2: got it",
  "waiter: got it",
  "done",
].join("\n") + "\n";

describe("F_SETLKW deadlock detection", () => {
  it("gives EDEADLK to the process that closes a cycle of two or three, and lets plain waiters wait", () => {
    const r = runSysemu("deadlock", scratch("sysemu-dl-"));
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });

  it.runIf(haveQemu)("prints what qemu-riscv64 (Linux) prints", () => {
    expect(runQemu("deadlock", scratch("sysemu-dlq-")).stdout).toBe(EXPECTED);
  });
});
