// What every preview2 host function shares: the guest's kernel, and one wrapper that counts
// the call, checks --timeout, opens the kernel scratch window, traces, and turns failures into
// what jco expects (a thrown object with a `payload` becomes the WIT `err` value).
//
// Trace lines name the interface's function as WIT does, with the kernel descriptor a resource
// stands for as its first argument, and the result as WIT's result variant:
//
//   output-stream.blocking-write-and-flush(1, "Hello from WebAssembly!\n") = ok
//   descriptor.open-at(3, SYMLINK_FOLLOW, "tmp/a.txt", CREATE|TRUNCATE, WRITE) = ok(4)
//   descriptor.stat-at(3, 0, "nope") = err(no-entry)
//   exit.exit(err)                          = ?

import { quote } from "../../kernel/strace/decode.ts";
import { oops } from "../../kernel/oops.ts";
import { ENOSYS } from "../../kernel/errno.ts";
import type { TableEntry } from "../../../syscalls/table.ts";
import { GuestExit, GuestTimeout, traceLine, type WasmGuest } from "../guest.ts";

/** A WIT `err` value: jco lowers `payload` as the error of the function's result. */
export class WitError {
  constructor(readonly payload: unknown) {}
}

/** The guest a preview2 host serves, and what it was started with. */
export interface P2 {
  g: WasmGuest;
  argv: readonly string[];
  env: readonly string[];
}

const enc = new TextEncoder();

/** A string argument as strace quotes it. */
export function qs(s: string, max = 4096): string {
  const b = enc.encode(s);
  return quote(b.subarray(0, max), b.length > max);
}

/** A byte buffer argument as strace quotes it (first 32 bytes). */
export function qb(b: Uint8Array): string {
  return quote(b.subarray(0, 32), b.length > 32);
}

/** Flags records ({read: true, write: false}) as READ|WRITE. */
export function flagNames(f: Record<string, unknown> | undefined): string {
  const on = Object.entries(f ?? {}).filter(([, v]) => v === true).map(([k]) => k.replace(/[A-Z]/g, (c) => "_" + c).toUpperCase());
  return on.length ? on.join("|") : "0";
}

/** How an err payload reads in a trace. */
function errText(p: unknown): string {
  if (typeof p === "string") return p;
  if (typeof p === "object" && p !== null && "tag" in p) return String((p as { tag: unknown }).tag);
  return String(p);
}

/**
 * Runs one host function for the guest: `args` is the argument list as the trace shows it,
 * `show` formats an ok result. A WitError becomes `= err(...)` and goes on to jco.
 */
export function hostCall<T>(x: P2, name: string, args: string, fn: () => T, show: (v: T) => string = () => "ok"): T {
  const g = x.g;
  g.enter(name);
  let v: T;
  try {
    v = g.mm.inKernel(fn);
  } catch (e) {
    if (e instanceof WitError) {
      g.trace?.(traceLine(`${name}(${args})`, `err(${errText(e.payload)})`));
      throw e;
    }
    if (e instanceof GuestTimeout) throw e;
    if (!(e instanceof GuestExit)) oops(g.t, pseudoEntry(name), e);
    g.trace?.(traceLine(`${name}(${args})`, "?"));
    if (g.t.state === "zombie" && (g.t.exitCode & 0x7f) === 0) g.kernel.strace?.exited(g.t, (g.t.exitCode >> 8) & 0xff);
    throw new GuestExit();
  }
  g.trace?.(traceLine(`${name}(${args})`, show(v)));
  return v;
}

function pseudoEntry(name: string): TableEntry {
  return { nr: -1, abi: "wasi-p2", name, entry: name, def: { name, args: [], fn: () => -ENOSYS }, origin: "src/wasm/component" };
}

/** Symbol.dispose (Node 20 has it; the fallback is jco's own). jco calls it when the guest drops a resource. */
export const DISPOSE: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for("dispose");

/** Gives a resource class a dispose method (computed symbol members need a `unique symbol` type). */
export function disposable<T extends object>(cls: { prototype: T }, fn: (self: T) => void): void {
  Object.defineProperty(cls.prototype, DISPOSE, { value: function (this: T) { fn(this); }, configurable: true });
}
