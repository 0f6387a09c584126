// Running a WebAssembly component (preview2): jco transpiles it, in memory, into core modules
// and an ES module whose `instantiate(getCoreModule, imports)` takes the host's WASI
// interfaces; ours (cli.ts, streams.ts, filesystem.ts) are written against the kernel, so a
// component's stdout is a write(2) on the task's fd 1 like any guest's.
//
// @bytecodealliance/jco-transpile is an optional dependency, imported here and nowhere else:
// core modules and ELF programs never load it.

import { CliError, EXIT_CANNOT_EXEC } from "../../util/errors.ts";
import { bootWasm, type WasmRunOptions } from "../boot.ts";
import { finish, oneLine, runGuest } from "../run.ts";
import { signalName } from "../../kernel/signal/signal.ts";
import { importESM } from "../../util/import-esm.ts";
import { exitGuest } from "../wait.ts";
import { WA, type ImportObject, type WasmModule } from "../webassembly.ts";
import { cliImports } from "./cli.ts";
import { filesystemErrorCode, IoError } from "./errors.ts";
import { Descriptor, DirectoryEntryStream } from "./filesystem.ts";
import type { P2 } from "./host.ts";
import { InputStream, OutputStream, poll, Pollable } from "./streams.ts";

/** The WASI interfaces sysemu's preview2 host provides (any 0.2.x version). */
export const SUPPORTED_INTERFACES: ReadonlySet<string> = new Set([
  "wasi:cli/environment", "wasi:cli/exit", "wasi:cli/stdin", "wasi:cli/stdout", "wasi:cli/stderr",
  "wasi:cli/terminal-input", "wasi:cli/terminal-output", "wasi:cli/terminal-stdin", "wasi:cli/terminal-stdout",
  "wasi:cli/terminal-stderr", "wasi:io/error", "wasi:io/streams", "wasi:io/poll", "wasi:filesystem/types",
  "wasi:filesystem/preopens", "wasi:clocks/monotonic-clock", "wasi:clocks/wall-clock", "wasi:random/random",
  "wasi:random/insecure", "wasi:random/insecure-seed",
]);

interface Transpiled {
  files: Record<string, Uint8Array>;
  imports: string[];
}

type Instantiate = (getCoreModule: (name: string) => WasmModule, imports: ImportObject) => Record<string, { run?: () => void } | undefined>;

/** Runs a component; the exit status sysemu should exit with. */
export async function runComponent(prog: string, bytes: Uint8Array, args: string[], opts: WasmRunOptions): Promise<number> {
  const out = await transpile(prog, bytes);
  const missing = out.imports.map((i) => i.replace(/@.*$/, "")).filter((i) => !SUPPORTED_INTERFACES.has(i));
  if (missing.length) throw new CliError(prog, `cannot run: it imports ${missing.join(", ")}, which sysemu does not provide`, EXIT_CANNOT_EXEC);
  const instantiate = await loadBindings(prog, out);
  const boot = await bootWasm(prog, args, opts, (_t, sig) => process.stderr.write(`sysemu: ${prog}: terminated by ${signalName(sig)}\n`));
  const x: P2 = { g: boot.guest, argv: boot.wasi.argv, env: boot.wasi.env };
  const missed: string[] = [];
  const imports = recordingMisses(componentImports(x, boot.wasi.preopenList()), missed);
  try {
    runGuest(prog, boot, () => {
      const exports = instantiateOrExplain(prog, () => instantiate((name) => coreModule(prog, out, name), imports), missed);
      const run = Object.entries(exports).find(([k]) => k === "run" || k.startsWith("wasi:cli/run@"))?.[1]?.run;
      if (typeof run !== "function") throw new CliError(prog, "cannot run: the component exports no wasi:cli/run", EXIT_CANNOT_EXEC);
      try {
        run();
      } catch (e) {
        // run's result<_, _> error arrives as a thrown `undefined`: the guest's exit status 1
        if (e !== undefined) throw e;
        exitGuest(boot.task, 1);
        boot.kernel.strace?.exited(boot.task, 1);
      }
    });
  } finally {
    boot.close();
  }
  return finish(prog, boot, opts);
}

