import { describe, expect, it } from "vitest";
import { ECHILD } from "../../src/kernel/errno.ts";
import { exitGroup } from "../../src/kernel/proc/exit.ts";
import { doClone } from "../../src/kernel/proc/fork.ts";
import { SIG_IGN, SIGCHLD, SIGKILL } from "../../src/kernel/signal/signal.ts";
import { killSomething } from "../../src/kernel/signal/sigsend.ts";
import { PARK } from "../../src/kernel/sysret.ts";
import type { Task } from "../../src/kernel/proc/task.ts";
import { doWait, WEXITED, WNOHANG, WNOWAIT } from "../../src/kernel/proc/wait.ts";
import { testKernel, testTask } from "./harness.ts";

function fork(t: Task): Task {
  const tid = doClone(t, { flags: 0n, exitSignal: SIGCHLD, stack: 0n, tls: 0n, parentTid: 0, childTid: 0 });
  return t.kernel.tasks.get(tid)!;
}

const ALL = { which: "all" as const, id: 0 };

describe("exit and wait", () => {
  it("a child stays a zombie with its status until the parent reaps it", () => {
    const k = testKernel();
    const p = testTask(k);
    const c = fork(p);
    expect(doWait(p, { ...ALL, options: WEXITED | WNOHANG })).toBe(0);
    exitGroup(c, 7 << 8);
    expect(c.state).toBe("zombie");
    expect(k.tasks.has(c.tid)).toBe(true);
    const peek = doWait(p, { ...ALL, options: WEXITED | WNOWAIT });
    expect(typeof peek !== "number" && peek.status).toBe(7 << 8);
    expect(k.tasks.has(c.tid)).toBe(true); // WNOWAIT leaves it
    const r = doWait(p, { ...ALL, options: WEXITED });
    expect(typeof r !== "number" && [r.pid, r.status]).toEqual([c.tid, 7 << 8]);
    expect(k.tasks.has(c.tid)).toBe(false);
    expect(doWait(p, { ...ALL, options: WEXITED })).toBe(-ECHILD);
  });

  it("a parent waiting sleeps until a child exits, and the parent gets SIGCHLD", () => {
    const k = testKernel();
    const p = testTask(k);
    p.sighand.actions[SIGCHLD]!.handler = 0x1000n; // caught, so it is queued
    const c = fork(p);
    expect(doWait(p, { ...ALL, options: WEXITED })).toBe(PARK);
    k.sched.commit(p, null);
    exitGroup(c, 0);
    expect(p.state).toBe("running");
    expect(p.group.shared.signal & (1n << BigInt(SIGCHLD - 1))).not.toBe(0n);
  });

  it("orphans go to init (pid 1), which reaps them when they die", () => {
    const k = testKernel();
    const p = testTask(k);
    const c = fork(p);
    exitGroup(p, 0);
    expect(c.ppid).toBe(1);
    exitGroup(c, 0);
    expect(k.tasks.has(c.tid)).toBe(false);
  });

  it("a subreaper adopts its orphaned descendants instead of init", () => {
    const k = testKernel();
    const s = testTask(k);
    s.group.subreaper = true;
    const p = fork(s);
    const c = fork(p);
    exitGroup(p, 0);
    expect(c.ppid).toBe(s.tid);
  });

  it("children of a parent that ignores SIGCHLD are reaped at once (no zombies)", () => {
    const k = testKernel();
    const p = testTask(k);
    p.sighand.actions[SIGCHLD]!.handler = SIG_IGN;
    const c = fork(p);
    exitGroup(c, 0);
    expect(k.tasks.has(c.tid)).toBe(false);
    expect(doWait(p, { ...ALL, options: WEXITED })).toBe(-ECHILD);
  });

  it("kill(-1) reaches every process the caller may signal but itself and init", () => {
    const k = testKernel();
    const me = testTask(k, 1000);
    const mine = fork(me);
    const other = testTask(k, 2000);
    expect(killSomething(me, -1, SIGKILL)).toBe(0);
    expect([mine.state, other.state, me.state]).toEqual(["zombie", "running", "running"]);
    expect(killSomething(me, other.tid, SIGKILL)).toBe(-1); // EPERM
    expect(killSomething(me, 1, 0)).toBe(-1);
  });
});
