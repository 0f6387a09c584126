// A test-only shared object assembler: one R+X PT_LOAD at vaddr 0 (so vaddr == file offset),
// PT_DYNAMIC, a hash table, .dynsym/.dynstr and the GNU version sections, with section headers
// naming them all. The vDSO is built like this, and both readSymbols and readDynamicSymbols
// must see the same symbols in it. Offsets are returned so that tests can corrupt one field.

import { ByteWriter, EHSIZE, PHENTSIZE, SHENTSIZE, makeElf, strtab, type Cls, type Data, type ShdrSpec } from "./make-elf.ts";

export interface DsoSym {
  name: string;
  value: bigint;
  size?: bigint;
  bind?: number;
  type?: number;
  shndx?: number;
  /** A defined (defs) or needed (needs) version name; none means VER_NDX_GLOBAL. */
  version?: string;
  hidden?: boolean;
}

export interface DsoSpec {
  cls: Cls;
  data: Data;
  hash: "sysv" | "gnu";
  soname: string;
  defs: string[];
  needs: { file: string; names: string[] }[];
  symbols: DsoSym[];
}

export interface Dso {
  bytes: Uint8Array;
  /** File offsets of the tables: hash, dynsym, dynstr, versym, verdef, verneed, dynamic, shdrs. */
  at: Record<string, number>;
  /** File offset of the dynamic entry of each tag. */
  dyn: Map<number, number>;
  /** Offset of each string in .dynstr. */
  str: Map<string, number>;
  count: number;
}

/** Independent SysV ELF hash, so the tests do not trust src/elf/hash.ts to build their input. */
export function refElfHash(s: string): number {
  let h = 0n;
  for (const c of new TextEncoder().encode(s)) {
    h = ((h << 4n) + BigInt(c)) & 0xffffffffn;
    const g = h & 0xf0000000n;
    if (g !== 0n) h ^= g >> 24n;
    h &= ~g & 0xffffffffn;
  }
  return Number(h);
}

/** Independent GNU hash (h*33 + c from 5381, modulo 2^32). */
export function refGnuHash(s: string): number {
  let h = 5381;
  for (const c of new TextEncoder().encode(s)) h = (h * 33 + c) % 2 ** 32;
  return h;
}

const align8 = (n: number) => (n + 7) & ~7;

const DT = { NULL: 0, HASH: 4, STRTAB: 5, SYMTAB: 6, STRSZ: 10, SYMENT: 11, SONAME: 14, GNU_HASH: 0x6ffffef5, VERSYM: 0x6ffffff0, VERDEF: 0x6ffffffc, VERDEFNUM: 0x6ffffffd, VERNEED: 0x6ffffffe, VERNEEDNUM: 0x6fffffff };

