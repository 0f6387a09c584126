// The vDSO image: a riscv64 ELF shared object laid out like the kernel's vdso.so
// (arch/riscv/kernel/vdso/vdso.lds.S): linked at 0, one R+X PT_LOAD from the ELF header through
// .text, plus PT_DYNAMIC and PT_NOTE. Built once per process, on first use.
//
// No .eh_frame / PT_GNU_EH_FRAME: without an FDE for __vdso_rt_sigreturn, libgcc and gdb
// recognise the signal trampoline by its two instructions and read the sigframe, which a
// naive CFI would get wrong.

import {
  DT_GNU_HASH, DT_HASH, DT_NULL, DT_SONAME, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, DT_VERDEF,
  DT_VERDEFNUM, DT_VERSYM, EF_RISCV_FLOAT_ABI_DOUBLE, EF_RISCV_RVC, EM_RISCV, ET_DYN, NT_GNU_BUILD_ID,
  PF_R, PF_X, PT_DYNAMIC, PT_LOAD, PT_NOTE, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHT_DYNAMIC,
  SHT_DYNSYM, SHT_GNU_HASH, SHT_GNU_verdef, SHT_GNU_versym, SHT_HASH, SHT_NOTE, SHT_PROGBITS,
  SHT_STRTAB, STB_GLOBAL, STB_WEAK, STT_FUNC, STT_OBJECT, STV_DEFAULT, SYM64_SIZE, VER_DEF_CURRENT, VER_FLG_BASE,
  VER_NDX_GLOBAL, VER_NDX_LOCAL,
} from "../elf/constants.ts";
import {
  DYN64_SIZE, StringTable, encodeDynamic, encodeNote, encodeSymbols, layoutElf, noteSize,
  sectionByName, segmentOver, stInfo, writeElf,
} from "../elf/writer.ts";
import type { ElfLayout, ElfSectionSpec, ElfSymbol } from "../elf/writer.ts";
import {
  buildGnuHash, buildSysvHash, buildVerdef, buildVersym, gnuHashSize, sortForGnuHash, sysvHashSize,
  verdefSize,
} from "./dynamic.ts";
import type { GnuHashShape } from "./dynamic.ts";
import { VVAR_SYMBOL, assembleVdsoText } from "./text.ts";
import type { VdsoFunction } from "./text.ts";
import { VVAR_SIZE } from "./vvar.ts";

/** The vDSO's DT_SONAME, as on every 64-bit Linux. */
export const VDSO_SONAME = "linux-vdso.so.1";

/** The version node all riscv vDSO symbols belong to (glibc asks for it by name and hash). */
export const VDSO_VERSION = "LINUX_4.15";

/** KERNEL_VERSION(a, b, c) of <linux/version.h>. */
export function kernelVersion(major: number, minor: number, patch: number): number {
  return (major << 16) + (minor << 8) + Math.min(patch, 255);
}

/** The Linux version the "Linux" note announces; keep in step with uname's release. */
export const LINUX_VERSION_CODE = kernelVersion(6, 12, 0);

/**
 * RVC | double-float ABI, what userland objects carry. (The kernel builds its vdso.so with
 * -mabi=lp64, so a real one may say soft-float; the code uses no FP and glibc does not check.)
 */
export const VDSO_E_FLAGS = EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE;

const PAGE_SIZE = 4096;
const NT_LINUX_VERSION = 0; // the "Linux" note's type in note.S (ELFNOTE_START(Linux, 0, "a"))
const BUILD_ID_SIZE = 20; // as long as the kernel's --build-id=sha1
const VERSION_INDEX = VER_NDX_GLOBAL + 1; // LINUX_4.15: index 1 is the base definition
const HASH_BUCKETS = 3; // what ld chooses for fewer than 17 symbols
const GNU_HASH_SHAPE: GnuHashShape = { nbuckets: HASH_BUCKETS, bloomWords: 1, bloomShift: 6 };
const DYNAMIC_TAGS = 11; // the entries of dynamicEntries(), DT_NULL included

/** A symbol's place in the image. */
export interface VdsoSymbol {
  name: string;
  offset: number;
  size: number;
}

/** The built image: bytes to map (a whole number of pages), its functions, and .text. */
export interface VdsoImage {
  bytes: Uint8Array;
  size: number;
  symbols: VdsoSymbol[];
  text: { offset: number; size: number };
}

/** A .dynsym entry: an exported function (weak for an alias), or (no fn) the version node's absolute symbol. */
interface DynsymEntry {
  name: string;
  fn?: VdsoFunction;
  weak?: boolean;
}

/** What differs between the architectures' vDSOs; the layout and tables are common. */
export interface VdsoSpec {
  machine: number;
  flags: number;
  /** The version node every symbol belongs to (LINUX_4.15 on riscv, LINUX_2.6 on x86-64). */
  version: string;
  /** The code, assembled; link() places it and resolves the vvar symbol. */
  text(): { asm: { offset: number; link(origin: number, symbols: ReadonlyMap<string, number>): Uint8Array }; functions: VdsoFunction[] };
  vvarSymbol: string;
  /** Pages the image takes at least (x86-64's vdso.so is two: the mapping the host shows). */
  minPages?: number;
  /** Weak aliases [alias, function] (x86-64's clock_gettime for __vdso_clock_gettime ...). */
  aliases?: readonly (readonly [string, string])[];
}

