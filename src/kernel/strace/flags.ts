// strace's symbolic decoding of flags, constants and small structs (guest values; layouts that differ by architecture come from the task's Abi).

import { copy_from_user } from "../../mm/uaccess.ts";
import type { Task } from "../proc/task.ts";
import { signalName } from "../signal/signal.ts";

/** A flag table: bit values and their names, in the order strace prints them. */
export type Bits = readonly (readonly [number, string])[];

/** `A|B|0x40` for v by table, or `zero` when v is 0. */
export function flags(v: number, table: Bits, zero = "0"): string {
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of table) {
    if (bit !== 0 && (rest & bit) === bit) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) out.push("0x" + rest.toString(16));
  return out.length ? out.join("|") : zero;
}

const O_BITS: Bits = [
  [0o20200000, "O_TMPFILE"], [0o100, "O_CREAT"], [0o200, "O_EXCL"], [0o400, "O_NOCTTY"], [0o1000, "O_TRUNC"], [0o2000, "O_APPEND"],
  [0o4000, "O_NONBLOCK"], [0o4010000, "O_SYNC"], [0o10000, "O_DSYNC"], [0o20000, "O_ASYNC"], [0o40000, "O_DIRECT"],
  [0o100000, "O_LARGEFILE"], [0o200000, "O_DIRECTORY"], [0o400000, "O_NOFOLLOW"], [0o1000000, "O_NOATIME"],
  [0o2000000, "O_CLOEXEC"], [0o10000000, "O_PATH"], [0o20000000, "__O_TMPFILE"],
];

/** O_RDONLY|O_CLOEXEC */
export function openFlags(v: number): string {
  const acc = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][v & 3]!;
  const rest = flags(v & ~3, O_BITS, "");
  return rest ? `${acc}|${rest}` : acc;
}

export function atFlags(v: number): string {
  return flags(v, [[0x100, "AT_SYMLINK_NOFOLLOW"], [0x200, "AT_REMOVEDIR"], [0x400, "AT_SYMLINK_FOLLOW"], [0x800, "AT_NO_AUTOMOUNT"], [0x1000, "AT_EMPTY_PATH"], [0x200, "AT_EACCESS"]]);
}

/** access(2)'s mode: F_OK or R_OK|W_OK|X_OK. */
export function accessMode(v: number): string {
  return v === 0 ? "F_OK" : flags(v, [[4, "R_OK"], [2, "W_OK"], [1, "X_OK"]]);
}

export function whence(v: number): string {
  return ["SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"][v] ?? String(v);
}

export function prot(v: number): string {
  return flags(v, [[1, "PROT_READ"], [2, "PROT_WRITE"], [4, "PROT_EXEC"], [0x1000000, "PROT_GROWSDOWN"], [0x2000000, "PROT_GROWSUP"]], "PROT_NONE");
}

export function mapFlags(v: number): string {
  const type = ["0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"][v & 3]!;
  const rest = flags(v & ~3, [[0x10, "MAP_FIXED"], [0x20, "MAP_ANONYMOUS"], [0x100, "MAP_GROWSDOWN"], [0x800, "MAP_DENYWRITE"], [0x1000, "MAP_EXECUTABLE"], [0x2000, "MAP_LOCKED"], [0x4000, "MAP_NORESERVE"], [0x8000, "MAP_POPULATE"], [0x10000, "MAP_NONBLOCK"], [0x20000, "MAP_STACK"], [0x40000, "MAP_HUGETLB"], [0x100000, "MAP_FIXED_NOREPLACE"]], "");
  return rest ? `${type}|${rest}` : type;
}

export function mremapFlags(v: number): string {
  return flags(v, [[1, "MREMAP_MAYMOVE"], [2, "MREMAP_FIXED"], [4, "MREMAP_DONTUNMAP"]]);
}

const CLOCKS = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "CLOCK_SGI_CYCLE", "CLOCK_TAI"];
export function clockName(v: number): string {
  return CLOCKS[v] ?? String(v);
}

export function sigprocmaskHow(v: number): string {
  return ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"][v] ?? String(v);
}

