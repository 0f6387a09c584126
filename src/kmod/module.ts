// A compiled student module as system call table entries. Each kernel gets one instance of the
// module, made at its first call: its static data (a call counter) lives as long as that kernel,
// as in a real one. Each call runs in a sandbox:
//   - instruction metering (src/wasm/meter.ts): a handler that never returns is stopped and
//     reported as the kernel's watchdog reports a CPU stuck in the kernel; the task is killed
//     with SIGKILL (it cannot return to user space from a handler that never ends);
//   - a memory cap: memory.grow past it fails, kmalloc returns NULL;
//   - a trap (out-of-bounds access, unreachable, division by zero) is an oops: logged, the task
//     killed with SIGSEGV, the run goes on; so are BUG() and a usercopy check;
//   - the stack protector: __stack_chk_guard is random per boot, __stack_chk_fail logs Linux's
//     "Kernel panic - not syncing: stack-protector: ..." and kills the task (a real kernel
//     halts; here the other tasks and the grading go on).

import { randomBytes } from "node:crypto";
import { kernelStatic, type Kernel } from "../kernel/kernel.ts";
import type { PluginSyscall } from "../kernel/plugins.ts";
import { KERN_ALERT, KERN_EMERG, KERN_INFO, KERN_WARNING } from "../kernel/printk.ts";
import type { Task } from "../kernel/proc/task.ts";
import { SIGKILL, SIGSEGV } from "../kernel/signal/signal.ts";
import { FUEL_EXPORT, fuelUsed, instrument } from "../wasm/meter.ts";
import { enableMemory64, STACK_SIZE, type CompiledKmod, type KmodSyscall } from "./compile.ts";
import { KmodStop, makeImports, type CallContext, type ImportHost } from "./imports.ts";
import { defaultRegions, type RegionsFn } from "./regions.ts";
import { kmodState, MAX_RECORDS, type CallOutcome, type CallRecord } from "./state.ts";
import { analyzeCall, type Regions } from "./uaccess-check.ts";
import { capMemory } from "./wasm-limits.ts";
import { WA, type WasmMemory, type WasmModule } from "../wasm/webassembly.ts";

/** An exported mutable i64 global (the fuel, the stack pointer). */
interface WasmGlobal {
  value: bigint;
}

export interface KmodLimits {
  /** WebAssembly instructions one call may execute (default 20 million). */
  fuel?: number;
  /** The module's memory cap in 64 KiB pages (default 256: 16 MiB). */
  memoryPages?: number;
  /** The user objects of a call for the uaccess checks (default: sys_hello/sys_hello2's). */
  regions?: RegionsFn;
  /** Where the code came from, for oops reports ("0001-add-sys_hello2.patch"). */
  origin?: string;
}

export const DEFAULT_FUEL = 20_000_000;
export const DEFAULT_MEMORY_PAGES = 256;
/** Under --seed the guard and the %p hash key are fixed, so a run is reproducible. */
const SEEDED_GUARD = [0x00, 0x5e, 0xed, 0xc4, 0x7a, 0x11, 0x3d, 0x96, 0x2b, 0x8f, 0x41, 0xd7, 0x6c, 0x05, 0xe9, 0xa3];
/** Room left above the first frame, so an overflow of the entry's frame hits no data. */
const STACK_SLACK = 512n;

interface Instance {
  exports: Record<string, unknown>;
  memory: WasmMemory;
  fuel: WasmGlobal;
  sp: WasmGlobal;
  taskPtr: number;
  lastTid: number;
  ctx: CallContext | null;
  /** A printk line waiting for its end (pr_cont) */
  pending: { level: number; text: string } | null;
}

/** The table entries of a compiled module's system calls. */
export function kmodSyscalls(mod: CompiledKmod, limits: KmodLimits = {}): PluginSyscall[] {
  enableMemory64();
  const fuel = limits.fuel ?? DEFAULT_FUEL;
  const pages = limits.memoryPages ?? DEFAULT_MEMORY_PAGES;
  const module = new WA.Module(instrument(capMemory(mod.wasm, pages), fuel));
  const regionsFn = limits.regions ?? defaultRegions;
  const origin = limits.origin ?? "kernel patch";
  const get = kernelStatic((k: Kernel): Instance => instantiate(module, k)); // one instance per kernel
  return mod.syscalls.map((s) => ({
    nr: s.nr,
    name: s.name,
    args: argKinds(s),
    fn: (t: Task, a) => callHandler(get(t.kernel), s, t, a.raw, { fuel, regionsFn, origin }),
  }));
}