/** Loads jco lazily and transpiles; a malformed component is a one-line error. */
async function transpile(prog: string, bytes: Uint8Array): Promise<Transpiled> {
  let jco: { transpileBytes(b: Uint8Array, o: Record<string, unknown>): Promise<Transpiled> };
  try {
    jco = await importESM<typeof import("@bytecodealliance/jco-transpile")>("@bytecodealliance/jco-transpile");
  } catch {
    throw new CliError(prog, "running a WebAssembly component needs the optional package @bytecodealliance/jco-transpile (npm install @bytecodealliance/jco-transpile)", EXIT_CANNOT_EXEC);
  }
  try {
    return await jco.transpileBytes(bytes, {
      name: "component",
      instantiation: "sync", // our host functions are synchronous, like system calls
      nodejsCompat: false,
      emitTypescriptDeclarations: false,
      base64Cutoff: Number.MAX_SAFE_INTEGER, // every core module as its own file, none inlined
    });
  } catch (e) {
    throw new CliError(prog, `invalid WebAssembly component: ${oneLine(e)}`, EXIT_CANNOT_EXEC);
  }
}

/** Evaluates jco's generated ES module from memory. */
async function loadBindings(prog: string, out: Transpiled): Promise<Instantiate> {
  const js = out.files["component.js"];
  if (!js) throw new CliError(prog, "invalid WebAssembly component: jco produced no bindings", EXIT_CANNOT_EXEC);
  const mod = (await importESM(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`)) as { instantiate?: Instantiate };
  if (typeof mod.instantiate !== "function") throw new CliError(prog, "invalid WebAssembly component: no instantiate()", EXIT_CANNOT_EXEC);
  return mod.instantiate;
}

function coreModule(prog: string, out: Transpiled, name: string): WasmModule {
  const bytes = out.files[name];
  if (!bytes) throw new CliError(prog, `invalid WebAssembly component: no core module ${name}`, EXIT_CANNOT_EXEC);
  try {
    return new WA.Module(bytes);
  } catch (e) {
    throw new CliError(prog, `invalid WebAssembly component: ${oneLine(e)}`, EXIT_CANNOT_EXEC);
  }
}

/** The import object: every supported interface, by its unversioned name (jco's keys). */
export function componentImports(x: P2, preopens: readonly [number, string][]): ImportObject {
  return {
    ...cliImports(x, preopens),
    "wasi:io/error": { Error: IoError },
    "wasi:io/streams": { InputStream, OutputStream },
    "wasi:io/poll": { Pollable, poll: (list: Pollable[]) => poll(x, list) },
    "wasi:filesystem/types": { Descriptor, DirectoryEntryStream, filesystemErrorCode: (e: unknown) => filesystemErrorCode(x, e) },
  };
}

/**
 * The import object with each interface wrapped so that a function the component imports and
 * sysemu lacks (in an interface it does provide) is remembered: jco's glue finds it undefined
 * at instantiation, logs an "ERROR:" line and throws, and we would rather say what is missing.
 */
export function recordingMisses(imports: ImportObject, missed: string[]): ImportObject {
  const out: ImportObject = {};
  for (const [iface, members] of Object.entries(imports)) {
    out[iface] = new Proxy(members, {
      get(target, key, receiver) {
        if (typeof key === "string" && !(key in target)) missed.push(`${iface}.${kebab(key)}`);
        return Reflect.get(target, key, receiver);
      },
    });
  }
  return out;
}

/** jco's camelCase member name back to the WIT name a user knows ("exitWithCode" → "exit-with-code"). */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Instantiates; if it fails on a function sysemu lacks, a one-line error naming it (status 126). */
export function instantiateOrExplain<T>(prog: string, instantiate: () => T, missed: string[]): T {
  const log = console.error;
  console.error = (...a: unknown[]) => {
    if (a[0] !== "ERROR:") log(...a); // the glue's own report of the miss, said better below
  };
  try {
    return instantiate();
  } catch (e) {
    if (missed.length > 0 && /undefined instance import/.test(oneLine(e))) throw new CliError(prog, `cannot run: it imports ${[...new Set(missed)].join(", ")}, which sysemu does not provide`, EXIT_CANNOT_EXEC);
    throw e;
  } finally {
    console.error = log;
  }
}
