// RLIMIT_FSIZE and RLIMIT_AS, enforced as Linux does (test/proc/fixtures/limits.c), and the memory
// figures of getrusage (rusage.c). Limits are not compared
// with qemu-riscv64: qemu-user passes setrlimit to its own host process, so RLIMIT_FSIZE kills
// qemu itself at its first short write and RLIMIT_AS is not applied to guest mappings.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shellStatus, sysemu } from "./helpers.ts";

describe("resource limits and usage", () => {
  it("RLIMIT_FSIZE cuts writes short, then EFBIG and SIGXFSZ; RLIMIT_AS makes mappings fail with ENOMEM", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-limits-"));
    const r = sysemu(["run", "test/proc/fixtures/limits", dir]);
    expect(r.stdout).toBe(
      "write 16 at 0: 10; write at 10: -1 EFBIG; SIGXFSZ: 1\n" +
        "pwrite 3 at 8: 2\n" +
        "append at 10: -1 EFBIG; SIGXFSZ: 2\n" +
        "mmap 128 MiB under a 64 MiB RLIMIT_AS: ENOMEM\n" +
        "mmap 1 MiB: mapped\n" +
        "mremap to 100 MiB: ENOMEM\n" +
        "sbrk 100 MiB: ENOMEM\n" +
        "malloc 100 MiB: NULL\n",
    );
    expect(shellStatus(r)).toBe(128 + 25); // SIGXFSZ's default action
    expect(r.stderr).toContain("terminated by SIGXFSZ");
  });

  it("getrusage and wait4 report the peak resident set and the page faults (ru_maxrss, ru_minflt)", () => {
    // qemu-riscv64 reports its own host process here, so its figures are not the guest's
    const r = sysemu(["run", "test/proc/fixtures/rusage"]);
    expect(r.stdout).toBe(
      "8 MiB touched: maxrss grew by at least 8 MiB: yes, minflt by at least 2048: yes\n" +
        "child touched 16 MiB: wait4 maxrss >= 16 MiB: yes, RUSAGE_CHILDREN maxrss >= 16 MiB: yes, minflt >= 4096: yes\n" +
        "own peak unchanged by the child: yes\n",
    );
  });
});
