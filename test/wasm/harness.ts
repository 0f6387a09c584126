// A wasm guest without a module: the kernel booted as `sysemu run x.wasm` boots it, with a
// linear memory attached, so tests can call the import functions as a module would.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootWasm, type WasmBoot, type WasmRunOptions } from "../../src/wasm/boot.ts";
import { linuxImports } from "../../src/wasm/linux.ts";
import { preview1Imports } from "../../src/wasm/preview1/index.ts";
import { WA, type WasmMemory } from "../../src/wasm/webassembly.ts";
import { uleb } from "../../src/wasm/leb128.ts";

export interface TestGuest {
  boot: WasmBoot;
  memory: WasmMemory;
  wasi: Record<string, (...a: unknown[]) => number>;
  linux: Record<string, (...a: unknown[]) => bigint>;
  /** A fresh temporary directory preopened as fd 4 ("/sandbox"). */
  dir: string;
  bytes(): Uint8Array;
  put(addr: number, data: Uint8Array | string): void;
}

/** Boots a guest with one page (64 KiB) of memory and a temporary directory at fd 4. */
export async function testGuest(opts: WasmRunOptions = {}, pages = 1): Promise<TestGuest> {
  const dir = mkdtempSync(join(tmpdir(), "sysemu-wasm-"));
  const boot = await bootWasm("test.wasm", ["x"], { clearEnv: true, env: ["A=1"], dir: [`${dir}:/sandbox`], ...opts }, () => {});
  const memory = new WA.Memory({ initial: pages });
  boot.mm.attach(memory);
  const bytes = () => new Uint8Array(memory.buffer);
  return {
    boot,
    memory,
    wasi: preview1Imports(boot.guest, boot.wasi),
    linux: linuxImports(boot.guest, boot.regs),
    dir,
    bytes,
    put: (addr, data) => bytes().set(typeof data === "string" ? new TextEncoder().encode(data) : data, addr),
  };
}

/** Reads a little-endian u32 of guest memory. */
export function u32(g: TestGuest, addr: number): number {
  return new DataView(g.memory.buffer).getUint32(addr, true);
}

/** An i32 argument as wasm passes it to JS: signed. */
export function i32(v: number): number {
  return v | 0;
}

/** Builds a minimal wasm module: imports, one memory page, and `_start` with the given body. */
export function buildModule(imports: readonly { module: string; name: string; params: readonly ("i32" | "i64")[]; result: "i32" | "i64" | null }[], body: number[], extraExports: "memory" | "none" = "memory"): Uint8Array {
  const T = { i32: 0x7f, i64: 0x7e } as const;
  const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const str = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const types = imports.map((i) => [0x60, ...vec(i.params.map((p) => [T[p]])), ...(i.result ? [1, T[i.result]] : [0])]);
  types.push([0x60, 0, 0]); // _start: [] -> []
  const startType = types.length - 1;
  const importSec = vec(imports.map((im, idx) => [...str(im.module), ...str(im.name), 0x00, ...uleb(idx)]));
  const funcSec = vec([[...uleb(startType)]]);
  const memSec = vec([[0x00, 0x01]]);
  const exportItems = [[...str("_start"), 0x00, ...uleb(imports.length)]];
  if (extraExports === "memory") exportItems.push([...str("memory"), 0x02, 0x00]);
  const code = [0x00, ...body, 0x0b]; // no locals
  const codeSec = vec([[...uleb(code.length), ...code]]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)), ...section(2, importSec), ...section(3, funcSec), ...section(5, memSec),
    ...section(7, vec(exportItems)), ...section(10, codeSec),
  ]);
}

export { sleb, uleb } from "../../src/wasm/leb128.ts";