function instantiate(module: WasmModule, kernel: Kernel): Instance {
  const inst: Instance = { exports: {}, memory: null!, fuel: null!, sp: null!, taskPtr: 0, lastTid: -1, ctx: null, pending: null };
  const host: ImportHost = {
    memory: () => inst.memory,
    ctx: () => inst.ctx!,
    log: (text) => log(inst, kernel, text),
    stop: (outcome, headline, fn) => stopReport(inst, outcome, headline, fn),
    warn: (where) => warnReport(inst, where),
  };
  const instance = new WA.Instance(module, { env: makeImports(host) });
  inst.exports = instance.exports as Record<string, unknown>;
  inst.memory = inst.exports.memory as WasmMemory;
  inst.fuel = inst.exports[FUEL_EXPORT] as WasmGlobal;
  inst.sp = inst.exports.__stack_pointer as WasmGlobal;
  const init = inst.exports.__kmod_init as (guard: bigint, key: bigint) => void;
  // Not from kernel.random: taking bytes from it would change what get_random_bytes gives the
  // calls (a patched kernel must give what the built-in sys_hello2 gives under --seed).
  const rnd = kernel.random.seeded ? new Uint8Array(SEEDED_GUARD) : randomBytes(16);
  const dv = new DataView(rnd.buffer, rnd.byteOffset, 16);
  // the guard's low byte is zero, as Linux's: a string copy that reaches the canary stops there
  init(dv.getBigUint64(0, true) & ~0xffn, dv.getBigUint64(8, true));
  inst.taskPtr = Number((inst.exports.__kmod_task as () => bigint)());
  runInitcalls(inst, kernel);
  return inst;
}

/** module_init() and *_initcall() functions, in level order, before the first call. */
function runInitcalls(inst: Instance, kernel: Kernel): void {
  const calls = Object.keys(inst.exports).filter((n) => n.startsWith("__kmod_initcall_")).sort();
  for (const name of calls) {
    inst.fuel.value = BigInt(DEFAULT_FUEL);
    inst.sp.value = BigInt(STACK_SIZE) - STACK_SLACK;
    try {
      const r = (inst.exports[name] as () => number)();
      if (r !== 0) kernel.printk.printk(KERN_WARNING, `initcall ${name.replace(/^__kmod_initcall_\d_/, "")} returned ${r}`);
    } catch (e) {
      kernel.printk.printk(KERN_EMERG, `initcall ${name.replace(/^__kmod_initcall_\d_/, "")} failed: ${(e as Error).message}`);
    }
  }
}

interface CallOpts {
  fuel: number;
  regionsFn: RegionsFn;
  origin: string;
}

function callHandler(inst: Instance, s: KmodSyscall, t: Task, raw: BigInt64Array, o: CallOpts): number {
  const state = kmodState(t.kernel);
  const regions = safeRegions(o.regionsFn, s.name, t, raw);
  const ctx: CallContext = { task: t, fn: `__do_sys_${s.name}`, accesses: [] };
  inst.ctx = ctx;
  setCurrent(inst, t);
  inst.fuel.value = BigInt(o.fuel);
  inst.sp.value = BigInt(STACK_SIZE) - STACK_SLACK;
  const entry = inst.exports[`__se_sys_${s.name}`] as (...a: bigint[]) => bigint;
  let ret: number | null = null;
  let outcome: CallOutcome = "returned";
  let message: string | undefined;
  try {
    const r = entry(raw[0]!, raw[1]!, raw[2]!, raw[3]!, raw[4]!, raw[5]!);
    ret = Number(BigInt.asIntN(64, r));
  } catch (e) {
    ({ outcome, message } = failure(inst, e, o));
  } finally {
    flushLog(inst, t.kernel);
    inst.ctx = null;
  }
  const { instructions } = fuelUsed(o.fuel, inst.fuel.value);
  const rec: CallRecord = {
    index: state.calls++,
    syscall: s.name,
    nr: s.nr,
    pid: t.tgid,
    tid: t.tid,
    comm: t.comm,
    args: [...raw].map((v) => `0x${BigInt.asUintN(64, v).toString(16)}`),
    ret,
    outcome,
    message,
    instructions: Number(instructions),
    accesses: ctx.accesses,
    regions,
  };
  if (state.records.length < MAX_RECORDS) state.records.push(rec);
  if (regions) {
    for (const f of analyzeCall(rec, ret, regions)) state.findings.push({ ...f, syscall: s.name, pid: rec.pid, tid: rec.tid, call: rec.index });
  }
  if (outcome !== "returned") {
    t.kernel.oopsCount++;
    t.kernel.reportOops(t, { call: s.name, nr: s.nr, origin: o.origin, message: message ?? outcome });
    t.kernel.killBySignal(t, outcome === "soft-lockup" ? SIGKILL : SIGSEGV, null, true);
    return 0; // the task is gone: nothing reads this
  }
  return ret!;
}

