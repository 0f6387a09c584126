// The section header rules: ranges (NOBITS excepted), e_shstrndx, names.

import { describe, expect, it } from "vitest";
import { parseElf } from "../../src/elf/index.ts";
import { SHT_NOBITS, SHT_STRTAB } from "../../src/elf/constants.ts";
import { VARIANTS, expectElfError } from "./expect-error.ts";
import { EHDR_OFF, makeElf, minimalExec, patch, shdrAt, withSections, type ShdrSpec } from "./make-elf.ts";

describe.each(VARIANTS)("ELF%i %s sections", (cls, data) => {
  const H = EHDR_OFF[cls];
  const spec = () => withSections(minimalExec(cls, data));
  const withShdr = (i: number, change: Partial<ShdrSpec>) => {
    const s = spec();
    s.shdrs = s.shdrs.map((h, j) => (j === i ? { ...h, ...change } : h));
    return s;
  };

  it("reads section headers and names; a NOBITS section may point past EOF", () => {
    const elf = parseElf(makeElf(spec()));
    expect(elf.shdrs.map((s) => s.name)).toEqual(["", ".shstrtab", ".text", ".bss"]);
    expect(elf.shdrs[1]).toMatchObject({ index: 1, type: SHT_STRTAB, link: 0, info: 0 });
    expect(elf.shdrs[2]).toMatchObject({ flags: 6n, addr: 0x10400n, offset: 0x400n, size: 0x100n });
    expect(elf.shdrs[3]).toMatchObject({ type: SHT_NOBITS, offset: 0x7fff0000n, size: 0x10000n });
    expect(elf.header.shstrndx).toBe(1);
  });

  it("sectionHeaders: false (exec's way, as binfmt_elf) leaves a damaged table unread", () => {
    const s = withShdr(2, { offset: 0x800n, size: 0x1000n });
    const elf = parseElf(makeElf(s), { sectionHeaders: false });
    expect(elf.shdrs).toEqual([]);
    expect(elf.phdrs.length).toBeGreaterThan(0);
    expect(() => parseElf(makeElf(s))).toThrow();
  });

  it("rejects a section whose file range lies past EOF or wraps", () => {
    const s = withShdr(2, { offset: 0x800n, size: 0x1000n });
    expectElfError(() => parseElf(makeElf(s)), "shdr[2].sh_offset", shdrAt(s, 2, "sh_offset"));
    const limit = cls === 64 ? 1n << 64n : 1n << 32n;
    expect(expectElfError(() => parseElf(makeElf(withShdr(2, { offset: limit - 1n, size: 2n }))), "shdr[2].sh_offset").message).toMatch(/wraps/);
  });

  it("rejects a bad e_shstrndx", () => {
    expectElfError(() => parseElf(makeElf({ ...spec(), shstrndx: 4 })), "e_shstrndx", H.e_shstrndx);
    expectElfError(() => parseElf(makeElf({ ...spec(), shstrndx: 0xff00 })), "e_shstrndx", H.e_shstrndx);
    const notStrtab = expectElfError(() => parseElf(makeElf({ ...spec(), shstrndx: 2 })), "e_shstrndx", H.e_shstrndx);
    expect(notStrtab.message).toMatch(/not SHT_STRTAB/);
    // Without section headers, e_shstrndx must be SHN_UNDEF.
    expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), shstrndx: 1 })), "e_shstrndx", H.e_shstrndx);
  });

  it("leaves names empty with e_shstrndx SHN_UNDEF", () => {
    expect(parseElf(makeElf({ ...spec(), shstrndx: 0 })).shdrs.map((s) => s.name)).toEqual(["", "", "", ""]);
  });

  it("rejects a name index out of range or a name without its NUL", () => {
    const s = withShdr(2, { name: 0x40 });
    const err = expectElfError(() => parseElf(makeElf(s)), "shdr[2].sh_name", shdrAt(s, 2, "sh_name"));
    expect(err.message).toMatch(/past the end of its string table/);
    // Cut .shstrtab short so that ".bss" loses its NUL.
    const cut = spec();
    const size = cut.shdrs[1].size - 1n;
    const bytes = patch(makeElf(cut), cls, data, shdrAt(cut, 1, "sh_size"), size, "word");
    expect(expectElfError(() => parseElf(bytes), "shdr[3].sh_name").message).toMatch(/not NUL-terminated/);
  });
});
