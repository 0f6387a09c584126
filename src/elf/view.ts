// Bounds-checked field reads in one file's byte order and class. Every read of the reader goes
// through here, so a field past the end of the file becomes an ElfError, never a RangeError.

import { ElfError, showRange } from "./error.ts";
import { LAYOUT32, LAYOUT64, type ClassLayout } from "./layout.ts";
import type { ElfFile } from "./types.ts";

/** A window on the file: [start, end) in file offsets, both within the file. */
export interface FileRange {
  start: number;
  end: number;
}

/** Reads fixed-size fields of an ELF file, checking each against the file's end. */
export class ElfView {
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly le: boolean;
  readonly is64: boolean;
  /** Size of Elf_Addr / Elf_Off / Elf_Xword in this class. */
  readonly wordSize: 4 | 8;
  /** Largest address + 1 in this class: 2^32 or 2^64, for wrap checks. */
  readonly addrLimit: bigint;
  readonly layout: ClassLayout;
  private readonly dv: DataView;

  constructor(bytes: Uint8Array, le: boolean, is64: boolean) {
    this.bytes = bytes;
    this.size = bytes.length;
    this.le = le;
    this.is64 = is64;
    this.wordSize = is64 ? 8 : 4;
    this.addrLimit = is64 ? 1n << 64n : 1n << 32n;
    this.layout = is64 ? LAYOUT64 : LAYOUT32;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws unless [off, off+len) lies inside the file. */
  need(off: number, len: number, field: string): void {
    if (off < 0 || off + len > this.size) {
      throw new ElfError(field, Math.max(0, off),
        `${field} at 0x${off.toString(16)} (${len} bytes) lies past the end of the file (size 0x${this.size.toString(16)})`);
    }
  }

  u8(off: number, field: string): number {
    this.need(off, 1, field);
    return this.bytes[off];
  }

  u16(off: number, field: string): number {
    this.need(off, 2, field);
    return this.dv.getUint16(off, this.le);
  }

  u32(off: number, field: string): number {
    this.need(off, 4, field);
    return this.dv.getUint32(off, this.le);
  }

  u64(off: number, field: string): bigint {
    this.need(off, 8, field);
    return this.dv.getBigUint64(off, this.le);
  }

  /** Reads an Elf_Addr / Elf_Off / Elf_Xword: 4 or 8 bytes by class. */
  word(off: number, field: string): bigint {
    return this.is64 ? this.u64(off, field) : BigInt(this.u32(off, field));
  }

  /** Reads a signed Elf_Sword / Elf_Sxword (d_tag). */
  sword(off: number, field: string): bigint {
    this.need(off, this.wordSize, field);
    return this.is64 ? this.dv.getBigInt64(off, this.le) : BigInt(this.dv.getInt32(off, this.le));
  }

  /**
   * Checks that `size` bytes at file offset `start` (values read from the field `field` at
   * `fieldOffset`) neither wrap around the class's address space nor run past the end of file.
   */
  range(start: bigint, size: bigint, field: string, fieldOffset: number, what: string): FileRange {
    const end = start + size;
    if (end > this.addrLimit) {
      throw new ElfError(field, fieldOffset, `bad ${field}: ${what} at 0x${start.toString(16)} size 0x${size.toString(16)} wraps around`);
    }
    if (end > BigInt(this.size)) {
      throw new ElfError(field, fieldOffset,
        `bad ${field}: ${what} ${showRange(start, end)} lies past the end of the file (size 0x${this.size.toString(16)})`);
    }
    return { start: Number(start), end: Number(end) };
  }
}

/** Returns a view of a parsed file's bytes in its own class and byte order. */
export function viewOf(elf: ElfFile): ElfView {
  return new ElfView(elf.bytes, elf.header.data === "lsb", elf.header.class === 64);
}
