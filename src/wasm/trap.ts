// A wasm trap as the signal the same fault raises in a native program, so that a trapping wasm
// guest ends the way an ELF guest would: `terminated by SIGSEGV`, exit status 139.

import { SIGFPE, SIGILL, SIGSEGV } from "../kernel/signal/signal.ts";
import { WA } from "./webassembly.ts";

const BY_MESSAGE: readonly [RegExp, number][] = [
  [/unreachable/i, SIGILL], // what abort() and __builtin_trap() compile to
  [/out of bounds|null function|signature mismatch|indirect call|table index/i, SIGSEGV],
  [/divide by zero|remainder by zero|integer overflow|unrepresentable|integer result/i, SIGFPE],
];

/** The signal and reason for a trap, or null when `e` is not a trap (a host error). */
export function trapSignal(e: unknown): { signal: number; reason: string } | null {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { signal: SIGSEGV, reason: "call stack exhausted" };
  if (!(e instanceof WA.RuntimeError)) return null;
  const reason = e.message.split("\n")[0]!;
  const hit = BY_MESSAGE.find(([re]) => re.test(reason));
  return { signal: hit ? hit[1] : SIGILL, reason };
}
