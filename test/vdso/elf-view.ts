// A minimal ELF64 reader for the vDSO tests, independent of src/elf (so a bug in the writer is not
// mirrored by a bug in a shared reader). Only what the tests look at.

import { spawnSync } from "node:child_process";

export interface Shdr {
  name: string;
  type: number;
  flags: bigint;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
}

export interface Phdr {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface Sym {
  index: number;
  name: string;
  info: number;
  other: number;
  shndx: number;
  value: number;
  size: number;
}

/** A parsed view of an ELF64 little-endian image. */
export class ElfView {
  readonly dv: DataView;
  readonly shdrs: Shdr[];
  readonly phdrs: Phdr[];

  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.phdrs = this.readPhdrs();
    this.shdrs = this.readShdrs();
  }

  u16(at: number): number { return this.dv.getUint16(at, true); }
  u32(at: number): number { return this.dv.getUint32(at, true); }
  u64(at: number): number { return Number(this.dv.getBigUint64(at, true)); }
  i64(at: number): bigint { return this.dv.getBigInt64(at, true); }

  /** The NUL-terminated string at a file offset. */
  cstr(at: number): string {
    let end = at;
    while (this.bytes[end] !== 0) end++;
    return new TextDecoder().decode(this.bytes.subarray(at, end));
  }

  private readPhdrs(): Phdr[] {
    const phoff = this.u64(32), phnum = this.u16(56);
    return Array.from({ length: phnum }, (_, i) => {
      const at = phoff + i * 56;
      return {
        type: this.u32(at), flags: this.u32(at + 4), offset: this.u64(at + 8), vaddr: this.u64(at + 16),
        filesz: this.u64(at + 32), memsz: this.u64(at + 40), align: this.u64(at + 48),
      };
    });
  }

  private readShdrs(): Shdr[] {
    const shoff = this.u64(40), shnum = this.u16(60), shstrndx = this.u16(62);
    const raw = Array.from({ length: shnum }, (_, i) => shoff + i * 64);
    const strOff = this.u64(raw[shstrndx]! + 24);
    return raw.map((at) => ({
      name: this.cstr(strOff + this.u32(at)), type: this.u32(at + 4), flags: this.dv.getBigUint64(at + 8, true),
      addr: this.u64(at + 16), offset: this.u64(at + 24), size: this.u64(at + 32), link: this.u32(at + 40),
      info: this.u32(at + 44), align: this.u64(at + 48), entsize: this.u64(at + 56),
    }));
  }

  section(name: string): Shdr {
    const s = this.shdrs.find((x) => x.name === name);
    if (!s) throw new Error(`no section ${name}`);
    return s;
  }

  /** The dynamic entries reached through PT_DYNAMIC, as [tag, value]. */
  dynamic(): [number, number][] {
    const dyn = this.phdrs.find((p) => p.type === 2);
    if (!dyn) throw new Error("no PT_DYNAMIC");
    const out: [number, number][] = [];
    for (let at = dyn.offset; at < dyn.offset + dyn.filesz; at += 16) {
      out.push([Number(this.i64(at)), this.u64(at + 8)]);
      if (out[out.length - 1]![0] === 0) break;
    }
    return out;
  }

  /** Value of a dynamic tag; throws if absent. */
  dt(tag: number): number {
    const e = this.dynamic().find(([t]) => t === tag);
    if (!e) throw new Error(`no dynamic tag ${tag}`);
    return e[1];
  }

  /** Symbol `index` of the table at file offset symtab, names from strtab. */
  symbol(symtab: number, strtab: number, index: number): Sym {
    const at = symtab + index * 24;
    return {
      index, name: this.cstr(strtab + this.u32(at)), info: this.bytes[at + 4]!, other: this.bytes[at + 5]!,
      shndx: this.u16(at + 6), value: this.u64(at + 8), size: this.u64(at + 16),
    };
  }
}

/** True if `tool --version` runs: a missing cross binutils/qemu is the only reason to skip. */
export function haveTool(tool: string): boolean {
  const r = spawnSync(tool, ["--version"], { encoding: "utf8" });
  return r.error === undefined && r.status === 0;
}
