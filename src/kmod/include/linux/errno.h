/* sysemu kmod: Linux's errno values, and the kernel-internal ones (never seen by user space). */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H
#include <uapi/asm-generic/errno.h>
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ENOIOCTLCMD 515
#define ERESTART_RESTARTBLOCK 516
#define EBADHANDLE 521
#define ENOTSUPP 524
#define ETOOSMALL 525
#define ESERVERFAULT 526
#define EBADTYPE 527
#define EJUKEBOX 528
#define EIOCBQUEUED 529
#endif
