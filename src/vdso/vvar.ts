// The [vvar] data pages: mapped read-only just below the vDSO, written by the emulator, read by
// the vDSO's time functions. The layout is ours (the kernel's struct vdso_time_data is richer);
// it plays the same part: a seqcount, the counter value the bases were taken at, and per-clock
// base times, so that clock_gettime needs no trap.
//
//   off  size  field
//     0     4  u32 seq            even when stable; odd while being written (readers retry)
//     4     4  u32 clock_mode     VDSO_CLOCKMODE_NONE makes every reader fall back to the syscall
//     8     8  u64 cycle_last     `time` CSR value at which the bases below were taken
//    16     8  u64 ns_per_tick    nanoseconds per `time` tick
//    24     8  u64 valid_clocks   bit n set: clockid n is served from this page
//    32   384  basetime[16]       per clockid: i64 sec, u64 nsec (< 1e9), u64 res_ns
//   416     8  struct timezone    i32 tz_minuteswest, i32 tz_dsttime
//   424        end of data; the rest of the two pages stays zero

/** Size of the [vvar] mapping, like the kernel's time data page + arch data page. */
export const VVAR_SIZE = 2 * 4096;

/** Frequency of the emulated `time` CSR (rdtime); the riscv timebase-frequency. */
export const VDSO_TIMEBASE_HZ = 10_000_000;

/** Nanoseconds per tick of the `time` CSR at VDSO_TIMEBASE_HZ. */
export const NS_PER_TICK = 1_000_000_000 / VDSO_TIMEBASE_HZ;

/** clockids 0..VDSO_NR_CLOCKS-1 have a slot in basetime[]. */
export const VDSO_NR_CLOCKS = 16;

/** clock_mode values, named after the kernel's enum vdso_clock_mode. */
export const VDSO_CLOCKMODE_NONE = 0;
export const VDSO_CLOCKMODE_ARCHTIMER = 1;

export const VVAR_SEQ = 0;
export const VVAR_CLOCK_MODE = 4;
export const VVAR_CYCLE_LAST = 8;
export const VVAR_NS_PER_TICK = 16;
export const VVAR_VALID_CLOCKS = 24;
export const VVAR_BASETIME = 32;
/** Size of one basetime[] entry and the offsets inside it. */
export const VDSO_TIMESTAMP_SIZE = 24;
export const VDSO_TS_SEC = 0;
export const VDSO_TS_NSEC = 8;
export const VDSO_TS_RES = 16;
export const VVAR_TZ_MINUTESWEST = VVAR_BASETIME + VDSO_NR_CLOCKS * VDSO_TIMESTAMP_SIZE;
export const VVAR_TZ_DSTTIME = VVAR_TZ_MINUTESWEST + 4;
/** First byte after the data: a page passed to writeVvar must be at least this long. */
export const VVAR_DATA_END = VVAR_TZ_DSTTIME + 4;

const NSEC_PER_SEC = 1_000_000_000n;

/** One clock's base time: the value of clockid `id` at cycle_last, and its resolution. */
export interface VvarClock {
  id: number;
  sec: bigint;
  nsec: bigint;
  resNs: bigint;
}

/** Everything writeVvar stores; clocks not listed are not served by the vDSO. */
export interface VvarSnapshot {
  cycleLast: bigint;
  clocks: VvarClock[];
  tzMinutesWest?: number;
  tzDstTime?: number;
  /** Defaults to VDSO_CLOCKMODE_ARCHTIMER; VDSO_CLOCKMODE_NONE sends every call to the kernel. */
  clockMode?: number;
  /** Defaults to NS_PER_TICK. */
  nsPerTick?: bigint;
}

/** What readVvar finds in a page (seq included, for tests and `sysemu vdso`). */
export interface VvarContents extends Required<VvarSnapshot> {
  seq: number;
}

function dataView(page: Uint8Array): DataView {
  if (page.length < VVAR_DATA_END) {
    throw new RangeError(`vvar page too small: ${page.length} < ${VVAR_DATA_END} bytes`);
  }
  return new DataView(page.buffer, page.byteOffset, page.byteLength);
}

function checkRange(v: bigint, lo: bigint, hi: bigint, what: string): bigint {
  if (v < lo || v > hi) throw new RangeError(`${what} out of range: ${v}`);
  return v;
}

function checkI32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new RangeError(`${what} out of range: ${v}`);
  return v;
}