const IOCTLS = new Map<number, string>([
  [0x5401, "TCGETS"], [0x5402, "TCSETS"], [0x5403, "TCSETSW"], [0x5404, "TCSETSF"], [0x540e, "TIOCSCTTY"],
  [0x540f, "TIOCGPGRP"], [0x5410, "TIOCSPGRP"], [0x5413, "TIOCGWINSZ"], [0x5414, "TIOCSWINSZ"], [0x541b, "FIONREAD"],
  [0x5421, "FIONBIO"], [0x5422, "TIOCNOTTY"], [0x5429, "TIOCGSID"], [0x5451, "FIOCLEX"], [0x5450, "FIONCLEX"],
]);
export function ioctlName(v: number): string {
  return IOCTLS.get(v) ?? "0x" + v.toString(16);
}

export function grndFlags(v: number): string {
  return flags(v, [[1, "GRND_NONBLOCK"], [2, "GRND_RANDOM"], [4, "GRND_INSECURE"]]);
}

const FCNTL = ["F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL", "F_GETLK", "F_SETLK", "F_SETLKW", "F_SETOWN", "F_GETOWN"];
export function fcntlCmd(v: number): string {
  if (v === 1030) return "F_DUPFD_CLOEXEC";
  if (v === 1033) return "F_ADD_SEALS";
  if (v === 1034) return "F_GET_SEALS";
  return FCNTL[v] ?? String(v);
}

const RLIMITS = ["RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME"];
export function rlimitResource(v: number): string {
  return RLIMITS[v] ?? String(v);
}

export function siCodeName(sig: number, code: number): string {
  const bySig: Record<number, string[]> = {
    11: ["", "SEGV_MAPERR", "SEGV_ACCERR"],
    7: ["", "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR"],
    4: ["", "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC"],
    5: ["", "TRAP_BRKPT", "TRAP_TRACE"],
    8: ["", "FPE_INTDIV", "FPE_INTOVF"],
  };
  return bySig[sig]?.[code] ?? String(code);
}

export function timespec(v: DataView | null, p: number): string {
  if (!v) return p === 0 ? "NULL" : "0x" + p.toString(16);
  return `{tv_sec=${v.getBigInt64(0, true)}, tv_nsec=${v.getBigInt64(8, true)}}`;
}

export function timeval(v: DataView | null, p: number): string {
  if (!v) return p === 0 ? "NULL" : "0x" + p.toString(16);
  return `{tv_sec=${v.getBigInt64(0, true)}, tv_usec=${v.getBigInt64(8, true)}}`;
}

