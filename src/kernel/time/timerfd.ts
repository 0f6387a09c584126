// timerfd (fs/timerfd.c): a timer whose expirations are read as a count. It runs on the
// scheduler's CLOCK_MONOTONIC timers; a CLOCK_REALTIME deadline is converted when armed (this
// machine's wall clock is never set, so the two keep step).

import { EAGAIN, EINVAL } from "../errno.ts";
import { anonInodeStat } from "../fs/eventfd.ts";
import { OpenFile, O_NONBLOCK, O_RDONLY, type FileOps } from "../fs/file.ts";
import { sleepOn, WaitQueue, type Timer } from "../proc/sched.ts";
import { ERESTARTSYS, RETRY } from "../sysret.ts";
import type { Task } from "../proc/task.ts";
import { POLLIN, POLLRDNORM } from "../vfs/pollbits.ts";
import { CLOCK_MONOTONIC } from "./clock.ts";
import type { Kernel } from "../kernel.ts";

export const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

/** struct timerfd_ctx */
export class TimerfdCtx {
  /** Expirations not yet read. */
  ticks = 0n;
  /** The next expiry on `clockid`, or 0n when disarmed. */
  expires = 0n;
  interval = 0n;
  timer: Timer | null = null;
  readonly wait = new WaitQueue();
  constructor(readonly kernel: Kernel, readonly clockid: number, readonly owner: { uid: number; gid: number }) {}

  now(): bigint {
    return this.kernel.clock.now(this.clockid)!;
  }

  /** timerfd_get: what is left (0 when disarmed; at least 1 ns while due) and the interval. */
  get(): { value: bigint; interval: bigint } {
    if (this.expires === 0n) return { value: 0n, interval: this.interval };
    const left = this.expires - this.now();
    return { value: left > 0n ? left : 1n, interval: this.interval };
  }

  /** timerfd_setup: arms at `value` (absolute, or from now) or disarms (0). */
  set(value: bigint, interval: bigint, abs: boolean): void {
    this.cancel();
    this.ticks = 0n;
    this.interval = interval;
    if (value === 0n) {
      this.expires = 0n;
      return;
    }
    this.expires = abs ? value : this.now() + value;
    this.arm();
  }

  cancel(): void {
    if (this.timer) this.timer.active = false;
    this.timer = null;
  }

  private arm(): void {
    const mono = this.kernel.clock.now(CLOCK_MONOTONIC)!;
    const at = mono + (this.expires - this.now());
    this.timer = this.kernel.sched.addTimer(at, () => this.fire());
  }

  // timerfd_tmrproc with hrtimer_forward: missed periods count as expirations too
  private fire(): void {
    this.timer = null;
    const now = this.now();
    if (this.interval > 0n) {
      const n = 1n + (now > this.expires ? (now - this.expires) / this.interval : 0n);
      this.ticks += n;
      this.expires += n * this.interval;
      this.arm();
    } else {
      this.ticks += 1n;
      this.expires = 0n;
    }
    this.wait.wake();
    this.kernel.pollWait.wake();
  }
}

function ctx(f: OpenFile): TimerfdCtx {
  return f.data as TimerfdCtx;
}

export const timerfdFileOps: FileOps = {
  read(f, t, dst) {
    const c = ctx(f);
    if (dst.length < 8) return -EINVAL;
    if (c.ticks === 0n) {
      if (f.flags & O_NONBLOCK) return -EAGAIN;
      return sleepOn(t, { what: "timerfd_read", queues: [c.wait], resume: (why) => (why === "signal" ? -ERESTARTSYS : RETRY) });
    }
    new DataView(dst.buffer, dst.byteOffset).setBigUint64(0, c.ticks, true);
    c.ticks = 0n;
    return 8;
  },
  poll: (f) => (ctx(f).ticks > 0n ? POLLIN | POLLRDNORM : 0),
  stat: (f) => anonInodeStat(ctx(f).owner),
  release: (f) => ctx(f).cancel(),
};

/** timerfd_create: a disarmed timer on clockid. */
export function timerfdFile(t: Task, clockid: number, flags: number): OpenFile {
  const c = new TimerfdCtx(t.kernel, clockid, { uid: t.cred.fsuid, gid: t.cred.fsgid });
  return new OpenFile(timerfdFileOps, O_RDONLY | (flags & O_NONBLOCK), "anon_inode:[timerfd]", c);
}

export function timerfdCtx(f: OpenFile): TimerfdCtx | null {
  return f.ops === timerfdFileOps ? ctx(f) : null;
}
