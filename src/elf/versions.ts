// GNU symbol versioning: .gnu.version (DT_VERSYM) gives each symbol a version index, which
// .gnu.version_d (DT_VERDEF) defines and .gnu.version_r (DT_VERNEED) requires. glibc matches a
// versioned lookup (dl_vdso_vsym for the vDSO) on both the name and vd_hash/vna_hash, so the
// hashes are checked against the names here too.

import {
  VERDAUX_SIZE, VERDEF_SIZE, VER_DEF_CURRENT, VER_NEED_CURRENT, VERNAUX_SIZE, VERNEED_SIZE, VERSYM_VERSION,
} from "./constants.ts";
import { ElfError, badField } from "./error.ts";
import { elfHash } from "./hash.ts";
import type { StringTable } from "./strtab.ts";
import type { ElfView, FileRange } from "./view.ts";

/** Version index (without the hidden bit) → version name. */
export type VersionNames = Map<number, string>;

function needIn(w: FileRange, at: number, len: number, field: string, what: string): void {
  if (at + len > w.end) {
    throw new ElfError(field, Math.min(at, w.end), `bad ${field}: ${what} at 0x${at.toString(16)} runs past the end of its table`);
  }
}

function checkHash(view: ElfView, hashAt: number, name: Uint8Array, field: string, label: string): void {
  const stored = view.u32(hashAt, field);
  const want = elfHash(name);
  if (stored !== want) {
    throw badField(field, hashAt, stored, `expected 0x${want.toString(16)}, the ELF hash of "${label}"`);
  }
}

/**
 * Adds the version definitions of a verdef table at `w` to `names`; at most `count` entries
 * (DT_VERDEFNUM / sh_info) when known, and never past an entry whose vd_next is 0.
 */
export function readVerdef(view: ElfView, w: FileRange, count: number | null, strtab: StringTable, names: VersionNames): void {
  let off = w.start;
  for (let n = 0; count === null || n < count; n++) {
    needIn(w, off, VERDEF_SIZE, "vd_version", "Verdef entry");
    const version = view.u16(off, "vd_version");
    if (version !== VER_DEF_CURRENT) throw badField("vd_version", off, version, `expected VER_DEF_CURRENT (${VER_DEF_CURRENT})`);
    const ndx = view.u16(off + 4, "vd_ndx");
    const cnt = view.u16(off + 6, "vd_cnt");
    if (cnt === 0) throw badField("vd_cnt", off + 6, cnt, "a version definition needs at least its own name");
    const aux = off + view.u32(off + 12, "vd_aux");
    needIn(w, aux, VERDAUX_SIZE, "vd_aux", "Verdaux entry");
    const nameIndex = view.u32(aux, "vda_name");
    const label = strtab.get(nameIndex, "vda_name", aux);
    checkHash(view, off + 8, strtab.raw(nameIndex, "vda_name", aux), "vd_hash", label);
    names.set(ndx & VERSYM_VERSION, label);
    const next = view.u32(off + 16, "vd_next");
    if (next === 0) break;
    off += next;
  }
}

/**
 * Adds the needed versions of a verneed table at `w` to `names`. The Vernaux chains are bounded
 * by a budget of one visit per 16 bytes of table, so overlapping chains cannot loop for long.
 */
export function readVerneed(view: ElfView, w: FileRange, count: number | null, strtab: StringTable, names: VersionNames): void {
  let budget = Math.floor((w.end - w.start) / VERNAUX_SIZE);
  let off = w.start;
  for (let n = 0; count === null || n < count; n++) {
    needIn(w, off, VERNEED_SIZE, "vn_version", "Verneed entry");
    const version = view.u16(off, "vn_version");
    if (version !== VER_NEED_CURRENT) throw badField("vn_version", off, version, `expected VER_NEED_CURRENT (${VER_NEED_CURRENT})`);
    const cnt = view.u16(off + 2, "vn_cnt");
    strtab.get(view.u32(off + 4, "vn_file"), "vn_file", off + 4);
    let aux = off + view.u32(off + 8, "vn_aux");
    for (let j = 0; j < cnt; j++) {
      if (--budget < 0) throw badField("vn_aux", off + 8, aux - off, "Vernaux chains overlap");
      needIn(w, aux, VERNAUX_SIZE, "vn_aux", "Vernaux entry");
      const nameIndex = view.u32(aux + 8, "vna_name");
      const label = strtab.get(nameIndex, "vna_name", aux + 8);
      checkHash(view, aux, strtab.raw(nameIndex, "vna_name", aux + 8), "vna_hash", label);
      names.set(view.u16(aux + 6, "vna_other") & VERSYM_VERSION, label);
      const next = view.u32(aux + 12, "vna_next");
      if (next === 0) break;
      aux += next;
    }
    const next = view.u32(off + 12, "vn_next");
    if (next === 0) break;
    off += next;
  }
}
