import { describe, expect, it } from "vitest";
import { EAGAIN, EPIPE } from "../../src/kernel/errno.ts";
import { O_NONBLOCK, type OpenFile } from "../../src/kernel/fs/file.ts";
import { createPipe, PIPE_SIZE } from "../../src/kernel/fs/pipe.ts";
import { sigbit, SIGPIPE } from "../../src/kernel/signal/signal.ts";
import { PARK } from "../../src/kernel/sysret.ts";
import type { Task } from "../../src/kernel/proc/task.ts";
import { POLLERR, POLLHUP, POLLIN, POLLOUT } from "../../src/kernel/vfs/pollbits.ts";
import { testKernel, testTask } from "./harness.ts";

function pipe(t: Task, flags = 0): [OpenFile, OpenFile] {
  const ends = createPipe(t, flags);
  if (typeof ends === "number") throw new Error(`pipe: ${ends}`);
  return [ends[0].get(), ends[1].get()];
}

/** A call as the dispatcher makes it: committed to sleep on PARK, run again from retry(). */
function call(t: Task, fn: () => number): number {
  t.blockState?.retry?.();
  const r = fn();
  if (r === PARK) t.kernel.sched.commit(t, null);
  else t.blockState = null;
  return r;
}

describe("pipes", () => {
  it("a reader of an empty pipe sleeps until a writer writes, then reads what is there", () => {
    const k = testKernel();
    const t = testTask(k), u = testTask(k);
    const [r, w] = pipe(t);
    const buf = new Uint8Array(10);
    expect(call(t, () => r.ops.read!(r, t, buf, null))).toBe(PARK);
    expect(w.ops.write!(w, u, new Uint8Array([1, 2, 3]), null)).toBe(3);
    expect(t.state).toBe("running"); // woken: it reads when its call runs again
    expect(call(t, () => r.ops.read!(r, t, buf, null))).toBe(3);
    expect([...buf.subarray(0, 3)]).toEqual([1, 2, 3]);
  });

  it("a write bigger than the pipe goes in as room appears, in order, across the call's runs", () => {
    const k = testKernel();
    const t = testTask(k), u = testTask(k);
    const [r, w] = pipe(t);
    const big = Uint8Array.from({ length: PIPE_SIZE + 1000 }, (_, i) => i & 0xff);
    expect(call(u, () => w.ops.write!(w, u, big, null))).toBe(PARK);
    const got = new Uint8Array(big.length);
    expect(r.ops.read!(r, t, got.subarray(0, 5000), null)).toBe(5000);
    expect(u.state).toBe("running");
    expect(call(u, () => w.ops.write!(w, u, big, null))).toBe(big.length);
    let off = 5000;
    while (off < big.length) off += r.ops.read!(r, t, got.subarray(off), null) as number;
    expect(got).toEqual(big);
  });

  it("writes of up to PIPE_BUF bytes are atomic: they wait until they fit whole", () => {
    const k = testKernel();
    const t = testTask(k);
    const [r, w] = pipe(t, O_NONBLOCK);
    expect(w.ops.write!(w, t, new Uint8Array(PIPE_SIZE - 100), null)).toBe(PIPE_SIZE - 100);
    expect(w.ops.write!(w, t, new Uint8Array(200), null)).toBe(-EAGAIN);
    expect(w.ops.write!(w, t, new Uint8Array(100), null)).toBe(100);
    expect(r.ops.poll!(r, t) & POLLIN).toBe(POLLIN);
    expect(w.ops.poll!(w, t) & POLLOUT).toBe(0);
  });

  it("EOF once the last writer closes; EPIPE and SIGPIPE once the last reader has", () => {
    const k = testKernel();
    const t = testTask(k);
    t.sighand.actions[SIGPIPE]!.handler = 0x1000n; // caught, so it stays pending here
    const [r, w] = pipe(t);
    const [r2, w2] = pipe(t);
    w.put();
    expect(r.ops.read!(r, t, new Uint8Array(4), null)).toBe(0);
    expect(r.ops.poll!(r, t) & POLLHUP).toBe(POLLHUP);
    r2.put();
    expect(w2.ops.poll!(w2, t) & POLLERR).toBe(POLLERR);
    expect(w2.ops.write!(w2, t, new Uint8Array(1), null)).toBe(-EPIPE);
    expect(t.pending.signal & sigbit(SIGPIPE)).toBe(sigbit(SIGPIPE));
  });
});
