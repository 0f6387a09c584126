// Per-kernel state is owned by the Kernel (issue 12): two kernels in one process (as the grader
// boots them) share nothing, and no module keeps a WeakMap keyed by a kernel or a process.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { kernelStatic } from "../../src/kernel/kernel.ts";
import { ipcNs, hasIpcNs } from "../../src/kernel/ipc/namespace.ts";
import { makeTask } from "../vfs/helpers.ts";

describe("per-kernel state", () => {
  it("is made per kernel, on first use", () => {
    const a = makeTask().kernel, b = makeTask().kernel;
    expect(hasIpcNs(a)).toBe(false);
    expect(ipcNs(a)).toBe(ipcNs(a));
    expect(ipcNs(a)).not.toBe(ipcNs(b));
    const count = kernelStatic(() => ({ n: 0 }));
    count(a).n++;
    count(a).n++;
    expect([count(a).n, count(b).n]).toEqual([2, 0]);
  });

  it("is not kept in module-level WeakMaps keyed by Kernel, Task or ThreadGroup", () => {
    const r = spawnSync("grep", ["-rnE", "new WeakMap<(Kernel|Task|ThreadGroup)\\b", "src", "syscalls"], { encoding: "utf8" });
    expect(r.stdout).toBe("");
    expect(r.status).toBe(1); // grep: nothing found (2 would be an error)
  });
});
