/* sysemu kmod: locks on a single CPU with nothing preempting a system call: no-ops that keep
 * the code's shape (and its lock/unlock pairing) compiling. */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H
#include <linux/types.h>
typedef struct { int locked; } spinlock_t;
typedef struct { int locked; } raw_spinlock_t;
typedef struct { int locked; } rwlock_t;
#define __SPIN_LOCK_UNLOCKED(x) { 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = { 0 }
#define DEFINE_RAW_SPINLOCK(x) raw_spinlock_t x = { 0 }
#define DEFINE_RWLOCK(x) rwlock_t x = { 0 }
#define spin_lock_init(l) ((l)->locked = 0)
#define spin_lock(l) ((l)->locked = 1)
#define spin_unlock(l) ((l)->locked = 0)
#define spin_trylock(l) ((l)->locked ? 0 : ((l)->locked = 1))
#define spin_lock_irq(l) spin_lock(l)
#define spin_unlock_irq(l) spin_unlock(l)
#define spin_lock_bh(l) spin_lock(l)
#define spin_unlock_bh(l) spin_unlock(l)
#define spin_lock_irqsave(l, flags) do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)
#define raw_spin_lock spin_lock
#define raw_spin_unlock spin_unlock
#define raw_spin_lock_irqsave spin_lock_irqsave
#define raw_spin_unlock_irqrestore spin_unlock_irqrestore
#define read_lock(l) ((void)(l))
#define read_unlock(l) ((void)(l))
#define write_lock(l) ((void)(l))
#define write_unlock(l) ((void)(l))
#define local_irq_save(flags) ((flags) = 0)
#define local_irq_restore(flags) ((void)(flags))
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
#endif
