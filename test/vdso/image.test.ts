import { describe, expect, it } from "vitest";
import {
  DT_GNU_HASH, DT_HASH, DT_NULL, DT_SONAME, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, DT_VERDEF,
  DT_VERDEFNUM, DT_VERSYM, EM_RISCV, ET_DYN, PF_R, PF_X, PT_DYNAMIC, PT_LOAD, PT_NOTE, SHN_ABS,
  STB_GLOBAL, STT_FUNC, STT_OBJECT, VER_FLG_BASE,
} from "../../src/elf/constants.ts";
import { elfHash, gnuHash } from "../../src/vdso/dynamic.ts";
import { LINUX_VERSION_CODE, buildVdsoImage, vdsoImage, vdsoSymbolOffset } from "../../src/vdso/index.ts";
import { ElfView } from "./elf-view.ts";
import type { Sym } from "./elf-view.ts";

const FUNCTIONS = [
  "__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_clock_getres",
  "__vdso_getcpu", "__vdso_flush_icache", "__vdso_riscv_hwprobe",
];

const img = vdsoImage();
const elf = new ElfView(img.bytes);
// Linked at 0 with one PT_LOAD from offset 0: dynamic addresses are file offsets.
const symtab = elf.dt(DT_SYMTAB), strtab = elf.dt(DT_STRTAB);
const sym = (i: number): Sym => elf.symbol(symtab, strtab, i);
const nsyms = elf.u32(elf.dt(DT_HASH) + 4); // nchain = number of dynsym entries

/** The version index of symbol i, and the verdef it names (vd_ndx, vd_hash, name, flags). */
function versionOf(i: number): { hidden: boolean; ndx: number; hash: number; name: string; flags: number } | undefined {
  const v = elf.u16(elf.dt(DT_VERSYM) + i * 2);
  let at = elf.dt(DT_VERDEF);
  for (let n = 0; n < elf.dt(DT_VERDEFNUM); n++) {
    if (elf.u16(at + 4) === (v & 0x7fff)) {
      const aux = at + elf.u32(at + 12);
      return { hidden: (v & 0x8000) !== 0, ndx: v & 0x7fff, hash: elf.u32(at + 8), name: elf.cstr(strtab + elf.u32(aux)), flags: elf.u16(at + 2) };
    }
    at += elf.u32(at + 16);
  }
  return undefined;
}

/** glibc's check_match, reduced: name, defined, and the requested default version. */
function matches(i: number, name: string, version: string): boolean {
  const s = sym(i);
  const v = versionOf(i);
  return s.name === name && s.shndx !== 0 && v !== undefined && !v.hidden && v.name === version && v.hash === elfHash(version);
}

/** SysV DT_HASH lookup: bucket[h % nbucket], then the chain. */
function lookupSysv(name: string, version = "LINUX_4.15"): number {
  const at = elf.dt(DT_HASH);
  const nbucket = elf.u32(at);
  const chain = at + 8 + nbucket * 4;
  for (let i = elf.u32(at + 8 + (elfHash(name) % nbucket) * 4); i !== 0; i = elf.u32(chain + i * 4)) {
    if (matches(i, name, version)) return i;
  }
  return 0;
}

/** DT_GNU_HASH lookup as glibc's do_lookup_x: bloom filter, bucket, chain until the stop bit. */
function lookupGnu(name: string, version = "LINUX_4.15"): number {
  const at = elf.dt(DT_GNU_HASH);
  const [nbuckets, symoffset, bloomSize, shift] = [0, 4, 8, 12].map((o) => elf.u32(at + o)) as [number, number, number, number];
  const h = gnuHash(name);
  const word = elf.dv.getBigUint64(at + 16 + ((Math.floor(h / 64) & (bloomSize - 1)) * 8), true);
  const mask = (1n << BigInt(h % 64)) | (1n << BigInt((h >>> shift) % 64));
  if ((word & mask) !== mask) return 0;
  const buckets = at + 16 + bloomSize * 8;
  const chain = buckets + nbuckets * 4;
  let i = elf.u32(buckets + (h % nbuckets) * 4);
  if (i < symoffset) return 0;
  for (;; i++) {
    const h2 = elf.u32(chain + (i - symoffset) * 4);
    if (((h | 1) >>> 0) === ((h2 | 1) >>> 0) && matches(i, name, version)) return i;
    if (h2 & 1) return 0;
  }
}

