// --max-insns for WebAssembly core modules: the module is rewritten so that it counts its own
// instructions in a fuel global and traps once the budget is spent.
//
// What is added: one mutable i64 global at the end of the global index space (so no global.get
// or global.set in the module is renumbered), exported as `__sysemu_fuel` so the host can read
// it, and a charge at the start of every straight-line run of instructions in every function
// body. No function, type or import is added: function and type indices (and with them the
// `name` section, elements and tables) stay valid, and every section but the code, global and
// export sections is copied byte for byte, in place.
//
// What counts: every instruction of the abstract syntax executed by the guest's own code, one
// each whatever it costs; `else`, `end`, `catch`, `catch_all` and `delegate` are delimiters of
// block instructions, not instructions, and count nothing. Host functions (WASI, system calls)
// count nothing. A run ends after every instruction that can transfer control (block, loop, if,
// branches, calls, return, throw ...) and at every delimiter, so a run that starts is run to its
// end unless an instruction in it traps. The charge for a run is taken at its start, before any
// of its instructions: the guest stops at the start of the first run that does not fit in what
// is left, so it executes at most N instructions, and exactly N only when a run ends on the Nth.
// A loop's body is charged on every iteration because its charge sits inside the loop, after
// the `loop` instruction (which counts once, on entry).
//
// Decoded: the MVP, sign extension, saturating truncation and bulk memory (0xFC), reference
// types, typed function references, SIMD and relaxed SIMD (0xFD), threads (0xFE), multi-value
// block types, multi-memory memargs, tail calls and exceptions (legacy try/catch and try_table).
// Anything else (GC's 0xFB prefix, for one) is a MeterError naming the opcode and its offset.
//
// Exhaustion: the charge subtracts K (the run's length) from the fuel; when the result is
// negative it puts back K less BIAS and executes `unreachable`. The fuel after the trap is then
// (what was left) - BIAS: far below anything a running guest holds, which tells this trap from
// the guest's own `unreachable`, and still gives the exact count executed for --stats.

import type { WasmMeter } from "./boot.ts";
import { sleb, uleb } from "./leb128.ts";

/** Thrown for a module the meter cannot rewrite: an opcode it does not know, or a malformed binary. */
export class MeterError extends Error {}

/** The name the fuel global is exported under. */
export const FUEL_EXPORT = "__sysemu_fuel";

const BIAS = 1n << 62n;
/** The most fuel a guest is given: a larger budget is, in practice, no limit. */
const MAX_FUEL = 1n << 61n;

/** Section ids, and the order the binary format requires of the non-custom ones. */
const SEC_CUSTOM = 0, SEC_IMPORT = 2, SEC_GLOBAL = 6, SEC_EXPORT = 7, SEC_CODE = 10;
const SECTION_RANK: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };

/**
 * Returns `bytes` rewritten to count its instructions against a fuel global that starts at
 * `budget` (see the top of this file). The budget is the global's initial value rather than
 * set after instantiation because a start function runs during instantiation.
 */
export function instrument(bytes: Uint8Array, budget: number | bigint = 0): Uint8Array {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new MeterError("not a WebAssembly binary");
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) throw new MeterError("not a version 1 core module");
  const sections = readSections(bytes);
  const fuelIndex = importedGlobals(sections) + definedGlobals(sections);
  const fuel = BigInt(budget) > MAX_FUEL ? MAX_FUEL : BigInt(budget);

  const globalEntry = [0x7e, 0x01, 0x42, ...sleb(fuel), 0x0b]; // mut i64 = i64.const budget
  appendEntry(sections, SEC_GLOBAL, globalEntry);
  if (exportNames(sections).includes(FUEL_EXPORT)) throw new MeterError(`it already exports ${FUEL_EXPORT}`);
  appendEntry(sections, SEC_EXPORT, [...name(FUEL_EXPORT), 0x03, ...uleb(fuelIndex)]);
  const code = sections.find((s) => s.id === SEC_CODE);
  if (code) {
    code.payload = meterCode(code.payload, code.offset, fuelIndex);
    code.raw = null;
  }

  const out = new ByteWriter();
  out.bytes(bytes.subarray(0, 8));
  for (const s of sections) {
    if (s.raw) out.bytes(s.raw);
    else {
      out.byte(s.id);
      out.uleb(s.payload.length);
      out.bytes(s.payload);
    }
  }
  return out.result();
}

