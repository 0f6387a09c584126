import { describe, expect, it } from "vitest";
import { ETIMEDOUT } from "../../src/kernel/errno.ts";
import { callDeadline, sleepOn, WaitQueue } from "../../src/kernel/proc/sched.ts";
import { sendSignal } from "../../src/kernel/signal/sigsend.ts";
import { SIGUSR1, SI_USER } from "../../src/kernel/signal/signal.ts";
import { ERESTARTSYS, PARK, RETRY } from "../../src/kernel/sysret.ts";
import { result, testKernel, testTask } from "./harness.ts";

describe("the run queue", () => {
  it("takes tasks round robin, in the order they became runnable", () => {
    const k = testKernel();
    const [a, b, c] = [testTask(k), testTask(k), testTask(k)];
    const order: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t = k.sched.pickNext()!;
      order.push(t.tid);
      k.sched.enqueue(t);
    }
    expect(order).toEqual([a.tid, b.tid, c.tid, a.tid, b.tid, c.tid]);
  });

  it("skips tasks that went to sleep and queues a task once", () => {
    const k = testKernel();
    const [a, b] = [testTask(k), testTask(k)];
    k.sched.enqueue(a);
    expect(k.sched.runnable).toBe(2);
    a.state = "sleeping";
    expect(k.sched.pickNext()).toBe(b);
    expect(k.sched.pickNext()).toBeNull();
  });
});

describe("sleeping and waking", () => {
  it("parks a task on a wait queue; a wake-up completes its call with resume()'s result", () => {
    const k = testKernel();
    const t = testTask(k);
    const q = new WaitQueue();
    expect(sleepOn(t, { what: "test", queues: [q], resume: (why, v) => (why === "wake" ? v : -1) })).toBe(PARK);
    k.sched.commit(t, null);
    expect(t.state).toBe("sleeping");
    expect(q.sleepers).toEqual([t]);
    expect(q.wake(1, 42)).toBe(1);
    expect(t.state).toBe("running");
    expect(result(t)).toBe(42);
    expect(q.sleepers).toEqual([]);
  });

  it("wakes oldest first, and only as many as asked", () => {
    const k = testKernel();
    const q = new WaitQueue();
    const ts = [testTask(k), testTask(k), testTask(k)];
    for (const t of ts) {
      sleepOn(t, { what: "test", queues: [q], resume: () => 0 });
      k.sched.commit(t, null);
    }
    expect(q.wake(2)).toBe(2);
    expect(ts.map((t) => t.state)).toEqual(["running", "running", "sleeping"]);
  });

  it("times out at the deadline: a timer on CLOCK_MONOTONIC", () => {
    const k = testKernel();
    const t = testTask(k);
    const now = k.clock.now(1)!;
    sleepOn(t, { what: "test", deadline: now + 1_000_000n });
    k.sched.commit(t, null);
    expect(k.sched.nextDeadline()).toBe(now + 1_000_000n);
    expect(k.sched.expire(now)).toBe(0);
    expect(t.state).toBe("sleeping");
    expect(k.sched.expire(now + 1_000_000n)).toBe(1);
    expect(result(t)).toBe(-ETIMEDOUT);
    expect(k.sched.nextDeadline()).toBeNull();
  });

  it("a signal the task does not block interrupts the sleep (ERESTARTSYS); a blocked one does not", () => {
    const k = testKernel();
    const t = testTask(k);
    t.blocked = 1n << BigInt(SIGUSR1 - 1);
    sleepOn(t, { what: "test" });
    k.sched.commit(t, null);
    sendSignal(t, { signo: SIGUSR1, code: SI_USER }, false);
    expect(t.state).toBe("sleeping");
    const u = testTask(k);
    u.sighand.actions[SIGUSR1]!.handler = 0x1234n; // caught: not fatal
    sleepOn(u, { what: "test" });
    k.sched.commit(u, null);
    sendSignal(u, { signo: SIGUSR1, code: SI_USER }, false);
    expect(u.state).toBe("running");
    expect(u.restart).toBe(-ERESTARTSYS); // left for signal delivery: restart or EINTR
  });

  it("does not sleep at all when a signal is already pending", () => {
    const k = testKernel();
    const t = testTask(k);
    t.pending.add({ signo: SIGUSR1, code: SI_USER });
    sleepOn(t, { what: "test", resume: (why) => (why === "signal" ? -4 : 0) });
    k.sched.commit(t, null);
    expect(t.state).toBe("running");
    expect(result(t)).toBe(-4);
  });

  it("a RETRY wake leaves the call to run again, as interrupted should a handler come first", () => {
    const k = testKernel();
    const t = testTask(k);
    const q = new WaitQueue();
    sleepOn(t, { what: "test", queues: [q], retryRestart: -514 });
    k.sched.commit(t, null);
    q.wake();
    expect(result(t)).toBeNull(); // no result written: pc stays on the ecall
    expect(t.restart).toBe(-514);
    expect(RETRY).toBeLessThan(-4096);
  });

  it("keeps a call's deadline across its runs (callDeadline)", () => {
    const k = testKernel();
    const t = testTask(k);
    const first = callDeadline(t, 5_000_000n)!;
    expect(callDeadline(t, 5_000_000_000n)).toBe(first);
    t.blockState = null;
    expect(callDeadline(t, null)).toBeNull();
  });
});
