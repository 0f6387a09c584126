// Host file times to the nanosecond. Node's utimes takes seconds as a double and the host file
// gets them to the microsecond, where Linux keeps what utimensat was given to the nanosecond. So
// the times set are remembered beside what the host file got: while the host still shows those,
// stat shows the exact ones; once anything else changes a time, the host's own value shows.

import type { BigIntStats } from "node:fs";
import type { SetAttr } from "../vfs/inode.ts";

interface Kept {
  landedA: bigint;
  wantedA: bigint;
  landedM: bigint;
  wantedM: bigint;
}

const kept = new Map<string, Kept>();
const keyOf = (s: { dev: bigint; ino: bigint }) => `${s.dev}:${s.ino}`;

/** The times stat should show for a host file: the exact ones set, while they hold. */
export function exactTimes(s: { dev: bigint; ino: bigint; atimeNs: bigint; mtimeNs: bigint }): { atimeNs: bigint; mtimeNs: bigint } {
  const k = kept.size ? kept.get(keyOf(s)) : undefined;
  if (!k) return s;
  return { atimeNs: s.atimeNs === k.landedA ? k.wantedA : s.atimeNs, mtimeNs: s.mtimeNs === k.landedM ? k.wantedM : s.mtimeNs };
}

const NS = 1_000_000_000n;
/** ns since the epoch as the seconds Node takes (the fraction as exact as a double holds). */
const seconds = (ns: bigint) => Number(ns / NS) + Number(ns % NS) / 1e9;

/**
 * utimensat's times on a host file: `apply` sets them (seconds), `stat` reads the file back;
 * an omitted time keeps its value, "now" is the current time.
 */
export function setHostTimes(attr: SetAttr, stat: () => BigIntStats, apply: (atime: number, mtime: number) => void): void {
  const before = exactTimes(stat());
  const now = BigInt(Date.now()) * 1_000_000n;
  const pick = (v: SetAttr["atime"], old: bigint) => (v === "now" ? now : v ?? old);
  const a = pick(attr.atime, before.atimeNs), m = pick(attr.mtime, before.mtimeNs);
  apply(seconds(a), seconds(m));
  const after = stat();
  kept.set(keyOf(after), { landedA: after.atimeNs, wantedA: a, landedM: after.mtimeNs, wantedM: m });
}
