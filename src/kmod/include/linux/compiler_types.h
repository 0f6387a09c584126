/* sysemu kmod: what Kbuild force-includes before every file (-include). Address-space and
 * checker annotations are for sparse only: empty here, as in a normal kernel build. */
#ifndef _LINUX_COMPILER_TYPES_H
#define _LINUX_COMPILER_TYPES_H

#define __user
#define __kernel
#define __iomem
#define __force
#define __nocast
#define __safe
#define __rcu
#define __percpu
#define __bitwise
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x) (void)0
#define __release(x) (void)0
#define __cond_lock(x, c) (c)
#define notrace
#define asmlinkage
#define __visible
#define __cold __attribute__((__cold__))
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define __noreturn __attribute__((__noreturn__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __used __attribute__((__used__))
#define __must_check __attribute__((__warn_unused_result__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __section(s) __attribute__((__section__(s)))
#define __weak __attribute__((__weak__))
#define __pure __attribute__((__pure__))
#define __read_mostly
#define __ro_after_init
#define __init
#define __exit
#define __initdata
#define __exitdata
#define __deprecated
#define inline inline
#define fallthrough __attribute__((__fallthrough__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
/* no inline assembly in a student module (confine.ts): a compiler barrier is a signal fence */
#define barrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))

#endif
