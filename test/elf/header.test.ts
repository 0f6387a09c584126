// The ELF header rules, on hand-built files of both classes and byte orders.

import { describe, expect, it } from "vitest";
import { ElfError, parseElf } from "../../src/elf/index.ts";
import { EM_RISCV, EM_X86_64, ET_EXEC } from "../../src/elf/constants.ts";
import { VARIANTS, expectElfError } from "./expect-error.ts";
import { BASE_VADDR, EHDR_OFF, SHENTSIZE, makeElf, minimalExec, patch, withSections } from "./make-elf.ts";

describe.each(VARIANTS)("ELF%i %s header", (cls, data) => {
  const H = EHDR_OFF[cls];
  const limit = cls === 64 ? 1n << 64n : 1n << 32n;

  it("parses a minimal executable with no section headers", () => {
    const elf = parseElf(makeElf(minimalExec(cls, data)), { machine: EM_RISCV });
    expect(elf.header).toMatchObject({ class: cls, data, type: ET_EXEC, machine: EM_RISCV, version: 1, entry: BASE_VADDR + 0x400n, shoff: 0n, shnum: 0, phnum: 1 });
    expect(elf.phdrs).toEqual([{ index: 0, type: 1, flags: 5, offset: 0n, vaddr: BASE_VADDR, paddr: BASE_VADDR, filesz: 0x800n, memsz: 0x800n, align: 0x1000n }]);
    expect(elf.shdrs).toEqual([]);
    expect(elf.interp).toBeNull();
  });

  it("rejects a file shorter than e_ident or than the header", () => {
    const bytes = makeElf(minimalExec(cls, data));
    expectElfError(() => parseElf(bytes.subarray(0, 10)), "e_ident", 0);
    expectElfError(() => parseElf(bytes.subarray(0, cls === 64 ? 63 : 51)), "e_ident", 0);
    expectElfError(() => parseElf(new Uint8Array(0)), "e_ident", 0);
  });

  it("rejects a bad magic", () => {
    const bytes = makeElf({ ...minimalExec(cls, data), ident: [[1, 0x45 ^ 0x20]] });
    const err = expectElfError(() => parseElf(bytes), "e_ident[EI_MAG]", 1);
    expect(err.message).toMatch(/magic/);
  });

  it("rejects a bad class, data encoding or ident version", () => {
    expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), ident: [[4, 3]] })), "e_ident[EI_CLASS]", 4);
    expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), ident: [[4, 0]] })), "e_ident[EI_CLASS]", 4);
    expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), ident: [[5, 0]] })), "e_ident[EI_DATA]", 5);
    expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), ident: [[5, 3]] })), "e_ident[EI_DATA]", 5);
    expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), ident: [[6, 0]] })), "e_ident[EI_VERSION]", 6);
  });

  it("rejects a bad e_version", () => {
    const err = expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), version: 2 })), "e_version", 20);
    expect(err.message).toBe("bad e_version 2, expected EV_CURRENT (1) (at offset 0x14)");
  });

  it("rejects a machine other than the one asked for", () => {
    const bytes = makeElf(minimalExec(cls, data));
    expectElfError(() => parseElf(bytes, { machine: EM_X86_64 }), "e_machine", 18);
    expect(parseElf(bytes, { machine: EM_RISCV }).header.machine).toBe(EM_RISCV);
    expect(parseElf(bytes).header.machine).toBe(EM_RISCV);
  });

  it("rejects e_ehsize, e_phentsize, e_shentsize that do not match the class", () => {
    expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), ehsize: cls === 64 ? 52 : 64 })), "e_ehsize", H.e_ehsize);
    expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), phentsize: 40 })), "e_phentsize", H.e_phentsize);
    expectElfError(() => parseElf(makeElf({ ...withSections(minimalExec(cls, data)), shentsize: SHENTSIZE[cls] + 4 })), "e_shentsize", H.e_shentsize);
  });

  it("ignores e_phentsize/e_shentsize when that table is absent", () => {
    const spec = { ...minimalExec(cls, data), phdrs: [], phentsize: 7, shentsize: 9, entry: 0n };
    const elf = parseElf(makeElf(spec));
    expect(elf.phdrs).toEqual([]);
    expect(elf.header.phentsize).toBe(7);
  });

  it("rejects program header tables past the end of the file or wrapping", () => {
    const spec = minimalExec(cls, data);
    expectElfError(() => parseElf(makeElf({ ...spec, phoff: BigInt(spec.size - 8) })), "e_phoff", H.e_phoff);
    const err = expectElfError(() => parseElf(makeElf({ ...spec, phoff: limit - 16n })), "e_phoff", H.e_phoff);
    expect(err.message).toMatch(/wraps/);
    expectElfError(() => parseElf(makeElf({ ...spec, phnum: 200 })), "e_phoff", H.e_phoff);
    const zeroPhoff = patch(makeElf(spec), cls, data, H.e_phoff, 0, "word");
    expect(expectElfError(() => parseElf(zeroPhoff), "e_phoff", H.e_phoff).message).toMatch(/e_phnum is 1/);
  });

  it("rejects section header tables past the end of the file or wrapping", () => {
    const spec = withSections(minimalExec(cls, data));
    expectElfError(() => parseElf(makeElf({ ...spec, shoff: BigInt(spec.size - 8) })), "e_shoff", H.e_shoff);
    expectElfError(() => parseElf(makeElf({ ...spec, shoff: limit - 32n })), "e_shoff", H.e_shoff);
    expectElfError(() => parseElf(makeElf({ ...spec, shnum: 5 })), "e_shoff", H.e_shoff);
    expectElfError(() => parseElf(makeElf({ ...spec, shoff: 0n, shdrs: [], shnum: 4 })), "e_shoff", H.e_shoff);
  });

  it("puts the field and offset in the message, e.g. for e_phentsize", () => {
    const err = expectElfError(() => parseElf(makeElf({ ...minimalExec(cls, data), phentsize: 40 })), "e_phentsize");
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(ElfError);
    expect(err.message).toBe(`bad e_phentsize 40, expected ${cls === 64 ? 56 : 32} (at offset 0x${H.e_phentsize.toString(16)})`);
  });

  it("follows extended numbering: e_shnum 0, e_shstrndx SHN_XINDEX, e_phnum PN_XNUM", () => {
    const base = withSections(minimalExec(cls, data));
    const shdrs = base.shdrs.map((s) => ({ ...s }));
    shdrs[0] = { ...shdrs[0], size: 4n, link: 1, info: 1 };
    const elf = parseElf(makeElf({ ...base, shdrs, shnum: 0, shstrndx: 0xffff, phnum: 0xffff }));
    expect(elf.shdrs.map((s) => s.name)).toEqual(["", ".shstrtab", ".text", ".bss"]);
    expect(elf.phdrs.length).toBe(1);
    expect(elf.header.shnum).toBe(0);
    expect(elf.header.phnum).toBe(0xffff);
  });
});
