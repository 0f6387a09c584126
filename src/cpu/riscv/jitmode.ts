// Which compilers run hot guest code: chosen by SYSEMU_JIT (for tests and benchmarks) or by
// the command line (`--no-jit`).
//   wasm         hot regions become WebAssembly (the default)
//   wasm-always  every region is compiled to WebAssembly at its first execution (tests)
//   off, js      no WebAssembly tier: hot regions become JavaScript (the block compiler)
//   interp       no compiler at all: every instruction is interpreted

export type JitMode = "wasm" | "wasm-always" | "js" | "interp";

const MODES: Record<string, JitMode> = { wasm: "wasm", "wasm-always": "wasm-always", off: "js", js: "js", interp: "interp" };

let mode: JitMode | null = null;

/** The mode in force: set by setJitMode, else SYSEMU_JIT, else "wasm". */
export function jitMode(): JitMode {
  if (mode === null) {
    const env = typeof process !== "undefined" ? process.env.SYSEMU_JIT : undefined;
    mode = (env !== undefined && MODES[env]) || "wasm";
  }
  return mode;
}

/** Overrides SYSEMU_JIT (`--no-jit` is "off"). */
export function setJitMode(m: string): void {
  const v = MODES[m];
  if (v === undefined) throw new Error(`unknown JIT mode ${m}`);
  mode = v;
}
