// Linux's architecture-neutral uapi constants that more than one file needs, declared once:
// resource limits (include/uapi/asm-generic/resource.h, which riscv64 and x86-64 both use) and
// the socket-level control message names (include/linux/socket.h).

export const RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_RSS = 5;
export const RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9, RLIMIT_LOCKS = 10;
export const RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15;
export const RLIM_NLIMITS = 16;
/** RLIM_INFINITY: all ones in the 64-bit rlim_t. */
export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

/** SOL_SOCKET's level and its control messages. */
export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;

/** SA_RESTORER: sa_restorer holds the handler's way back (x86-64's glibc always sets it). */
export const SA_RESTORER = 0x04000000;
