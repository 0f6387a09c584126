// The one exception type of the ELF reader: every malformed input ends here, with the field at
// fault and its file offset, so a caller (exec → -ENOEXEC, `sysemu vdso`) can say exactly why.

/** A malformed or unsupported ELF file: `field` names the field at fault, `offset` its file offset. */
export class ElfError extends Error {
  readonly field: string;
  readonly offset: number;

  constructor(field: string, offset: number, detail: string) {
    super(`${detail} (at offset 0x${offset.toString(16)})`);
    this.name = "ElfError";
    this.field = field;
    this.offset = offset;
  }
}

/** Formats a field value: small counts in decimal, addresses and offsets (bigint) in hex. */
export function showValue(value: number | bigint): string {
  return typeof value === "bigint" ? `0x${value.toString(16)}` : String(value);
}

/** Builds the usual "bad <field> <value>, <reason>" error. */
export function badField(field: string, offset: number, value: number | bigint, reason: string): ElfError {
  return new ElfError(field, offset, `bad ${field} ${showValue(value)}, ${reason}`);
}

/** Formats a half-open address range for messages. */
export function showRange(start: bigint, end: bigint): string {
  return `[0x${start.toString(16)}, 0x${end.toString(16)})`;
}
