// WASI preview1's numbers and struct layouts (wasi_snapshot_preview1.witx, as wasi-libc's
// <wasi/api.h> states them), and the translation of Linux errno values into WASI's. Nothing
// else in src/wasm knows a WASI constant or offset.

/** WASI errno names by number (the witx order; "ESUCCESS" is 0). */
export const WASI_ERRNO_NAMES = [
  "ESUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN", "EALREADY",
  "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET",
  "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST", "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM",
  "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL", "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK",
  "EMSGSIZE", "EMULTIHOP", "ENAMETOOLONG", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE", "ENOBUFS",
  "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK", "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC",
  "ENOSYS", "ENOTCONN", "ENOTDIR", "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY",
  "ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO", "EPROTONOSUPPORT", "EPROTOTYPE",
  "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE", "ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
] as const;

function errno(name: (typeof WASI_ERRNO_NAMES)[number]): number {
  return WASI_ERRNO_NAMES.indexOf(name);
}

export const ESUCCESS = 0, EBADF = errno("EBADF"), EFAULT = errno("EFAULT"), EINVAL = errno("EINVAL");
export const EIO = errno("EIO"), EILSEQ = errno("EILSEQ"), ENOSYS = errno("ENOSYS"), ENOTSUP = errno("ENOTSUP");
export const ENOTCAPABLE = errno("ENOTCAPABLE"), ENOTDIR = errno("ENOTDIR"), ENAMETOOLONG = errno("ENAMETOOLONG");
export const EOVERFLOW = errno("EOVERFLOW"), ENOENT = errno("ENOENT"), ESPIPE = errno("ESPIPE");

/** Linux errno → WASI errno, by Linux number (asm-generic/errno*.h). */
const FROM_LINUX: Record<number, number> = {
  1: errno("EPERM"), 2: errno("ENOENT"), 3: errno("ESRCH"), 4: errno("EINTR"), 5: EIO, 6: errno("ENXIO"),
  7: errno("E2BIG"), 8: errno("ENOEXEC"), 9: EBADF, 10: errno("ECHILD"), 11: errno("EAGAIN"), 12: errno("ENOMEM"),
  13: errno("EACCES"), 14: EFAULT, 16: errno("EBUSY"), 17: errno("EEXIST"), 18: errno("EXDEV"), 19: errno("ENODEV"),
  20: ENOTDIR, 21: errno("EISDIR"), 22: EINVAL, 23: errno("ENFILE"), 24: errno("EMFILE"), 25: errno("ENOTTY"),
  26: errno("ETXTBSY"), 27: errno("EFBIG"), 28: errno("ENOSPC"), 29: ESPIPE, 30: errno("EROFS"), 31: errno("EMLINK"),
  32: errno("EPIPE"), 33: errno("EDOM"), 34: errno("ERANGE"), 35: errno("EDEADLK"), 36: ENAMETOOLONG,
  37: errno("ENOLCK"), 38: ENOSYS, 39: errno("ENOTEMPTY"), 40: errno("ELOOP"), 42: errno("ENOMSG"), 43: errno("EIDRM"),
  67: errno("ENOLINK"), 71: errno("EPROTO"), 72: errno("EMULTIHOP"), 74: errno("EBADMSG"), 75: EOVERFLOW, 84: EILSEQ,
  88: errno("ENOTSOCK"), 89: errno("EDESTADDRREQ"), 90: errno("EMSGSIZE"), 91: errno("EPROTOTYPE"),
  92: errno("ENOPROTOOPT"), 93: errno("EPROTONOSUPPORT"), 95: ENOTSUP, 97: errno("EAFNOSUPPORT"),
  98: errno("EADDRINUSE"), 99: errno("EADDRNOTAVAIL"), 100: errno("ENETDOWN"), 101: errno("ENETUNREACH"),
  102: errno("ENETRESET"), 103: errno("ECONNABORTED"), 104: errno("ECONNRESET"), 105: errno("ENOBUFS"),
  106: errno("EISCONN"), 107: errno("ENOTCONN"), 110: errno("ETIMEDOUT"), 111: errno("ECONNREFUSED"),
  113: errno("EHOSTUNREACH"), 114: errno("EALREADY"), 115: errno("EINPROGRESS"), 116: errno("ESTALE"),
  122: errno("EDQUOT"), 125: errno("ECANCELED"), 130: errno("EOWNERDEAD"), 131: errno("ENOTRECOVERABLE"),
};