function safeRegions(fn: RegionsFn, name: string, t: Task, raw: BigInt64Array): Regions | null {
  try {
    return fn({ name, task: t, args: raw });
  } catch {
    return null;
  }
}

/** Fills `current` (struct task_struct in linux/sched.h: pid, tgid, uid, gid, comm[16]). */
function setCurrent(inst: Instance, t: Task): void {
  if (inst.lastTid === t.tid && inst.memory.buffer.byteLength > inst.taskPtr + 32) return;
  const b = new DataView(inst.memory.buffer, inst.taskPtr, 32);
  b.setInt32(0, t.tid, true);
  b.setInt32(4, t.tgid, true);
  b.setUint32(8, t.cred?.uid ?? 0, true);
  b.setUint32(12, t.cred?.gid ?? 0, true);
  const comm = new TextEncoder().encode(t.comm.slice(0, 15));
  const bytes = new Uint8Array(inst.memory.buffer, inst.taskPtr + 16, 16);
  bytes.fill(0);
  bytes.set(comm);
  inst.lastTid = t.tid;
}

/** How a call that threw ended, with its report in the kernel log. */
function failure(inst: Instance, e: unknown, o: CallOpts): { outcome: CallOutcome; message: string } {
  if (e instanceof KmodStop) return { outcome: e.outcome, message: e.message };
  const ctx = inst.ctx!;
  const t = ctx.task;
  const log = t.kernel.printk;
  const err = e instanceof Error ? e : new Error(String(e));
  const frames = wasmFrames(err.stack ?? "");
  const where = frames[0] ?? ctx.fn;
  if (fuelUsed(o.fuel, inst.fuel.value).exhausted) {
    const line = `watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [${t.comm}:${t.tid}]`;
    log.printk(KERN_EMERG, line);
    log.printk(KERN_EMERG, `CPU: 0 PID: ${t.tid} Comm: ${t.comm} Tainted: G             L     (sysemu kmod)`);
    log.printk(KERN_EMERG, `RIP: ${where}`);
    trace(log, frames);
    return { outcome: "soft-lockup", message: `${line} (${o.fuel} instructions in ${ctx.fn})` };
  }
  const msg = err.message;
  let head: string[];
  if (/out of bounds/.test(msg)) head = [`BUG: unable to handle page fault for address: (outside kernel memory) in ${where}`, "#PF: supervisor access in kernel mode", `Oops: 0000 [#${t.kernel.oopsCount + 1}] SMP`];
  else if (/divi(de|sion) by zero|integer overflow/.test(msg)) head = [`divide error: 0000 [#${t.kernel.oopsCount + 1}] SMP`];
  else if (/unreachable/.test(msg)) head = [`invalid opcode: 0000 [#${t.kernel.oopsCount + 1}] SMP`];
  else if (e instanceof RangeError && /call stack/i.test(msg)) head = [`BUG: kernel stack overflow in ${where}`, `Oops: 0000 [#${t.kernel.oopsCount + 1}] SMP`];
  else head = [`BUG: ${err.name}: ${msg} in ${where}`, `Oops: 0000 [#${t.kernel.oopsCount + 1}] SMP`];
  head.forEach((l, i) => log.printk(i === 0 ? KERN_ALERT : KERN_EMERG, l));
  log.printk(KERN_EMERG, `CPU: 0 PID: ${t.tid} Comm: ${t.comm} (sysemu kmod)`);
  log.printk(KERN_EMERG, `RIP: ${where} (${msg})`);
  trace(log, frames);
  log.printk(KERN_EMERG, "---[ end trace ]---");
  return { outcome: "oops", message: `${head[0]} (${msg})` };
}

