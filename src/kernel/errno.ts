// Linux errno numbers (asm-generic/errno-base.h, errno.h) with glibc's strerror() texts, which
// strace prints after the name. Guest values only: never mix them with Node's host codes.

const TABLE: readonly (readonly [name: string, nr: number, text: string])[] = [
  ["EPERM", 1, "Operation not permitted"], ["ENOENT", 2, "No such file or directory"],
  ["ESRCH", 3, "No such process"], ["EINTR", 4, "Interrupted system call"],
  ["EIO", 5, "Input/output error"], ["ENXIO", 6, "No such device or address"],
  ["E2BIG", 7, "Argument list too long"], ["ENOEXEC", 8, "Exec format error"],
  ["EBADF", 9, "Bad file descriptor"], ["ECHILD", 10, "No child processes"],
  ["EAGAIN", 11, "Resource temporarily unavailable"], ["ENOMEM", 12, "Cannot allocate memory"],
  ["EACCES", 13, "Permission denied"], ["EFAULT", 14, "Bad address"],
  ["ENOTBLK", 15, "Block device required"], ["EBUSY", 16, "Device or resource busy"],
  ["EEXIST", 17, "File exists"], ["EXDEV", 18, "Invalid cross-device link"],
  ["ENODEV", 19, "No such device"], ["ENOTDIR", 20, "Not a directory"],
  ["EISDIR", 21, "Is a directory"], ["EINVAL", 22, "Invalid argument"],
  ["ENFILE", 23, "Too many open files in system"], ["EMFILE", 24, "Too many open files"],
  ["ENOTTY", 25, "Inappropriate ioctl for device"], ["ETXTBSY", 26, "Text file busy"],
  ["EFBIG", 27, "File too large"], ["ENOSPC", 28, "No space left on device"],
  ["ESPIPE", 29, "Illegal seek"], ["EROFS", 30, "Read-only file system"],
  ["EMLINK", 31, "Too many links"], ["EPIPE", 32, "Broken pipe"],
  ["EDOM", 33, "Numerical argument out of domain"], ["ERANGE", 34, "Numerical result out of range"],
  ["EDEADLK", 35, "Resource deadlock avoided"], ["ENAMETOOLONG", 36, "File name too long"],
  ["ENOLCK", 37, "No locks available"], ["ENOSYS", 38, "Function not implemented"],
  ["ENOTEMPTY", 39, "Directory not empty"], ["ELOOP", 40, "Too many levels of symbolic links"],
  ["ENOMSG", 42, "No message of desired type"], ["EIDRM", 43, "Identifier removed"],
  ["ENOSTR", 60, "Device not a stream"], ["ENODATA", 61, "No data available"],
  ["ETIME", 62, "Timer expired"], ["ELIBBAD", 80, "Accessing a corrupted shared library"],
  ["EOVERFLOW", 75, "Value too large for defined data type"],
  ["EBADFD", 77, "File descriptor in bad state"], ["EILSEQ", 84, "Invalid or incomplete multibyte or wide character"],
  ["ENOTSOCK", 88, "Socket operation on non-socket"], ["EOPNOTSUPP", 95, "Operation not supported"],
  ["EAFNOSUPPORT", 97, "Address family not supported by protocol"],
  ["EADDRINUSE", 98, "Address already in use"], ["ECONNREFUSED", 111, "Connection refused"],
  ["EDESTADDRREQ", 89, "Destination address required"], ["EMSGSIZE", 90, "Message too long"],
  ["EPROTOTYPE", 91, "Protocol wrong type for socket"], ["ENOPROTOOPT", 92, "Protocol not available"],
  ["EPROTONOSUPPORT", 93, "Protocol not supported"], ["ESOCKTNOSUPPORT", 94, "Socket type not supported"],
  ["EADDRNOTAVAIL", 99, "Cannot assign requested address"], ["ECONNRESET", 104, "Connection reset by peer"],
  ["ENOBUFS", 105, "No buffer space available"],
  ["EISCONN", 106, "Transport endpoint is already connected"], ["ENOTCONN", 107, "Transport endpoint is not connected"],
  ["ETIMEDOUT", 110, "Connection timed out"],
  ["ENETUNREACH", 101, "Network is unreachable"], ["EALREADY", 114, "Operation already in progress"],
  ["EINPROGRESS", 115, "Operation now in progress"], ["ESTALE", 116, "Stale file handle"],
  ["EDQUOT", 122, "Disk quota exceeded"], ["ECANCELED", 125, "Operation canceled"],
  ["EOWNERDEAD", 130, "Owner died"], ["ENOTRECOVERABLE", 131, "State not recoverable"],
];

