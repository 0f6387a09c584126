// Decoders for the file system calls' own argument kinds, abbreviated as strace prints them:
// getdents64's buffer as `0x... /* 5 entries */`, utimensat's pair of times, fd_sets, statx's
// flags and mask, renameat2's flags, fcntl's third argument by command, and the results ppoll
// and pselect6 add after `= n` ("ret:<name>" decoders).

import { copy_from_user, get_user_u64 } from "../../mm/uaccess.ts";
import { hex, readStruct, type Decoder, type DecodeContext } from "./decode.ts";
import * as F from "./flags.ts";
import { flags, type Bits } from "./flags.ts";

const STATX_MASKS: Bits = [
  [0xfff, "STATX_ALL"], [0x7ff, "STATX_BASIC_STATS"], [0x1, "STATX_TYPE"], [0x2, "STATX_MODE"], [0x4, "STATX_NLINK"],
  [0x8, "STATX_UID"], [0x10, "STATX_GID"], [0x20, "STATX_ATIME"], [0x40, "STATX_MTIME"], [0x80, "STATX_CTIME"],
  [0x100, "STATX_INO"], [0x200, "STATX_SIZE"], [0x400, "STATX_BLOCKS"], [0x800, "STATX_BTIME"], [0x1000, "STATX_MNT_ID"],
  [0x2000, "STATX_DIOALIGN"], [0x4000, "STATX_MNT_ID_UNIQUE"],
];
const AT_BITS: Bits = [[0x100, "AT_SYMLINK_NOFOLLOW"], [0x400, "AT_SYMLINK_FOLLOW"], [0x800, "AT_NO_AUTOMOUNT"], [0x1000, "AT_EMPTY_PATH"]];

/** `AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW` */
export function statxFlags(v: number): string {
  const sync = ["AT_STATX_SYNC_AS_STAT", "AT_STATX_FORCE_SYNC", "AT_STATX_DONT_SYNC", "0x6000"][(v >> 13) & 3]!;
  const rest = v & ~0x6000;
  return rest ? `${sync}|${flags(rest, AT_BITS)}` : sync;
}