function modeString(mode: number): string {
  const types: Record<number, string> = { 0o140000: "S_IFSOCK", 0o120000: "S_IFLNK", 0o100000: "S_IFREG", 0o60000: "S_IFBLK", 0o40000: "S_IFDIR", 0o20000: "S_IFCHR", 0o10000: "S_IFIFO" };
  return `${types[mode & 0o170000] ?? "0"}|0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

function devString(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `makedev(0x${major.toString(16)}, 0x${minor.toString(16)})`;
}

/** `{st_mode=S_IFREG|0644, st_size=123, ...}`, or st_rdev for devices, as strace abbreviates. */
export function stat(t: Task, b: Uint8Array | null, p: number): string {
  if (!b) return p === 0 ? "NULL" : "0x" + p.toString(16);
  const { mode, size, rdev } = t.abi.decodeStat(b);
  const type = mode & 0o170000;
  const second = type === 0o20000 || type === 0o60000 ? `st_rdev=${devString(rdev)}` : `st_size=${size}`;
  return `{st_mode=${modeString(mode)}, ${second}, ...}`;
}

export function statx(v: DataView | null, p: number): string {
  if (!v) return p === 0 ? "NULL" : "0x" + p.toString(16);
  return `{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=${modeString(v.getUint16(28, true))}, stx_size=${v.getBigUint64(40, true)}, ...}`;
}

export function utsname(t: Task, p: number, readString: (t: Task, p: number) => string): string {
  if (p === 0) return "NULL";
  return `{sysname=${readString(t, p)}, nodename=${readString(t, p + 65)}, ...}`;
}

function rlimValue(v: bigint): string {
  if (v === 0xffff_ffff_ffff_ffffn) return "RLIM64_INFINITY";
  return v > 0n && v % 1024n === 0n ? `${v / 1024n}*1024` : v.toString();
}

export function rlimit(v: DataView | null, p: number): string {
  if (!v) return p === 0 ? "NULL" : "0x" + p.toString(16);
  return `{rlim_cur=${rlimValue(v.getBigUint64(0, true))}, rlim_max=${rlimValue(v.getBigUint64(8, true))}}`;
}

/** `[HUP INT]` as strace prints a sigset_t. */
export function sigsetBits(mask: bigint): string {
  const names: string[] = [];
  for (let s = 1; s <= 64; s++) if (mask & (1n << BigInt(s - 1))) names.push(signalName(s).replace(/^SIG/, ""));
  return `[${names.join(" ")}]`;
}

export function sigset(v: DataView | null, p: number): string {
  if (!v) return p === 0 ? "NULL" : "0x" + p.toString(16);
  const mask = v.getBigUint64(0, true);
  if (mask === 0xffff_ffff_ffff_ffffn || mask === 0xffff_fffe_7fff_ffffn) return "~[]";
  return sigsetBits(mask);
}

export function sigaction(t: Task, b: Uint8Array | null, p: number): string {
  if (!b) return p === 0 ? "NULL" : "0x" + p.toString(16);
  const a = t.abi.decodeSigaction(b);
  const h = a.handler;
  const handler = h === 0n ? "SIG_DFL" : h === 1n ? "SIG_IGN" : "0x" + h.toString(16);
  const fl = flags(Number(a.flags & 0xffffffffn), [[1, "SA_NOCLDSTOP"], [2, "SA_NOCLDWAIT"], [4, "SA_SIGINFO"], [0x08000000, "SA_ONSTACK"], [0x10000000, "SA_RESTART"], [0x40000000, "SA_NODEFER"], [0x80000000, "SA_RESETHAND"], [0x04000000, "SA_RESTORER"]]);
  const restorer = a.flags & 0x04000000n ? `, sa_restorer=0x${a.restorer.toString(16)}` : "";
  return `{sa_handler=${handler}, sa_mask=${sigsetBits(a.mask)}, sa_flags=${fl}${restorer}}`;
}

export function iovecs(t: Task, p: number, count: number, ret: number | null, readBuf: (t: Task, p: number, n: number) => string): string {
  if (p === 0 || count < 0 || count > 1024) return "0x" + p.toString(16);
  const raw = new Uint8Array(count * 16);
  if (copy_from_user(t.mm, raw, p, raw.length) !== 0) return "0x" + p.toString(16);
  const v = new DataView(raw.buffer);
  let left = ret === null ? Infinity : Math.max(ret, 0);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const base = Number(v.getBigUint64(i * 16, true));
    const len = Number(v.getBigUint64(i * 16 + 8, true));
    const shown = Math.min(len, left);
    left -= shown;
    parts.push(`{iov_base=${readBuf(t, base, shown)}, iov_len=${len}}`);
  }
  return `[${parts.join(", ")}]`;
}

export function pollfds(t: Task, p: number, n: number, readStruct: (t: Task, p: number, size: number) => DataView | null): string {
  const v = n > 0 && n <= 1024 ? readStruct(t, p, n * 8) : null;
  if (!v) return p === 0 ? "NULL" : "0x" + p.toString(16);
  const ev = (e: number) => flags(e, [[1, "POLLIN"], [2, "POLLPRI"], [4, "POLLOUT"], [8, "POLLERR"], [16, "POLLHUP"], [32, "POLLNVAL"]]);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`{fd=${v.getInt32(i * 8, true)}, events=${ev(v.getInt16(i * 8 + 4, true))}}`);
  return `[${parts.join(", ")}]`;
}

export function hello2In(t: Task, p: number, readStruct: (t: Task, p: number, size: number) => DataView | null, readString: (t: Task, p: number) => string): string {
  const v = readStruct(t, p, 16);
  if (!v) return p === 0 ? "NULL" : "0x" + p.toString(16);
  return `{name=${readString(t, Number(v.getBigUint64(0, true)))}, len=${v.getUint32(8, true)}, val=${v.getUint32(12, true)}}`;
}

export function hello2Out(v: DataView | null, p: number): string {
  if (!v) return p === 0 ? "NULL" : "0x" + p.toString(16);
  const r = [1, 2, 3, 4].map((i) => "0x" + v.getUint32(i * 4, true).toString(16));
  return `{nr_calls=${v.getUint32(0, true)}, rand_data=[${r.join(", ")}]}`;
}

