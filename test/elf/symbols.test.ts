// Dynamic section, symbol tables and GNU versions, on hand-built shared objects of both classes
// and byte orders, read both ways: through section headers and through PT_DYNAMIC alone.

import { describe, expect, it } from "vitest";
import {
  elfHash, gnuHash, parseElf, readDynamic, readDynamicSymbols, readSymbols, vaddrToOffset,
} from "../../src/elf/index.ts";
import { DT_HASH, DT_GNU_HASH, DT_NULL, DT_SONAME, DT_STRSZ, DT_SYMENT, DT_VERDEFNUM, PT_DYNAMIC, STB_GLOBAL, STT_FUNC, STT_OBJECT } from "../../src/elf/constants.ts";
import { VARIANTS, expectElfError } from "./expect-error.ts";
import { makeDso, refElfHash, refGnuHash, type Dso, type DsoSpec } from "./make-dso.ts";
import { EHSIZE, PHDR_OFF, PHENTSIZE, SHDR_OFF, SHENTSIZE, patch } from "./make-elf.ts";

describe("hash functions", () => {
  it("computes glibc's hash of the vDSO version", () => {
    expect(elfHash("LINUX_4.15")).toBe(182943605);
    expect(elfHash(new TextEncoder().encode("LINUX_4.15"))).toBe(182943605);
  });

  it("agrees with independent implementations, including names that set the top nibble", () => {
    const names = ["", "a", "printf", "__vdso_clock_gettime", "GLIBC_2.27", "abcdefghijklmnopqrstuvwxyz0123456789", "\u00e9t\u00e9"];
    for (const n of names) {
      expect(elfHash(n)).toBe(refElfHash(n));
      expect(gnuHash(n)).toBe(refGnuHash(n));
    }
    expect(gnuHash("")).toBe(5381);
    expect(gnuHash("printf")).toBe(0x156b2bb8);
    expect(elfHash("printf")).toBe(0x077905a6);
  });
});

