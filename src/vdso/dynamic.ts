// The dynamic-linking tables a versioned shared object needs so that glibc's dl_vdso_vsym (and
// any ld.so) can find its symbols: SysV .hash, .gnu.hash, .gnu.version and .gnu.version_d.
// Generic ELF; it lives here because the vDSO is its only user so far.

import { ByteWriter } from "../elf/writer.ts";

const utf8 = new TextEncoder();

/** The SysV ELF hash (System V ABI, "Hash Table"): what DT_HASH buckets and vd_hash use. */
export function elfHash(name: string): number {
  let h = 0;
  const bytes = utf8.encode(name);
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    h = ((h << 4) + c) >>> 0;
    const g = h & 0xf0000000;
    if (g !== 0) h ^= g >>> 24;
    h &= ~g;
    h >>>= 0;
  }
  return h;
}

/** The GNU hash (Bernstein's h * 33 + c, from 5381), as used by DT_GNU_HASH. */
export function gnuHash(name: string): number {
  let h = 5381;
  const bytes = utf8.encode(name);
  for (let i = 0; i < bytes.length; i++) h = (Math.imul(h, 33) + bytes[i]!) >>> 0;
  return h;
}

/** Parameters of the GNU hash table; ld picks similar ones for a handful of symbols. */
export interface GnuHashShape {
  nbuckets: number;
  bloomWords: number; // a power of two
  bloomShift: number;
}

/** Size in bytes of a .hash section for nsyms symbols (null symbol included) and nbuckets buckets. */
export function sysvHashSize(nsyms: number, nbuckets: number): number {
  return (2 + nbuckets + nsyms) * 4;
}

/** Builds .hash: nbucket, nchain, buckets, chains; index 0 (the null symbol) is never hashed. */
export function buildSysvHash(names: readonly string[], nbuckets: number): Uint8Array {
  const buckets = new Array<number>(nbuckets).fill(0);
  const chains = new Array<number>(names.length).fill(0);
  for (let i = 1; i < names.length; i++) {
    const b = elfHash(names[i]!) % nbuckets;
    chains[i] = buckets[b]!;
    buckets[b] = i;
  }
  const w = new ByteWriter(sysvHashSize(names.length, nbuckets));
  w.u32(nbuckets).u32(names.length);
  for (const b of buckets) w.u32(b);
  for (const c of chains) w.u32(c);
  return w.bytes;
}

/**
 * Orders hashed symbols as DT_GNU_HASH requires: grouped by bucket, buckets ascending. Returns
 * a new array; the sort is stable, so symbols of one bucket keep the caller's order.
 */
export function sortForGnuHash<T extends { name: string }>(symbols: readonly T[], nbuckets: number): T[] {
  return symbols
    .map((s, i) => ({ s, i, b: gnuHash(s.name) % nbuckets }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.s);
}

/** Size in bytes of a .gnu.hash section hashing `hashed` symbols. */
export function gnuHashSize(hashed: number, shape: GnuHashShape): number {
  return 16 + shape.bloomWords * 8 + shape.nbuckets * 4 + hashed * 4;
}

/**
 * Builds .gnu.hash for dynsym entries symoffset.. (names[i] is the name of dynsym index
 * symoffset + i, already ordered by sortForGnuHash): header, 64-bit bloom words, buckets, chain.
 */
export function buildGnuHash(names: readonly string[], symoffset: number, shape: GnuHashShape): Uint8Array {
  const { nbuckets, bloomWords, bloomShift } = shape;
  const bloom = new Array<bigint>(bloomWords).fill(0n);
  const buckets = new Array<number>(nbuckets).fill(0);
  const chain = new Array<number>(names.length).fill(0);
  const hashes = names.map(gnuHash);
  hashes.forEach((h, i) => {
    const word = Math.floor(h / 64) % bloomWords;
    bloom[word] = bloom[word]! | (1n << BigInt(h % 64)) | (1n << BigInt((h >>> bloomShift) % 64));
    const b = h % nbuckets;
    if (buckets[b] === 0) buckets[b] = symoffset + i;
    else if (hashes[i - 1]! % nbuckets !== b) throw new Error("symbols not ordered by GNU hash bucket");
    // The low bit marks the last symbol of a bucket's run.
    const last = i === names.length - 1 || hashes[i + 1]! % nbuckets !== b;
    chain[i] = ((h & ~1) | (last ? 1 : 0)) >>> 0;
  });
  const w = new ByteWriter(gnuHashSize(names.length, shape));
  w.u32(nbuckets).u32(symoffset).u32(bloomWords).u32(bloomShift);
  for (const word of bloom) w.u64(word);
  for (const b of buckets) w.u32(b);
  for (const c of chain) w.u32(c);
  return w.bytes;
}

/** Encodes .gnu.version: one Elf64_Half version index per dynsym entry. */
export function buildVersym(indices: readonly number[]): Uint8Array {
  const w = new ByteWriter(indices.length * 2);
  for (const i of indices) w.u16(i);
  return w.bytes;
}

/** One version definition with its single name (Elf64_Verdef + one Elf64_Verdaux). */
export interface VersionDefinition {
  flags: number;
  index: number;
  name: string;
  /** Offset of name in the string table sh_link of .gnu.version_d points to. */
  nameOffset: number;
}

const VERDEF_SIZE = 20;
const VERDAUX_SIZE = 8;

/** Size in bytes of .gnu.version_d holding `count` definitions of one name each. */
export function verdefSize(count: number): number {
  return count * (VERDEF_SIZE + VERDAUX_SIZE);
}

/** Encodes .gnu.version_d: each Verdef followed by its Verdaux, chained by vd_next. */
export function buildVerdef(defs: readonly VersionDefinition[], version: number): Uint8Array {
  const w = new ByteWriter(verdefSize(defs.length));
  defs.forEach((d, i) => {
    const next = i === defs.length - 1 ? 0 : VERDEF_SIZE + VERDAUX_SIZE;
    w.u16(version).u16(d.flags).u16(d.index).u16(1).u32(elfHash(d.name)).u32(VERDEF_SIZE).u32(next);
    w.u32(d.nameOffset).u32(0);
  });
  return w.bytes;
}
