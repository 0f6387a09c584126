// `sysemu run prog.wasm`: a WebAssembly guest on the same kernel as ELF guests.
//
// A core module (WASI preview1, plus the optional `linux` import) is compiled, checked against
// what sysemu provides, instantiated and started through `_start`; a component goes to the
// component runner, which loads jco only then. Limits for wasm guests:
//   --timeout S    checked on every entry into the kernel (WASI call or raw system call), and a
//                  watchdog (vm's timeout: V8 terminates execution) stops a loop that never
//                  calls the kernel; either way exit status 124.
//   --max-insns N  a core module is rewritten to count its own WebAssembly instructions
//                  (meter.ts, loaded only then) and stopped, exit status 124, at the start of
//                  the first basic block that would take it past N; ignored with a warning for
//                  a component (jco compiles those).
// Exit statuses as for ELF guests; a wasm trap kills the task with the signal the same fault
// gives a native program (unreachable: SIGILL, out-of-bounds access: SIGSEGV, integer divide
// by zero: SIGFPE), and a binary sysemu cannot run is a one-line error with status 126.

import { writeSync } from "node:fs";
import { Script } from "node:vm";
import { readProgram } from "../util/read-program.ts";
import { dieOfSignal } from "../util/signal-exit.ts";
import { formatDmesg } from "../kernel/printk.ts";
import { SIGKILL, signalName } from "../kernel/signal/signal.ts";
import { CliError, EXIT_CANNOT_EXEC, EXIT_RUNAWAY } from "../util/errors.ts";
import { bootWasm, type WasmBoot, type WasmMeter, type WasmRunOptions } from "./boot.ts";
import { wasmKind } from "./detect.ts";
import { GuestExit, GuestTimeout } from "./guest.ts";
import { linuxImports } from "./linux.ts";
import { PREVIEW1, preview1Imports } from "./preview1/index.ts";
import { trapSignal } from "./trap.ts";
import { exitGuest } from "./wait.ts";
import { isMemory, WA, type WasmModule } from "./webassembly.ts";

export type { WasmRunOptions } from "./boot.ts";

/** Runs a wasm file; the exit status sysemu should exit with. */
export async function runWasmCommand(prog: string, args: string[], opts: WasmRunOptions): Promise<number> {
  const bytes = readProgram(prog);
  const kind = wasmKind(bytes);
  if (kind === "component") {
    if (opts.maxInsns !== undefined) process.stderr.write(`sysemu: ${prog}: --max-insns is not supported for components: ignored (--timeout works)\n`);
    const { runComponent } = await import("./component/run.ts");
    return runComponent(prog, bytes, args, opts);
  }
  if (kind !== "module") throw new CliError(prog, `not a WebAssembly module or component sysemu can run (${describeHeader(bytes)})`, EXIT_CANNOT_EXEC);
  const metered = opts.maxInsns !== undefined ? await meteredModule(prog, bytes, opts.maxInsns) : null;
  const module = metered?.module ?? compile(prog, bytes);
  checkImports(prog, module);
  const boot = await bootWasm(prog, args, opts, (_t, sig) => process.stderr.write(`sysemu: ${prog}: terminated by ${signalName(sig)}\n`));
  try {
    runModule(prog, module, boot, metered?.meter);
  } finally {
    boot.close();
  }
  return finish(prog, boot, opts);
}


function describeHeader(b: Uint8Array): string {
  if (b.length < 8) return "truncated header";
  return `version ${b[4]! | (b[5]! << 8)}, layer ${b[6]! | (b[7]! << 8)}`;
}

/** Compiles the module; a malformed binary is a one-line error. */
export function compile(prog: string, bytes: Uint8Array): WasmModule {
  try {
    return new WA.Module(bytes);
  } catch (e) {
    throw new CliError(prog, `invalid WebAssembly module: ${oneLine(e)}`, EXIT_CANNOT_EXEC);
  }
}

/**
 * The module rewritten to count its instructions against `budget` (--max-insns), and how to read
 * an instance's fuel. A malformed binary is reported as without --max-insns; a valid one the
 * meter cannot rewrite is a one-line error too. The fuel is read from the instance, so a start
 * function (run inside instantiation; WASI commands have none) that exhausts it is reported as
 * the trap it ends in, SIGILL.
 */
async function meteredModule(prog: string, bytes: Uint8Array, budget: number): Promise<{ module: WasmModule; meter: (exports: Record<string, unknown>) => WasmMeter }> {
  const { instrument, fuelMeter, MeterError } = await import("./meter.ts");
  const cannot = (why: string) => {
    compile(prog, bytes);
    return new CliError(prog, `--max-insns: cannot meter this module: ${why}`, EXIT_CANNOT_EXEC);
  };
  let metered: Uint8Array;
  try {
    metered = instrument(bytes, budget);
  } catch (e) {
    if (e instanceof MeterError) throw cannot(e.message);
    throw e;
  }
  try {
    return { module: new WA.Module(metered), meter: (exports) => fuelMeter(budget, exports) };
  } catch (e) {
    throw cannot(`the metered module does not validate: ${oneLine(e)}`);
  }
}