/** The WASI errno for a handler's result when it is -errno (EIO for a value WASI has no name for). */
export function wasiErrno(linuxRet: number): number {
  return FROM_LINUX[-linuxRet] ?? EIO;
}

/** "ENOENT" for WASI errno 44. */
export function wasiErrnoName(e: number): string {
  return WASI_ERRNO_NAMES[e] ?? `E${e}`;
}

// rights (bit numbers as in the witx `rights` flags)
const R = (bit: number) => 1n << BigInt(bit);
export const RIGHT = {
  FD_DATASYNC: R(0), FD_READ: R(1), FD_SEEK: R(2), FD_FDSTAT_SET_FLAGS: R(3), FD_SYNC: R(4), FD_TELL: R(5),
  FD_WRITE: R(6), FD_ADVISE: R(7), FD_ALLOCATE: R(8), PATH_CREATE_DIRECTORY: R(9), PATH_CREATE_FILE: R(10),
  PATH_LINK_SOURCE: R(11), PATH_LINK_TARGET: R(12), PATH_OPEN: R(13), FD_READDIR: R(14), PATH_READLINK: R(15),
  PATH_RENAME_SOURCE: R(16), PATH_RENAME_TARGET: R(17), PATH_FILESTAT_GET: R(18), PATH_FILESTAT_SET_SIZE: R(19),
  PATH_FILESTAT_SET_TIMES: R(20), FD_FILESTAT_GET: R(21), FD_FILESTAT_SET_SIZE: R(22), FD_FILESTAT_SET_TIMES: R(23),
  PATH_SYMLINK: R(24), PATH_REMOVE_DIRECTORY: R(25), PATH_UNLINK_FILE: R(26), POLL_FD_READWRITE: R(27),
  SOCK_SHUTDOWN: R(28), SOCK_ACCEPT: R(29),
} as const;
export const RIGHTS_ALL = (1n << 30n) - 1n;

/** What an open regular file may do (uvwasi's and wasmtime's set). */
export const RIGHTS_FILE =
  RIGHT.FD_DATASYNC | RIGHT.FD_READ | RIGHT.FD_SEEK | RIGHT.FD_FDSTAT_SET_FLAGS | RIGHT.FD_SYNC | RIGHT.FD_TELL |
  RIGHT.FD_WRITE | RIGHT.FD_ADVISE | RIGHT.FD_ALLOCATE | RIGHT.FD_FILESTAT_GET | RIGHT.FD_FILESTAT_SET_SIZE |
  RIGHT.FD_FILESTAT_SET_TIMES | RIGHT.POLL_FD_READWRITE;
/** What an open directory may do. */
export const RIGHTS_DIR =
  RIGHT.FD_FDSTAT_SET_FLAGS | RIGHT.FD_SYNC | RIGHT.FD_ADVISE | RIGHT.PATH_CREATE_DIRECTORY | RIGHT.PATH_CREATE_FILE |
  RIGHT.PATH_LINK_SOURCE | RIGHT.PATH_LINK_TARGET | RIGHT.PATH_OPEN | RIGHT.FD_READDIR | RIGHT.PATH_READLINK |
  RIGHT.PATH_RENAME_SOURCE | RIGHT.PATH_RENAME_TARGET | RIGHT.PATH_FILESTAT_GET | RIGHT.PATH_FILESTAT_SET_SIZE |
  RIGHT.PATH_FILESTAT_SET_TIMES | RIGHT.FD_FILESTAT_GET | RIGHT.FD_FILESTAT_SET_TIMES | RIGHT.PATH_SYMLINK |
  RIGHT.PATH_REMOVE_DIRECTORY | RIGHT.PATH_UNLINK_FILE | RIGHT.POLL_FD_READWRITE;
