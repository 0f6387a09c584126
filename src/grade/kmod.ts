// The grader's one door to src/kmod (the engine that turns a kernel patch into syscalls):
// compile a submission's patch once per distinct text, make a fresh instance of its module for
// each test's kernel, and collect the uaccess findings of a run. Kept thin so that the rest of
// src/grade does not depend on kmod's internals.

import type { Kernel } from "../kernel/kernel.ts";
import type { PluginSyscall } from "../kernel/plugins.ts";
import type { Finding } from "./check.ts";
import type { EventTrace } from "./trace.ts";

export interface KernelCode {
  /** The syscalls the patch defines, with their numbers. */
  syscalls: { name: string; nr: number; nargs: number }[];
  warnings: string[];
  /** The handlers, for the table of a booted kernel (each kernel gets an instance of its own). */
  instantiate(): PluginSyscall[];
  /** Hooks a booted kernel so that its run's uaccess findings can be read afterwards. */
  attach(kernel: Kernel, trace: EventTrace): void;
  findings(kernel: Kernel): Finding[];
}

/** A patch that does not build: the message is the compiler's (or the parser's). */
export class PatchError extends Error {}

export interface CompileOptions {
  fallbackNumbers: Record<string, number>;
  cacheDir: string;
  fuel: number;
  memoryPages: number;
  /** The patch's file name, for oops reports. */
  origin: string;
}

type KmodModule = typeof import("./kmod-link.ts").kmod;

let kmod: Promise<KmodModule | null> | null = null;

/** src/kmod, loaded on the first patch (or null in a build without it). */
function loadKmod(): Promise<KmodModule | null> {
  kmod ??= import("./kmod-link.ts").then((m) => m.kmod as KmodModule | null);
  return kmod;
}

/** Compiles a patch (kmod caches by content in cacheDir); throws PatchError with a readable reason. */
export async function compilePatch(text: string, o: CompileOptions): Promise<KernelCode> {
  const k = await loadKmod();
  if (!k) throw new PatchError("this sysemu was built without the kernel-patch engine (src/kmod): kernel patches cannot be graded");
  let mod;
  try {
    mod = await k.compileKernelPatch(text, { arch: "riscv64", fallbackNumbers: o.fallbackNumbers, cacheDir: o.cacheDir });
  } catch (e) {
    if (e instanceof k.KmodError) throw new PatchError((e as Error).message);
    throw e;
  }
  // One WebAssembly.Module for every test: kmodSyscalls' handlers instantiate it once per kernel.
  const calls = k.kmodSyscalls(mod, { fuel: o.fuel, memoryPages: o.memoryPages, origin: o.origin });
  return {
    syscalls: mod.syscalls,
    warnings: mod.warnings,
    instantiate: () => calls,
    attach: () => {},
    findings: (kernel) => k.kmodState(kernel).findings.map((f) => ({ kind: f.kind, message: f.message })),
  };
}