/** Refuses a module that needs an import sysemu does not provide, naming it. */
function checkImports(prog: string, module: WasmModule): void {
  for (const imp of WA.Module.imports(module)) {
    const ok =
      (imp.module === "wasi_snapshot_preview1" && imp.kind === "function" && PREVIEW1.has(imp.name)) ||
      (imp.module === "linux" && imp.name === "syscall" && imp.kind === "function");
    if (!ok) throw new CliError(prog, `cannot run: it imports ${imp.kind} ${imp.module}.${imp.name}, which sysemu does not provide`, EXIT_CANNOT_EXEC);
  }
  const exports = WA.Module.exports(module);
  if (!exports.some((e) => e.name === "_start" && e.kind === "function")) throw new CliError(prog, "cannot run: no _start function (not a WASI command module)", EXIT_CANNOT_EXEC);
  if (!exports.some((e) => e.name === "memory" && e.kind === "memory")) throw new CliError(prog, "cannot run: it exports no memory", EXIT_CANNOT_EXEC);
}

/** Instantiates the module on the booted task and runs `_start` until the task ends. */
function runModule(prog: string, module: WasmModule, b: WasmBoot, meter?: (exports: Record<string, unknown>) => WasmMeter): void {
  const imports = { wasi_snapshot_preview1: preview1Imports(b.guest, b.wasi), linux: linuxImports(b.guest, b.regs) };
  runGuest(prog, b, () => {
    let instance;
    try {
      instance = new WA.Instance(module, imports);
    } catch (e) {
      if (e instanceof WA.LinkError) throw new CliError(prog, `cannot run: ${oneLine(e)}`, EXIT_CANNOT_EXEC);
      throw e; // a trap in the start function is the guest's: runGuest reports it
    }
    if (meter) b.meter = meter(instance.exports);
    const memory = instance.exports.memory;
    if (isMemory(memory)) b.mm.attach(memory);
    (instance.exports._start as () => void)();
  });
}

/**
 * Runs the guest's entry point and turns every way it can end into the task's end: a return
 * is exit(0), GuestExit means the kernel already ended it, a trap kills it by signal, and
 * --timeout or --max-insns (the meter's trap, told apart by the fuel it leaves) kills it as
 * SIGKILL does for an ELF guest (the caller reports it).
 */
export function runGuest(prog: string, b: WasmBoot, entry: () => void): void {
  const t = b.task;
  try {
    withWatchdog(entry, b.guest.deadline);
    if (t.state === "running") {
      exitGuest(t, 0);
      b.kernel.strace?.exited(t, 0);
    }
  } catch (e) {
    if (e instanceof GuestExit) return;
    if (e instanceof GuestTimeout || b.meter?.read().exhausted) {
      b.kernel.strace?.killed(t, SIGKILL);
      t.state = "zombie";
      t.exitCode = SIGKILL;
      b.timedOut = e instanceof GuestTimeout;
      return;
    }
    const trap = trapSignal(e);
    if (!trap) throw e;
    process.stderr.write(`sysemu: ${prog}: terminated by ${signalName(trap.signal)} (wasm trap: ${trap.reason})\n`);
    b.kernel.killBySignal(t, trap.signal, null, true);
  }
}

/**
 * Runs entry, stopping it at `deadline` even if the guest never calls the host: vm's timeout
 * has V8 terminate execution, which wasm code honours at its loop and call checks. The entry
 * runs through a one-line script because that is what the timeout applies to.
 */
function withWatchdog(entry: () => void, deadline: number): void {
  if (deadline === Infinity) return entry();
  const g = globalThis as { __sysemuWasmEntry?: () => void };
  g.__sysemuWasmEntry = entry;
  try {
    watchdogScript.runInThisContext({ timeout: Math.max(1, Math.ceil(deadline - performance.now())) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new GuestTimeout();
    throw e;
  } finally {
    delete g.__sysemuWasmEntry;
  }
}

const watchdogScript = new Script("globalThis.__sysemuWasmEntry()");

/** Reports how the task ended and returns the exit status (or dies of the guest's signal). */
export async function finish(prog: string, b: WasmBoot, opts: WasmRunOptions): Promise<number> {
  const code = b.task.exitCode;
  if (opts.stats) printStats(b);
  if (opts.dmesg) writeSync(2, b.kernel.printk.sinceClear().map(formatDmesg).join(""));
  if (b.timedOut) {
    process.stderr.write(`sysemu: ${prog}: stopped after --timeout ${opts.timeout} s\n`);
    return EXIT_RUNAWAY;
  }
  if (b.meter?.read().exhausted) {
    process.stderr.write(`sysemu: ${prog}: stopped after --max-insns ${opts.maxInsns} instructions\n`);
    return EXIT_RUNAWAY;
  }
  const signal = code & 0x7f;
  if (signal && opts.dieOfSignal) await dieOfSignal(signal);
  return signal ? 128 + signal : (code >> 8) & 0xff;
}

function printStats(b: WasmBoot): void {
  const counts = [...b.kernel.syscallCounts];
  const used = b.meter?.read();
  const secs = (used?.wallMs ?? 0) / 1000;
  const lines = [
    // the count exists only when --max-insns metered the module
    ...(used ? [`sysemu: ${used.instructions} instructions in ${secs.toFixed(3)} s: ${(used.instructions / 1e6 / Math.max(secs, 1e-9)).toFixed(1)} MIPS`] : []),
    `sysemu: wasm guest: ${counts.reduce((a, [, n]) => a + n, 0)} calls into the kernel (WASI and system calls):`,
    ...counts.sort((x, y) => y[1] - x[1]).map(([name, n]) => `  ${String(n).padStart(9)}  ${name}`),
  ];
  process.stderr.write(lines.join("\n") + "\n");
}

/** The first line of an error's message. */
export function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}