function modeString(mode: number): string {
  const types: Record<number, string> = { 0o140000: "S_IFSOCK", 0o120000: "S_IFLNK", 0o100000: "S_IFREG", 0o60000: "S_IFBLK", 0o40000: "S_IFDIR", 0o20000: "S_IFCHR", 0o10000: "S_IFIFO" };
  return `${types[mode & 0o170000] ?? "0"}|0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

function statxStruct(c: DecodeContext): string {
  const v = readStruct(c.t, c.a.ptr(c.i), 256);
  if (!v) return hex(c.a.ptr(c.i));
  const attrs = v.getBigUint64(8, true);
  return `{stx_mask=${flags(v.getUint32(0, true), STATX_MASKS)}, stx_attributes=${attrs === 0n ? "0" : hex(attrs)}, stx_mode=${modeString(v.getUint16(28, true))}, stx_size=${v.getBigUint64(40, true)}, ...}`;
}

/** How many struct linux_dirent64 records the first `len` bytes at p hold. */
function direntCount(c: DecodeContext, p: number, len: number): number | null {
  const buf = new Uint8Array(len);
  if (copy_from_user(c.t.mm, buf, p, len)) return null;
  const v = new DataView(buf.buffer);
  let n = 0;
  for (let off = 0; off + 19 <= len; n++) {
    const reclen = v.getUint16(off + 16, true);
    if (reclen === 0) break;
    off += reclen;
  }
  return n;
}

function direntOut(c: DecodeContext): string {
  const p = c.a.ptr(c.i);
  if (c.failed || c.ret === null) return hex(p);
  const n = direntCount(c, p, c.ret);
  return n === null ? hex(p) : `${hex(p)} /* ${n} entries */`;
}

const UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;

function utimes(c: DecodeContext): string {
  const p = c.a.ptr(c.i);
  const v = readStruct(c.t, p, 32);
  if (!v) return p === 0 ? "NULL" : hex(p);
  const one = (off: number) => {
    const nsec = v.getBigInt64(off + 8, true);
    if (nsec === BigInt(UTIME_NOW)) return "UTIME_NOW";
    if (nsec === BigInt(UTIME_OMIT)) return "UTIME_OMIT";
    return `{tv_sec=${v.getBigInt64(off, true)}, tv_nsec=${nsec}}`;
  };
  return `[${one(0)}, ${one(16)}]`;
}

/** The members of an fd_set of nfds bits at p: `[0 3]`. */
function fdSet(c: DecodeContext, p: number, nfds: number): string {
  if (p === 0) return "NULL";
  const n = Math.max(0, Math.min(nfds, 1024));
  const buf = new Uint8Array(Math.ceil(n / 64) * 8);
  if (copy_from_user(c.t.mm, buf, p, buf.length)) return hex(p);
  const fds: number[] = [];
  for (let fd = 0; fd < n; fd++) if (buf[fd >> 3]! & (1 << (fd & 7))) fds.push(fd);
  return `[${fds.join(" ")}]`;
}

function pselectSig(c: DecodeContext): string {
  const p = c.a.ptr(c.i);
  if (p === 0) return "NULL";
  const ss = get_user_u64(c.t.mm, p), len = get_user_u64(c.t.mm, p + 8);
  if (ss === null || len === null) return hex(p);
  return `{sigmask=${F.sigset(readStruct(c.t, Number(ss), 8), Number(ss))}, sigsetsize=${len}}`;
}

const FCNTL_LOCK_CMDS = new Set([5, 6, 7, 36, 37, 38]);

/** fcntl's third argument, by command: a struct flock, FD_CLOEXEC, O_* flags, or a number. */
function fcntlArg(c: DecodeContext): string {
  const cmd = c.a.int(c.i - 1);
  const v = c.a.int(c.i);
  if (FCNTL_LOCK_CMDS.has(cmd)) {
    const s = readStruct(c.t, c.a.ptr(c.i), 32);
    if (!s) return hex(c.a.ptr(c.i));
    const type = ["F_RDLCK", "F_WRLCK", "F_UNLCK"][s.getInt16(0, true)] ?? String(s.getInt16(0, true));
    return `{l_type=${type}, l_whence=${F.whence(s.getInt16(2, true))}, l_start=${s.getBigInt64(8, true)}, l_len=${s.getBigInt64(16, true)}${cmd === 5 || cmd === 36 ? `, l_pid=${s.getInt32(24, true)}` : ""}}`;
  }
  if (cmd === 2) return v & 1 ? "FD_CLOEXEC" : "0";
  if (cmd === 4) return F.openFlags(v);
  return String(v);
}

const POLL_BITS: Bits = [[1, "POLLIN"], [2, "POLLPRI"], [4, "POLLOUT"], [8, "POLLERR"], [16, "POLLHUP"], [32, "POLLNVAL"], [0x40, "POLLRDNORM"], [0x80, "POLLRDBAND"], [0x100, "POLLWRNORM"], [0x200, "POLLWRBAND"], [0x2000, "POLLRDHUP"]];

function left(c: DecodeContext, i: number): string {
  const p = c.a.ptr(i);
  return p === 0 ? "" : `, left ${F.timespec(readStruct(c.t, p, 16), p)}`;
}

/** `([{fd=0, revents=POLLIN}], left {...})` after ppoll's result, or `(Timeout)`. */
function ppollResult(c: DecodeContext): string {
  if (c.ret === 0) return "(Timeout)";
  const n = c.a.uint(1);
  const v = n > 0 && n <= 1024 ? readStruct(c.t, c.a.ptr(0), n * 8) : null;
  if (!v) return "";
  const ready: string[] = [];
  for (let i = 0; i < n; i++) {
    const rev = v.getUint16(i * 8 + 6, true);
    if (rev) ready.push(`{fd=${v.getInt32(i * 8, true)}, revents=${flags(rev, POLL_BITS)}}`);
  }
  return `([${ready.join(", ")}]${left(c, 2)})`;
}

/** `(in [0], out [1], left {...})` after pselect6's result, or `(Timeout)`. */
function pselectResult(c: DecodeContext): string {
  if (c.ret === 0) return "(Timeout)";
  const nfds = c.a.int(0);
  const parts = ["in", "out", "except"].flatMap((name, k) => {
    const p = c.a.ptr(k + 1);
    const s = p === 0 ? "[]" : fdSet(c, p, nfds);
    return s === "[]" || s === "NULL" ? [] : [`${name} ${s}`];
  });
  return `(${parts.join(", ")}${left(c, 4)})`;
}

const MS_NAMES: Bits = [
  [0xc0ed0000, "MS_MGC_VAL"], [1, "MS_RDONLY"], [2, "MS_NOSUID"], [4, "MS_NODEV"], [8, "MS_NOEXEC"], [16, "MS_SYNCHRONOUS"], [32, "MS_REMOUNT"],
  [64, "MS_MANDLOCK"], [128, "MS_DIRSYNC"], [256, "MS_NOSYMFOLLOW"], [1024, "MS_NOATIME"], [2048, "MS_NODIRATIME"], [4096, "MS_BIND"],
  [8192, "MS_MOVE"], [16384, "MS_REC"], [32768, "MS_SILENT"], [1 << 16, "MS_POSIXACL"], [1 << 17, "MS_UNBINDABLE"], [1 << 18, "MS_PRIVATE"],
  [1 << 19, "MS_SLAVE"], [1 << 20, "MS_SHARED"], [1 << 21, "MS_RELATIME"], [1 << 22, "MS_KERNMOUNT"], [1 << 23, "MS_I_VERSION"],
  [1 << 24, "MS_STRICTATIME"], [1 << 25, "MS_LAZYTIME"],
];

export const FS_KINDS: [string, Decoder][] = [
  ["mount_flags", (c) => flags(c.a.uint(c.i), MS_NAMES)],
  ["umount_flags", (c) => flags(c.a.uint(c.i), [[1, "MNT_FORCE"], [2, "MNT_DETACH"], [4, "MNT_EXPIRE"], [8, "UMOUNT_NOFOLLOW"]])],
  ["dirent_out", direntOut],
  ["rename_flags", (c) => flags(c.a.uint(c.i), [[1, "RENAME_NOREPLACE"], [2, "RENAME_EXCHANGE"], [4, "RENAME_WHITEOUT"]])],
  ["utimes", utimes],
  ["fdset", (c) => fdSet(c, c.a.ptr(c.i), c.a.int(0))],
  ["pselect_sig", pselectSig],
  ["statx_flags", (c) => statxFlags(c.a.int(c.i))],
  ["statx_mask", (c) => flags(c.a.uint(c.i), STATX_MASKS)],
  ["statx_result_out", (c) => (c.failed ? hex(c.a.ptr(c.i)) : statxStruct(c))],
  ["fcntl_arg", fcntlArg],
  ["flock_op", (c) => flags(c.a.int(c.i), [[1, "LOCK_SH"], [2, "LOCK_EX"], [4, "LOCK_NB"], [8, "LOCK_UN"]])],
  ["ret:ppoll", ppollResult],
  ["ret:pselect6", pselectResult],
];
