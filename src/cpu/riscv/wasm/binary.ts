// A small WebAssembly binary writer for the translation tier: an instruction stream with the
// few opcodes the tier uses, and the module around one function (memory and helpers imported).
// Only what the tier needs: one type per import, one exported function, no tables or globals.

import { sleb, uleb } from "../../../wasm/leb128.ts";

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const VOID = 0x40;

/** Opcodes (the WebAssembly core specification's numbering). */
export const enum W {
  unreachable = 0x00, block = 0x02, loop = 0x03, if = 0x04, else = 0x05, end = 0x0b,
  br = 0x0c, br_if = 0x0d, br_table = 0x0e, return = 0x0f, call = 0x10, call_indirect = 0x11, drop = 0x1a, select = 0x1b,
  local_get = 0x20, local_set = 0x21, local_tee = 0x22,
  i32_load = 0x28, i64_load = 0x29, f64_load = 0x2b,
  i64_load8_s = 0x30, i64_load8_u = 0x31, i64_load16_s = 0x32, i64_load16_u = 0x33,
  i64_load32_s = 0x34, i64_load32_u = 0x35,
  i32_store = 0x36, i64_store = 0x37, f64_store = 0x39, i64_store8 = 0x3c, i64_store16 = 0x3d, i64_store32 = 0x3e,
  i32_const = 0x41, i64_const = 0x42,
  i32_eqz = 0x45, i32_eq = 0x46, i32_ne = 0x47, i32_lt_s = 0x48, i32_le_u = 0x4d,
  i64_eqz = 0x50, i64_eq = 0x51, i64_ne = 0x52, i64_lt_s = 0x53, i64_lt_u = 0x54, i64_gt_s = 0x55,
  i64_gt_u = 0x56, i64_ge_s = 0x59, i64_ge_u = 0x5a,
  i32_clz = 0x67, i32_ctz = 0x68, i32_popcnt = 0x69, i32_add = 0x6a, i32_sub = 0x6b, i32_mul = 0x6c,
  i32_div_s = 0x6d, i32_div_u = 0x6e, i32_rem_s = 0x6f, i32_rem_u = 0x70, i32_and = 0x71,
  i32_or = 0x72, i32_xor = 0x73, i32_shl = 0x74, i32_shr_s = 0x75, i32_shr_u = 0x76,
  i32_rotl = 0x77, i32_rotr = 0x78,
  i64_clz = 0x79, i64_ctz = 0x7a, i64_popcnt = 0x7b, i64_add = 0x7c, i64_sub = 0x7d, i64_mul = 0x7e,
  i64_div_s = 0x7f, i64_div_u = 0x80, i64_rem_s = 0x81, i64_rem_u = 0x82, i64_and = 0x83,
  i64_or = 0x84, i64_xor = 0x85, i64_shl = 0x86, i64_shr_s = 0x87, i64_shr_u = 0x88,
  i64_rotl = 0x89, i64_rotr = 0x8a,
  i32_wrap_i64 = 0xa7, i64_extend_i32_s = 0xac, i64_extend_i32_u = 0xad, f64_convert_i64_u = 0xba,
  i64_extend8_s = 0xc2, i64_extend16_s = 0xc3,
}

/** An instruction stream: a growable byte array with helpers for immediates. */
export class Code {
  bytes = new Uint8Array(1024);
  length = 0;

  put(b: number): void {
    if (this.length === this.bytes.length) {
      const n = new Uint8Array(this.bytes.length * 2);
      n.set(this.bytes);
      this.bytes = n;
    }
    this.bytes[this.length++] = b;
  }

