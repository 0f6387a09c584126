// strace(1)'s output format, driven by the argument kinds in the syscall table: each call is
// printed when it returns, as `name(args...) = result`, padded to column 40 as strace does.

import type { SyscallArgs } from "../../syscalls/args.ts";
import type { ArgKind, SyscallDef } from "../../syscalls/types.ts";
import { copy_from_user, strncpy_from_user } from "../mm/uaccess.ts";
import { errnoName, errnoText } from "./errno.ts";
import * as F from "./strace-flags.ts";
import { signalName } from "./signal.ts";
import type { Task } from "./task.ts";
import type { Trap } from "./trap/arch.ts";

/** How many bytes of a string or buffer strace shows (its -s default). */
const STRSIZE = 32;

export interface TraceCall {
  exit(ret: number | null): void;
}

export class Strace {
  constructor(private readonly out: (line: string) => void) {}

  /** Called before a handler runs; the returned object prints the line when it returns. */
  enter(t: Task, nr: number, def: SyscallDef | null, a: SyscallArgs): TraceCall {
    if (!def) {
      const text = `syscall_0x${nr.toString(16)}(${[0, 1, 2, 3, 4, 5].map((i) => "0x" + a.ulong(i).toString(16)).join(", ")})`;
      return { exit: (ret) => this.line(t, text, ret, "int") };
    }
    const before = def.args.map((k, i) => (isOut(k) ? null : formatArg(t, k, a, i, null)));
    return {
      exit: (ret) => {
        const parts = def.args.map((k, i) => before[i] ?? formatArg(t, k, a, i, ret));
        this.line(t, `${def.name}(${omitUnused(def, a, parts).join(", ")})`, ret, def.ret ?? "int");
      },
    };
  }

  /** `--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---` */
  signal(t: Task, trap: Extract<Trap, { kind: "fault" }>): void {
    const name = signalName(trap.signal);
    const addr = trap.addr === 0 ? "NULL" : "0x" + trap.addr.toString(16);
    this.out(`${this.prefix(t)}--- ${name} {si_signo=${name}, si_code=${F.siCodeName(trap.signal, trap.code)}, si_addr=${addr}} ---`);
  }

  /** `+++ killed by SIGSEGV +++` (with "(core dumped)" left out: sysemu writes no core). */
  killed(t: Task, sig: number): void {
    this.out(`${this.prefix(t)}+++ killed by ${signalName(sig)} +++`);
  }

  /** `+++ exited with 0 +++` */
  exited(t: Task, code: number): void {
    this.out(`${this.prefix(t)}+++ exited with ${code} +++`);
  }

  private prefix(t: Task): string {
    return t.kernel.tasks.size > 1 ? `[pid ${t.tid}] ` : "";
  }

  private line(t: Task, call: string, ret: number | null, kind: string): void {
    const head = this.prefix(t) + call;
    const pad = head.length < 40 ? head.padEnd(40) + "= " : head + " = ";
    this.out(pad + formatRet(ret, kind));
  }
}

function isOut(k: ArgKind): boolean {
  return k.endsWith("_out");
}

/** openat's mode is shown only when O_CREAT or O_TMPFILE makes it meaningful, like strace. */
function omitUnused(def: SyscallDef, a: SyscallArgs, parts: string[]): string[] {
  const m = def.args.indexOf("mode");
  const f = def.args.indexOf("oflags");
  if (m >= 0 && f >= 0 && (a.int(f) & (0o100 | 0o20000000)) === 0) return parts.filter((_, i) => i !== m);
  return parts;
}

function formatRet(ret: number | null, kind: string): string {
  if (ret === null) return "?";
  if (ret < 0 && ret > -4096) {
    const name = errnoName(-ret);
    return `-1 ${name ?? "E???"} (${errnoText(-ret)})`;
  }
  return kind === "hex" ? "0x" + ret.toString(16) : String(ret);
}

/** strace's quoting: C escapes, octal for other non-printables, cut at STRSIZE with "...". */
export function quote(bytes: Uint8Array, truncated: boolean): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    const next = bytes[i + 1];
    if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += "\\\\";
    else if (c === 0x0a) s += "\\n";
    else if (c === 0x09) s += "\\t";
    else if (c === 0x0d) s += "\\r";
    else if (c === 0x0c) s += "\\f";
    else if (c === 0x0b) s += "\\v";
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += "\\" + (next !== undefined && next >= 0x30 && next <= 0x37 ? c.toString(8).padStart(3, "0") : c.toString(8));
  }
  return s + '"' + (truncated ? "..." : "");
}

function hex(n: number | bigint): string {
  return "0x" + n.toString(16);
}

