// POSIX timers (test/proc/fixtures/timers.c): periodic signals with their sigval and SI_TIMER,
// overruns, timer_gettime, absolute CLOCK_REALTIME one-shots, SIGEV_NONE, and SIGEV_THREAD,
// which glibc builds on SIGEV_THREAD_ID and a helper thread waiting in sigtimedwait.

import { describe, expect, it } from "vitest";
import { have, qemu, sysemu } from "./helpers.ts";

const EXPECTED = [
  "create: 0",
  "periodic: 3 ticks, SI_TIMER: yes, sival: 42",
  "gettime: interval 10000000 ns, next within it: yes",
  "blocked 100 ms: one more signal: yes, overruns counted: yes",
  "delete: 0, again: -1 EINVAL",
  "absolute one-shot fired, sival 7, disarmed after: yes",
  "SIGEV_NONE: counting down from 5 s: yes",
  "SIGEV_THREAD create: 0",
  "SIGEV_THREAD: the function ran",
  "bad signal: -1 EINVAL",
  "bad clock: -1 EINVAL",
  "cpu clocks by id: getcpuclockid 0 0, gettime 0 0, getres 0",
  "cpu clock of no process: -1 EINVAL",
  "",
].join("\n");

describe("POSIX timers", () => {
  // Without real_blocked, SIGEV_THREAD's SIGTIMER (default action: terminate) killed the process
  // as it arrived for the helper thread waiting in sigtimedwait.
  it(`timer_create and friends behave as on Linux${have("qemu-riscv64") ? ", as under qemu-riscv64" : ""}`, () => {
    const r = sysemu(["run", "test/proc/fixtures/timers"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(EXPECTED);
    expect(r.status).toBe(0);
    if (have("qemu-riscv64")) expect(qemu(["test/proc/fixtures/timers"]).stdout).toBe(EXPECTED);
  });
});
