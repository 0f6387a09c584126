// Real files: the committed fixtures (test/fixtures/elf, see build.sh) and, when installed, the
// riscv64 glibc of the cross toolchain; symbols are cross-checked against binutils' readelf.

import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseElf, readDynamic, readDynamicSymbols, readSymbols, vaddrToOffset, type ElfSymbol } from "../../src/elf/index.ts";
import { DT_NEEDED, DT_SONAME, EM_AARCH64, EM_RISCV, ET_DYN, ET_EXEC, PT_LOAD } from "../../src/elf/constants.ts";
import { findReadelf, readelfDynSyms, type ReadelfSymbol } from "./readelf.ts";

const FIXTURES = new URL("../fixtures/elf/", import.meta.url).pathname;
const SYSROOT = "/usr/riscv64-linux-gnu/lib/";
const EM_PPC = 20;

const load = (path: string) => new Uint8Array(readFileSync(path));

const TYPES: Record<string, number> = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4, COMMON: 5, TLS: 6, IFUNC: 10 };
const BINDS: Record<string, number> = { LOCAL: 0, GLOBAL: 1, WEAK: 2, UNIQUE: 10 };
const VIS: Record<string, number> = { DEFAULT: 0, INTERNAL: 1, HIDDEN: 2, PROTECTED: 3 };
const NDX: Record<string, number> = { UND: 0, ABS: 0xfff1, COM: 0xfff2 };

function compareWithReadelf(ours: ElfSymbol[], theirs: ReadelfSymbol[]): void {
  expect(theirs.length).toBeGreaterThan(0);
  expect(ours.length).toBe(theirs.length);
  theirs.forEach((r, i) => {
    const s = ours[i];
    const where = `symbol ${i} (${r.name})`;
    // readelf shows a section symbol's section name in place of its empty name.
    if (!(r.type === "SECTION" && s.name === "")) expect(s.name, where).toBe(r.name);
    expect(s.value, where).toBe(r.value);
    expect(s.size, where).toBe(r.size);
    expect(s.type, where).toBe(TYPES[r.type]);
    expect(s.bind, where).toBe(BINDS[r.bind]);
    expect(s.visibility, where).toBe(VIS[r.vis]);
    expect(s.shndx, where).toBe(NDX[r.ndx] ?? Number(r.ndx));
    // readelf leaves the version off the linker's version-name symbols (ABS "GLIBC_2.27" in GLIBC_2.27).
    const versionSymbol = r.version === null && s.shndx === NDX.ABS && s.version === s.name;
    if (!versionSymbol) expect(s.version, where).toBe(r.version);
    // readelf writes "@" for requirements (undefined) and hidden definitions, "@@" otherwise.
    if (r.sep === "@@") expect(s.versionHidden, where).toBe(false);
    if (r.sep === "@" && s.shndx !== 0) expect(s.versionHidden, where).toBe(true);
  });
}

const readelf = findReadelf();

/** Reads a dynamic object both ways, checks they agree, and cross-checks readelf when present. */
function checkDynamicObject(path: string): ElfSymbol[] {
  const elf = parseElf(load(path));
  const bySections = readSymbols(elf, ".dynsym");
  const byDynamic = readDynamicSymbols(elf);
  expect(byDynamic).toEqual(bySections);
  expect(bySections.length).toBeGreaterThan(1);
  if (readelf !== null) compareWithReadelf(bySections, readelfDynSyms(readelf, path));
  return bySections;
}

const show = (s: ElfSymbol) => (s.version === null ? s.name : `${s.name}${s.versionHidden ? "@" : "@@"}${s.version}`);

describe("committed fixtures", () => {
  it("rv64-static-tiny: a static ET_EXEC with text and data PT_LOADs, no interpreter", () => {
    const elf = parseElf(load(FIXTURES + "rv64-static-tiny"), { machine: EM_RISCV });
    expect(elf.header).toMatchObject({ class: 64, data: "lsb", type: ET_EXEC });
    const loads = elf.phdrs.filter((p) => p.type === PT_LOAD);
    expect(loads.length).toBe(2);
    expect(loads[1].memsz).toBeGreaterThan(loads[1].filesz);
    expect(elf.interp).toBeNull();
    expect(readDynamic(elf)).toEqual([]);
    expect(readDynamicSymbols(elf)).toEqual([]);
    expect(vaddrToOffset(elf, elf.header.entry)).toBe(elf.header.entry - loads[0].vaddr + loads[0].offset);
  });

  it("rv64-hello-dyn: a PIE with PT_INTERP and versioned glibc references", () => {
    const elf = parseElf(load(FIXTURES + "rv64-hello-dyn"), { machine: EM_RISCV });
    expect(elf.header.type).toBe(ET_DYN);
    expect(elf.interp).toBe("/lib/ld-linux-riscv64-lp64d.so.1");
    const needed = readDynamic(elf).filter((e) => e.tag === BigInt(DT_NEEDED));
    expect(needed.length).toBe(1);
    const names = checkDynamicObject(FIXTURES + "rv64-hello-dyn").map(show);
    expect(names).toContain("puts@@GLIBC_2.27");
    expect(names).toContain("__libc_start_main@@GLIBC_2.34");
  });

  const LIBS = [
    ["rv64-libvers.so", 64, "lsb", EM_RISCV],
    ["rv32-libvers.so", 32, "lsb", EM_RISCV],
    ["ppc32-libvers.so", 32, "msb", EM_PPC],
    ["a64be-libvers.so", 64, "msb", EM_AARCH64],
  ] as const;
  it.each(LIBS)("%s: default and hidden versions, as in the vDSO", (file, cls, data, machine) => {
    const elf = parseElf(load(FIXTURES + file), { machine });
    expect(elf.header).toMatchObject({ class: cls, data, type: ET_DYN });
    const names = checkDynamicObject(FIXTURES + file).map(show);
    expect(names).toEqual(expect.arrayContaining(["foo@VERS_1", "foo@@VERS_2", "bar@@VERS_2", "data_obj@@VERS_2"]));
  });
});

describe("the cross toolchain's glibc", () => {
  const present = ["libc.so.6", "ld-linux-riscv64-lp64d.so.1"].filter((f) => existsSync(SYSROOT + f));

  it("parses libc.so.6 and ld.so and agrees with readelf on their dynamic symbols", () => {
    for (const f of present) {
      const elf = parseElf(load(SYSROOT + f), { machine: EM_RISCV });
      expect(elf.shdrs.length).toBeGreaterThan(10);
      expect(readDynamic(elf).some((e) => e.tag === BigInt(DT_SONAME))).toBe(true);
      checkDynamicObject(SYSROOT + f);
    }
    if (present.includes("libc.so.6")) {
      const elf = parseElf(load(SYSROOT + "libc.so.6"));
      expect(elf.interp).toBe("/lib/ld-linux-riscv64-lp64d.so.1");
      const syms = readDynamicSymbols(elf).map(show);
      expect(syms.length).toBeGreaterThan(2000);
      expect(syms).toContain("pthread_attr_getstacksize@GLIBC_2.27");
      expect(syms).toContain("pthread_attr_getstacksize@@GLIBC_2.34");
    }
  });
});