function ptrOrNull(p: number): string {
  return p === 0 ? "NULL" : hex(p);
}

function readString(t: Task, p: number): string {
  if (p === 0) return "NULL";
  const buf = new Uint8Array(STRSIZE + 1);
  const n = strncpy_from_user(t.mm, buf, p, STRSIZE + 1);
  if (n < 0) return hex(p);
  return quote(buf.subarray(0, Math.min(n, STRSIZE)), n > STRSIZE);
}

function readBuf(t: Task, p: number, len: number): string {
  const n = Math.min(len, STRSIZE);
  const buf = new Uint8Array(n);
  if (copy_from_user(t.mm, buf, p, n) !== 0) return hex(p);
  return quote(buf, len > STRSIZE);
}

function readStruct(t: Task, p: number, size: number): DataView | null {
  if (p === 0) return null;
  const buf = new Uint8Array(size);
  return copy_from_user(t.mm, buf, p, size) === 0 ? new DataView(buf.buffer) : null;
}

function formatArg(t: Task, k: ArgKind, a: SyscallArgs, i: number, ret: number | null): string {
  const failed = ret !== null && ret < 0;
  switch (k) {
    case "int": case "fd": return String(a.int(i));
    case "uint": return String(a.uint(i));
    case "long": return a.long(i).toString();
    case "ulong": case "size": return a.ulong(i).toString();
    case "hex": return a.ulong(i) === 0n ? "0" : hex(a.ulong(i));
    case "access_mode": return F.accessMode(a.int(i));
    case "ptr": return ptrOrNull(a.ptr(i));
    case "dirfd": return a.int(i) === -100 ? "AT_FDCWD" : String(a.int(i));
    case "path": case "str": return readString(t, a.ptr(i));
    case "buf_in": return readBuf(t, a.ptr(i), a.size(i + 1));
    case "buf_out": return failed || ret === null ? hex(a.ptr(i)) : readBuf(t, a.ptr(i), ret);
    case "iovec_in": case "iovec_out": return F.iovecs(t, a.ptr(i), a.int(i + 1), k === "iovec_out" ? ret : null, readBuf);
    case "oflags": return F.openFlags(a.int(i));
    case "mode": return "0" + a.uint(i).toString(8);
    case "atflags": return F.atFlags(a.int(i));
    case "whence": return F.whence(a.int(i));
    case "prot": return F.prot(a.int(i));
    case "mapflags": return F.mapFlags(a.int(i));
    case "mremapflags": return F.mremapFlags(a.int(i));
    case "clockid": return F.clockName(a.int(i));
    case "signal": return signalName(a.int(i));
    case "sigprocmask_how": return F.sigprocmaskHow(a.int(i));
    case "ioctl_req": return F.ioctlName(a.uint(i));
    case "grnd_flags": return F.grndFlags(a.uint(i));
    case "fcntl_cmd": return F.fcntlCmd(a.int(i));
    case "resource": return F.rlimitResource(a.int(i));
    case "timespec": return F.timespec(readStruct(t, a.ptr(i), 16), a.ptr(i));
    case "timespec_out": return failed ? hex(a.ptr(i)) : F.timespec(readStruct(t, a.ptr(i), 16), a.ptr(i));
    case "timeval_out": return failed ? hex(a.ptr(i)) : F.timeval(readStruct(t, a.ptr(i), 16), a.ptr(i));
    case "stat_out": return failed ? hex(a.ptr(i)) : F.stat(readStruct(t, a.ptr(i), 128), a.ptr(i));
    case "statx_out": return failed ? hex(a.ptr(i)) : F.statx(readStruct(t, a.ptr(i), 256), a.ptr(i));
    case "utsname_out": return failed ? hex(a.ptr(i)) : F.utsname(t, a.ptr(i), readString);
    case "rlimit": case "rlimit_out": return k === "rlimit_out" && failed ? hex(a.ptr(i)) : F.rlimit(readStruct(t, a.ptr(i), 16), a.ptr(i));
    case "sigaction": case "sigaction_out": return k === "sigaction_out" && failed ? hex(a.ptr(i)) : F.sigaction(readStruct(t, a.ptr(i), 24), a.ptr(i));
    case "sigset": case "sigset_out": return k === "sigset_out" && failed ? hex(a.ptr(i)) : F.sigset(readStruct(t, a.ptr(i), 8), a.ptr(i));
    case "pollfd": return F.pollfds(t, a.ptr(i), a.int(i + 1), readStruct);
    case "hello2_in": return F.hello2In(t, a.ptr(i), readStruct, readString);
    case "hello2_out": return failed ? hex(a.ptr(i)) : F.hello2Out(readStruct(t, a.ptr(i), 20), a.ptr(i));
  }
}
