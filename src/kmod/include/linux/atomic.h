/* sysemu kmod: atomic_t on the emulator's single CPU: plain operations, which are atomic when
 * nothing runs beside a system call handler. */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H
#include <linux/types.h>
#include <linux/compiler.h>
#define ATOMIC_INIT(i) { (i) }
#define ATOMIC64_INIT(i) { (i) }
#define __KM_ATOMIC(pfx, T, V) \
static inline T pfx##_read(const V *v) { return READ_ONCE(v->counter); } \
static inline void pfx##_set(V *v, T i) { WRITE_ONCE(v->counter, i); } \
static inline void pfx##_add(T i, V *v) { v->counter += i; } \
static inline void pfx##_sub(T i, V *v) { v->counter -= i; } \
static inline void pfx##_inc(V *v) { v->counter++; } \
static inline void pfx##_dec(V *v) { v->counter--; } \
static inline T pfx##_add_return(T i, V *v) { return v->counter += i; } \
static inline T pfx##_sub_return(T i, V *v) { return v->counter -= i; } \
static inline T pfx##_inc_return(V *v) { return ++v->counter; } \
static inline T pfx##_dec_return(V *v) { return --v->counter; } \
static inline T pfx##_fetch_add(T i, V *v) { T o = v->counter; v->counter += i; return o; } \
static inline T pfx##_fetch_sub(T i, V *v) { T o = v->counter; v->counter -= i; return o; } \
static inline T pfx##_fetch_inc(V *v) { return v->counter++; } \
static inline T pfx##_fetch_dec(V *v) { return v->counter--; } \
static inline bool pfx##_dec_and_test(V *v) { return --v->counter == 0; } \
static inline bool pfx##_inc_and_test(V *v) { return ++v->counter == 0; } \
static inline bool pfx##_sub_and_test(T i, V *v) { return (v->counter -= i) == 0; } \
static inline T pfx##_xchg(V *v, T n) { T o = v->counter; v->counter = n; return o; } \
static inline T pfx##_cmpxchg(V *v, T old, T n) { T o = v->counter; if (o == old) v->counter = n; return o; } \
static inline bool pfx##_try_cmpxchg(V *v, T *old, T n) { T o = v->counter; if (o == *old) { v->counter = n; return true; } *old = o; return false; } \
static inline T pfx##_add_unless(V *v, T a, T u) { T o = v->counter; if (o != u) v->counter += a; return o != u; } \
static inline bool pfx##_inc_not_zero(V *v) { return pfx##_add_unless(v, 1, 0); }
__KM_ATOMIC(atomic, int, atomic_t)
__KM_ATOMIC(atomic64, s64, atomic64_t)
__KM_ATOMIC(atomic_long, s64, atomic_long_t)
#undef __KM_ATOMIC
#define xchg(p, n) ({ __typeof__(*(p)) __o = *(p); *(p) = (n); __o; })
#define cmpxchg(p, old, n) ({ __typeof__(*(p)) __o = *(p); if (__o == (old)) *(p) = (n); __o; })
#define smp_mb() barrier()
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define smp_store_release(p, v) WRITE_ONCE(*(p), v)
#define smp_load_acquire(p) READ_ONCE(*(p))
#endif
