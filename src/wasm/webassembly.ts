// The few parts of the WebAssembly JS API sysemu uses, typed here because the project compiles
// without lib.dom (which is where TypeScript declares them). Reached through globalThis so that
// nothing depends on a global declaration that a later lib change could duplicate.

/** A compiled module (WebAssembly.Module). */
export interface WasmModule {
  readonly __brand?: "WebAssembly.Module";
}

export interface ModuleImport {
  module: string;
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
}

export interface ModuleExport {
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
}

/** Linear memory; `buffer` is replaced (and the old one detached) when the memory grows. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export type ImportObject = Record<string, Record<string, unknown>>;

interface WebAssemblyApi {
  Module: { new (bytes: Uint8Array): WasmModule; imports(m: WasmModule): ModuleImport[]; exports(m: WasmModule): ModuleExport[] };
  Instance: new (m: WasmModule, imports: ImportObject) => WasmInstance;
  Memory: new (desc: { initial: number; maximum?: number }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
  CompileError: new (message?: string) => Error;
  LinkError: new (message?: string) => Error;
  RuntimeError: new (message?: string) => Error;
}

/** The host's WebAssembly namespace. */
export const WA = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** Whether `m` is a WebAssembly.Memory (an export of kind memory). */
export function isMemory(m: unknown): m is WasmMemory {
  return typeof m === "object" && m !== null && (m as { buffer?: unknown }).buffer instanceof ArrayBuffer && typeof (m as { grow?: unknown }).grow === "function";
}