/** BUG() and the stack protector: the report for the current call; the caller throws. */
function stopReport(inst: Instance, outcome: "stack-protector" | "bug", headline: string[], fn?: string): KmodStop {
  const t = inst.ctx!.task;
  const log = t.kernel.printk;
  flushLog(inst, t.kernel);
  const frames = wasmFrames(new Error().stack ?? "");
  if (outcome === "bug") log.printk(KERN_WARNING, "------------[ cut here ]------------");
  headline.forEach((l) => log.printk(KERN_EMERG, l));
  if (outcome === "bug") log.printk(KERN_EMERG, `invalid opcode: 0000 [#${t.kernel.oopsCount + 1}] SMP`);
  log.printk(KERN_EMERG, `CPU: 0 PID: ${t.tid} Comm: ${t.comm} (sysemu kmod)`);
  if (outcome === "bug") log.printk(KERN_EMERG, `RIP: ${frames[0] ?? fn ?? inst.ctx!.fn}`);
  trace(log, frames);
  log.printk(KERN_EMERG, outcome === "bug" ? "---[ end trace ]---" : `---[ end Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: ${fn} ]---`);
  return new KmodStop(outcome, headline[headline.length - 1] === "kernel BUG at mm/usercopy.c:99!" ? headline[0]! : headline[0]!);
}

function warnReport(inst: Instance, where: string): void {
  const t = inst.ctx!.task;
  const log = t.kernel.printk;
  flushLog(inst, t.kernel);
  const frames = wasmFrames(new Error().stack ?? "");
  log.printk(KERN_WARNING, "------------[ cut here ]------------");
  log.printk(KERN_WARNING, `WARNING: CPU: 0 PID: ${t.tid} at ${where} ${frames[0] ?? inst.ctx!.fn}`);
  trace(log, frames);
  log.printk(KERN_WARNING, "---[ end trace ]---");
}

function trace(log: Kernel["printk"], frames: string[]): void {
  if (frames.length === 0) return;
  log.printk(KERN_EMERG, "Call Trace:");
  for (const f of frames.slice(0, 12)) log.printk(KERN_EMERG, ` ${f}`);
}

/** The module's frames in a V8 stack, innermost first; the entry shows as the handler. */
function wasmFrames(stack: string): string[] {
  const out: string[] = [];
  for (const m of stack.matchAll(/at (\S+) \(wasm:\/\/[^)]*:(0x[0-9a-f]+)\)/g)) {
    const name = m[1]!.startsWith("__se_sys_") ? `${m[1]} (entry)` : m[1]!;
    out.push(`${name}+${m[2]}`);
  }
  return out;
}

/** printk from the module: a level prefix (KERN_SOH + digit), KERN_CONT joining the line before. */
function log(inst: Instance, kernel: Kernel, text: string): void {
  let level = 4; // MESSAGE_LOGLEVEL_DEFAULT
  let cont = false;
  while (text.charCodeAt(0) === 1 && text.length >= 2) {
    const c = text[1]!;
    if (c >= "0" && c <= "7") level = c.charCodeAt(0) - 48;
    else if (c === "c") cont = true;
    text = text.slice(2);
  }
  if (cont && inst.pending) {
    inst.pending.text += text;
  } else {
    flushLog(inst, kernel);
    inst.pending = { level: cont ? KERN_INFO : level, text };
  }
  const p = inst.pending!;
  const nl = p.text.lastIndexOf("\n");
  if (nl >= 0) {
    kernel.printk.printk(p.level, p.text.slice(0, nl));
    p.text = p.text.slice(nl + 1);
    if (p.text === "") inst.pending = null;
  }
}

function flushLog(inst: Instance, kernel: Kernel): void {
  if (inst.pending && inst.pending.text !== "") kernel.printk.printk(inst.pending.level, inst.pending.text);
  inst.pending = null;
}

/** How strace shows the arguments, from their declared C types. */
function argKinds(s: KmodSyscall): string[] {
  const types = s.types ?? [];
  return Array.from({ length: s.nargs }, (_, i) => {
    const t = (types[i] ?? "long").replace(/\b(const|volatile|__user)\b/g, "").replace(/\s+/g, " ").trim();
    if (/struct hello2_in\s*\*/.test(t)) return "hello2_in";
    if (/struct hello2_out\s*\*/.test(t)) return "hello2_out";
    if (/^char\s*\*$/.test(t) && /const/.test(types[i] ?? "")) return "str";
    if (t.includes("*")) return "ptr";
    if (/^(size_t|unsigned long|ulong)$/.test(t)) return "size";
    if (/^(unsigned|unsigned int|u32|uint|__u32)$/.test(t)) return "uint";
    if (/^(int|s32|pid_t|__s32)$/.test(t)) return "int";
    return "long";
  });
}