/** A terminal: no seek or tell, which is how wasi-libc's isatty() recognises one. */
export const RIGHTS_TTY = RIGHT.FD_READ | RIGHT.FD_FDSTAT_SET_FLAGS | RIGHT.FD_WRITE | RIGHT.FD_FILESTAT_GET | RIGHT.POLL_FD_READWRITE;

export const FILETYPE = { UNKNOWN: 0, BLOCK_DEVICE: 1, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4, SOCKET_DGRAM: 5, SOCKET_STREAM: 6, SYMBOLIC_LINK: 7 } as const;
export const FDFLAGS = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const LOOKUP_SYMLINK_FOLLOW = 1;
export const FSTFLAGS = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
export const EVENTTYPE = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
export const SUBCLOCK_ABSTIME = 1;
export const PREOPENTYPE_DIR = 0;

// struct sizes and offsets
export const SIZEOF_IOVEC = 8; // { buf: u32, buf_len: u32 }
export const SIZEOF_FILESTAT = 64; // dev@0 ino@8 filetype@16 nlink@24 size@32 atim@40 mtim@48 ctim@56
export const SIZEOF_FDSTAT = 24; // fs_filetype@0 fs_flags@2 fs_rights_base@8 fs_rights_inheriting@16
export const SIZEOF_PRESTAT = 8; // tag@0 pr_name_len@4
export const SIZEOF_DIRENT = 24; // d_next@0 d_ino@8 d_namlen@16 d_type@20, then the name
export const SIZEOF_SUBSCRIPTION = 48; // userdata@0 tag@8 u@16 (clock: id@16 timeout@24 precision@32 flags@40; fd@16)
export const SIZEOF_EVENT = 32; // userdata@0 error@8 type@10 nbytes@16 flags@24

/** A WASI filestat, as the kernel's stat fills it. */
export interface Filestat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** The WASI filetype of a Linux st_mode. Pipes are UNKNOWN: WASI has no FIFO type. */
export function filetypeOfMode(mode: number): number {
  switch (mode & 0o170000) {
    case 0o100000: return FILETYPE.REGULAR_FILE;
    case 0o040000: return FILETYPE.DIRECTORY;
    case 0o020000: return FILETYPE.CHARACTER_DEVICE;
    case 0o060000: return FILETYPE.BLOCK_DEVICE;
    case 0o120000: return FILETYPE.SYMBOLIC_LINK;
    case 0o140000: return FILETYPE.SOCKET_STREAM;
    default: return FILETYPE.UNKNOWN;
  }
}

/** Encodes a filestat (64 bytes). */
export function encodeFilestat(st: Filestat): Uint8Array {
  const b = new Uint8Array(SIZEOF_FILESTAT);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, st.dev, true);
  v.setBigUint64(8, st.ino, true);
  v.setUint8(16, st.filetype);
  v.setBigUint64(24, st.nlink, true);
  v.setBigUint64(32, st.size, true);
  v.setBigUint64(40, st.atim, true);
  v.setBigUint64(48, st.mtim, true);
  v.setBigUint64(56, st.ctim, true);
  return b;
}

/** Linux DT_* (linux_dirent64.d_type) → WASI filetype. */
export function filetypeOfDtype(dt: number): number {
  return ({ 1: FILETYPE.UNKNOWN, 2: FILETYPE.CHARACTER_DEVICE, 4: FILETYPE.DIRECTORY, 6: FILETYPE.BLOCK_DEVICE, 8: FILETYPE.REGULAR_FILE, 10: FILETYPE.SYMBOLIC_LINK, 12: FILETYPE.SOCKET_STREAM } as Record<number, number>)[dt] ?? FILETYPE.UNKNOWN;
}
