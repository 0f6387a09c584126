// The emulated machine's clocks. One counter drives everything: the riscv `time` CSR ticks at
// 10 MHz from the moment sysemu started (its "boot"), and every clock, whether read through a
// syscall or through the vDSO's vvar page, is derived from that tick count. Deriving all of
// them from one quantized source keeps CLOCK_MONOTONIC monotonic across both paths.

import { VDSO_TIMEBASE_HZ, NS_PER_TICK as VDSO_NS_PER_TICK } from "../../vdso/vvar.ts";

export const TIMEBASE_HZ = VDSO_TIMEBASE_HZ;
export const NS_PER_TICK = BigInt(VDSO_NS_PER_TICK);

export const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;
export const CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;
export const CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11;

/** CONFIG_HZ: the coarse clocks advance in jiffies of 4 ms. */
export const HZ = 250;
const JIFFY_NS = BigInt(1_000_000_000 / HZ);

export class Clock {
  private readonly bootHr = process.hrtime.bigint();
  /** Wall-clock time at boot, in ns since the epoch. */
  private readonly bootWallNs = BigInt(Date.now()) * 1_000_000n;

  /** The `time` CSR: 10 MHz ticks since boot. */
  ticks(): bigint {
    return (process.hrtime.bigint() - this.bootHr) / NS_PER_TICK;
  }

  /** Nanoseconds of a clock at tick count `t`, or null for a clock this machine doesn't have. */
  at(clockid: number, t: bigint): bigint | null {
    const mono = t * NS_PER_TICK;
    switch (clockid) {
      case CLOCK_REALTIME: case CLOCK_TAI: case CLOCK_REALTIME_ALARM: return this.bootWallNs + mono;
      case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM: return mono;
      case CLOCK_REALTIME_COARSE: return this.bootWallNs + mono - (mono % JIFFY_NS);
      case CLOCK_MONOTONIC_COARSE: return mono - (mono % JIFFY_NS);
      default: return null;
    }
  }

  /** clock_getres(2) for a clock, or null when unknown. */
  resolution(clockid: number): bigint | null {
    if (clockid === CLOCK_REALTIME_COARSE || clockid === CLOCK_MONOTONIC_COARSE) return JIFFY_NS;
    if (this.at(clockid, 0n) !== null || clockid === CLOCK_PROCESS_CPUTIME_ID || clockid === CLOCK_THREAD_CPUTIME_ID) return 1n;
    return null;
  }

  /** Now, for a clock (null for unknown ones). */
  now(clockid: number): bigint | null {
    return this.at(clockid, this.ticks());
  }

  /** Seconds since boot, for /proc/uptime and sysinfo. */
  uptimeNs(): bigint {
    return this.ticks() * NS_PER_TICK;
  }
}

/** The clocks the vDSO answers without a syscall (the others fall back to ecall). */
export const VDSO_CLOCKS = [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_TAI];