/** Assembles the shared object described by `spec`. */
export function makeDso(spec: DsoSpec): Dso {
  const is64 = spec.cls === 64;
  const ws = is64 ? 8 : 4;
  const symSize = is64 ? 24 : 16;
  const count = spec.symbols.length + 1;
  const needNames = spec.needs.flatMap((n) => [n.file, ...n.names]);
  const strs = strtab([spec.soname, ...spec.defs, ...needNames, ...spec.symbols.map((s) => s.name)]);
  const str = (s: string) => strs.offsets.get(s) as number;
  const versionIndex = new Map<string, number>();
  spec.defs.forEach((d, i) => versionIndex.set(d, i + 2));
  let next = spec.defs.length + 2;
  for (const n of spec.needs) for (const v of n.names) versionIndex.set(v, next++);

  const at: Record<string, number> = {};
  let off = EHSIZE[spec.cls] + 2 * PHENTSIZE[spec.cls];
  const place = (name: string, size: number) => {
    off = align8(off);
    at[name] = off;
    off += size;
  };
  const hashSize = spec.hash === "sysv" ? (2 + 1 + count) * 4 : 16 + ws + 4 + (count - 1) * 4;
  place("hash", hashSize);
  place("dynsym", count * symSize);
  place("dynstr", strs.bytes.length);
  place("versym", count * 2);
  const verdefSize = spec.defs.length === 0 ? 0 : 28 + spec.defs.map((_, i) => (i === 0 ? 28 : 36)).reduce((a, b) => a + b, 0);
  place("verdef", verdefSize);
  const verneedSize = spec.needs.reduce((a, n) => a + 16 + 16 * n.names.length, 0);
  place("verneed", verneedSize);
  const dynTags = dynamicTags(spec);
  place("dynamic", (dynTags.length + 1) * 2 * ws);
  const shnames = strtab([".hash", ".gnu.hash", ".dynsym", ".dynstr", ".gnu.version", ".gnu.version_d", ".gnu.version_r", ".dynamic", ".shstrtab"]);
  place("shstrtab", shnames.bytes.length);
  off = align8(off);
  at.shdrs = off;
  const shdrs = sectionHeaders(spec, at, shnames.offsets, { hashSize, count, symSize, strSize: strs.bytes.length, verdefSize, verneedSize, dynSize: (dynTags.length + 1) * 2 * ws, dynEnt: 2 * ws, shstrSize: shnames.bytes.length });
  const size = off + shdrs.length * SHENTSIZE[spec.cls];

  const w = new ByteWriter(size, spec.data === "lsb", is64);
  writeHash(w, spec, at.hash, count);
  spec.symbols.forEach((s, i) => writeSym(w, at.dynsym + (i + 1) * symSize, s, str(s.name)));
  w.put(at.dynstr, strs.bytes);
  spec.symbols.forEach((s, i) => {
    const v = s.version === undefined ? 1 : (versionIndex.get(s.version) as number) | (s.hidden ? 0x8000 : 0);
    w.u16(at.versym + (i + 1) * 2, v);
  });
  writeVerdef(w, spec, at.verdef, str);
  writeVerneed(w, spec, at.verneed, str, versionIndex);
  const dyn = new Map<number, number>();
  const values: Record<number, bigint> = {
    [DT.HASH]: BigInt(at.hash), [DT.GNU_HASH]: BigInt(at.hash), [DT.STRTAB]: BigInt(at.dynstr), [DT.SYMTAB]: BigInt(at.dynsym),
    [DT.STRSZ]: BigInt(strs.bytes.length), [DT.SYMENT]: BigInt(symSize), [DT.SONAME]: BigInt(str(spec.soname)),
    [DT.VERSYM]: BigInt(at.versym), [DT.VERDEF]: BigInt(at.verdef), [DT.VERDEFNUM]: BigInt(spec.defs.length + 1),
    [DT.VERNEED]: BigInt(at.verneed), [DT.VERNEEDNUM]: BigInt(spec.needs.length),
  };
  dynTags.forEach((tag, i) => {
    const e = at.dynamic + i * 2 * ws;
    dyn.set(tag, e);
    w.word(e, tag);
    w.word(e + ws, values[tag]);
  });
  w.put(at.shstrtab, shnames.bytes);

  const bytes = makeElf({
    cls: spec.cls, data: spec.data, type: 3, machine: 243, entry: 0n,
    phoff: BigInt(EHSIZE[spec.cls]), shoff: BigInt(at.shdrs), size, shstrndx: shdrs.length - 1,
    phdrs: [
      { type: 1, flags: 5, offset: 0n, vaddr: 0n, filesz: BigInt(size), memsz: BigInt(size), align: 0x1000n },
      { type: 2, flags: 4, offset: BigInt(at.dynamic), vaddr: BigInt(at.dynamic), filesz: BigInt((dynTags.length + 1) * 2 * ws), memsz: BigInt((dynTags.length + 1) * 2 * ws), align: BigInt(ws) },
    ],
    shdrs,
    blobs: [{ offset: 0, bytes: w.bytes }],
  });
  return { bytes, at, dyn, str: strs.offsets, count };
}

function dynamicTags(spec: DsoSpec): number[] {
  const tags = [spec.hash === "sysv" ? DT.HASH : DT.GNU_HASH, DT.STRTAB, DT.SYMTAB, DT.STRSZ, DT.SYMENT, DT.SONAME, DT.VERSYM];
  if (spec.defs.length > 0) tags.push(DT.VERDEF, DT.VERDEFNUM);
  if (spec.needs.length > 0) tags.push(DT.VERNEED, DT.VERNEEDNUM);
  return tags;
}

interface Sizes { hashSize: number; count: number; symSize: number; strSize: number; verdefSize: number; verneedSize: number; dynSize: number; dynEnt: number; shstrSize: number }