/** How a fuel global left by an instrumented guest reads: instructions executed, and whether it ran out. */
export function fuelUsed(budget: number | bigint, left: bigint): { instructions: bigint; exhausted: boolean } {
  const start = BigInt(budget) > MAX_FUEL ? MAX_FUEL : BigInt(budget);
  if (left < -(BIAS >> 1n)) return { instructions: start - (left + BIAS), exhausted: true };
  return { instructions: start - left, exhausted: false };
}

/** The meter of an instance of a module `instrument` rewrote with `budget`. */
export function fuelMeter(budget: number, exports: Record<string, unknown>): WasmMeter {
  const global = exports[FUEL_EXPORT] as { value: bigint } | undefined;
  if (!global || typeof global.value !== "bigint") throw new MeterError(`the instance has no i64 global ${FUEL_EXPORT}`);
  const started = performance.now();
  return {
    read: () => {
      const { instructions, exhausted } = fuelUsed(budget, global.value);
      return { instructions: Number(instructions), exhausted, wallMs: performance.now() - started };
    },
  };
}

// ---- sections ----

interface Section {
  id: number;
  payload: Uint8Array;
  /** Where the payload starts in the original file (for error messages). */
  offset: number;
  /** The original bytes (id, size, payload) while the section is unchanged. */
  raw: Uint8Array | null;
}

function readSections(bytes: Uint8Array): Section[] {
  const r = new Reader(bytes, 8);
  const sections: Section[] = [];
  while (!r.done()) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const offset = r.pos;
    if (offset + size > bytes.length) throw new MeterError(`section ${id} at byte ${start} runs past the end of the file`);
    r.pos = offset + size;
    sections.push({ id, payload: bytes.subarray(offset, offset + size), offset, raw: bytes.subarray(start, offset + size) });
  }
  return sections;
}

/** Appends one entry to a vector section, creating the section in its place if it is absent. */
function appendEntry(sections: Section[], id: number, entry: number[]): void {
  let s = sections.find((x) => x.id === id);
  if (!s) {
    const rank = SECTION_RANK[id]!;
    const at = sections.findIndex((x) => x.id !== SEC_CUSTOM && (SECTION_RANK[x.id] ?? 0) > rank);
    s = { id, payload: new Uint8Array([0]), offset: 0, raw: null };
    sections.splice(at < 0 ? sections.length : at, 0, s);
  }
  const r = new Reader(s.payload, 0);
  const count = r.u32();
  const out = new ByteWriter();
  out.uleb(count + 1);
  out.bytes(s.payload.subarray(r.pos));
  out.bytes(entry);
  s.payload = out.result();
  s.raw = null;
}

function importedGlobals(sections: Section[]): number {
  const s = sections.find((x) => x.id === SEC_IMPORT);
  if (!s) return 0;
  const r = new Reader(s.payload, 0, s.offset);
  let globals = 0;
  for (let n = r.u32(); n > 0; n--) {
    r.skip(r.u32()); // module
    r.skip(r.u32()); // name
    const kind = r.byte();
    if (kind === 0x00) r.u32();
    else if (kind === 0x01) { valType(r); limits(r); }
    else if (kind === 0x02) limits(r);
    else if (kind === 0x03) { valType(r); r.byte(); globals++; }
    else if (kind === 0x04) { r.byte(); r.u32(); }
    else throw r.error(`unknown import kind 0x${hex(kind)}`);
  }
  return globals;
}

function definedGlobals(sections: Section[]): number {
  const s = sections.find((x) => x.id === SEC_GLOBAL);
  return s ? new Reader(s.payload, 0, s.offset).u32() : 0;
}

function exportNames(sections: Section[]): string[] {
  const s = sections.find((x) => x.id === SEC_EXPORT);
  if (!s) return [];
  const r = new Reader(s.payload, 0, s.offset);
  const names: string[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const len = r.u32();
    names.push(new TextDecoder().decode(s.payload.subarray(r.pos, r.pos + len)));
    r.skip(len);
    r.byte();
    r.u32();
  }
  return names;
}

function limits(r: Reader): void {
  const flags = r.byte();
  r.leb();
  if (flags & 1) r.leb();
}

/** Skips a value type: one byte, or a typed reference (0x63/0x64) and its heap type. */
function valType(r: Reader): void {
  const b = r.byte();
  if (b === 0x63 || b === 0x64) r.leb();
}