describe("vDSO image: ELF container", () => {
  it("is a riscv64 ET_DYN linked at 0, a whole number of pages", () => {
    expect([...img.bytes.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(img.bytes[4]).toBe(2); // ELFCLASS64
    expect(img.bytes[5]).toBe(1); // little-endian
    expect(elf.u16(16)).toBe(ET_DYN);
    expect(elf.u16(18)).toBe(EM_RISCV);
    expect(elf.u32(48)).toBe(0x5); // RVC | double-float ABI
    expect(img.size).toBe(img.bytes.length);
    expect(img.size % 4096).toBe(0);
    expect(img.size).toBeGreaterThan(0);
  });

  it("has one R+X PT_LOAD from the ELF header over every allocated section, plus PT_DYNAMIC and PT_NOTE", () => {
    expect(elf.phdrs.map((p) => p.type)).toEqual([PT_LOAD, PT_DYNAMIC, PT_NOTE]);
    const load = elf.phdrs[0]!;
    expect(load).toMatchObject({ offset: 0, vaddr: 0, flags: PF_R | PF_X, align: 4096 });
    expect(load.filesz).toBe(load.memsz);
    for (const s of elf.shdrs.filter((x) => (x.flags & 2n) !== 0n)) {
      expect(s.addr).toBe(s.offset);
      expect(s.offset + s.size).toBeLessThanOrEqual(load.filesz);
    }
    expect(elf.phdrs[1]).toMatchObject({ offset: elf.section(".dynamic").offset, filesz: elf.section(".dynamic").size, flags: PF_R });
    expect(elf.phdrs[2]).toMatchObject({ offset: elf.section(".note").offset, filesz: elf.section(".note").size, flags: PF_R });
  });

  it("names its sections like the kernel's vdso.so, in the linker script's order", () => {
    expect(elf.shdrs.map((s) => s.name)).toEqual([
      "", ".hash", ".gnu.hash", ".dynsym", ".dynstr", ".gnu.version", ".gnu.version_d", ".dynamic", ".note", ".text", ".shstrtab",
    ]);
    expect(img.text).toEqual({ offset: elf.section(".text").offset, size: elf.section(".text").size });
  });

  it("has the dynamic tags glibc's setup_vdso and dl_vdso_vsym use, addresses pointing at their sections", () => {
    const tags = elf.dynamic();
    expect(tags.map(([t]) => t)).toEqual([
      DT_SONAME, DT_HASH, DT_GNU_HASH, DT_STRTAB, DT_SYMTAB, DT_STRSZ, DT_SYMENT, DT_VERSYM, DT_VERDEF, DT_VERDEFNUM, DT_NULL,
    ]);
    expect(elf.dt(DT_HASH)).toBe(elf.section(".hash").addr);
    expect(elf.dt(DT_GNU_HASH)).toBe(elf.section(".gnu.hash").addr);
    expect(elf.dt(DT_SYMTAB)).toBe(elf.section(".dynsym").addr);
    expect(elf.dt(DT_STRTAB)).toBe(elf.section(".dynstr").addr);
    expect(elf.dt(DT_STRSZ)).toBe(elf.section(".dynstr").size);
    expect(elf.dt(DT_SYMENT)).toBe(24);
    expect(elf.dt(DT_VERSYM)).toBe(elf.section(".gnu.version").addr);
    expect(elf.dt(DT_VERDEF)).toBe(elf.section(".gnu.version_d").addr);
    expect(elf.dt(DT_VERDEFNUM)).toBe(2);
    expect(elf.cstr(strtab + elf.dt(DT_SONAME))).toBe("linux-vdso.so.1");
  });

  it("carries the Linux version note (name Linux, type 0, LINUX_VERSION_CODE) and a 20-byte build id", () => {
    const at = elf.section(".note").offset;
    expect([elf.u32(at), elf.u32(at + 4), elf.u32(at + 8)]).toEqual([6, 4, 0]);
    expect(elf.cstr(at + 12)).toBe("Linux");
    expect(elf.u32(at + 20)).toBe(LINUX_VERSION_CODE);
    expect(LINUX_VERSION_CODE).toBe(0x060c00);
    const gnu = at + 24;
    expect([elf.u32(gnu), elf.u32(gnu + 4), elf.u32(gnu + 8)]).toEqual([4, 20, 3]);
    expect(elf.cstr(gnu + 12)).toBe("GNU");
    expect(img.bytes.subarray(gnu + 16, gnu + 36).some((b) => b !== 0)).toBe(true);
  });

  it("is built once and is the same bytes when built again", () => {
    expect(vdsoImage()).toBe(img);
    expect(buildVdsoImage().bytes).toEqual(img.bytes);
  });
});

describe("vDSO image: symbols and versions", () => {
  it("exports exactly the seven riscv functions, STT_FUNC GLOBAL DEFAULT in .text, plus the LINUX_4.15 version symbol", () => {
    const all = Array.from({ length: nsyms }, (_, i) => sym(i));
    expect(all[0]).toMatchObject({ name: "", info: 0, shndx: 0, value: 0 });
    const funcs = all.filter((s) => (s.info & 0xf) === STT_FUNC);
    expect(funcs.map((s) => s.name).sort()).toEqual([...FUNCTIONS].sort());
    const text = elf.section(".text");
    const textIndex = elf.shdrs.indexOf(text);
    for (const s of funcs) {
      expect(s.info >> 4).toBe(STB_GLOBAL);
      expect(s.other).toBe(0);
      expect(s.shndx).toBe(textIndex);
      expect(s.value).toBeGreaterThanOrEqual(text.addr);
      expect(s.value + s.size).toBeLessThanOrEqual(text.addr + text.size);
      expect(s.size).toBeGreaterThan(0);
    }
    const others = all.slice(1).filter((s) => (s.info & 0xf) !== STT_FUNC);
    expect(others).toEqual([expect.objectContaining({ name: "LINUX_4.15", info: (STB_GLOBAL << 4) | STT_OBJECT, shndx: SHN_ABS, value: 0, size: 0 })]);
  });

  it("reports the functions' places in `symbols`, matching .dynsym", () => {
    expect(img.symbols.map((s) => s.name)).toEqual(FUNCTIONS);
    for (const s of img.symbols) {
      const i = lookupGnu(s.name);
      expect(sym(i)).toMatchObject({ value: s.offset, size: s.size });
      expect(vdsoSymbolOffset(s.name)).toBe(s.offset);
    }
    expect(() => vdsoSymbolOffset("__vdso_time")).toThrow();
  });

  it("finds every function through DT_HASH and DT_GNU_HASH, as the same symbol", () => {
    for (const name of FUNCTIONS) {
      const viaGnu = lookupGnu(name), viaSysv = lookupSysv(name);
      expect(viaGnu, name).toBeGreaterThan(0);
      expect(viaSysv).toBe(viaGnu);
      expect(sym(viaGnu).name).toBe(name);
    }
  });

  it("lays DT_GNU_HASH out as the ABI requires: runs grouped by bucket, each closed by its stop bit", () => {
    const at = elf.dt(DT_GNU_HASH);
    const [nbuckets, symoffset, bloomSize] = [0, 4, 8].map((o) => elf.u32(at + o)) as [number, number, number];
    expect(symoffset).toBe(1);
    expect(bloomSize & (bloomSize - 1)).toBe(0);
    const buckets = at + 16 + bloomSize * 8;
    const chain = buckets + nbuckets * 4;
    const seen: number[] = [];
    for (let b = 0; b < nbuckets; b++) {
      let i = elf.u32(buckets + b * 4);
      if (i === 0) continue;
      for (;; i++) {
        const h = gnuHash(sym(i).name);
        expect(h % nbuckets).toBe(b);
        const h2 = elf.u32(chain + (i - symoffset) * 4);
        expect(((h2 | 1) >>> 0)).toBe(((h | 1) >>> 0));
        seen.push(i);
        if (h2 & 1) break;
        expect(i + 1).toBeLessThan(nsyms);
      }
    }
    expect(seen).toEqual(Array.from({ length: nsyms - 1 }, (_, k) => k + 1));
    expect(elf.section(".gnu.hash").size).toBe(16 + bloomSize * 8 + nbuckets * 4 + (nsyms - 1) * 4);
  });

  it("lays DT_HASH out with one chain entry per symbol, every symbol reachable from its bucket", () => {
    const at = elf.dt(DT_HASH);
    const nbucket = elf.u32(at);
    expect(elf.section(".hash").size).toBe((2 + nbucket + nsyms) * 4);
    for (let i = 1; i < nsyms; i++) {
      let j = elf.u32(at + 8 + (elfHash(sym(i).name) % nbucket) * 4);
      while (j !== 0 && j !== i) j = elf.u32(at + 8 + nbucket * 4 + j * 4);
      expect(j, sym(i).name).toBe(i);
    }
  });

  it("finds nothing for unknown names or another version", () => {
    for (const name of ["__vdso_time", "__vdso_getrandom", "clock_gettime", ""]) {
      expect(lookupGnu(name)).toBe(0);
      expect(lookupSysv(name)).toBe(0);
    }
    expect(lookupGnu("__vdso_clock_gettime", "LINUX_2.6")).toBe(0);
    expect(lookupSysv("__vdso_clock_gettime", "LINUX_2.6")).toBe(0);
  });

  it("versions every function as the default LINUX_4.15 (vd_hash 182943605), after a BASE linux-vdso.so.1 definition", () => {
    expect(elfHash("LINUX_4.15")).toBe(182943605);
    for (const name of FUNCTIONS) {
      expect(versionOf(lookupGnu(name))).toEqual({ hidden: false, ndx: 2, hash: 182943605, name: "LINUX_4.15", flags: 0 });
    }
    const base = elf.dt(DT_VERDEF);
    expect(elf.u16(base)).toBe(1); // vd_version
    expect(elf.u16(base + 2)).toBe(VER_FLG_BASE);
    expect(elf.u16(base + 4)).toBe(1);
    expect(elf.u32(base + 8)).toBe(elfHash("linux-vdso.so.1"));
    expect(elf.cstr(strtab + elf.u32(base + elf.u32(base + 12)))).toBe("linux-vdso.so.1");
    expect(elf.u16(elf.dt(DT_VERSYM))).toBe(0); // the null symbol is local
  });

  it("computes the SysV and GNU hashes of the ABI's examples", () => {
    expect(gnuHash("")).toBe(5381);
    expect(gnuHash("printf")).toBe(0x156b2bb8);
    expect(gnuHash("exit")).toBe(0x7c967e3f);
    expect(elfHash("")).toBe(0);
    expect(elfHash("printf")).toBe(0x077905a6);
    expect(elfHash("exit")).toBe(0x0006cf04);
  });
});