function sectionSpecs(dynstr: StringTable, nsyms: number, textSize: number): ElfSectionSpec[] {
  const notes = noteSize("Linux", 4) + noteSize("GNU", BUILD_ID_SIZE);
  const A = SHF_ALLOC;
  return [
    { name: ".hash", type: SHT_HASH, flags: A, align: 8, size: sysvHashSize(nsyms, HASH_BUCKETS), link: ".dynsym", entsize: 4 },
    { name: ".gnu.hash", type: SHT_GNU_HASH, flags: A, align: 8, size: gnuHashSize(nsyms - 1, GNU_HASH_SHAPE), link: ".dynsym" },
    { name: ".dynsym", type: SHT_DYNSYM, flags: A, align: 8, size: nsyms * SYM64_SIZE, link: ".dynstr", info: 1, entsize: SYM64_SIZE },
    { name: ".dynstr", type: SHT_STRTAB, flags: A, align: 1, size: dynstr.size },
    { name: ".gnu.version", type: SHT_GNU_versym, flags: A, align: 2, size: nsyms * 2, link: ".dynsym", entsize: 2 },
    { name: ".gnu.version_d", type: SHT_GNU_verdef, flags: A, align: 8, size: verdefSize(2), link: ".dynstr", info: 2 },
    { name: ".dynamic", type: SHT_DYNAMIC, flags: A | SHF_WRITE, align: 8, size: DYNAMIC_TAGS * DYN64_SIZE, link: ".dynstr", entsize: DYN64_SIZE },
    { name: ".note", type: SHT_NOTE, flags: A, align: 4, size: notes },
    { name: ".text", type: SHT_PROGBITS, flags: A | SHF_EXECINSTR, align: 16, size: textSize },
  ];
}

function dynamicEntries(layout: ElfLayout, dynstr: StringTable): [number, number][] {
  const addr = (name: string): number => sectionByName(layout, name).addr;
  const entries: [number, number][] = [
    [DT_SONAME, dynstr.offsetOf(VDSO_SONAME)],
    [DT_HASH, addr(".hash")],
    [DT_GNU_HASH, addr(".gnu.hash")],
    [DT_STRTAB, addr(".dynstr")],
    [DT_SYMTAB, addr(".dynsym")],
    [DT_STRSZ, dynstr.size],
    [DT_SYMENT, SYM64_SIZE],
    [DT_VERSYM, addr(".gnu.version")],
    [DT_VERDEF, addr(".gnu.version_d")],
    [DT_VERDEFNUM, 2],
    [DT_NULL, 0],
  ];
  if (entries.length !== DYNAMIC_TAGS) throw new Error("DYNAMIC_TAGS out of date");
  return entries;
}

function dynsymBytes(entries: readonly DynsymEntry[], dynstr: StringTable, layout: ElfLayout): Uint8Array {
  const text = sectionByName(layout, ".text");
  const syms: ElfSymbol[] = [{ name: 0, info: 0, other: 0, shndx: 0, value: 0, size: 0 }];
  for (const e of entries) {
    const name = dynstr.offsetOf(e.name);
    syms.push(e.fn
      ? { name, info: stInfo(e.weak ? STB_WEAK : STB_GLOBAL, STT_FUNC), other: STV_DEFAULT, shndx: text.index, value: text.addr + e.fn.offset, size: e.fn.size }
      : { name, info: stInfo(STB_GLOBAL, STT_OBJECT), other: STV_DEFAULT, shndx: SHN_ABS, value: 0, size: 0 });
  }
  return encodeSymbols(syms);
}

function notesBytes(): Uint8Array {
  const version = new Uint8Array(4);
  new DataView(version.buffer).setUint32(0, LINUX_VERSION_CODE, true);
  const linux = encodeNote("Linux", NT_LINUX_VERSION, version);
  const buildId = encodeNote("GNU", NT_GNU_BUILD_ID, new Uint8Array(BUILD_ID_SIZE));
  const out = new Uint8Array(linux.length + buildId.length);
  out.set(linux);
  out.set(buildId, linux.length);
  return out;
}

/**
 * A 160-bit digest of the image for NT_GNU_BUILD_ID: five FNV-1a-style lanes over the 32-bit
 * words, each finished with murmur3's fmix32. Not SHA-1 (node:crypto costs ~4 ms to import; a
 * build id need only change when the bytes do), but the same size as the kernel's.
 */
