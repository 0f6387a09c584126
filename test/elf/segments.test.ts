// The program header rules: file ranges, PT_LOAD sizes, congruence, overlap, entry, PT_INTERP.

import { describe, expect, it } from "vitest";
import { parseElf } from "../../src/elf/index.ts";
import { ET_DYN, ET_REL, PF_R, PF_W, PF_X, PT_INTERP, PT_LOAD, PT_NULL, PT_RISCV_ATTRIBUTES } from "../../src/elf/constants.ts";
import { VARIANTS, expectElfError } from "./expect-error.ts";
import { BASE_VADDR, EHDR_OFF, TEXT_SIZE, makeElf, minimalExec, phdrAt, type ElfSpec, type PhdrSpec } from "./make-elf.ts";

describe.each(VARIANTS)("ELF%i %s segments", (cls, data) => {
  const limit = cls === 64 ? 1n << 64n : 1n << 32n;
  const base = () => minimalExec(cls, data);
  const withPhdrs = (phdrs: PhdrSpec[], more: Partial<ElfSpec> = {}): ElfSpec => ({ ...base(), phdrs, ...more });
  const text = (): PhdrSpec => ({ ...base().phdrs[0] });
  const load = (p: Partial<PhdrSpec>): PhdrSpec => ({ type: PT_LOAD, flags: PF_R | PF_W, offset: 0n, vaddr: 0n, filesz: 0n, memsz: 0n, align: 0x1000n, ...p });

  it("rejects a PT_LOAD with p_filesz > p_memsz, but not a non-loaded segment", () => {
    const bad = withPhdrs([{ ...text(), memsz: 0x7ffn }]);
    const err = expectElfError(() => parseElf(makeElf(bad)), "phdr[0].p_filesz", phdrAt(bad, 0, "p_filesz"));
    expect(err.message).toMatch(/larger than p_memsz 0x7ff/);
    // PT_RISCV_ATTRIBUTES is read from the file only: p_memsz 0 < p_filesz, as the toolchain emits it.
    const attrs = withPhdrs([text(), { type: PT_RISCV_ATTRIBUTES, flags: PF_R, offset: 0x700n, vaddr: 0n, filesz: 0x57n, memsz: 0n, align: 1n }]);
    expect(parseElf(makeElf(attrs)).phdrs[1].type).toBe(PT_RISCV_ATTRIBUTES);
  });

  it("rejects segment file ranges past the end of the file or wrapping", () => {
    const past = withPhdrs([text(), { type: 4, flags: PF_R, offset: 0x700n, vaddr: 0n, filesz: 0x101n, memsz: 0x101n, align: 4n }]);
    expectElfError(() => parseElf(makeElf(past)), "phdr[1].p_offset", phdrAt(past, 1, "p_offset"));
    const huge = withPhdrs([text(), { type: 4, flags: PF_R, offset: 1n << 31n, vaddr: 0n, filesz: 4n, memsz: 4n, align: 4n }]);
    expectElfError(() => parseElf(makeElf(huge)), "phdr[1].p_offset");
    const wrap = withPhdrs([text(), { type: 4, flags: PF_R, offset: limit - 4n, vaddr: 0n, filesz: 8n, memsz: 8n, align: 4n }]);
    expect(expectElfError(() => parseElf(makeElf(wrap)), "phdr[1].p_offset").message).toMatch(/wraps/);
    const loadPast = withPhdrs([{ ...text(), filesz: BigInt(TEXT_SIZE + 1), memsz: 0x1000n }]);
    expectElfError(() => parseElf(makeElf(loadPast)), "phdr[0].p_offset");
  });

  it("ignores PT_NULL entries whatever they hold", () => {
    const spec = withPhdrs([{ type: PT_NULL, flags: 0, offset: limit - 1n, vaddr: 5n, filesz: 1000n, memsz: 1n, align: 3n }, text()]);
    expect(parseElf(makeElf(spec)).phdrs.length).toBe(2);
  });

  it("rejects a PT_LOAD whose p_offset and p_vaddr differ modulo the page size", () => {
    const spec = withPhdrs([{ ...text(), vaddr: BASE_VADDR + 0x10n, align: 0n }], { entry: BASE_VADDR + 0x400n });
    const err = expectElfError(() => parseElf(makeElf(spec)), "phdr[0].p_vaddr", phdrAt(spec, 0, "p_vaddr"));
    expect(err.message).toMatch(/modulo the page size 0x1000/);
  });

  it("uses the pageSize option", () => {
    // Congruent modulo 4 KiB, not modulo 64 KiB.
    const spec = withPhdrs([{ ...text(), vaddr: BASE_VADDR + 0x1000n, align: 0x1000n }], { entry: BASE_VADDR + 0x1400n });
    expect(parseElf(makeElf(spec)).phdrs.length).toBe(1);
    expectElfError(() => parseElf(makeElf(spec), { pageSize: 0x10000 }), "phdr[0].p_vaddr");
    expect(() => parseElf(makeElf(spec), { pageSize: 3000 })).toThrow(RangeError);
  });

  it("checks congruence modulo p_align when p_align > 1", () => {
    const spec = withPhdrs([{ ...text(), vaddr: BASE_VADDR + 0x1000n, align: 0x2000n }], { entry: BASE_VADDR + 0x1400n });
    expect(expectElfError(() => parseElf(makeElf(spec)), "phdr[0].p_vaddr").message).toMatch(/modulo p_align 0x2000/);
    for (const align of [0n, 1n, 0x1000n]) {
      expect(parseElf(makeElf(withPhdrs([{ ...text(), vaddr: BASE_VADDR + 0x1000n, align }], { entry: BASE_VADDR + 0x1400n }))).phdrs[0].align).toBe(align);
    }
  });

  it("rejects overlapping PT_LOADs, in either table order", () => {
    const data1 = load({ offset: 0x700n, vaddr: BASE_VADDR + 0x700n, filesz: 0x100n, memsz: 0x200n });
    const spec = withPhdrs([text(), data1]);
    const err = expectElfError(() => parseElf(makeElf(spec)), "phdr[1].p_vaddr", phdrAt(spec, 1, "p_vaddr"));
    expect(err.message).toMatch(/overlaps phdr\[0\]/);
    const swapped = withPhdrs([data1, text()]);
    expectElfError(() => parseElf(makeElf(swapped)), "phdr[1].p_vaddr");
    // One segment far below that spans over both others.
    const wide = withPhdrs([text(), load({ offset: 0x700n, vaddr: BASE_VADDR + 0x10700n, filesz: 0x100n, memsz: 0x100n }),
      load({ vaddr: 0x1000n, memsz: 0x100000n })]);
    expectElfError(() => parseElf(makeElf(wide)), "phdr[2].p_vaddr");
  });

  it("accepts PT_LOADs that only share a page after rounding, or are empty", () => {
    const spec = withPhdrs([text(),
      load({ offset: 0x7c0n, vaddr: BASE_VADDR + 0x17c0n, filesz: 0x40n, memsz: 0x2000n }),
      load({ offset: 0x800n, vaddr: BASE_VADDR + 0x800n, filesz: 0n, memsz: 0x10n }),
      load({ offset: 0x100n, vaddr: BASE_VADDR + 0x100n, filesz: 0n, memsz: 0n })]);
    expect(parseElf(makeElf(spec)).phdrs.length).toBe(4);
  });

  it("rejects a PT_LOAD whose p_vaddr + p_memsz wraps", () => {
    const spec = withPhdrs([text(), load({ vaddr: limit - 0x1000n, memsz: 0x1001n })]);
    const err = expectElfError(() => parseElf(makeElf(spec)), "phdr[1].p_memsz", phdrAt(spec, 1, "p_memsz"));
    expect(err.message).toMatch(/wraps/);
    // Ending exactly at the top of the address space is fine.
    expect(parseElf(makeElf(withPhdrs([text(), load({ vaddr: limit - 0x1000n, memsz: 0x1000n })]))).phdrs.length).toBe(2);
  });

  it("rejects an entry point outside every executable PT_LOAD", () => {
    const H = EHDR_OFF[cls];
    expectElfError(() => parseElf(makeElf(withPhdrs([text()], { entry: BASE_VADDR + 0x800n }))), "e_entry", H.e_entry);
    expectElfError(() => parseElf(makeElf(withPhdrs([text()], { entry: BASE_VADDR - 1n }))), "e_entry", H.e_entry);
    expectElfError(() => parseElf(makeElf(withPhdrs([{ ...text(), flags: PF_R | PF_W }]))), "e_entry", H.e_entry);
    expectElfError(() => parseElf(makeElf(withPhdrs([{ ...text(), flags: PF_R | PF_W }], { type: ET_DYN }))), "e_entry");
    // e_entry 0 (a shared library) and object files are not checked.
    expect(parseElf(makeElf(withPhdrs([text()], { type: ET_DYN, entry: 0n }))).header.entry).toBe(0n);
    expect(parseElf(makeElf(withPhdrs([text()], { type: ET_REL, entry: 5n }))).header.entry).toBe(5n);
    // The entry may sit in the part of the segment that is only in memory.
    expect(parseElf(makeElf(withPhdrs([{ ...text(), memsz: 0x1000n, flags: PF_R | PF_X }], { entry: BASE_VADDR + 0xfffn }))).header.entry)
      .toBe(BASE_VADDR + 0xfffn);
  });

  describe("PT_INTERP", () => {
    const path = "/lib/ld-linux-riscv64-lp64d.so.1";
    const interpSpec = (bytes: Uint8Array, count = 1): ElfSpec => {
      const ph: PhdrSpec = { type: PT_INTERP, flags: PF_R, offset: 0x100n, vaddr: BASE_VADDR + 0x100n, filesz: BigInt(bytes.length), memsz: BigInt(bytes.length), align: 1n };
      return withPhdrs([...Array(count).fill(ph), text()], { blobs: [{ offset: 0x100, bytes }] });
    };
    const enc = (s: string) => new TextEncoder().encode(s);

    it("exposes the interpreter path", () => {
      expect(parseElf(makeElf(interpSpec(enc(path + "\0")))).interp).toBe(path);
      // A NUL before the segment's end ends the string there.
      expect(parseElf(makeElf(interpSpec(enc("/lib/ld.so\0junk\0")))).interp).toBe("/lib/ld.so");
    });

    it("rejects a path that is not NUL-terminated inside its segment", () => {
      const spec = interpSpec(enc(path));
      const err = expectElfError(() => parseElf(makeElf(spec)), "phdr[0].p_filesz", phdrAt(spec, 0, "p_filesz"));
      expect(err.message).toMatch(/not NUL-terminated/);
      expectElfError(() => parseElf(makeElf(interpSpec(new Uint8Array(0)))), "phdr[0].p_filesz");
    });

    it("rejects two PT_INTERPs", () => {
      const spec = interpSpec(enc(path + "\0"), 2);
      const err = expectElfError(() => parseElf(makeElf(spec)), "phdr[1].p_type", phdrAt(spec, 1, "p_type"));
      expect(err.message).toMatch(/second PT_INTERP/);
    });
  });
});