/** Skips a block type: empty (0x40), a value type, or a type index (s33). */
function blockType(r: Reader): void {
  const b = r.peek();
  if (b === 0x63 || b === 0x64) valType(r);
  else r.leb();
}

// ---- function bodies ----

function meterCode(payload: Uint8Array, offset: number, fuel: number): Uint8Array {
  const r = new Reader(payload, 0, offset);
  const out = new ByteWriter();
  const n = r.u32();
  out.uleb(n);
  const charge = chargeCode(fuel);
  for (let i = 0; i < n; i++) {
    const size = r.u32();
    const start = r.pos;
    if (start + size > payload.length) throw r.error(`function body ${i} runs past the end of the code section`);
    const body = meterBody(new Reader(payload.subarray(start, start + size), 0, offset + start), charge, i);
    out.uleb(body.length);
    out.bytes(body);
    r.pos = start + size;
  }
  return out.result();
}

/** Instructions after which a new run starts: they transfer control, or delimit a block. */
const ENDS_RUN = new Set([
  0x00, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
  0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x18, 0x19, 0x1f, 0xd5, 0xd6,
]);
/** Delimiters (else, end, catch, catch_all, delegate): part of a block instruction's syntax. */
const DELIMITER = new Set([0x05, 0x07, 0x0b, 0x18, 0x19]);

/** `body` with a charge at the start of each run of instructions (see the top of this file). */
function meterBody(r: Reader, charge: (k: number) => Uint8Array, index: number): Uint8Array {
  const body = r.buf;
  for (let n = r.u32(); n > 0; n--) {
    r.u32();
    valType(r);
  }
  const out = new ByteWriter();
  out.bytes(body.subarray(0, r.pos));
  let runStart = r.pos;
  let count = 0;
  const flush = () => {
    if (count > 0) out.bytes(charge(count));
    out.bytes(body.subarray(runStart, r.pos));
    runStart = r.pos;
    count = 0;
  };
  try {
    while (!r.done()) {
      const op = r.byte();
      immediates(r, op);
      if (!DELIMITER.has(op)) count++;
      if (ENDS_RUN.has(op)) flush();
    }
  } catch (e) {
    if (e instanceof MeterError) throw new MeterError(`${e.message} (in function body ${index})`);
    throw e;
  }
  if (body[body.length - 1] !== 0x0b) throw r.error(`function body ${index} does not end with end`);
  flush();
  return out.result();
}

/** The charge for a run of k instructions, against global `fuel`; memoized per k. */
function chargeCode(fuel: number): (k: number) => Uint8Array {
  const g = uleb(fuel);
  const memo = new Map<number, Uint8Array>();
  return (k) => {
    let c = memo.get(k);
    if (!c) {
      c = new Uint8Array([
        0x23, ...g, 0x42, ...sleb(BigInt(k)), 0x7d, 0x24, ...g, // fuel -= k
        0x23, ...g, 0x42, 0x00, 0x53, 0x04, 0x40, //               if (fuel < 0)
        0x23, ...g, 0x42, ...sleb(BigInt(k) - BIAS), 0x7c, 0x24, ...g, //   fuel += k - BIAS
        0x00, 0x0b, //                                                       unreachable
      ]);
      memo.set(k, c);
    }
    return c;
  };
}

/** Skips the immediates of instruction `op` (already read); throws for an opcode it does not know. */
function immediates(r: Reader, op: number): void {
  if (op >= 0x45 && op <= 0xc4) return; // numeric, including sign extension: no immediates
  if (op >= 0x28 && op <= 0x3e) return memarg(r);
  switch (op) {
    case 0x00: case 0x01: case 0x05: case 0x0a: case 0x0b: case 0x0f: case 0x19: case 0x1a: case 0x1b:
    case 0xd1: case 0xd3: case 0xd4:
      return;
    case 0x02: case 0x03: case 0x04: case 0x06:
      return blockType(r);
    case 0x07: case 0x08: case 0x09: case 0x0c: case 0x0d: case 0x10: case 0x12: case 0x14: case 0x15: case 0x18:
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0x3f: case 0x40:
    case 0xd2: case 0xd5: case 0xd6:
      r.u32();
      return;
    case 0x0e:
      for (let n = r.u32() + 1; n > 0; n--) r.u32();
      return;
    case 0x11: case 0x13:
      r.u32();
      r.u32();
      return;
    case 0x1c:
      for (let n = r.u32(); n > 0; n--) valType(r);
      return;
    case 0x1f:
      return tryTable(r);
    case 0x41: case 0x42: case 0xd0:
      r.leb();
      return;
    case 0x43:
      r.skip(4);
      return;
    case 0x44:
      r.skip(8);
      return;
    case 0xfc:
      return miscOp(r);
    case 0xfd:
      return simdOp(r);
    case 0xfe:
      return atomicOp(r);
  }
  throw r.error(`unknown opcode 0x${hex(op)}`, 1);
}

