// The two symbol hash functions of ELF, and the dynamic symbol count derived from their tables:
// PT_DYNAMIC does not say how many symbols DT_SYMTAB holds, so ld.so-style readers take it from
// DT_HASH's nchain or by walking DT_GNU_HASH's chains to the last symbol.

import { badField } from "./error.ts";
import type { ElfView, FileRange } from "./view.ts";

const utf8 = new TextEncoder();

// Symbol names are byte strings: hash raw bytes when given, else the string's UTF-8 bytes.
function nameBytes(name: string | Uint8Array): Uint8Array {
  return typeof name === "string" ? utf8.encode(name) : name;
}

/** The SysV ELF hash (gABI, glibc _dl_elf_hash): elfHash("LINUX_4.15") === 182943605. */
export function elfHash(name: string | Uint8Array): number {
  const b = nameBytes(name);
  let h = 0;
  for (let i = 0; i < b.length; i++) {
    h = ((h << 4) + b[i]) >>> 0;
    const g = h & 0xf0000000;
    if (g !== 0) h ^= g >>> 24;
    h = (h & ~g) >>> 0;
  }
  return h;
}

/** The GNU hash (DT_GNU_HASH, Bernstein's h*33 + c from 5381), as an unsigned 32-bit number. */
export function gnuHash(name: string | Uint8Array): number {
  const b = nameBytes(name);
  let h = 5381;
  for (let i = 0; i < b.length; i++) h = (Math.imul(h, 33) + b[i]) >>> 0;
  return h;
}

/** Symbol count from a DT_HASH table at `w`: its nchain word, once the table is known to fit. */
export function sysvHashCount(view: ElfView, w: FileRange, field: string, fieldOffset: number): number {
  if (w.end - w.start < 8) throw badField(field, fieldOffset, w.start, "DT_HASH header runs past its PT_LOAD");
  const nbucket = view.u32(w.start, "DT_HASH nbucket");
  const nchain = view.u32(w.start + 4, "DT_HASH nchain");
  if ((2 + nbucket + nchain) * 4 > w.end - w.start) {
    throw badField("DT_HASH nchain", w.start + 4, nchain, `with nbucket ${nbucket}, the table runs past its PT_LOAD`);
  }
  return nchain;
}

/**
 * Symbol count from a DT_GNU_HASH table at `w`: symbols below symoffset are not hashed; the
 * hashed ones end where the chain of the highest bucket ends (its entry with bit 0 set).
 */
export function gnuHashCount(view: ElfView, w: FileRange, field: string, fieldOffset: number): number {
  const avail = w.end - w.start;
  if (avail < 16) throw badField(field, fieldOffset, w.start, "DT_GNU_HASH header runs past its PT_LOAD");
  const nbuckets = view.u32(w.start, "DT_GNU_HASH nbuckets");
  const symoffset = view.u32(w.start + 4, "DT_GNU_HASH symoffset");
  const bloomSize = view.u32(w.start + 8, "DT_GNU_HASH bloom_size");
  const buckets = w.start + 16 + bloomSize * view.wordSize;
  const chains = buckets + nbuckets * 4;
  if (chains > w.end) {
    throw badField("DT_GNU_HASH nbuckets", w.start, nbuckets, `with bloom_size ${bloomSize}, the table runs past its PT_LOAD`);
  }
  let max = 0;
  let maxAt = buckets;
  for (let i = 0; i < nbuckets; i++) {
    const b = view.u32(buckets + i * 4, "DT_GNU_HASH bucket");
    if (b > max) [max, maxAt] = [b, buckets + i * 4];
  }
  if (max === 0) return symoffset;
  if (max < symoffset) throw badField("DT_GNU_HASH bucket", maxAt, max, `below symoffset ${symoffset}`);
  for (let i = max; ; i++) {
    const at = chains + (i - symoffset) * 4;
    if (at + 4 > w.end) {
      throw badField("DT_GNU_HASH bucket", maxAt, max, "its chain runs past its PT_LOAD without an end mark");
    }
    if ((view.u32(at, "DT_GNU_HASH chain") & 1) !== 0) return i + 1;
  }
}