describe.each(VARIANTS)("ELF%i %s dynamic symbols", (cls, data) => {
  const spec = (hash: "sysv" | "gnu"): DsoSpec => ({
    cls, data, hash,
    soname: "libtest.so.1",
    defs: ["VERS_1", "VERS_2"],
    needs: [{ file: "libc.so.6", names: ["GLIBC_2.27", "GLIBC_2.34"] }],
    symbols: [
      { name: "foo", value: 0x100n, size: 4n, version: "VERS_1", hidden: true },
      { name: "foo", value: 0x104n, size: 4n, version: "VERS_2" },
      { name: "bar", value: 0x108n, size: 8n, version: "VERS_2" },
      { name: "data_obj", value: 0x200n, size: 4n, type: STT_OBJECT, version: "VERS_2" },
      { name: "puts", value: 0n, shndx: 0, version: "GLIBC_2.27" },
      { name: "plain", value: 0x10cn, size: 2n },
    ],
  });
  const expected = [
    { name: "", value: 0n, size: 0n, bind: 0, type: 0, visibility: 0, shndx: 0, version: null, versionHidden: false },
    { name: "foo", value: 0x100n, size: 4n, bind: STB_GLOBAL, type: STT_FUNC, visibility: 0, shndx: 1, version: "VERS_1", versionHidden: true },
    { name: "foo", value: 0x104n, size: 4n, bind: STB_GLOBAL, type: STT_FUNC, visibility: 0, shndx: 1, version: "VERS_2", versionHidden: false },
    { name: "bar", value: 0x108n, size: 8n, bind: STB_GLOBAL, type: STT_FUNC, visibility: 0, shndx: 1, version: "VERS_2", versionHidden: false },
    { name: "data_obj", value: 0x200n, size: 4n, bind: STB_GLOBAL, type: STT_OBJECT, visibility: 0, shndx: 1, version: "VERS_2", versionHidden: false },
    { name: "puts", value: 0n, size: 0n, bind: STB_GLOBAL, type: STT_FUNC, visibility: 0, shndx: 0, version: "GLIBC_2.27", versionHidden: false },
    { name: "plain", value: 0x10cn, size: 2n, bind: STB_GLOBAL, type: STT_FUNC, visibility: 0, shndx: 1, version: null, versionHidden: false },
  ];
  const ws = cls === 64 ? 8 : 4;
  const shAt = (dso: Dso, i: number, f: keyof (typeof SHDR_OFF)[64]) => dso.at.shdrs + i * SHENTSIZE[cls] + SHDR_OFF[cls][f];
  const symSize = cls === 64 ? 24 : 16;

  for (const hash of ["sysv", "gnu"] as const) {
    it(`reads the same versioned symbols both ways (${hash} hash)`, () => {
      const dso = makeDso(spec(hash));
      const elf = parseElf(dso.bytes);
      expect(readSymbols(elf, ".dynsym")).toEqual(expected);
      expect(readDynamicSymbols(elf)).toEqual(expected);
      expect(readSymbols(elf, ".symtab")).toEqual([]);
    });
  }

  it("reads the dynamic entries up to DT_NULL, with their offsets", () => {
    const dso = makeDso(spec("sysv"));
    const dyn = readDynamic(parseElf(dso.bytes));
    expect(dyn.map((e) => e.tag)).toEqual([...dso.dyn.keys()].map(BigInt));
    expect(dyn.find((e) => e.tag === BigInt(DT_SONAME))).toEqual({ tag: BigInt(DT_SONAME), val: BigInt(dso.str.get("libtest.so.1") as number), offset: dso.dyn.get(DT_SONAME) });
    expect(dyn.find((e) => e.tag === BigInt(DT_VERDEFNUM))?.val).toBe(3n);
  });

  it("maps addresses to file offsets through the PT_LOADs", () => {
    const elf = parseElf(makeDso(spec("sysv")).bytes);
    expect(vaddrToOffset(elf, 0x123n)).toBe(0x123n);
    expect(vaddrToOffset(elf, BigInt(elf.bytes.length))).toBeNull();
    expect(vaddrToOffset(elf, 1n << 40n)).toBeNull();
  });

  it("returns no symbols for a file without PT_DYNAMIC or DT_SYMTAB", () => {
    const dso = makeDso(spec("sysv"));
    const noDynamic = patch(dso.bytes, cls, data, EHSIZE[cls] + PHENTSIZE[cls] + PHDR_OFF[cls].p_type, 4, 4);
    expect(readDynamic(parseElf(noDynamic))).toEqual([]);
    expect(readDynamicSymbols(parseElf(noDynamic))).toEqual([]);
  });

  describe("rejects", () => {
    const dynVal = (dso: Dso, tag: number) => (dso.dyn.get(tag) as number) + ws;

    it("a symbol name past the end of the string table", () => {
      const dso = makeDso(spec("sysv"));
      const at = dso.at.dynsym + 3 * symSize;
      const bytes = patch(dso.bytes, cls, data, at, 0x10000, 4);
      const elf = parseElf(bytes);
      expectElfError(() => readDynamicSymbols(elf), "DT_SYMTAB[3].st_name", at);
      expectElfError(() => readSymbols(elf, ".dynsym"), ".dynsym[3].st_name", at);
    });

    it("a string table whose DT_STRSZ runs past its PT_LOAD", () => {
      const dso = makeDso(spec("sysv"));
      const bytes = patch(dso.bytes, cls, data, dynVal(dso, DT_STRSZ), dso.bytes.length, "word");
      expectElfError(() => readDynamicSymbols(parseElf(bytes)), "DT_STRTAB", dynVal(dso, 5));
    });

    it("a dynamic segment without DT_NULL", () => {
      const dso = makeDso(spec("sysv"));
      const nullAt = dso.at.dynamic + dso.dyn.size * 2 * ws;
      const bytes = patch(dso.bytes, cls, data, nullAt, DT_SONAME, "word");
      const elf = parseElf(bytes);
      const phFilesz = EHSIZE[cls] + PHENTSIZE[cls] + PHDR_OFF[cls].p_filesz;
      expect(expectElfError(() => readDynamic(elf), "phdr[1].p_filesz", phFilesz).message).toMatch(/no DT_NULL/);
      expectElfError(() => readDynamicSymbols(elf), "phdr[1].p_filesz");
      // A DT_NULL early ends the list there.
      const early = patch(dso.bytes, cls, data, dso.at.dynamic + 2 * 2 * ws, DT_NULL, "word");
      expect(readDynamic(parseElf(early)).length).toBe(2);
    });

    it("a PT_DYNAMIC whose p_offset disagrees with its p_vaddr, or lies outside every PT_LOAD", () => {
      const dso = makeDso(spec("sysv"));
      const ph = EHSIZE[cls] + PHENTSIZE[cls];
      const moved = patch(dso.bytes, cls, data, ph + PHDR_OFF[cls].p_offset, dso.at.dynamic - 8, "word");
      expectElfError(() => readDynamic(parseElf(moved)), "phdr[1].p_offset", ph + PHDR_OFF[cls].p_offset);
      const away = patch(dso.bytes, cls, data, ph + PHDR_OFF[cls].p_vaddr, 0x100000, "word");
      expectElfError(() => readDynamic(parseElf(away)), "phdr[1].p_vaddr", ph + PHDR_OFF[cls].p_vaddr);
    });

    it("two PT_DYNAMICs", () => {
      const dso = makeDso(spec("sysv"));
      const bytes = patch(dso.bytes, cls, data, EHSIZE[cls] + PHDR_OFF[cls].p_type, PT_DYNAMIC, 4);
      expectElfError(() => readDynamic(parseElf(bytes)), "phdr[1].p_type");
    });

    it("a version index that nothing defines or needs", () => {
      const dso = makeDso(spec("gnu"));
      const at = dso.at.versym + 2 * 2;
      const bytes = patch(dso.bytes, cls, data, at, 0x7ffe, 2);
      const elf = parseElf(bytes);
      expectElfError(() => readDynamicSymbols(elf), ".gnu.version[2]", at);
      expectElfError(() => readSymbols(elf, ".dynsym"), ".gnu.version[2]", at);
    });

    it("a vd_hash or vna_hash that is not the ELF hash of the name", () => {
      const dso = makeDso(spec("sysv"));
      const vdHash = dso.at.verdef + 28 + 8; // the second Verdef: VERS_1
      const err = expectElfError(() => readDynamicSymbols(parseElf(patch(dso.bytes, cls, data, vdHash, 1234, 4))), "vd_hash", vdHash);
      expect(err.message).toContain(`expected 0x${refElfHash("VERS_1").toString(16)}`);
      const vnaHash = dso.at.verneed + 16;
      expectElfError(() => readSymbols(parseElf(patch(dso.bytes, cls, data, vnaHash, 1, 4)), ".dynsym"), "vna_hash", vnaHash);
    });

    it("an unknown Verdef/Verneed version or a chain running off its table", () => {
      const dso = makeDso(spec("sysv"));
      expectElfError(() => readDynamicSymbols(parseElf(patch(dso.bytes, cls, data, dso.at.verdef, 2, 2))), "vd_version", dso.at.verdef);
      expectElfError(() => readDynamicSymbols(parseElf(patch(dso.bytes, cls, data, dso.at.verneed, 0, 2))), "vn_version", dso.at.verneed);
      const next = patch(dso.bytes, cls, data, dso.at.verdef + 16, 0x7fff0000, 4);
      expect(expectElfError(() => readDynamicSymbols(parseElf(next)), "vd_version").message).toMatch(/runs past the end/);
      expectElfError(() => readSymbols(parseElf(next), ".dynsym"), "vd_version");
      const noName = patch(dso.bytes, cls, data, dso.at.verdef + 6, 0, 2);
      expectElfError(() => readDynamicSymbols(parseElf(noName)), "vd_cnt", dso.at.verdef + 6);
      const auxName = patch(dso.bytes, cls, data, dso.at.verneed + 16 + 8, 0xffff, 4);
      expectElfError(() => readDynamicSymbols(parseElf(auxName)), "vna_name", dso.at.verneed + 16 + 8);
    });

    it("a DT_GNU_HASH chain that never ends, or a bucket below symoffset", () => {
      const dso = makeDso(spec("gnu"));
      const chains = dso.at.hash + 16 + ws + 4;
      const last = chains + (dso.count - 2) * 4;
      const bytes = patch(dso.bytes, cls, data, last, 2, 4);
      // The chain now runs into .dynsym and stops at the first odd word there, or at the segment end.
      const elf = parseElf(bytes);
      let count = -1;
      try {
        count = readDynamicSymbols(elf).length;
      } catch (e) {
        expect((e as Error).name).toBe("ElfError");
      }
      expect(count).not.toBe(dso.count);
      const symoffset = patch(dso.bytes, cls, data, dso.at.hash + 4, 5, 4);
      expectElfError(() => readDynamicSymbols(parseElf(symoffset)), "DT_GNU_HASH bucket", dso.at.hash + 16 + ws);
      const nbuckets = patch(dso.bytes, cls, data, dso.at.hash, 0x10000000, 4);
      expectElfError(() => readDynamicSymbols(parseElf(nbuckets)), "DT_GNU_HASH nbuckets", dso.at.hash);
    });

    it("a DT_HASH nchain larger than the table", () => {
      const dso = makeDso(spec("sysv"));
      const bytes = patch(dso.bytes, cls, data, dso.at.hash + 4, 0x1000000, 4);
      expectElfError(() => readDynamicSymbols(parseElf(bytes)), "DT_HASH nchain", dso.at.hash + 4);
    });

    it("a symbol table whose size no hash table gives", () => {
      const dso = makeDso(spec("sysv"));
      const bytes = patch(dso.bytes, cls, data, dso.dyn.get(DT_HASH) as number, DT_SONAME, "word");
      expect(expectElfError(() => readDynamicSymbols(parseElf(bytes)), "DT_SYMTAB").message).toMatch(/neither DT_HASH nor DT_GNU_HASH/);
      const gnu = makeDso(spec("gnu"));
      const noGnu = patch(gnu.bytes, cls, data, gnu.dyn.get(DT_GNU_HASH) as number, DT_SONAME, "word");
      expectElfError(() => readDynamicSymbols(parseElf(noGnu)), "DT_SYMTAB");
    });

    it("a DT_SYMENT or sh_entsize other than the symbol size", () => {
      const dso = makeDso(spec("sysv"));
      expectElfError(() => readDynamicSymbols(parseElf(patch(dso.bytes, cls, data, dynVal(dso, DT_SYMENT), 20, "word"))), "DT_SYMENT", dynVal(dso, DT_SYMENT));
      const entsize = shAt(dso, 2, "sh_entsize");
      expectElfError(() => readSymbols(parseElf(patch(dso.bytes, cls, data, entsize, 20, "word")), ".dynsym"), "shdr[2].sh_entsize", entsize);
      const size = shAt(dso, 2, "sh_size");
      expectElfError(() => readSymbols(parseElf(patch(dso.bytes, cls, data, size, symSize * dso.count - 1, "word")), ".dynsym"), "shdr[2].sh_size", size);
    });

    it("a .dynsym whose sh_link is not a string table, or a .gnu.version of the wrong size", () => {
      const dso = makeDso(spec("sysv"));
      const at = (i: number, f: "sh_link" | "sh_size") => shAt(dso, i, f);
      expectElfError(() => readSymbols(parseElf(patch(dso.bytes, cls, data, at(2, "sh_link"), 1, 4)), ".dynsym"), "shdr[2].sh_link", at(2, "sh_link"));
      expectElfError(() => readSymbols(parseElf(patch(dso.bytes, cls, data, at(2, "sh_link"), 99, 4)), ".dynsym"), "shdr[2].sh_link");
      expectElfError(() => readSymbols(parseElf(patch(dso.bytes, cls, data, at(4, "sh_size"), dso.count * 2 - 2, "word")), ".dynsym"), "shdr[4].sh_size", at(4, "sh_size"));
    });
  });
});
