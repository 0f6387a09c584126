// sched_getaffinity and the other sched_* lookups find init (pid 1) as they find any process:
// `taskset -p 1` (BusyBox's test suite) asks for pid 1's mask.

import { describe, expect, it } from "vitest";
import { ESRCH } from "../../src/kernel/errno.ts";
import { sys_sched_getaffinity, sys_sched_getscheduler } from "../../syscalls/sched.ts";
import { buf, call, makeTask, peek } from "../vfs/helpers.ts";

describe("sched_* on pid 1", () => {
  it("sched_getaffinity(1) gives CPU 0's mask; a pid nobody has is ESRCH", () => {
    const t = makeTask();
    const out = buf(t, 128);
    expect(call(t, sys_sched_getaffinity, 1, 128, out)).toBe(8);
    expect(peek(t, out, 1)[0]).toBe(1);
    expect(call(t, sys_sched_getaffinity, 99999, 128, out)).toBe(-ESRCH);
  });
  it("sched_getscheduler(1) is SCHED_OTHER", () => {
    const t = makeTask();
    expect(call(t, sys_sched_getscheduler, 1)).toBe(0);
  });
});
