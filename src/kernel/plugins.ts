// Plug-in system calls: `sysemu run --syscalls ./my-syscalls.ts PROG` loads handlers written
// against the same API as syscalls/hello.ts. A plug-in module exports its calls, each with a
// number: `export default [{ nr: 1000, name: "hello3", args: ["ptr", "uint"], fn(t, a, k) {...} }]`
// or named exports of such objects (typed by sysemu-plugin.d.ts). TypeScript plug-ins are
// compiled with esbuild on the fly.
//
// Numbers: a plug-in takes one of PLUGIN_NR_FIRST..PLUGIN_NR_LAST, which no Linux architecture
// is near (asm-generic and x86-64 stop below 600), or one of the course's numbers 400/401 in
// place of sys_hello/sys_hello2 (with --no-hello). Anything else is Linux's: a plug-in there
// would be shadowed, or would break, the day the kernel (and then sysemu) gives it a meaning.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { TableEntry } from "../../syscalls/table.ts";
import { importESM } from "../util/import-esm.ts";
import type { SyscallDef } from "../../syscalls/types.ts";
import { DECODERS } from "./strace/kinds.ts";

/** The numbers kept for plug-ins (documented in the table files and sysemu-plugin.d.ts). */
export const PLUGIN_NR_FIRST = 1000;
export const PLUGIN_NR_LAST = 1999;
/** The course's own numbers (sys_hello, sys_hello2), which a plug-in may take over with --no-hello. */
const COURSE_NRS: readonly number[] = [400, 401];

export interface PluginSyscall extends SyscallDef {
  nr: number;
}

/** A plug-in that cannot be used: the message says which file and why. */
export class PluginError extends Error {}

/** Loads a plug-in file (.ts, .mts, .js, .mjs) and returns its system calls. */
export async function loadPlugin(file: string): Promise<PluginSyscall[]> {
  const path = resolve(file);
  let mod: Record<string, unknown>;
  try {
    mod = /\.m?ts$/.test(path) ? await importTypeScript(path) : await importESM(pathToFileURL(path).href);
  } catch (e) {
    throw new PluginError(`${file}: cannot load: ${(e as Error).message.split("\n")[0]}`);
  }
  const found: unknown[] = [];
  for (const value of Object.values(mod)) {
    if (Array.isArray(value)) found.push(...value);
    else found.push(value);
  }
  const calls = found.filter((v): v is PluginSyscall => typeof v === "object" && v !== null && "fn" in v && "nr" in v);
  if (calls.length === 0) throw new PluginError(`${file}: exports no system calls (objects with nr, name, args and fn)`);
  for (const c of calls) validate(file, c);
  return calls;
}

function validate(file: string, c: PluginSyscall): void {
  const where = `${file}: ${c.name ?? "a system call"}`;
  if (typeof c.name !== "string" || !/^\w+$/.test(c.name)) throw new PluginError(`${where}: name must be a word`);
  if (!Number.isInteger(c.nr) || ((c.nr < PLUGIN_NR_FIRST || c.nr > PLUGIN_NR_LAST) && !COURSE_NRS.includes(c.nr))) {
    const got = Number.isInteger(c.nr) ? `${c.nr} is reserved for Linux` : `nr ${String(c.nr)} is not a number`;
    throw new PluginError(`${where}: ${got}; plug-ins take ${PLUGIN_NR_FIRST}..${PLUGIN_NR_LAST} (or ${COURSE_NRS.join("/")} with --no-hello)`);
  }
  if (typeof c.fn !== "function") throw new PluginError(`${where}: fn must be a function`);
  if (!Array.isArray(c.args) || c.args.length > 6 || c.args.some((k) => typeof k !== "string")) throw new PluginError(`${where}: args must list at most six argument kinds`);
  // an unknown kind would print as hex in strace, silently: say so while the author is looking
  const bad = c.args.find((k) => !DECODERS.has(k) || k.startsWith("ret:"));
  if (bad !== undefined) throw new PluginError(`${where}: unknown argument kind '${bad}' (the kinds are in src/kernel/strace/kinds*.ts; common ones in sysemu-plugin.d.ts)`);
  if (c.ret !== undefined && !["int", "hex", "fd", "none"].includes(c.ret)) throw new PluginError(`${where}: unknown return kind '${String(c.ret)}' (int, hex, fd or none)`);
}

/** Adds plug-in calls to a table; a number already taken is an error (use --no-hello to free 400/401). */
export function addPlugins(table: Map<number, TableEntry>, calls: readonly PluginSyscall[], origin: string): void {
  for (const c of calls) {
    const taken = table.get(c.nr);
    if (taken) throw new PluginError(`${origin}: ${c.name} wants number ${c.nr}, which is ${taken.name} from ${taken.origin}`);
    table.set(c.nr, { nr: c.nr, abi: "plugin", name: c.name, entry: `sys_${c.name}`, def: c, origin });
  }
}

async function importTypeScript(path: string): Promise<Record<string, unknown>> {
  const { build } = await importESM<typeof import("esbuild")>("esbuild");
  const out = await build({ entryPoints: [path], bundle: true, write: false, format: "esm", platform: "node", target: "node20", logLevel: "silent" });
  const dir = mkdtempSync(join(tmpdir(), "sysemu-plugin-"));
  const file = join(dir, basename(path).replace(/\.m?ts$/, ".mjs"));
  writeFileSync(file, out.outputFiles[0]!.text);
  try {
    return await importESM(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
