// File names are bytes to Linux (anything but "/" and NUL), strings to the VFS here. The codec
// between them keeps every name: valid UTF-8 becomes its characters, as Buffer would decode it,
// and each byte of an invalid sequence becomes the lone surrogate U+DC00+byte (Python's
// "surrogateescape"), which encodes back to that byte. A plain UTF-8 decode would turn such
// bytes into U+FFFD, so `touch "$(printf 'a\300b')"` created a different name than asked for.

const strict = new TextDecoder("utf-8", { fatal: true });
const ESCAPED = /[\udc80-\udcff]/;

/** Guest name bytes → the VFS's string. */
export function decodeName(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) { ascii = false; break; }
  if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  try {
    return strict.decode(bytes);
  } catch {
    return decodeEscaping(bytes);
  }
}

/** The VFS's string → the name bytes (the inverse of decodeName). */
export function encodeName(s: string): Buffer {
  if (!ESCAPED.test(s)) return Buffer.from(s, "utf8");
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    // an escape is a lone low surrogate: a high one before it would make it half of a pair
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue;
    parts.push(Buffer.from(s.slice(from, i), "utf8"), Buffer.of(c - 0xdc00));
    from = i + 1;
  }
  parts.push(Buffer.from(s.slice(from), "utf8"));
  return Buffer.concat(parts);
}

/** A host path for Node's fs calls: the string itself unless it holds escaped bytes. */
export function hostPathArg(s: string): string | Buffer {
  return ESCAPED.test(s) ? encodeName(s) : s;
}

/** The length of the valid UTF-8 sequence at bytes[i], or 0 (the rules of TextDecoder's fatal mode). */
function seqLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  let n: number, lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) { n = 3; if (c === 0xe0) lo = 0xa0; else if (c === 0xed) hi = 0x9f; }
  else if (c >= 0xf0 && c <= 0xf4) { n = 4; if (c === 0xf0) lo = 0x90; else if (c === 0xf4) hi = 0x8f; }
  else return 0;
  if (i + n > b.length) return 0;
  const c1 = b[i + 1]!;
  if (c1 < lo || c1 > hi) return 0;
  for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

function decodeEscaping(b: Uint8Array): string {
  let out = "";
  let run = 0; // start of the current run of valid sequences
  let i = 0;
  while (i < b.length) {
    const n = seqLength(b, i);
    if (n > 0) { i += n; continue; }
    if (run < i) out += strict.decode(b.subarray(run, i));
    out += String.fromCharCode(0xdc00 + b[i]!);
    run = ++i;
  }
  if (run < b.length) out += strict.decode(b.subarray(run));
  return out;
}
