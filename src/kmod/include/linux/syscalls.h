/* sysemu kmod: SYSCALL_DEFINE0..6 as in the kernel: the body is `long __do_sys_NAME(args)`
 * (so __func__ is "__do_sys_NAME", what the assignment's pr_info prints), called from an
 * exported entry `__se_sys_NAME` that takes the six argument registers as 64-bit values and
 * casts each to its declared type. The entry also marks user pointers (arguments of pointer
 * type) with a tag in their top byte: the emulated kernel strips it in the uaccess helpers, and
 * a handler that dereferences a user pointer directly (no copy_from_user) touches an address
 * far outside its memory and oopses, as Linux does with SMAP. Like the real header, this one
 * brings in what a handler commonly uses. */
#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/unistd.h>

#define __KM_UTAG 0xa5ULL
static inline __attribute__((__always_inline__)) long long __kmod_sc_arg(long long v, int is_ptr)
{
	unsigned long long u = (unsigned long long)v;
	if (!is_ptr || u == 0)
		return v;
	if ((u >> 56) == 0)
		return (long long)(u | (__KM_UTAG << 56));
	if ((u >> 56) == __KM_UTAG) /* never mistaken for a tagged (valid) pointer */
		return (long long)((u & ~(0xffULL << 56)) | ((__KM_UTAG + 1) << 56));
	return v;
}

#define __KM_MAP0(m, ...)
#define __KM_MAP1(m, t, a, ...) m(t, a)
#define __KM_MAP2(m, t, a, ...) m(t, a), __KM_MAP1(m, __VA_ARGS__)
#define __KM_MAP3(m, t, a, ...) m(t, a), __KM_MAP2(m, __VA_ARGS__)
#define __KM_MAP4(m, t, a, ...) m(t, a), __KM_MAP3(m, __VA_ARGS__)
#define __KM_MAP5(m, t, a, ...) m(t, a), __KM_MAP4(m, __VA_ARGS__)
#define __KM_MAP6(m, t, a, ...) m(t, a), __KM_MAP5(m, __VA_ARGS__)
#define __KM_MAP(n, ...) __KM_MAP##n(__VA_ARGS__)
#define __KM_SC_DECL(t, a) t a
#define __KM_SC_CAST(t, a) (t)__kmod_sc_arg(__km_##a, __builtin_classify_type((t)0) == 5)
#define __KM_SC_UNUSED(t, a) (void)__km_##a

#define __KM_SE_PARAMS long long __km_r0, long long __km_r1, long long __km_r2, long long __km_r3, long long __km_r4, long long __km_r5
#define __KM_SE_UNUSED (void)__km_r0; (void)__km_r1; (void)__km_r2; (void)__km_r3; (void)__km_r4; (void)__km_r5


#define SYSCALL_DEFINE0(sname) \
	static noinline long __do_sys_##sname(void); \
	__attribute__((export_name("__se_sys_" #sname))) long long __se_sys_##sname(__KM_SE_PARAMS) \
	{ __KM_SE_UNUSED; return __do_sys_##sname(); } \
	static noinline long __do_sys_##sname(void)

#define SYSCALL_DEFINE1(name, ...) __KM_SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) __KM_SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) __KM_SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) __KM_SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) __KM_SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) __KM_SYSCALL_DEFINEx(6, name, __VA_ARGS__)

/* The i-th register goes to the i-th declared argument (__km_<argname> are its raw values). */
#define __KM_REGS1(t1, a1) long long __km_##a1 = __km_r0;
#define __KM_REGS2(t1, a1, t2, a2) __KM_REGS1(t1, a1) long long __km_##a2 = __km_r1;
#define __KM_REGS3(t1, a1, t2, a2, t3, a3) __KM_REGS2(t1, a1, t2, a2) long long __km_##a3 = __km_r2;
#define __KM_REGS4(t1, a1, t2, a2, t3, a3, t4, a4) __KM_REGS3(t1, a1, t2, a2, t3, a3) long long __km_##a4 = __km_r3;
#define __KM_REGS5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) __KM_REGS4(t1, a1, t2, a2, t3, a3, t4, a4) long long __km_##a5 = __km_r4;
#define __KM_REGS6(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) __KM_REGS5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) long long __km_##a6 = __km_r5;

#define __KM_SYSCALL_DEFINEx(x, sname, ...) \
	static noinline long __do_sys_##sname(__KM_MAP(x, __KM_SC_DECL, __VA_ARGS__)); \
	__attribute__((export_name("__se_sys_" #sname))) long long __se_sys_##sname(__KM_SE_PARAMS) \
	{ \
		__KM_SE_UNUSED; \
		__KM_REGS##x(__VA_ARGS__) \
		return __do_sys_##sname(__KM_MAP(x, __KM_SC_CAST, __VA_ARGS__)); \
	} \
	static noinline long __do_sys_##sname(__KM_MAP(x, __KM_SC_DECL, __VA_ARGS__))

#define COND_SYSCALL(name)
#define COND_SYSCALL_COMPAT(name)
#define SYS_NI(name)
#define COMPAT_SYSCALL_DEFINE0(name) static inline long __kmod_compat_##name(void)
#endif
