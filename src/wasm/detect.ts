// Telling a WebAssembly binary from an ELF before anything heavy is loaded: `sysemu run`
// reads eight bytes and picks the wasm runner or the ELF loader. Kept tiny on purpose: the CLI
// imports it on every `run`.

import { closeSync, openSync, readSync } from "node:fs";

/** "\0asm": every WebAssembly binary, core module or component, starts with it. */
const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * What the 4 bytes after the magic say. A core module has version 1, layer 0; a component
 * (the component model's binary format) has version 0x0d, layer 1. Anything else with the
 * magic is a WebAssembly binary of a kind sysemu cannot run.
 */
export type WasmKind = "module" | "component" | "unknown-wasm";

/** The kind of WebAssembly binary `head` starts, or null when it is not WebAssembly. */
export function wasmKind(head: Uint8Array): WasmKind | null {
  if (head.length < 4 || MAGIC.some((b, i) => head[i] !== b)) return null;
  if (head.length < 8) return "unknown-wasm";
  const version = head[4]! | (head[5]! << 8);
  const layer = head[6]! | (head[7]! << 8);
  if (version === 1 && layer === 0) return "module";
  if (version === 0x0d && layer === 1) return "component";
  return "unknown-wasm";
}

/** The wasm kind of a host file, or null when it is not WebAssembly or cannot be read. */
export function sniffWasmFile(path: string): WasmKind | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null; // the ELF path reports the open error in its own words
  }
  try {
    const head = new Uint8Array(8);
    const n = readSync(fd, head, 0, 8, 0);
    return wasmKind(head.subarray(0, n));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
