import { describe, expect, it } from "vitest";
import {
  NS_PER_TICK, VDSO_CLOCKMODE_ARCHTIMER, VDSO_CLOCKMODE_NONE, VDSO_TIMEBASE_HZ, VVAR_BASETIME,
  VVAR_CLOCK_MODE, VVAR_CYCLE_LAST, VVAR_DATA_END, VVAR_NS_PER_TICK, VVAR_SEQ, VVAR_SIZE,
  VVAR_TZ_DSTTIME, VVAR_TZ_MINUTESWEST, VVAR_VALID_CLOCKS, readVvar, writeVvar,
} from "../../src/vdso/vvar.ts";
import type { VvarSnapshot } from "../../src/vdso/vvar.ts";

const snapshot: VvarSnapshot = {
  cycleLast: 0x0123_4567_89ab_cdefn,
  clocks: [
    { id: 0, sec: 1_700_000_000n, nsec: 999_999_999n, resNs: 1n },
    { id: 1, sec: 12n, nsec: 0n, resNs: 1n },
    { id: 5, sec: -1n, nsec: 5n, resNs: 4_000_000n },
    { id: 15, sec: (1n << 63n) - 1n, nsec: 1n, resNs: (1n << 64n) - 1n },
  ],
  tzMinutesWest: -60,
  tzDstTime: 1,
};

describe("vvar page", () => {
  it("counts 10 MHz ticks of 100 ns in two pages", () => {
    expect(VDSO_TIMEBASE_HZ).toBe(10_000_000);
    expect(NS_PER_TICK).toBe(100);
    expect(VVAR_SIZE).toBe(8192);
    expect(VVAR_DATA_END).toBeLessThanOrEqual(4096);
  });

  it("round-trips a snapshot through writeVvar and readVvar", () => {
    const page = new Uint8Array(VVAR_SIZE);
    writeVvar(page, snapshot);
    expect(readVvar(page)).toEqual({
      ...snapshot,
      seq: 2,
      clockMode: VDSO_CLOCKMODE_ARCHTIMER,
      nsPerTick: BigInt(NS_PER_TICK),
    });
  });

  it("stores little-endian fields at the documented offsets", () => {
    const page = new Uint8Array(VVAR_SIZE);
    writeVvar(page, snapshot);
    const dv = new DataView(page.buffer);
    expect(dv.getUint32(VVAR_SEQ, true)).toBe(2);
    expect(dv.getUint32(VVAR_CLOCK_MODE, true)).toBe(1);
    expect([...page.subarray(VVAR_CYCLE_LAST, VVAR_CYCLE_LAST + 8)]).toEqual([0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01]);
    expect(dv.getBigUint64(VVAR_NS_PER_TICK, true)).toBe(100n);
    expect(dv.getBigUint64(VVAR_VALID_CLOCKS, true)).toBe((1n << 0n) | (1n << 1n) | (1n << 5n) | (1n << 15n));
    expect(dv.getBigInt64(VVAR_BASETIME + 5 * 24, true)).toBe(-1n);
    expect(dv.getBigUint64(VVAR_BASETIME + 5 * 24 + 8, true)).toBe(5n);
    expect(dv.getBigUint64(VVAR_BASETIME + 5 * 24 + 16, true)).toBe(4_000_000n);
    expect(dv.getInt32(VVAR_TZ_MINUTESWEST, true)).toBe(-60);
    expect(dv.getInt32(VVAR_TZ_DSTTIME, true)).toBe(1);
    expect(page.subarray(VVAR_DATA_END).every((b) => b === 0)).toBe(true);
  });

  it("advances seq by two, keeping it even, and clears clocks no longer listed", () => {
    const page = new Uint8Array(VVAR_SIZE);
    writeVvar(page, snapshot);
    writeVvar(page, { cycleLast: 7n, clocks: [{ id: 1, sec: 3n, nsec: 4n, resNs: 1n }], clockMode: VDSO_CLOCKMODE_NONE });
    const back = readVvar(page);
    expect(back.seq).toBe(4);
    expect(back.clocks).toEqual([{ id: 1, sec: 3n, nsec: 4n, resNs: 1n }]);
    expect(back.clockMode).toBe(VDSO_CLOCKMODE_NONE);
    expect(back.tzMinutesWest).toBe(0);
    expect(new DataView(page.buffer).getBigInt64(VVAR_BASETIME, true)).toBe(0n);
    new DataView(page.buffer).setUint32(VVAR_SEQ, 0xffffffff, true);
    writeVvar(page, snapshot);
    expect(readVvar(page).seq % 2).toBe(0);
  });

  it("works on a page that is a view into a larger buffer", () => {
    const backing = new Uint8Array(VVAR_SIZE + 64);
    const page = backing.subarray(64);
    writeVvar(page, snapshot);
    expect(backing.subarray(0, 64).every((b) => b === 0)).toBe(true);
    expect(readVvar(page).clocks).toHaveLength(4);
  });

  it("rejects a short page and values the layout cannot hold", () => {
    const page = new Uint8Array(VVAR_SIZE);
    const clock = { id: 0, sec: 0n, nsec: 0n, resNs: 1n };
    expect(() => writeVvar(new Uint8Array(VVAR_DATA_END - 1), snapshot)).toThrow(RangeError);
    expect(() => writeVvar(page, { cycleLast: 0n, clocks: [{ ...clock, id: 16 }] })).toThrow(RangeError);
    expect(() => writeVvar(page, { cycleLast: 0n, clocks: [{ ...clock, id: -1 }] })).toThrow(RangeError);
    expect(() => writeVvar(page, { cycleLast: 0n, clocks: [clock, clock] })).toThrow(RangeError);
    expect(() => writeVvar(page, { cycleLast: 0n, clocks: [{ ...clock, nsec: 1_000_000_000n }] })).toThrow(RangeError);
    expect(() => writeVvar(page, { cycleLast: 0n, clocks: [{ ...clock, sec: 1n << 63n }] })).toThrow(RangeError);
    expect(() => writeVvar(page, { cycleLast: -1n, clocks: [] })).toThrow(RangeError);
    expect(() => writeVvar(page, { cycleLast: 1n << 64n, clocks: [] })).toThrow(RangeError);
    expect(() => writeVvar(page, { cycleLast: 0n, clocks: [], tzMinutesWest: 2 ** 31 })).toThrow(RangeError);
    expect(page.every((b) => b === 0)).toBe(true); // nothing written by a rejected call
  });
});
