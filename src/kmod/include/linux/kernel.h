/* sysemu kmod: <linux/kernel.h>, with what it pulls in on a real tree (printk, min/max,
 * limits, BUG/WARN, the string helpers). */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/limits.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/minmax.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y) - 1)))
#define abs(x) ({ __typeof__(x) __a = (x); __a < 0 ? -__a : __a; })
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define GENMASK(h, l) (((~0UL) - (1UL << (l)) + 1) & (~0UL >> (63 - (h))))
#define might_sleep() do { } while (0)
#define might_fault() do { } while (0)
#define cond_resched() 0
#define cpu_relax() barrier()
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define KBUILD_BASENAME KBUILD_MODNAME

int __kmod_snprintf_w(char *buf, size_t size, int clip, const char *fmt, ...);
static inline __printf(3, 4) void __kmod_snformat_check(char *buf, size_t size, const char *fmt, ...) { (void)buf; (void)size; (void)fmt; }
/* snprintf returns the length it would have written, scnprintf what it wrote. */
#define snprintf(buf, size, fmt, ...) ({ if (0) __kmod_snformat_check(buf, size, fmt, ##__VA_ARGS__); __kmod_snprintf_w(buf, size, 0, fmt __KM_WIDEN(__VA_ARGS__)); })
#define scnprintf(buf, size, fmt, ...) ({ if (0) __kmod_snformat_check(buf, size, fmt, ##__VA_ARGS__); __kmod_snprintf_w(buf, size, 1, fmt __KM_WIDEN(__VA_ARGS__)); })
#define sprintf(buf, fmt, ...) ({ if (0) __kmod_snformat_check(buf, 0, fmt, ##__VA_ARGS__); __kmod_snprintf_w(buf, INT_MAX, 0, fmt __KM_WIDEN(__VA_ARGS__)); })

int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
#endif