function sectionHeaders(spec: DsoSpec, at: Record<string, number>, names: Map<string, number>, z: Sizes): ShdrSpec[] {
  const n = (s: string) => names.get(s) as number;
  const sec = (name: string, type: number, where: number, size: number, extra: Partial<ShdrSpec> = {}): ShdrSpec =>
    ({ name: n(name), type, flags: 2n, addr: BigInt(where), offset: BigInt(where), size: BigInt(size), ...extra });
  const list: ShdrSpec[] = [
    { name: 0, type: 0, offset: 0n, size: 0n },
    spec.hash === "sysv" ? sec(".hash", 5, at.hash, z.hashSize, { link: 2, entsize: 4n }) : sec(".gnu.hash", 0x6ffffff6, at.hash, z.hashSize, { link: 2 }),
    sec(".dynsym", 11, at.dynsym, z.count * z.symSize, { link: 3, info: 1, entsize: BigInt(z.symSize) }),
    sec(".dynstr", 3, at.dynstr, z.strSize),
    sec(".gnu.version", 0x6fffffff, at.versym, z.count * 2, { link: 2, entsize: 2n }),
  ];
  if (spec.defs.length > 0) list.push(sec(".gnu.version_d", 0x6ffffffd, at.verdef, z.verdefSize, { link: 3, info: spec.defs.length + 1 }));
  if (spec.needs.length > 0) list.push(sec(".gnu.version_r", 0x6ffffffe, at.verneed, z.verneedSize, { link: 3, info: spec.needs.length }));
  list.push(sec(".dynamic", 6, at.dynamic, z.dynSize, { link: 3, entsize: BigInt(z.dynEnt) }));
  list.push({ name: n(".shstrtab"), type: 3, offset: BigInt(at.shstrtab), size: BigInt(z.shstrSize) });
  return list;
}

function writeHash(w: ByteWriter, spec: DsoSpec, at: number, count: number): void {
  if (spec.hash === "sysv") {
    // One bucket holding every symbol: bucket[0] = last, chain[k] = k - 1.
    w.u32(at, 1);
    w.u32(at + 4, count);
    w.u32(at + 8, count - 1);
    for (let k = 1; k < count; k++) w.u32(at + 12 + k * 4, k - 1);
    return;
  }
  // One bucket, symoffset 1, a bloom word that lets everything through, chains ending at the last.
  w.u32(at, 1);
  w.u32(at + 4, 1);
  w.u32(at + 8, 1);
  w.u32(at + 12, 6);
  w.word(at + 16, -1n);
  const buckets = at + 16 + w.wordSize;
  w.u32(buckets, count > 1 ? 1 : 0);
  spec.symbols.forEach((s, i) => {
    const h = refGnuHash(s.name);
    const last = i === spec.symbols.length - 1;
    w.u32(buckets + 4 + i * 4, last ? (h | 1) >>> 0 : (h & ~1) >>> 0);
  });
}

function writeSym(w: ByteWriter, at: number, s: DsoSym, name: number): void {
  const info = ((s.bind ?? 1) << 4) | (s.type ?? 2);
  if (w.is64) {
    w.u32(at, name);
    w.u8(at + 4, info);
    w.u8(at + 5, 0);
    w.u16(at + 6, s.shndx ?? 1);
    w.u64(at + 8, s.value);
    w.u64(at + 16, s.size ?? 0n);
  } else {
    w.u32(at, name);
    w.u32(at + 4, Number(s.value));
    w.u32(at + 8, Number(s.size ?? 0n));
    w.u8(at + 12, info);
    w.u8(at + 13, 0);
    w.u16(at + 14, s.shndx ?? 1);
  }
}

function writeVerdef(w: ByteWriter, spec: DsoSpec, at: number, str: (s: string) => number): void {
  if (spec.defs.length === 0) return;
  const entries = [spec.soname, ...spec.defs];
  let off = at;
  entries.forEach((name, i) => {
    // Like ld: each definition after the first names its parent in a second Verdaux.
    const parent = i >= 2 ? entries[i - 1] : null;
    const size = 20 + 8 + (parent === null ? 0 : 8);
    w.u16(off, 1);
    w.u16(off + 2, i === 0 ? 1 : 0);
    w.u16(off + 4, i + 1);
    w.u16(off + 6, parent === null ? 1 : 2);
    w.u32(off + 8, refElfHash(name));
    w.u32(off + 12, 20);
    w.u32(off + 16, i === entries.length - 1 ? 0 : size);
    w.u32(off + 20, str(name));
    w.u32(off + 24, parent === null ? 0 : 8);
    if (parent !== null) w.u32(off + 28, str(parent));
    off += size;
  });
}

function writeVerneed(w: ByteWriter, spec: DsoSpec, at: number, str: (s: string) => number, index: Map<string, number>): void {
  let off = at;
  spec.needs.forEach((n, i) => {
    const size = 16 + 16 * n.names.length;
    w.u16(off, 1);
    w.u16(off + 2, n.names.length);
    w.u32(off + 4, str(n.file));
    w.u32(off + 8, 16);
    w.u32(off + 12, i === spec.needs.length - 1 ? 0 : size);
    n.names.forEach((v, j) => {
      const a = off + 16 + j * 16;
      w.u32(a, refElfHash(v));
      w.u16(a + 4, 0);
      w.u16(a + 6, index.get(v) as number);
      w.u32(a + 8, str(v));
      w.u32(a + 12, j === n.names.length - 1 ? 0 : 16);
    });
    off += size;
  });
}