function buildId(bytes: Uint8Array, end: number): Uint8Array {
  const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lanes = [0x811c9dc5, 0x050c5d1f, 0x2f0f6b47, 0x6c62272e, 0x7b9a3c51];
  for (let i = 0; i + 4 <= end; i += 4) {
    const w = words.getUint32(i, true);
    for (let l = 0; l < lanes.length; l++) lanes[l] = Math.imul(lanes[l]! ^ w, 0x01000193) + l;
  }
  const out = new Uint8Array(BUILD_ID_SIZE);
  const view = new DataView(out.buffer);
  lanes.forEach((h, l) => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    view.setUint32(l * 4, h >>> 0, false);
  });
  return out;
}

const RISCV64_VDSO: VdsoSpec = {
  machine: EM_RISCV, flags: VDSO_E_FLAGS, version: VDSO_VERSION, text: assembleVdsoText, vvarSymbol: VVAR_SYMBOL,
};

/** Builds the riscv64 image from scratch; vdsoImage() caches the result. */
export function buildVdsoImage(): VdsoImage {
  return buildVdsoImageFrom(RISCV64_VDSO);
}

/** Builds an architecture's vDSO image. */
export function buildVdsoImageFrom(spec: VdsoSpec): VdsoImage {
  const { asm, functions } = spec.text();
  const VDSO_VERSION = spec.version;
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  // The version node's own symbol (an absolute STT_OBJECT named after it), as ld emits for
  // every non-base version definition of a shared object.
  const unordered: DynsymEntry[] = [
    { name: VDSO_VERSION },
    ...functions.map((fn): DynsymEntry => ({ name: fn.name, fn })),
    ...(spec.aliases ?? []).map(([name, target]): DynsymEntry => {
      const fn = byName.get(target);
      if (!fn) throw new Error(`vDSO alias ${name} of unknown ${target}`);
      return { name, fn, weak: true };
    }),
  ];
  const entries = sortForGnuHash(unordered, GNU_HASH_SHAPE.nbuckets);
  const names = entries.map((e) => e.name);
  const dynstr = new StringTable();
  dynstr.add(VDSO_SONAME);
  for (const n of names) dynstr.add(n);
  const nsyms = entries.length + 1;

  const layout = layoutElf(3, sectionSpecs(dynstr, nsyms, asm.offset));
  const text = sectionByName(layout, ".text");
  const note = sectionByName(layout, ".note");
  const contents = new Map<string, Uint8Array>([
    [".hash", buildSysvHash(["", ...names], HASH_BUCKETS)],
    [".gnu.hash", buildGnuHash(names, 1, GNU_HASH_SHAPE)],
    [".dynsym", dynsymBytes(entries, dynstr, layout)],
    [".dynstr", dynstr.toBytes()],
    [".gnu.version", buildVersym([VER_NDX_LOCAL, ...entries.map(() => VERSION_INDEX)])],
    [".gnu.version_d", buildVerdef([
      { flags: VER_FLG_BASE, index: VER_NDX_GLOBAL, name: VDSO_SONAME, nameOffset: dynstr.offsetOf(VDSO_SONAME) },
      { flags: 0, index: VERSION_INDEX, name: VDSO_VERSION, nameOffset: dynstr.offsetOf(VDSO_VERSION) },
    ], VER_DEF_CURRENT)],
    [".dynamic", encodeDynamic(dynamicEntries(layout, dynstr))],
    [".note", notesBytes()],
    // [vvar] ends where the vDSO begins: image address 0.
    [".text", asm.link(text.addr, new Map([[spec.vvarSymbol, -VVAR_SIZE]]))],
  ]);
  const segments = [
    segmentOver(layout, PT_LOAD, PF_R | PF_X, "headers", ".text", PAGE_SIZE),
    segmentOver(layout, PT_DYNAMIC, PF_R, ".dynamic", ".dynamic", 8),
    segmentOver(layout, PT_NOTE, PF_R, ".note", ".note", 4),
  ];
  const header = { type: ET_DYN, machine: spec.machine, flags: spec.flags, entry: text.addr };
  const written = writeElf(header, layout, segments, contents, PAGE_SIZE);
  const bytes = new Uint8Array(Math.max(written.length, (spec.minPages ?? 1) * PAGE_SIZE));
  bytes.set(written);
  // Like ld --build-id: hash the finished file with the id zeroed, then fill it in.
  const idAt = note.offset + noteSize("Linux", 4) + noteSize("GNU", 0);
  bytes.set(buildId(bytes, layout.end), idAt); // the rest is page padding

  return {
    bytes,
    size: bytes.length,
    symbols: functions.map((fn) => ({ name: fn.name, offset: text.addr + fn.offset, size: fn.size })),
    text: { offset: text.offset, size: text.size },
  };
}

let cached: VdsoImage | undefined;

/** The vDSO image, built on first call and shared afterwards (treat the bytes as read-only). */
export function vdsoImage(): VdsoImage {
  cached ??= buildVdsoImage();
  return cached;
}

/** Offset of an exported vDSO function from the image start (e.g. for the signal return address). */
export function vdsoSymbolOffset(name: string): number {
  const sym = vdsoImage().symbols.find((s) => s.name === name);
  if (!sym) throw new Error(`no vDSO symbol ${name}`);
  return sym.offset;
}
