// Mutation fuzzing: 10,000 corrupted copies of every ELF in samples/riscv64/ and
// test/fixtures/elf/, from a fixed-seed PRNG. Each input must either parse (and then every
// reader either succeeds or throws ElfError) or be rejected with ElfError. Any other exception
// (RangeError from a DataView, TypeError, a stack overflow) fails the test with a reproducer.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ElfError, parseElf, readDynamic, readDynamicSymbols, readSymbols, vaddrToOffset, type ElfFile,
} from "../../src/elf/index.ts";
import { PT_DYNAMIC, PT_INTERP, SHT_NOBITS } from "../../src/elf/constants.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DIRS = [join(ROOT, "samples/riscv64"), join(ROOT, "test/fixtures/elf")];
const CASES = 10_000;
const SEED = 0x5eed_e1f;

/** Every file under `dir` (recursively) that starts with the ELF magic. */
function elfFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names.sort()) {
    const p = join(dir, n);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...elfFiles(p));
    else if (st.isFile() && st.size >= 4) {
      const head = readFileSync(p).subarray(0, 4);
      if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) out.push(p);
    }
  }
  return out;
}

/** mulberry32: small, fast, and the same sequence on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Region {
  start: number;
  end: number;
}

interface Sample {
  path: string;
  bytes: Uint8Array;
  dv: DataView;
  le: boolean;
  /** Headers and tables: where a mutation changes what the reader does. */
  hot: Region[];
}

/** Headers, program/section header tables, and the small metadata a reader walks. */
function hotRegions(elf: ElfFile): Region[] {
  const clip = (start: bigint, size: bigint): Region | null => {
    const s = Number(start);
    const e = Math.min(Number(start + size), elf.bytes.length);
    return e > s && s < elf.bytes.length ? { start: s, end: Math.min(e, s + 4096) } : null;
  };
  const h = elf.header;
  const out = [clip(0n, BigInt(h.ehsize)), clip(h.phoff, BigInt(h.phentsize * elf.phdrs.length)), clip(h.shoff, BigInt(h.shentsize * elf.shdrs.length))];
  for (const p of elf.phdrs) if (p.type === PT_DYNAMIC || p.type === PT_INTERP) out.push(clip(p.offset, p.filesz));
  const meta = new Set([".hash", ".gnu.hash", ".dynsym", ".dynstr", ".gnu.version", ".gnu.version_d", ".gnu.version_r", ".shstrtab"]);
  for (const s of elf.shdrs) if (meta.has(s.name) && s.type !== SHT_NOBITS) out.push(clip(s.offset, s.size));
  return out.filter((r): r is Region => r !== null);
}

const INTERESTING = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xfffn, 0x1000n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 1n << 53n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, (1n << 64n) - 8n];

interface Mutation {
  kind: string;
  at: number;
  width: number;
  value: bigint;
}

/** Applies one random mutation in place and returns it (with what to restore). */
function mutate(s: Sample, rnd: () => number, saved: [number, Uint8Array][]): Mutation {
  const size = s.bytes.length;
  const pick = (n: number) => Math.floor(rnd() * n);
  const region = rnd() < 0.9 && s.hot.length > 0 ? s.hot[pick(s.hot.length)] : { start: 0, end: size };
  const width = [1, 2, 4, 8][pick(4)];
  // Fields are naturally aligned: aim there most of the time.
  let at = region.start + pick(Math.max(1, region.end - region.start));
  if (rnd() < 0.8) at -= at % width;
  at = Math.min(at, size - width);
  if (at < 0) return { kind: "none", at: 0, width: 0, value: 0n };
  saved.push([at, s.bytes.slice(at, at + width)]);
  const r = rnd();
  let value: bigint;
  let kind: string;
  if (r < 0.3) {
    kind = "bitflip";
    const bit = pick(width * 8);
    s.bytes[at + (bit >> 3)] ^= 1 << (bit & 7);
    return { kind, at, width, value: BigInt(bit) };
  } else if (r < 0.75) {
    kind = "interesting";
    value = INTERESTING[pick(INTERESTING.length)];
  } else if (r < 0.85) {
    kind = "near-size";
    value = BigInt(size + pick(64) - 32);
  } else {
    kind = "random";
    value = BigInt(Math.floor(rnd() * 2 ** 32)) | (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n);
  }
  const v = BigInt.asUintN(width * 8, value);
  if (width === 1) s.dv.setUint8(at, Number(v));
  else if (width === 2) s.dv.setUint16(at, Number(v), s.le);
  else if (width === 4) s.dv.setUint32(at, Number(v), s.le);
  else s.dv.setBigUint64(at, v, s.le);
  return { kind, at, width, value };
}

