// strace for WASI preview1 calls, in strace's own style so that both kinds of line read alike:
//
//   fd_write(1, [{buf="Hello from WebAssembly!\n", len=24}], 1, [24]) = 0 (ESUCCESS)
//   path_open(3, SYMLINK_FOLLOW, "tmp/x", CREAT|TRUNC, 0x..., 0x..., 0, 0x1ff38) = 44 (ENOENT)
//   proc_exit(0)                            = ?
//
// The call's WASI name, then its arguments in order: descriptors and sizes in decimal, flags by
// their witx names, a (pointer, length) pair of a string or buffer as one quoted string
// followed by the length, iovec arrays as strace prints them. A result the call writes through
// a pointer is shown after it returns, in brackets ([24]: the u32 at that pointer), and as the
// bare pointer when the call failed. The value after `=` is the WASI errno with its name:
// WASI functions return errno, never -1.

import { copy_from_user } from "../../mm/uaccess.ts";
import { quote } from "../../kernel/strace/decode.ts";
import { traceLine, type TraceSink } from "../guest.ts";
import { FILETYPE, SIZEOF_SUBSCRIPTION, wasiErrnoName } from "./abi.ts";
import type { WasiContext } from "./context.ts";
import type { ParamKind, WasiArgs, WasiDef } from "./defs.ts";

const STRSIZE = 32;
const PATHSIZE = 4096;

type Bits = readonly (readonly [number, string])[];

function flags(v: number, table: Bits): string {
  const out = table.filter(([bit]) => v & bit).map(([, n]) => n);
  const rest = table.reduce((r, [bit]) => r & ~bit, v);
  if (rest) out.push("0x" + rest.toString(16));
  return out.length ? out.join("|") : "0";
}

const OFLAGS: Bits = [[1, "CREAT"], [2, "DIRECTORY"], [4, "EXCL"], [8, "TRUNC"]];
const FDFLAGS: Bits = [[1, "APPEND"], [2, "DSYNC"], [4, "NONBLOCK"], [8, "RSYNC"], [16, "SYNC"]];
const FSTFLAGS: Bits = [[1, "ATIM"], [2, "ATIM_NOW"], [4, "MTIM"], [8, "MTIM_NOW"]];
const CLOCKS = ["REALTIME", "MONOTONIC", "PROCESS_CPUTIME_ID", "THREAD_CPUTIME_ID"];
const WHENCE = ["SET", "CUR", "END"];
const ADVICE = ["NORMAL", "SEQUENTIAL", "RANDOM", "WILLNEED", "DONTNEED", "NOREUSE"];
const FILETYPES = Object.fromEntries(Object.entries(FILETYPE).map(([k, v]) => [v, k])) as Record<number, string>;

const hex = (n: number | bigint) => "0x" + n.toString(16);

function bytesAt(c: WasiContext, p: number, n: number): Uint8Array | null {
  const b = new Uint8Array(n);
  return copy_from_user(c.mm, b, p, n) === 0 ? b : null;
}

function str(c: WasiContext, p: number, len: number, max: number): string {
  const b = bytesAt(c, p, Math.min(len, max));
  return b ? quote(b, len > max) : hex(p);
}

/** [{buf="...", len=N}, ...]; with `limit`, only that many bytes in all are shown (what was read). */
function iovecs(c: WasiContext, p: number, count: number, limit: number | null): string {
  const raw = bytesAt(c, p, Math.min(count, 8) * 8);
  if (!raw) return hex(p);
  const v = new DataView(raw.buffer);
  const parts: string[] = [];
  let left = limit ?? Infinity;
  for (let i = 0; i < Math.min(count, 8); i++) {
    const [buf, len] = [v.getUint32(i * 8, true), v.getUint32(i * 8 + 4, true)];
    const shown = Math.max(0, Math.min(len, left));
    left -= shown;
    parts.push(`{buf=${limit === null || shown > 0 ? str(c, buf, limit === null ? len : shown, STRSIZE) : '""'}, len=${len}}`);
  }
  return `[${parts.join(", ")}${count > 8 ? ", ..." : ""}]`;
}

function subscriptions(c: WasiContext, p: number, n: number): string {
  const raw = bytesAt(c, p, Math.min(n, 4) * SIZEOF_SUBSCRIPTION);
  if (!raw) return hex(p);
  const v = new DataView(raw.buffer);
  const parts: string[] = [];
  for (let i = 0; i < Math.min(n, 4); i++) {
    const o = i * SIZEOF_SUBSCRIPTION;
    const tag = v.getUint8(o + 8);
    if (tag === 0) {
      const abs = v.getUint16(o + 40, true) & 1 ? ", flags=ABSTIME" : "";
      parts.push(`{clock=${CLOCKS[v.getUint32(o + 16, true)] ?? v.getUint32(o + 16, true)}, timeout=${v.getBigUint64(o + 24, true)}${abs}}`);
    } else parts.push(`{${tag === 1 ? "fd_read" : tag === 2 ? "fd_write" : `tag_${tag}`}=${v.getUint32(o + 16, true)}}`);
  }
  return `[${parts.join(", ")}${n > 4 ? ", ..." : ""}]`;
}