function tryTable(r: Reader): void {
  blockType(r);
  for (let n = r.u32(); n > 0; n--) {
    const kind = r.byte();
    if (kind === 0x00 || kind === 0x01) r.u32(); // catch, catch_ref: a tag
    else if (kind !== 0x02 && kind !== 0x03) throw r.error(`unknown try_table catch kind 0x${hex(kind)}`, 1);
    r.u32(); // the label
  }
}

/** A memory access's alignment and offset; bit 6 of the alignment says a memory index follows. */
function memarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32();
  r.leb();
}

/** 0xFC: saturating truncation, bulk memory and table instructions. */
function miscOp(r: Reader): void {
  const start = r.pos;
  const sub = r.u32();
  if (sub <= 7) return;
  switch (sub) {
    case 8: case 10: case 12: case 14:
      r.u32();
      r.u32();
      return;
    case 9: case 11: case 13: case 15: case 16: case 17:
      r.u32();
      return;
  }
  throw r.error(`unknown opcode 0xfc ${sub}`, r.pos - start + 1);
}

/** 0xFD: SIMD (fixed width and relaxed). */
function simdOp(r: Reader): void {
  const start = r.pos;
  const sub = r.u32();
  if (sub <= 11 || sub === 92 || sub === 93) return memarg(r); // loads, store, load32/64_zero
  if (sub === 12 || sub === 13) return r.skip(16); // v128.const, i8x16.shuffle
  if (sub >= 21 && sub <= 34) return r.skip(1); // extract_lane, replace_lane
  if (sub >= 84 && sub <= 91) { // load_lane, store_lane
    memarg(r);
    r.skip(1);
    return;
  }
  if ((sub >= 14 && sub <= 20) || (sub >= 35 && sub <= 83) || (sub >= 94 && sub <= 0xff) || (sub >= 0x100 && sub <= 0x113)) return;
  throw r.error(`unknown opcode 0xfd ${sub}`, r.pos - start + 1);
}

/** 0xFE: threads (atomic memory accesses, wait/notify, fence). */
function atomicOp(r: Reader): void {
  const start = r.pos;
  const sub = r.u32();
  if (sub === 0x03) {
    r.byte(); // atomic.fence: a reserved 0x00
    return;
  }
  if (sub <= 0x02 || (sub >= 0x10 && sub <= 0x4e)) return memarg(r);
  throw r.error(`unknown opcode 0xfe ${sub}`, r.pos - start + 1);
}

// ---- bytes ----

class Reader {
  constructor(readonly buf: Uint8Array, public pos: number, readonly base = 0) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  peek(): number {
    if (this.pos >= this.buf.length) throw this.error("unexpected end");
    return this.buf[this.pos]!;
  }

  byte(): number {
    const b = this.peek();
    this.pos++;
    return b;
  }

  skip(n: number): void {
    if (this.pos + n > this.buf.length) throw this.error("unexpected end");
    this.pos += n;
  }

  /** An unsigned LEB128 of at most 32 bits. */
  u32(): number {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) {
        if (v > 0xffffffff) throw this.error("integer too large");
        return v;
      }
    }
    throw this.error("integer too long");
  }

  /** Skips a LEB128 of up to 64 bits, signed or not (the meter needs only its length). */
  leb(): void {
    for (let i = 0; i < 10; i++) if (!(this.byte() & 0x80)) return;
    throw this.error("integer too long");
  }

  /** An error at the byte `back` before the current position, as an offset in the file. */
  error(msg: string, back = 0): MeterError {
    return new MeterError(`${msg} at byte ${this.base + this.pos - back}`);
  }
}

class ByteWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array | number[]): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  uleb(n: number): void {
    this.bytes(uleb(n));
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}



function name(s: string): number[] {
  const b = new TextEncoder().encode(s);
  return [...uleb(b.length), ...b];
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}