/** Runs every reader; returns a description of the first non-ElfError exception, or null. */
function exercise(bytes: Uint8Array, origSize: number, stats: { parsed: number; rejected: number }): string | null {
  const wrong = (e: unknown): string | null => {
    if (!(e instanceof ElfError)) return String((e as Error)?.stack ?? e);
    if (!Number.isSafeInteger(e.offset) || e.offset < 0 || e.offset > origSize || e.field === "") {
      return `ElfError with a bad field/offset: ${e.field} @ ${e.offset}: ${e.message}`;
    }
    return null;
  };
  let elf: ElfFile;
  try {
    elf = parseElf(bytes);
  } catch (e) {
    stats.rejected++;
    return wrong(e);
  }
  stats.parsed++;
  const readers: (() => unknown)[] = [
    () => readDynamic(elf),
    () => readSymbols(elf, ".dynsym"),
    () => readSymbols(elf, ".symtab"),
    () => readDynamicSymbols(elf),
    () => vaddrToOffset(elf, elf.header.entry),
  ];
  for (const r of readers) {
    try {
      r();
    } catch (e) {
      const w = wrong(e);
      if (w !== null) return w;
    }
  }
  return null;
}

describe("mutation fuzzing", () => {
  const files = DIRS.flatMap(elfFiles);

  it("finds the fixtures (and any samples) to mutate, all valid to begin with", () => {
    expect(files.filter((f) => f.includes("test/fixtures/elf")).length).toBeGreaterThanOrEqual(6);
    for (const f of files) expect(() => parseElf(new Uint8Array(readFileSync(f))), f).not.toThrow();
  });

  it(`survives ${CASES} mutations with only ElfError`, () => {
    const samples: Sample[] = files.map((path) => {
      const bytes = new Uint8Array(readFileSync(path));
      const elf = parseElf(bytes);
      return { path, bytes, dv: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), le: elf.header.data === "lsb", hot: hotRegions(elf) };
    });
    const rnd = prng(SEED);
    const stats = { parsed: 0, rejected: 0 };
    const failures: string[] = [];
    for (let i = 0; i < CASES && failures.length < 5; i++) {
      const s = samples[i % samples.length];
      const saved: [number, Uint8Array][] = [];
      const muts: Mutation[] = [];
      const n = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < n; k++) muts.push(mutate(s, rnd, saved));
      // A quarter of the cases are also cut short, at a random point or inside a hot region.
      let len = s.bytes.length;
      if (rnd() < 0.25) {
        const r = s.hot[Math.floor(rnd() * s.hot.length)];
        len = rnd() < 0.5 || r === undefined ? Math.floor(rnd() * len) : r.start + Math.floor(rnd() * (r.end - r.start));
      }
      const problem = exercise(s.bytes.subarray(0, len), s.bytes.length, stats);
      if (problem !== null) {
        const how = muts.map((m) => `${m.kind}@0x${m.at.toString(16)}/${m.width}=0x${m.value.toString(16)}`).join(", ");
        failures.push(`case ${i} ${s.path} [${how}] len=${len}: ${problem}`);
      }
      for (let k = saved.length - 1; k >= 0; k--) s.bytes.set(saved[k][1], saved[k][0]);
    }
    expect(failures).toEqual([]);
    // Both outcomes must be common, or the mutations are not reaching the reader.
    expect(stats.parsed).toBeGreaterThan(CASES / 20);
    expect(stats.rejected).toBeGreaterThan(CASES / 10);
  });
});
