#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H
#include <linux/types.h>
struct mutex { int locked; };
#define DEFINE_MUTEX(m) struct mutex m = { 0 }
#define mutex_init(m) ((m)->locked = 0)
#define mutex_lock(m) ((m)->locked = 1)
#define mutex_lock_interruptible(m) ((m)->locked = 1, 0)
#define mutex_lock_killable(m) ((m)->locked = 1, 0)
#define mutex_trylock(m) ((m)->locked ? 0 : ((m)->locked = 1))
#define mutex_unlock(m) ((m)->locked = 0)
#define mutex_is_locked(m) ((m)->locked)
#endif
