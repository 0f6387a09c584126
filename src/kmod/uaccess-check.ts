// Checks only an emulator can make on a system call: every user access a student handler made
// (recorded by the uaccess imports) against the user objects the call was given. What counts
// as a finding:
//   double-fetch   the same user bytes read twice in one call (another thread can change them
//                  between the two reads: the race lecture 004 warns about);
//   overrun        a read or write that starts inside an object and runs past its end;
//   read-outside   a read of user memory that touches no object of the call;
//   write-outside  a write to user memory outside every object the call may write;
//   unchecked-copy a copy faulted (bytes not copied, -EFAULT) and the handler still returned 0
//                  or more: user space is told it worked.

export type AccessOp = "read" | "write";

export interface UserAccess {
  op: AccessOp;
  /** copy_from_user, copy_to_user, get_user, put_user, strncpy_from_user, strnlen_user, clear_user */
  helper: string;
  addr: number;
  /** Bytes asked for (for strings: what was read, the NUL included, up to the limit). */
  len: number;
  /** Bytes not copied (copy_*_user, clear_user), or 1/0 for a helper that only says it failed. */
  notCopied: number;
}

export interface Region {
  addr: number;
  size: number;
  access: "read" | "write" | "rw";
}

export type Regions = Record<string, Region>;

export type FindingKind = "double-fetch" | "overrun" | "read-outside" | "write-outside" | "unchecked-copy";

export interface Finding {
  kind: FindingKind;
  message: string;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The findings for one call: its accesses in order, its return value, the call's user objects. */
export function analyzeCall(record: { accesses: readonly UserAccess[] }, ret: number | null, regions: Regions): Finding[] {
  const accesses = record.accesses;
  const out: Finding[] = [];
  doubleFetch(accesses, regions, out);
  for (const a of accesses) {
    if (a.len <= 0) continue;
    const end = a.addr + a.len;
    const inside = Object.entries(regions).find(([, r]) => a.addr >= r.addr && a.addr < r.addr + Math.max(r.size, 1));
    if (inside && end > inside[1].addr + inside[1].size && inside[1].size > 0) {
      const [name, r] = inside;
      out.push({ kind: "overrun", message: `${a.helper} ${a.op === "read" ? "read" : "wrote"} ${a.len} bytes at ${name}${offset(a.addr - r.addr)}, past the end of ${name} (${r.size} bytes)` });
      continue;
    }
    if (a.op === "write" && !Object.values(regions).some((r) => r.access !== "read" && a.addr >= r.addr && end <= r.addr + r.size)) {
      const where = inside ? `at ${inside[0]}${offset(a.addr - inside[1].addr)}, which the call may only read` : `at ${hex(a.addr)}${nearest(a.addr, regions)}, outside the memory the call may write`;
      out.push({ kind: "write-outside", message: `${a.helper} wrote ${a.len} bytes ${where} (${writable(regions)})` });
    } else if (a.op === "read" && !inside && !Object.values(regions).some((r) => a.addr < r.addr + r.size && end > r.addr)) {
      out.push({ kind: "read-outside", message: `${a.helper} read ${a.len} bytes at ${hex(a.addr)}${nearest(a.addr, regions)}, which is none of the call's user objects` });
    }
  }
  const fault = accesses.find((a) => a.notCopied > 0);
  if (fault && ret !== null && ret >= 0) {
    out.push({ kind: "unchecked-copy", message: `${fault.helper} at ${hex(fault.addr)} failed (${fault.notCopied} of ${fault.len} bytes not copied) but the call returned ${ret}, not -EFAULT` });
  }
  return out;
}

/** Two reads sharing bytes; reported once per pair of helpers and object. */
function doubleFetch(accesses: readonly UserAccess[], regions: Regions, out: Finding[]): void {
  const reads = accesses.filter((a) => a.op === "read" && a.len - a.notCopied > 0);
  const seen = new Set<string>();
  for (let j = 1; j < reads.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = reads[i]!, b = reads[j]!;
      const lo = Math.max(a.addr, b.addr);
      const hi = Math.min(a.addr + a.len - a.notCopied, b.addr + b.len - b.notCopied);
      if (lo >= hi) continue;
      const where = nameAt(lo, regions);
      const key = `${a.helper}/${b.helper}/${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ kind: "double-fetch", message: `${where} read twice from user memory (${a.helper}, then ${b.helper}: bytes ${hex(lo)}..${hex(hi - 1)}); copy it into the kernel once and use the copy` });
      break;
    }
  }
}

function nameAt(addr: number, regions: Regions): string {
  for (const [name, r] of Object.entries(regions)) if (addr >= r.addr && addr < r.addr + r.size) return `${name}${offset(addr - r.addr)}`;
  return `user memory at ${hex(addr)}`;
}

function offset(n: number): string {
  return n === 0 ? "" : `+${n}`;
}

/** " (8 bytes past the end of out)": the closest object, when the address is near one. */
function nearest(addr: number, regions: Regions): string {
  let best: [number, string] | null = null;
  for (const [name, r] of Object.entries(regions)) {
    const end = r.addr + r.size;
    const c: [number, string] = addr >= end ? [addr - end, `${addr - end} bytes past the end of ${name}`] : [r.addr - addr, `${r.addr - addr} bytes before ${name}`];
    if (addr >= r.addr && addr < end) continue;
    if (best === null || c[0] < best[0]) best = c;
  }
  return best && best[0] < 4096 ? ` (${best[1]})` : "";
}

function writable(regions: Regions): string {
  const w = Object.entries(regions).filter(([, r]) => r.access !== "read").map(([n, r]) => `${n}: ${r.size} bytes`);
  return w.length ? `may write ${w.join(", ")}` : "it may write none";
}
