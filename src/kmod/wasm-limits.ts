// The memory cap of a student module: its memory's declared maximum is rewritten to the cap,
// so memory.grow past it fails (kmalloc then returns NULL) whatever the code does.

import { uleb } from "../wasm/leb128.ts";

export class LimitError extends Error {}

/** Returns `wasm` with every defined memory's maximum set to at most `maxPages` (64 KiB pages). */
export function capMemory(wasm: Uint8Array, maxPages: number): Uint8Array {
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let pos = 8;
  while (pos < wasm.length) {
    const start = pos;
    const id = wasm[pos++]!;
    const [size, n] = readUleb(wasm, pos);
    pos += n;
    const end = pos + Number(size);
    if (end > wasm.length) throw new LimitError(`section ${id} runs past the end of the module`);
    parts.push(id === 5 ? rewriteMemories(wasm.subarray(pos, end), maxPages) : wasm.subarray(start, end));
    pos = end;
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function rewriteMemories(payload: Uint8Array, maxPages: number): Uint8Array {
  let pos = 0;
  const [count, n] = readUleb(payload, pos);
  pos += n;
  const body: number[] = [...uleb(Number(count))];
  for (let i = 0n; i < count; i++) {
    const flags = payload[pos++]!;
    const [min, a] = readUleb(payload, pos);
    pos += a;
    let max: bigint | null = null;
    if (flags & 1) {
      const [m, b] = readUleb(payload, pos);
      pos += b;
      max = m;
    }
    if (min > BigInt(maxPages)) throw new LimitError(`the module needs ${min} pages of memory at start, more than the cap of ${maxPages}`);
    const cap = max === null || max > BigInt(maxPages) ? BigInt(maxPages) : max;
    body.push(flags | 1, ...uleb(Number(min)), ...uleb(Number(cap)));
  }
  const sec = [5, ...uleb(body.length), ...body];
  return new Uint8Array(sec);
}

function readUleb(b: Uint8Array, pos: number): [bigint, number] {
  let v = 0n;
  let shift = 0n;
  let n = 0;
  for (;;) {
    const byte = b[pos + n];
    if (byte === undefined) throw new LimitError("truncated LEB128 number");
    n++;
    v |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if ((byte & 0x80) === 0) return [v, n];
  }
}
