// eventfd, timerfd, epoll and signalfd end to end, compared with qemu-riscv64 where it is installed, and
// unit tests of the kernel objects without a CPU.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EAGAIN, EINVAL } from "../../src/kernel/errno.ts";
import { eventfdFile } from "../../src/kernel/fs/eventfd.ts";
import { O_NONBLOCK } from "../../src/kernel/fs/file.ts";
import { EPOLLONESHOT, eventpollFile, epollOf, EPOLL_CTL_ADD } from "../../src/kernel/fs/eventpoll.ts";
import { PARK } from "../../src/kernel/sysret.ts";
import { POLLIN, POLLOUT } from "../../src/kernel/vfs/pollbits.ts";
import { have, qemu, sysemu } from "../e2e/helpers.ts";
import { testKernel, testTask } from "../proc/harness.ts";

const FIX = "test/ipc/fixtures";

function u64(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
}

describe("eventfd, timerfd and epoll programs", () => {
  it("count, tick and wait as on Linux", () => {
    const got = sysemu(["run", `${FIX}/events`]);
    expect(got.stderr).toBe("");
    expect(got.stdout).toBe(readFileSync(`${FIX}/events.expected`, "utf8"));
    if (have("qemu-riscv64")) expect(got.stdout).toBe(qemu([`${FIX}/events`]).stdout);
  });
});

describe("signalfd", () => {
  it("reads blocked signals as signalfd_siginfo, wakes a blocking reader, takes a new mask, as on Linux", () => {
    const got = sysemu(["run", `${FIX}/sigfd`]);
    expect(got.stderr).toBe("");
    expect(got.stdout).toBe(readFileSync(`${FIX}/sigfd.expected`, "utf8"));
    if (have("qemu-riscv64")) expect(got.stdout).toBe(qemu([`${FIX}/sigfd`]).stdout);
  });
});

describe("eventfd", () => {
  it("a reader of a zero counter parks; a write wakes it; EFD_SEMAPHORE hands out ones", () => {
    const k = testKernel();
    const t = testTask(k);
    const f = eventfdFile(t, 0, 1).get();
    const buf = new Uint8Array(8);
    expect(f.ops.read!(f, t, buf, null)).toBe(PARK);
    k.sched.commit(t, null);
    expect(f.ops.write!(f, t, u64(2n), null)).toBe(8);
    expect(t.state).toBe("running");
    expect(f.ops.read!(f, t, buf, null)).toBe(8);
    expect(new DataView(buf.buffer).getBigUint64(0, true)).toBe(1n);
    expect(f.ops.poll!(f, t) & (POLLIN | POLLOUT)).toBe(POLLIN | POLLOUT);
  });

  it("rejects short buffers and ULLONG_MAX; a non-blocking overflow is EAGAIN", () => {
    const k = testKernel();
    const t = testTask(k);
    const f = eventfdFile(t, 5, O_NONBLOCK).get();
    expect(f.ops.read!(f, t, new Uint8Array(4), null)).toBe(-EINVAL);
    expect(f.ops.write!(f, t, u64(0xffff_ffff_ffff_ffffn), null)).toBe(-EINVAL);
    expect(f.ops.write!(f, t, u64(0xffff_ffff_ffff_fffan), null)).toBe(-EAGAIN);
  });
});

describe("epoll", () => {
  it("reports a ready eventfd once with EPOLLONESHOT", () => {
    const k = testKernel();
    const t = testTask(k);
    const e = eventfdFile(t, 1, 0);
    const efd = t.files.install(e, false);
    const ep = epollOf(eventpollFile(t))!;
    expect(ep.ctl(t, EPOLL_CTL_ADD, efd, e, POLLIN | EPOLLONESHOT, 42n)).toBe(0);
    expect(ep.ready(t, 8, true)).toEqual([{ events: POLLIN, data: 42n }]);
    expect(ep.ready(t, 8, true)).toEqual([]);
  });
});