  op(o: W): this {
    this.put(o);
    return this;
  }
  raw(bs: number[]): this {
    for (const b of bs) this.put(b);
    return this;
  }
  // LEB128 written straight into the stream, in numbers: regions are compiled while the
  // program waits, and BigInt or array temporaries per constant were a good part of it
  u(n: number): this {
    for (;;) {
      const b = n % 128;
      n = Math.floor(n / 128);
      if (n === 0) return this.op(b);
      this.put(b | 0x80);
    }
  }
  i32(n: number): this {
    return this.op(W.i32_const).sNum(n | 0);
  }
  i64(n: bigint): this {
    const v = BigInt.asIntN(64, n);
    if (v >= -0x20000000000000n && v <= 0x1fffffffffffffn) return this.i64n(Number(v));
    return this.op(W.i64_const).raw(sleb(v));
  }
  /** i64.const of a safe integer. */
  i64n(n: number): this {
    return this.op(W.i64_const).sNum(n);
  }
  // signed LEB128 of a safe integer (division by 128 and floor are exact there)
  private sNum(n: number): this {
    for (;;) {
      const q = Math.floor(n / 128);
      const b = n - q * 128;
      if ((q === 0 && (b & 0x40) === 0) || (q === -1 && (b & 0x40) !== 0)) return this.op(b);
      this.put(b | 0x80);
      n = q;
    }
  }
  get(l: number): this {
    return this.op(W.local_get).u(l);
  }
  set(l: number): this {
    return this.op(W.local_set).u(l);
  }
  tee(l: number): this {
    return this.op(W.local_tee).u(l);
  }
  /** A load or store with its memarg: log2 of the alignment and a constant offset. */
  mem(o: W, align: number, offset = 0): this {
    return this.op(o).u(align).u(offset);
  }
  br(depth: number): this {
    return this.op(W.br).u(depth);
  }
  /** Opens a block, loop or if of the given result type (VOID for none). */
  open(o: W.block | W.loop | W.if, type = VOID): this {
    return this.op(o).raw([type]);
  }
  end(): this {
    return this.op(W.end);
  }
  brTable(targets: number[], dflt: number): this {
    this.op(W.br_table).u(targets.length);
    for (const t of targets) this.u(t);
    return this.u(dflt);
  }
  call(f: number): this {
    return this.op(W.call).u(f);
  }
  /** Appends another stream's bytes. */
  bytesFrom(o: Code): this {
    while (this.length + o.length > this.bytes.length) {
      const n = new Uint8Array(this.bytes.length * 2);
      n.set(this.bytes);
      this.bytes = n;
    }
    this.bytes.set(o.toArray(), this.length);
    this.length += o.length;
    return this;
  }
  toArray(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

export interface FuncImport {
  module: string;
  name: string;
  params: number[];
  results: number[];
}

export interface ModuleSpec {
  /** The memory every function works on (imported as env.mem: shared, min..max 64 KiB pages). */
  memoryPages: { min: number; max: number; shared: boolean };
  imports: FuncImport[];
  /** Import env.tbl, a funcref table (for call_indirect through it). */
  table?: boolean;
  /** Function types after the imports' and the function's own (for call_indirect). */
  extraTypes?: [number[], number[]][];
  /** The one exported function, "run". */
  params: number[];
  results: number[];
  /** Local declarations after the parameters: [count, type] runs. */
  locals: [number, number][];
  /** The function's instructions, in pieces. */
  body: Code[];
}

function vec(items: number[][]): number[] {
  const out = uleb(items.length);
  for (const it of items) for (const b of it) out.push(b);
  return out;
}

function str(s: string): number[] {
  const out = uleb(s.length); // ASCII names only
  for (let k = 0; k < s.length; k++) out.push(s.charCodeAt(k));
  return out;
}

function funcType(params: number[], results: number[]): number[] {
  return [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
}

/** The binary module: imports (functions 0..n-1, then the memory), function n exported as "run". */
export function buildModule(spec: ModuleSpec): Uint8Array {
  const out = new Code();
  const section = (id: number, content: number[]) => out.raw([id]).u(content.length).raw(content);
  out.raw([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const extra = (spec.extraTypes ?? []).map(([p, r]) => funcType(p, r));
  section(1, vec([...spec.imports.map((i) => funcType(i.params, i.results)), funcType(spec.params, spec.results), ...extra]));
  const m = spec.memoryPages;
  const limits = [m.shared ? 0x03 : 0x01, ...uleb(m.min), ...uleb(m.max)];
  section(2, vec([
    ...spec.imports.map((imp, k) => [...str(imp.module), ...str(imp.name), 0x00, ...uleb(k)]),
    [...str("env"), ...str("mem"), 0x02, ...limits],
    ...(spec.table ? [[...str("env"), ...str("tbl"), 0x01, 0x70, 0x00, 0x01]] : []),
  ]));
  const n = spec.imports.length;
  section(3, vec([uleb(n)]));
  section(7, vec([[...str("run"), 0x00, ...uleb(n)]]));
  // the code section: one body of locals, instructions and `end`, written without copies
  const locals = vec(spec.locals.map(([count, t]) => [...uleb(count), t]));
  const parts = spec.body;
  let bodyLen = locals.length + 1;
  for (const p of parts) bodyLen += p.length;
  const fnSize = uleb(bodyLen);
  out.raw([10]).u(1 + fnSize.length + bodyLen).u(1).raw(fnSize).raw(locals);
  for (const p of parts) out.bytesFrom(p);
  out.op(W.end);
  return out.toArray().slice();
}
