// The `wasi_snapshot_preview1` import module: every WASI function wrapped the same way, as the
// kernel's dispatcher wraps a system call: count and check limits on entry, open the kernel
// scratch window, run, trace, and unwind the guest when its task ended. An exception out of an
// implementation is a sysemu bug: it is an oops (logged, task killed), never a host crash.

import { ENOSYS } from "../../kernel/errno.ts";
import { oops } from "../../kernel/oops.ts";
import type { TableEntry } from "../../../syscalls/table.ts";
import { GuestExit, GuestTimeout, type WasmGuest } from "../guest.ts";
import { EIO } from "./abi.ts";
import type { WasiContext } from "./context.ts";
import { WasiArgs, type WasiDef } from "./defs.ts";
import * as fd from "./fd.ts";
import * as misc from "./misc.ts";
import * as path from "./path.ts";
import { traceWasi } from "./trace.ts";

/** Every preview1 function sysemu implements, by its import name. */
export const PREVIEW1: ReadonlyMap<string, WasiDef> = new Map(
  [fd, path, misc].flatMap((m) => Object.entries(m).filter((e): e is [string, WasiDef] => isDef(e[1]))),
);

function isDef(v: unknown): v is WasiDef {
  return typeof v === "object" && v !== null && Array.isArray((v as WasiDef).params) && typeof (v as WasiDef).fn === "function";
}

/** The import object's `wasi_snapshot_preview1` member for one guest. */
export function preview1Imports(g: WasmGuest, c: WasiContext): Record<string, (...raw: unknown[]) => number> {
  const out: Record<string, (...raw: unknown[]) => number> = {};
  for (const [name, def] of PREVIEW1) out[name] = (...raw) => call(g, c, name, def, raw);
  return out;
}

function call(g: WasmGuest, c: WasiContext, name: string, def: WasiDef, raw: unknown[]): number {
  g.enter(name);
  const a = new WasiArgs(raw);
  const done = g.trace ? c.mm.inKernel(() => traceWasi(g.trace!, c, name, def, a)) : null;
  let ret: number;
  try {
    ret = c.mm.inKernel(() => def.fn(c, a));
  } catch (e) {
    if (e instanceof GuestExit || e instanceof GuestTimeout) throw e;
    oops(c.t, pseudoEntry(name), e);
    ret = EIO;
  }
  if (c.t.state !== "running") {
    done?.(null);
    if (c.t.state === "zombie" && (c.t.exitCode & 0x7f) === 0) g.kernel.strace?.exited(c.t, (c.t.exitCode >> 8) & 0xff);
    throw new GuestExit();
  }
  done?.(ret);
  return ret;
}

/** A table entry for oops reports of a WASI function (they are not in the syscall table). */
function pseudoEntry(name: string): TableEntry {
  const def = { name, args: [], fn: () => -ENOSYS };
  return { nr: -1, abi: "wasi", name, entry: name, def, origin: "src/wasm/preview1" };
}