function outStruct(c: WasiContext, kind: ParamKind, p: number): string {
  const size = kind === "out_filestat" ? 64 : kind === "out_fdstat" ? 24 : 8;
  const b = bytesAt(c, p, size);
  if (!b) return hex(p);
  const v = new DataView(b.buffer);
  if (kind === "out_filestat") return `{filetype=${FILETYPES[v.getUint8(16)]}, nlink=${v.getBigUint64(24, true)}, size=${v.getBigUint64(32, true)}, ...}`;
  if (kind === "out_fdstat") {
    return `{filetype=${FILETYPES[v.getUint8(0)]}, flags=${flags(v.getUint16(2, true), FDFLAGS)}, rights_base=${hex(v.getBigUint64(8, true))}, rights_inheriting=${hex(v.getBigUint64(16, true))}}`;
  }
  return `{tag=${v.getUint8(0) === 0 ? "DIR" : v.getUint8(0)}, name_len=${v.getUint32(4, true)}}`;
}

/** Formats argument i (and the length after it, for pairs); `ok` is null before the call. */
function arg(c: WasiContext, def: WasiDef, a: WasiArgs, i: number, ok: boolean | null): string {
  const k = def.params[i]!;
  const next = a.u32(i + 1);
  switch (k) {
    case "fd": case "u32": case "len": return String(a.u32(i));
    case "ptr": case "events": case "buf_out": return hex(a.u32(i));
    case "path": return str(c, a.u32(i), next, PATHSIZE);
    case "buf": return str(c, a.u32(i), next, STRSIZE);
    case "iovs": return iovecs(c, a.u32(i), next, null);
    case "iovs_out": return ok ? iovecs(c, a.u32(i), next, outU32(c, def, a)) : hex(a.u32(i));
    case "subs": return subscriptions(c, a.u32(i), a.u32(i + 2));
    case "oflags": return flags(a.u32(i), OFLAGS);
    case "fdflags": return flags(a.u32(i), FDFLAGS);
    case "fstflags": return flags(a.u32(i), FSTFLAGS);
    case "lookupflags": return a.u32(i) & 1 ? "SYMLINK_FOLLOW" + (a.u32(i) & ~1 ? "|" + hex(a.u32(i) & ~1) : "") : String(a.u32(i));
    case "whence": return WHENCE[a.u32(i)] ?? String(a.u32(i));
    case "clockid": return CLOCKS[a.u32(i)] ?? String(a.u32(i));
    case "advice": return ADVICE[a.u32(i)] ?? String(a.u32(i));
    case "signal": return String(a.u32(i));
    case "u64": case "timestamp": return a.u64(i).toString();
    case "s64": return a.s64(i).toString();
    case "rights": return hex(a.u64(i));
    case "out_u32": case "out_fd": {
      const b = ok ? bytesAt(c, a.u32(i), 4) : null;
      return b ? `[${new DataView(b.buffer).getUint32(0, true)}]` : hex(a.u32(i));
    }
    case "out_u64": {
      const b = ok ? bytesAt(c, a.u32(i), 8) : null;
      return b ? `[${new DataView(b.buffer).getBigUint64(0, true)}]` : hex(a.u32(i));
    }
    case "out_name": return ok ? str(c, a.u32(i), next, PATHSIZE) : hex(a.u32(i));
    case "out_filestat": case "out_fdstat": case "out_prestat": return ok ? outStruct(c, k, a.u32(i)) : hex(a.u32(i));
  }
}

/** The value of the call's (last) u32 out-parameter: bytes read for fd_read and friends. */
function outU32(c: WasiContext, def: WasiDef, a: WasiArgs): number | null {
  const i = def.params.lastIndexOf("out_u32");
  const b = i >= 0 ? bytesAt(c, a.u32(i), 4) : null;
  return b ? new DataView(b.buffer).getUint32(0, true) : null;
}

/** A path's length: the quoted path before it says it all. */
function skipped(def: WasiDef, i: number): boolean {
  const prev = def.params[i - 1];
  return i > 0 && (prev === "path" || prev === "out_name") && def.params[i] === "len";
}

/** Traces one preview1 call: the input arguments are read before it runs, outputs after. */
export function traceWasi(sink: TraceSink, c: WasiContext, name: string, def: WasiDef, a: WasiArgs): (ret: number | null) => void {
  const before = def.params.map((k, i) => (k.startsWith("out_") || k === "iovs_out" ? null : arg(c, def, a, i, null)));
  return (ret) => {
    const ok = ret === 0;
    const parts = def.params.map((_, i) => (skipped(def, i) ? null : before[i] ?? arg(c, def, a, i, ok))).filter((s) => s !== null);
    const result = ret === null ? "?" : `${ret} (${wasiErrnoName(ret)})`;
    sink(traceLine(`${name}(${parts.join(", ")})`, result));
  };
}