/** Stores a snapshot into the vvar page (little-endian) and advances seq by 2, keeping it even. */
export function writeVvar(page: Uint8Array, snapshot: VvarSnapshot): void {
  const view = dataView(page);
  const U64_MAX = (1n << 64n) - 1n;
  let valid = 0n;
  const entries = new Map<number, VvarClock>();
  for (const c of snapshot.clocks) {
    if (!Number.isInteger(c.id) || c.id < 0 || c.id >= VDSO_NR_CLOCKS) throw new RangeError(`bad clockid ${c.id}`);
    if (entries.has(c.id)) throw new RangeError(`clockid ${c.id} listed twice`);
    checkRange(c.sec, -(1n << 63n), (1n << 63n) - 1n, `clock ${c.id} sec`);
    checkRange(c.nsec, 0n, NSEC_PER_SEC - 1n, `clock ${c.id} nsec`);
    checkRange(c.resNs, 0n, U64_MAX, `clock ${c.id} res`);
    entries.set(c.id, c);
    valid |= 1n << BigInt(c.id);
  }
  const mode = snapshot.clockMode ?? VDSO_CLOCKMODE_ARCHTIMER;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0xffffffff) throw new RangeError(`bad clock mode ${mode}`);
  const cycleLast = checkRange(snapshot.cycleLast, 0n, U64_MAX, "cycleLast");
  const nsPerTick = checkRange(snapshot.nsPerTick ?? BigInt(NS_PER_TICK), 0n, U64_MAX, "nsPerTick");
  const minutesWest = checkI32(snapshot.tzMinutesWest ?? 0, "tzMinutesWest");
  const dstTime = checkI32(snapshot.tzDstTime ?? 0, "tzDstTime");

  // The emulator writes between guest instructions, so readers never see a half-written page;
  // seq still moves (by 2) so that a reader spanning two snapshots retries, as on Linux.
  const seq = (view.getUint32(VVAR_SEQ, true) + 2) & ~1;
  view.setUint32(VVAR_CLOCK_MODE, mode, true);
  view.setBigUint64(VVAR_CYCLE_LAST, cycleLast, true);
  view.setBigUint64(VVAR_NS_PER_TICK, nsPerTick, true);
  view.setBigUint64(VVAR_VALID_CLOCKS, valid, true);
  for (let id = 0; id < VDSO_NR_CLOCKS; id++) {
    const base = VVAR_BASETIME + id * VDSO_TIMESTAMP_SIZE;
    const c = entries.get(id);
    view.setBigInt64(base + VDSO_TS_SEC, c?.sec ?? 0n, true);
    view.setBigUint64(base + VDSO_TS_NSEC, c?.nsec ?? 0n, true);
    view.setBigUint64(base + VDSO_TS_RES, c?.resNs ?? 0n, true);
  }
  view.setInt32(VVAR_TZ_MINUTESWEST, minutesWest, true);
  view.setInt32(VVAR_TZ_DSTTIME, dstTime, true);
  view.setUint32(VVAR_SEQ, seq >>> 0, true);
}

/** Decodes a vvar page: the inverse of writeVvar, listing only the clocks marked valid. */
export function readVvar(page: Uint8Array): VvarContents {
  const view = dataView(page);
  const valid = view.getBigUint64(VVAR_VALID_CLOCKS, true);
  const clocks: VvarClock[] = [];
  for (let id = 0; id < VDSO_NR_CLOCKS; id++) {
    if (((valid >> BigInt(id)) & 1n) === 0n) continue;
    const base = VVAR_BASETIME + id * VDSO_TIMESTAMP_SIZE;
    clocks.push({
      id,
      sec: view.getBigInt64(base + VDSO_TS_SEC, true),
      nsec: view.getBigUint64(base + VDSO_TS_NSEC, true),
      resNs: view.getBigUint64(base + VDSO_TS_RES, true),
    });
  }
  return {
    seq: view.getUint32(VVAR_SEQ, true),
    clockMode: view.getUint32(VVAR_CLOCK_MODE, true),
    cycleLast: view.getBigUint64(VVAR_CYCLE_LAST, true),
    nsPerTick: view.getBigUint64(VVAR_NS_PER_TICK, true),
    clocks,
    tzMinutesWest: view.getInt32(VVAR_TZ_MINUTESWEST, true),
    tzDstTime: view.getInt32(VVAR_TZ_DSTTIME, true),
  };
}
