/* sysemu kmod: printk() and the pr_*() family. Messages go to the emulated kernel's log
 * (`sysemu run --dmesg`). The C formatter (libk.c) reads every argument as a 64-bit value, so
 * the macros widen each argument first: `%zu` given an unsigned int then prints what it prints
 * on x86_64 rather than garbage. An `if (0)` call to a printf-checked prototype keeps clang's
 * -Wformat warnings about the original arguments, as a kernel build gives them. */
#ifndef _LINUX_PRINTK_H
#define _LINUX_PRINTK_H
#include <linux/types.h>
#include <linux/kern_levels.h>

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

int __kmod_printk(const char *fmt, ...);
static inline __printf(1, 2) void __kmod_format_check(const char *fmt, ...) { (void)fmt; }

#define __KM_NARGS(...) __KM_NARGS_(0, ##__VA_ARGS__, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __KM_NARGS_(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, N, ...) N
#define __KM_W(x) ((long long)(x))
#define __KM_M0()
#define __KM_M1(a) , __KM_W(a)
#define __KM_M2(a, ...) , __KM_W(a) __KM_M1(__VA_ARGS__)
#define __KM_M3(a, ...) , __KM_W(a) __KM_M2(__VA_ARGS__)
#define __KM_M4(a, ...) , __KM_W(a) __KM_M3(__VA_ARGS__)
#define __KM_M5(a, ...) , __KM_W(a) __KM_M4(__VA_ARGS__)
#define __KM_M6(a, ...) , __KM_W(a) __KM_M5(__VA_ARGS__)
#define __KM_M7(a, ...) , __KM_W(a) __KM_M6(__VA_ARGS__)
#define __KM_M8(a, ...) , __KM_W(a) __KM_M7(__VA_ARGS__)
#define __KM_M9(a, ...) , __KM_W(a) __KM_M8(__VA_ARGS__)
#define __KM_M10(a, ...) , __KM_W(a) __KM_M9(__VA_ARGS__)
#define __KM_M11(a, ...) , __KM_W(a) __KM_M10(__VA_ARGS__)
#define __KM_M12(a, ...) , __KM_W(a) __KM_M11(__VA_ARGS__)
#define __KM_M13(a, ...) , __KM_W(a) __KM_M12(__VA_ARGS__)
#define __KM_M14(a, ...) , __KM_W(a) __KM_M13(__VA_ARGS__)
#define __KM_M15(a, ...) , __KM_W(a) __KM_M14(__VA_ARGS__)
#define __KM_M16(a, ...) , __KM_W(a) __KM_M15(__VA_ARGS__)
#define __KM_M17(a, ...) , __KM_W(a) __KM_M16(__VA_ARGS__)
#define __KM_M18(a, ...) , __KM_W(a) __KM_M17(__VA_ARGS__)
#define __KM_M19(a, ...) , __KM_W(a) __KM_M18(__VA_ARGS__)
#define __KM_M20(a, ...) , __KM_W(a) __KM_M19(__VA_ARGS__)
#define __KM_M21(a, ...) , __KM_W(a) __KM_M20(__VA_ARGS__)
#define __KM_M22(a, ...) , __KM_W(a) __KM_M21(__VA_ARGS__)
#define __KM_M23(a, ...) , __KM_W(a) __KM_M22(__VA_ARGS__)
#define __KM_M24(a, ...) , __KM_W(a) __KM_M23(__VA_ARGS__)
#define __KM_CAT(a, b) a##b
#define __KM_XCAT(a, b) __KM_CAT(a, b)
/* `, w(a1), w(a2) ...`: the arguments widened to 64 bits (nothing for none). */
#define __KM_WIDEN(...) __KM_XCAT(__KM_M, __KM_NARGS(__VA_ARGS__))(__VA_ARGS__)

#define printk(fmt, ...) ({ if (0) __kmod_format_check(fmt, ##__VA_ARGS__); __kmod_printk(fmt __KM_WIDEN(__VA_ARGS__)); })
#define no_printk(fmt, ...) ({ if (0) __kmod_format_check(fmt, ##__VA_ARGS__); 0; })

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning pr_warn
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
/* pr_debug prints only with DEBUG defined (no CONFIG_DYNAMIC_DEBUG), as in a default build. */
#ifdef DEBUG
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#endif
#define pr_devel pr_debug
#define pr_info_once pr_info
#define pr_warn_once pr_warn
#define pr_err_once pr_err
#define pr_info_ratelimited pr_info
#define pr_warn_ratelimited pr_warn
#define pr_err_ratelimited pr_err
#define printk_ratelimited printk
#define printk_once printk
#define printk_ratelimit() 1
#define dump_stack() ((void)0)

#endif
