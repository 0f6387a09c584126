// String tables (.shstrtab, .strtab, .dynstr / DT_STRTAB): every index is checked against the
// table's size and every string must end with a NUL inside the table.

import { badField } from "./error.ts";
import type { FileRange } from "./view.ts";

const utf8 = new TextDecoder("utf-8");

/** A string table at a known file range; decoded strings are cached by index. */
export class StringTable {
  private readonly bytes: Uint8Array;
  private readonly range: FileRange;
  private readonly cache = new Map<number, string>();

  constructor(bytes: Uint8Array, range: FileRange) {
    this.bytes = bytes;
    this.range = range;
  }

  /** Returns the NUL-terminated string at `index`, read from the field `field` at `fieldOffset`. */
  get(index: number, field: string, fieldOffset: number): string {
    const hit = this.cache.get(index);
    if (hit !== undefined) return hit;
    const r = this.locate(index, field, fieldOffset);
    const s = decodeName(this.bytes, r.start, r.end);
    this.cache.set(index, s);
    return s;
  }

  /** Returns the raw bytes (without the NUL) of the string at `index`. */
  raw(index: number, field: string, fieldOffset: number): Uint8Array {
    const r = this.locate(index, field, fieldOffset);
    return this.bytes.subarray(r.start, r.end);
  }

  private locate(index: number, field: string, fieldOffset: number): FileRange {
    const size = this.range.end - this.range.start;
    if (index >= size) {
      throw badField(field, fieldOffset, index, `past the end of its string table (size ${size})`);
    }
    const start = this.range.start + index;
    const nul = this.bytes.subarray(start, this.range.end).indexOf(0);
    if (nul < 0) {
      throw badField(field, fieldOffset, index, "string is not NUL-terminated inside its string table");
    }
    return { start, end: start + nul };
  }
}

/** Decodes a symbol or section name: plain ASCII fast, anything else as UTF-8. */
export function decodeName(bytes: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return utf8.decode(bytes.subarray(start, end));
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
