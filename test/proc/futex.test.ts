import { describe, expect, it } from "vitest";
import { EAGAIN, EINVAL, ETIMEDOUT } from "../../src/kernel/errno.ts";
import { CLONE_SIGHAND, CLONE_THREAD, CLONE_VM, doClone } from "../../src/kernel/proc/fork.ts";
import { exitRobustList, futexRequeue, futexWait, futexWake, futexWakeOp, FUTEX_BITSET_MATCH_ANY } from "../../src/kernel/proc/futex.ts";
import { PARK } from "../../src/kernel/sysret.ts";
import type { Task } from "../../src/kernel/proc/task.ts";
import { get_user_u32, put_user_u32, put_user_u64 } from "../../src/mm/uaccess.ts";
import { DATA, result, testKernel, testTask } from "./harness.ts";

const ANY = FUTEX_BITSET_MATCH_ANY;

/** A process with `n` more threads sharing its memory. */
function threads(n: number): Task[] {
  const k = testKernel();
  const t = testTask(k);
  const out = [t];
  for (let i = 0; i < n; i++) {
    const tid = doClone(t, { flags: BigInt(CLONE_VM | CLONE_THREAD | CLONE_SIGHAND), exitSignal: 0, stack: 0n, tls: 0n, parentTid: 0, childTid: 0 });
    out.push(k.tasks.get(tid)!);
  }
  return out;
}

/** FUTEX_WAIT as the dispatcher runs it: the handler's PARK, then the sleep committed. */
function wait(t: Task, addr: number, val: number, deadline: bigint | null = null, bitset = ANY): number {
  const r = futexWait(t, addr, val, deadline, bitset);
  if (r === PARK) t.kernel.sched.commit(t, null);
  return r;
}

describe("futex", () => {
  it("WAIT sleeps only while the word holds the value (EAGAIN otherwise)", () => {
    const [a] = threads(0);
    put_user_u32(a!.mm, DATA, 5);
    expect(wait(a!, DATA, 4)).toBe(-EAGAIN);
    expect(wait(a!, DATA, 5)).toBe(PARK);
    expect(a!.state).toBe("sleeping");
  });

  it("WAKE wakes at most n sleepers, oldest first, and says how many", () => {
    const [a, b, c, d] = threads(3);
    for (const t of [b!, c!, d!]) wait(t, DATA, 0);
    expect(futexWake(a!, DATA, 2, ANY)).toBe(2);
    expect([b!.state, c!.state, d!.state]).toEqual(["running", "running", "sleeping"]);
    expect(result(b!)).toBe(0);
    expect(futexWake(a!, DATA + 4, 10, ANY)).toBe(0); // another word: nobody there
  });

  it("WAKE_BITSET wakes only waiters whose bitset meets its own; a zero bitset is EINVAL", () => {
    const [a, b, c] = threads(2);
    wait(b!, DATA, 0, null, 0b01);
    wait(c!, DATA, 0, null, 0b10);
    expect(futexWake(a!, DATA, 10, 0b10)).toBe(1);
    expect([b!.state, c!.state]).toEqual(["sleeping", "running"]);
    expect(futexWait(a!, DATA, 0, null, 0)).toBe(-EINVAL);
    expect(futexWait(a!, DATA + 1, 0, null, ANY)).toBe(-EINVAL); // misaligned
  });

  it("times out at an absolute CLOCK_MONOTONIC deadline with ETIMEDOUT", () => {
    const [a] = threads(0);
    const now = a!.kernel.clock.now(1)!;
    expect(wait(a!, DATA, 0, now + 10_000_000_000n)).toBe(PARK);
    a!.kernel.sched.expire(now + 10_000_000_000n);
    expect(result(a!)).toBe(-ETIMEDOUT);
    expect(futexWait(a!, DATA, 0, now - 1n, ANY)).toBe(-ETIMEDOUT);
  });

  it("CMP_REQUEUE wakes n and moves the rest to the second word, after checking the first", () => {
    const [a, b, c, d] = threads(3);
    for (const t of [b!, c!, d!]) wait(t, DATA, 0);
    expect(futexRequeue(a!, DATA, DATA + 8, 1, 10, 1)).toBe(-EAGAIN);
    expect(futexRequeue(a!, DATA, DATA + 8, 1, 10, 0)).toBe(3);
    expect(b!.state).toBe("running");
    expect(futexWake(a!, DATA, 10, ANY)).toBe(0);
    expect(futexWake(a!, DATA + 8, 10, ANY)).toBe(2);
  });

  it("WAKE_OP updates the second word and wakes there when the old value passes the test", () => {
    const [a, b, c] = threads(2);
    wait(b!, DATA, 0);
    wait(c!, DATA + 8, 0);
    // FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_GT, 1): *uaddr2 = 1; wake uaddr2 if old > 1
    const op = (0 << 28) | (4 << 24) | (1 << 12) | 1;
    expect(futexWakeOp(a!, DATA, DATA + 8, 1, 1, op)).toBe(1);
    expect(get_user_u32(a!.mm, DATA + 8)).toBe(1);
    expect(c!.state).toBe("sleeping");
    put_user_u32(a!.mm, DATA + 8, 2);
    expect(futexWakeOp(a!, DATA, DATA + 8, 1, 1, op)).toBe(1);
    expect(c!.state).toBe("running");
  });

  it("a private mapping's futex belongs to its address space: a forked child's word is another", () => {
    const k = testKernel();
    const p = testTask(k);
    const cid = doClone(p, { flags: 0n, exitSignal: 17, stack: 0n, tls: 0n, parentTid: 0, childTid: 0 });
    const c = k.tasks.get(cid)!;
    wait(c, DATA, 0);
    expect(futexWake(p, DATA, 1, ANY)).toBe(0);
    expect(futexWake(c, DATA, 1, ANY)).toBe(1);
  });

  it("exit marks robust futexes the thread holds FUTEX_OWNER_DIED and wakes a waiter", () => {
    const [a, b] = threads(1);
    const head = DATA + 0x100, entry = DATA + 0x200, word = entry + 16;
    put_user_u64(a!.mm, head, BigInt(entry)); // list.next
    put_user_u64(a!.mm, head + 8, 16n); // futex_offset
    put_user_u64(a!.mm, head + 16, 0n); // list_op_pending
    put_user_u64(a!.mm, entry, BigInt(head)); // the entry's next: back to the head
    put_user_u32(a!.mm, word, (0x80000000 | a!.tid) >>> 0);
    wait(b!, word, (0x80000000 | a!.tid) >>> 0);
    a!.robustList = head;
    exitRobustList(a!);
    expect(get_user_u32(a!.mm, word)).toBe((0x80000000 | 0x40000000) >>> 0);
    expect(b!.state).toBe("running");
  });
});