const byName = new Map(TABLE.map(([n, nr, t]) => [n, { nr, text: t }]));
const byNr = new Map(TABLE.map(([n, nr, t]) => [nr, { name: n, text: t }]));

/** The errno number of a Linux name such as "ENOENT". */
function nr(name: string): number {
  return byName.get(name)!.nr;
}

export const EPERM = nr("EPERM"), ENOENT = nr("ENOENT"), ESRCH = nr("ESRCH"), EINTR = nr("EINTR");
export const EIO = nr("EIO"), ENXIO = nr("ENXIO"), E2BIG = nr("E2BIG"), ENOEXEC = nr("ENOEXEC");
export const EBADF = nr("EBADF"), ECHILD = nr("ECHILD"), EAGAIN = nr("EAGAIN"), ENOMEM = nr("ENOMEM");
export const EACCES = nr("EACCES"), EFAULT = nr("EFAULT"), EBUSY = nr("EBUSY"), EEXIST = nr("EEXIST");
export const EXDEV = nr("EXDEV"), ENODEV = nr("ENODEV"), ENOTDIR = nr("ENOTDIR"), EISDIR = nr("EISDIR");
export const EINVAL = nr("EINVAL"), ENFILE = nr("ENFILE"), EMFILE = nr("EMFILE"), ENOTTY = nr("ENOTTY");
export const EFBIG = nr("EFBIG"), ENOSPC = nr("ENOSPC"), ESPIPE = nr("ESPIPE"), EROFS = nr("EROFS");
export const EMLINK = nr("EMLINK"), EPIPE = nr("EPIPE"), ERANGE = nr("ERANGE"), ENAMETOOLONG = nr("ENAMETOOLONG");
export const ENOLCK = nr("ENOLCK"), ENOSYS = nr("ENOSYS"), ENOTEMPTY = nr("ENOTEMPTY"), ELOOP = nr("ELOOP");
export const EOVERFLOW = nr("EOVERFLOW"), EOPNOTSUPP = nr("EOPNOTSUPP"), ETIMEDOUT = nr("ETIMEDOUT");
export const ENOTSOCK = nr("ENOTSOCK"), EAFNOSUPPORT = nr("EAFNOSUPPORT"), EDEADLK = nr("EDEADLK");
export const ENODATA = nr("ENODATA");
// sockets (net/)
export const EADDRINUSE = nr("EADDRINUSE"), ECONNREFUSED = nr("ECONNREFUSED"), EDESTADDRREQ = nr("EDESTADDRREQ");
export const EMSGSIZE = nr("EMSGSIZE"), EPROTOTYPE = nr("EPROTOTYPE"), ENOPROTOOPT = nr("ENOPROTOOPT");
export const EPROTONOSUPPORT = nr("EPROTONOSUPPORT"), ESOCKTNOSUPPORT = nr("ESOCKTNOSUPPORT"), ECONNRESET = nr("ECONNRESET");
export const EISCONN = nr("EISCONN"), ENOTCONN = nr("ENOTCONN"), EADDRNOTAVAIL = nr("EADDRNOTAVAIL");
export const ENETUNREACH = nr("ENETUNREACH"), EALREADY = nr("EALREADY"), EINPROGRESS = nr("EINPROGRESS");
export const ENOBUFS = nr("ENOBUFS");

/**
 * Kernel-internal: the call must wait and be restarted (Linux's ERESTARTSYS family). Never
 * reaches the guest: the dispatcher parks the task or turns it into EINTR.
 */
export const ERESTARTSYS = 512;

/** "ENOENT" for 2, or null for a number Linux does not name. */
export function errnoName(n: number): string | null {
  return byNr.get(n)?.name ?? null;
}

/** glibc's strerror() text for errno n. */
export function errnoText(n: number): string {
  return byNr.get(n)?.text ?? `Unknown error ${n}`;
}

/** The guest errno for a Node.js host error code such as 'ENOENT' (EIO when unknown). */
export function hostErrno(code: string | undefined): number {
  return (code && byName.get(code)?.nr) || EIO;
}
