// How a call finishes (src/kernel/sysret.ts): every outcome is a value runHandler returns,
// and the only exception it ever catches is an oops. The last test runs real programs that
// exit, sleep, poll, fork and pipe: any exception crossing the boundary would be an oops there.

import { describe, expect, it } from "vitest";
import { EXITED, JUSTRETURN, outcomeOf, PARK, RETRY, ERESTARTSYS, restartBlock } from "../../src/kernel/sysret.ts";
import { runHandler } from "../../src/kernel/syscall.ts";
import { EFAULT, ENOSYS } from "../../src/kernel/errno.ts";
import { MM } from "../../src/mm/mm.ts";
import { PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { PhysMem } from "../../src/mm/physmem.ts";
import { SyscallArgs } from "../../syscalls/args.ts";
import { sys_exit_group } from "../../syscalls/process.ts";
import { sys_getrandom } from "../../syscalls/info.ts";
import { sys_ppoll } from "../../syscalls/poll.ts";
import { defineSyscall, type SyscallDef } from "../../syscalls/types.ts";
import { sysemu } from "../e2e/helpers.ts";
import { makeTask } from "../vfs/helpers.ts";

function run(def: SyscallDef, ...v: number[]) {
  const t = makeTask();
  const raw = new BigInt64Array(6);
  v.forEach((x, i) => (raw[i] = BigInt(x)));
  const ret = runHandler(t, { nr: 999, name: def.name, origin: "test", def }, new SyscallArgs(raw));
  return { t, ret, log: t.kernel.printk.records().map((r) => r.text).join("\n") };
}

describe("the outcomes of a system call", () => {
  it("are told apart by outcomeOf, with results and errnos as plain numbers", () => {
    expect([0, 42, -EFAULT].map(outcomeOf)).toEqual(["done", "done", "done"]);
    expect([PARK, JUSTRETURN, EXITED, RETRY, -ERESTARTSYS].map(outcomeOf)).toEqual(["sleep", "justreturn", "exit", "retry", "restart"]);
    const t = makeTask();
    expect(outcomeOf(restartBlock(t, () => 0))).toBe("restart");
    expect(t.restartBlock).not.toBeNull();
  });

  it("exit_group returns EXITED (no exception) and the task is a zombie", () => {
    const { t, ret } = run(sys_exit_group, 3);
    expect(ret).toBe(EXITED);
    expect(t.state === "zombie" || t.state === "dead").toBe(true);
    expect(t.kernel.oopsCount).toBe(0);
  });

  it("a wait deep in the VFS (ppoll's waitEvent) returns PARK with the sleep asked for", () => {
    const { t, ret } = run(sys_ppoll, 0, 0, 0, 0, 0);
    expect(ret).toBe(PARK);
    expect(t.sleepRequest?.what).toBe("poll");
    expect(t.kernel.oopsCount).toBe(0);
  });

  it("PARK without a sleep asked for is a handler bug: ENOSYS, not a sleep for ever", () => {
    const { t, ret } = run(defineSyscall({ name: "bad", args: [], fn: () => PARK }));
    expect(ret).toBe(-ENOSYS);
    expect(t.sleepRequest).toBeNull();
  });

  it("running out of frames in copy_to_user is -EFAULT and the OOM killer, not an exception", () => {
    const t = makeTask();
    t.mm = new MM(new PhysMem(16 * 4096));
    t.mm.mapFixed(0x2000_0000, 1 << 20, PROT_READ | PROT_WRITE);
    const raw = new BigInt64Array([0x2000_0000n, BigInt(1 << 20), 0n, 0n, 0n, 0n]);
    const ret = runHandler(t, { nr: 278, name: "getrandom", origin: "test", def: sys_getrandom }, new SyscallArgs(raw));
    expect(ret).toBe(-EFAULT);
    expect(t.kernel.oopsCount).toBe(0);
    expect(t.kernel.printk.records().map((r) => r.text).join("\n")).toContain("Out of memory: Killed process");
  });

  it("an exception out of a handler is the oops path: logged, the task killed, EXITED", () => {
    const { t, ret, log } = run(defineSyscall({ name: "boom", args: [], fn: () => { throw new TypeError("bad"); } }));
    expect(ret).toBe(EXITED);
    expect(t.kernel.oopsCount).toBe(1);
    expect(log).toContain("BUG: exception in system call boom (999) from test");
  });

  it("programs that exit, sleep, poll, fork and pipe make no oops (no exception crossed)", () => {
    for (const prog of ["exit42", "pipes", "alarm", "fork_touch", "pthreads", "cat_stdin"]) {
      const r = sysemu(["run", "--dmesg", `samples/riscv64/${prog}`], { input: "some input\n" });
      expect(r.stderr + r.stdout, prog).not.toContain("BUG: exception");
      expect(r.status, prog).not.toBeNull();
    }
  });
});
