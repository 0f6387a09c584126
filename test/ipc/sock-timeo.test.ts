import { describe, expect, it } from "vitest";
import { HZ, NO_TIMEOUT, timeoToTimeval, timevalToTimeo } from "../../src/kernel/net/sock_timeo.ts";

function tv(sec: bigint, usec: bigint): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, sec, true);
  v.setBigInt64(8, usec, true);
  return b;
}
const back = (timeo: number) => {
  const v = new DataView(timeoToTimeval(timeo).buffer);
  return [v.getBigInt64(0, true), v.getBigInt64(8, true)];
};

describe("sock_set_timeout / sock_get_timeout", () => {
  it("rounds a timeval up to whole ticks and gives the ticks back", () => {
    expect(timevalToTimeo(tv(0n, 1n), 16)).toBe(1);
    expect(back(1)).toEqual([0n, BigInt(1_000_000 / HZ)]);
    expect(timevalToTimeo(tv(2n, 500_000n), 16)).toBe(2 * HZ + HZ / 2);
    expect(back(2 * HZ + HZ / 2)).toEqual([2n, 500_000n]);
  });
  it("zero is no timeout, a negative second count is no wait, bad microseconds EDOM, short EINVAL", () => {
    expect(timevalToTimeo(tv(0n, 0n), 16)).toBe(NO_TIMEOUT);
    expect(back(NO_TIMEOUT)).toEqual([0n, 0n]);
    expect(timevalToTimeo(tv(-5n, 0n), 16)).toBe(0);
    expect(timevalToTimeo(tv(1n, 1_000_000n), 16)).toBe(-33);
    expect(timevalToTimeo(tv(1n, -1n), 16)).toBe(-33);
    expect(timevalToTimeo(tv(1n, 0n), 8)).toBe(-22);
    expect(timevalToTimeo(tv(2n ** 62n, 0n), 16)).toBe(NO_TIMEOUT);
  });
});
