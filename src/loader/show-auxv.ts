// glibc's LD_SHOW_AUXV output (_dl_show_auxv in sysdeps/unix/sysv/linux/dl-sysdep.c), line for
// line, as printed by glibc 2.36 (Debian 12's riscv64 cross libc, the one the tests compare with):
// "AT_" + label padded so that values start in column 23; AT_NULL/AT_IGNORE skipped; types
// glibc has no label for as "AT_??? (0x1b): 0x1c". AT_HWCAP is hex WITHOUT "0x" in every
// version. 2.36 has no names for AT_RSEQ_*; later releases print them in decimal (seen on a
// riscv64 Linux 6.x system: "AT_RSEQ_FEATURE_SIZE: 28"): that is the "later" flavor.

import * as AT from "./auxv-types.ts";
import type { AuxvEntry } from "./stack.ts";

type Form = "dec" | "hex" | "hex0x" | "str";
export type GlibcFlavor = "2.36" | "later";

const FORMS_236: ReadonlyMap<number, Form> = new Map<number, Form>([
  [AT.AT_EXECFD, "dec"], [AT.AT_EXECFN, "str"], [AT.AT_PHDR, "hex0x"], [AT.AT_PHENT, "dec"],
  [AT.AT_PHNUM, "dec"], [AT.AT_PAGESZ, "dec"], [AT.AT_BASE, "hex0x"], [AT.AT_FLAGS, "hex0x"],
  [AT.AT_ENTRY, "hex0x"], [AT.AT_NOTELF, "hex"], [AT.AT_UID, "dec"], [AT.AT_EUID, "dec"],
  [AT.AT_GID, "dec"], [AT.AT_EGID, "dec"], [AT.AT_PLATFORM, "str"], [AT.AT_HWCAP, "hex"],
  [AT.AT_CLKTCK, "dec"], [AT.AT_SECURE, "dec"], [AT.AT_BASE_PLATFORM, "str"],
  [AT.AT_SYSINFO, "hex0x"], [AT.AT_SYSINFO_EHDR, "hex0x"], [AT.AT_RANDOM, "hex0x"],
  [AT.AT_HWCAP2, "hex0x"], [AT.AT_MINSIGSTKSZ, "dec"],
  [AT.AT_L1I_CACHESIZE, "dec"], [AT.AT_L1I_CACHEGEOMETRY, "hex0x"],
  [AT.AT_L1D_CACHESIZE, "dec"], [AT.AT_L1D_CACHEGEOMETRY, "hex0x"],
  [AT.AT_L2_CACHESIZE, "dec"], [AT.AT_L2_CACHEGEOMETRY, "hex0x"],
  [AT.AT_L3_CACHESIZE, "dec"], [AT.AT_L3_CACHEGEOMETRY, "hex0x"],
]);

const FORMS_LATER: ReadonlyMap<number, Form> = new Map<number, Form>([
  ...FORMS_236,
  [AT.AT_RSEQ_FEATURE_SIZE, "dec"], [AT.AT_RSEQ_ALIGN, "dec"],
]);

/** Column where glibc's values start: "AT_" plus a label of 19 characters. */
const VALUE_COLUMN = 22;

/**
 * The LD_SHOW_AUXV text for `auxv`; `readString` fetches the string an AT_EXECFN-like entry
 * points at (null when it cannot be read).
 */
export function formatAuxv(auxv: readonly AuxvEntry[], readString: (addr: bigint) => string | null, glibc: GlibcFlavor = "2.36"): string {
  const forms = glibc === "2.36" ? FORMS_236 : FORMS_LATER;
  let out = "";
  for (const [type, value] of auxv) {
    if (type === AT.AT_NULL) break;
    if (type === AT.AT_IGNORE) continue;
    const form = forms.get(type);
    if (!form) {
      out += `AT_??? (0x${type.toString(16)}): 0x${value.toString(16)}\n`;
      continue;
    }
    const label = `AT_${AT.auxvTypeName(type)}:`.padEnd(VALUE_COLUMN);
    out += label + formatValue(form, value, readString) + "\n";
  }
  return out;
}

function formatValue(form: Form, value: bigint, readString: (addr: bigint) => string | null): string {
  switch (form) {
    case "dec": return value.toString(10);
    case "hex": return value.toString(16);
    case "hex0x": return "0x" + value.toString(16);
    case "str": return readString(value) ?? "(unreadable)";
  }
}

/** The auxv as JSON-friendly records (name, type, value as decimal string, and hex). */
export function auxvToJson(auxv: readonly AuxvEntry[], readString: (addr: bigint) => string | null): object[] {
  return auxv.map(([type, value]) => {
    const rec: Record<string, unknown> = { type, name: AT.auxvTypeName(type) ? `AT_${AT.auxvTypeName(type)}` : null, value: value.toString(), hex: "0x" + value.toString(16) };
    if (type === AT.AT_EXECFN || type === AT.AT_PLATFORM || type === AT.AT_BASE_PLATFORM) rec.string = readString(value);
    return rec;
  });
}
