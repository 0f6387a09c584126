// WASI preview1 imports with random arguments: a module made here imports every function
// sysemu implements and calls them with constants from the seed (pointers near and past the
// end of its two pages, paths that are and are not there, descriptors open and not), run as
// `sysemu run --root TMP` in process. Every import must return a WASI errno (0..76); an
// exception out of sysemu, an oops or a hang is a finding. proc_exit and proc_raise are left out
// (they end the module); poll_oneoff gets clock subscriptions of a millisecond.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runWasmCommand } from "../../src/wasm/run.ts";
import { PREVIEW1 } from "../../src/wasm/preview1/index.ts";
import { isI64, type ParamKind, type WasiDef } from "../../src/wasm/preview1/defs.ts";
import { sleb, uleb } from "../../src/wasm/leb128.ts";
import { caseSeed, Prng } from "./prng.ts";
import { captured, judge, type Finding } from "./report.ts";

const MEM = 2 * 65536;
const PATHS = ["tmp", "tmp/x", ".", "..", "missing/../tmp", "", "/", "tmp/../tmp/y", "a/b/c", "x".repeat(300), "tmp/x/", "prog.wasm"];
const PATH_AT = 1024; // PATHS[i] at PATH_AT + 512 * i
const SUBS_AT = 16384; // three clock subscriptions of 1 ms
const CALLS_PER_MODULE = 100;

const enc = new TextEncoder();
const str = (s: string) => [...uleb(enc.encode(s).length), ...enc.encode(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

function initialMemory(): Uint8Array {
  const m = new Uint8Array(32768);
  PATHS.forEach((p, i) => m.set(enc.encode(p), PATH_AT + 512 * i));
  const dv = new DataView(m.buffer);
  for (let i = 0; i < 3; i++) {
    const s = SUBS_AT + 48 * i;
    dv.setBigUint64(s, BigInt(i), true); // userdata
    m[s + 8] = 0; // EVENTTYPE_CLOCK
    dv.setUint32(s + 16, 1, true); // CLOCK_MONOTONIC
    dv.setBigUint64(s + 24, 1_000_000n, true); // 1 ms
  }
  return m;
}

function i32Arg(r: Prng, k: ParamKind): number {
  switch (r.below(6)) {
    case 0: return r.below(12); // descriptors, small counts
    case 1: return r.below(MEM);
    case 2: return MEM - r.below(64); // runs off the end
    case 3: return r.pick([0, -1, 0x7fffffff, MEM, MEM + 4096, 0x80000000 | 0]);
    case 4: return k === "fd" ? r.below(6) : r.u32() | 0;
    default: return r.below(256);
  }
}

/** The arguments of one call: i32 numbers and i64 bigints; paths mostly as (pointer, its length). */
function callArgs(r: Prng, name: string, def: WasiDef): (number | bigint)[] {
  const a: (number | bigint)[] = [];
  for (let i = 0; i < def.params.length; i++) {
    const k = def.params[i]!;
    if (isI64(k)) a.push(r.below(3) === 0 ? r.u64() : BigInt(r.below(4096)));
    else if (k === "path" && r.below(5) > 0) {
      const p = r.below(PATHS.length);
      a.push(PATH_AT + 512 * p, enc.encode(PATHS[p]!).length + (r.below(6) === 0 ? r.below(5) - 2 : 0));
      i++;
    } else a.push(i32Arg(r, k));
  }
  if (name === "poll_oneoff") { a[0] = SUBS_AT; a[2] = r.below(4); }
  return a;
}

function buildModule(r: Prng, names: string[]): Uint8Array {
  const defs = names.map((n) => PREVIEW1.get(n)!);
  const types = defs.map((d) => [0x60, ...vec(d.params.map((k) => [isI64(k) ? 0x7e : 0x7f])), 1, 0x7f]);
  types.push([0x60, 0, 0]);
  const imports = names.map((n, i) => [...str("wasi_snapshot_preview1"), ...str(n), 0, ...uleb(i)]);
  const body: number[] = [0];
  for (let c = 0; c < CALLS_PER_MODULE; c++) {
    const f = r.below(names.length);
    for (const v of callArgs(r, names[f]!, defs[f]!)) body.push(...(typeof v === "bigint" ? [0x42, ...sleb(BigInt.asIntN(64, v))] : [0x41, ...sleb(BigInt(v | 0))]));
    body.push(0x10, ...uleb(f), 0x1a); // call, drop
  }
  body.push(0x0b);
  const mem = initialMemory();
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec([uleb(names.length)])),
    ...section(5, vec([[0, ...uleb(MEM / 65536)]])),
    ...section(7, vec([[...str("memory"), 2, 0], [...str("_start"), 0, ...uleb(names.length)]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
    ...section(11, vec([[0, 0x41, 0, 0x0b, ...uleb(mem.length), ...mem]])),
  ]);
}

/** Wraps every import so that a result outside WASI's errno range is recorded. */
function checkResults(bad: string[]): () => void {
  const saved: [WasiDef, WasiDef["fn"]][] = [];
  for (const [name, def] of PREVIEW1) {
    const fn = def.fn;
    saved.push([def, fn]);
    (def as { fn: WasiDef["fn"] }).fn = (c, a) => {
      const ret = fn(c, a);
      if (!Number.isInteger(ret) || ret < 0 || ret > 76) bad.push(`${name}(${a.raw.map(String).join(", ")}) = ${ret}`);
      return ret;
    };
  }
  return () => { for (const [def, fn] of saved) (def as { fn: WasiDef["fn"] }).fn = fn; };
}

export async function fuzzWasi(seed: number, modules: number, dir: string, findings: Finding[], progress: (i: number) => void): Promise<number> {
  const names = [...PREVIEW1.keys()].filter((n) => n !== "proc_exit" && n !== "proc_raise").sort();
  const prog = join(dir, "prog.wasm");
  const bad: string[] = [];
  const restore = checkResults(bad);
  try {
    for (let i = 0; i < modules; i++) {
      progress(i);
      writeFileSync(prog, buildModule(new Prng(caseSeed(seed, i)), names));
      bad.length = 0;
      const out = await captured(() => runWasmCommand(prog, [], { root: dir, timeout: 20, clearEnv: true }));
      const why = judge(out, []) ?? (bad.length ? `a result that is no WASI errno: ${bad[0]}` : null);
      if (why) findings.push({ kind: "wasi", seed, index: i, detail: why });
    }
  } finally {
    restore();
  }
  return modules * CALLS_PER_MODULE;
}
