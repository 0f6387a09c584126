/* sysemu kmod: BUG() is an oops (the calling task dies), WARN() a logged warning. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H
#include <linux/compiler.h>
void __kmod_bug(const char *file, int line) __attribute__((__noreturn__));
void __kmod_warn(const char *file, int line);
#define BUG() __kmod_bug(__FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)
#define WARN_ON(c) ({ int __c = !!(c); if (unlikely(__c)) __kmod_warn(__FILE__, __LINE__); unlikely(__c); })
#define WARN_ON_ONCE(c) WARN_ON(c)
#define WARN(c, fmt, ...) ({ int __c = !!(c); if (unlikely(__c)) { printk(KERN_WARNING fmt, ##__VA_ARGS__); __kmod_warn(__FILE__, __LINE__); } unlikely(__c); })
#define WARN_ONCE(c, fmt, ...) WARN(c, fmt, ##__VA_ARGS__)
#define BUILD_BUG_ON(c) _Static_assert(!(c), "BUILD_BUG_ON(" #c ")")
#define BUILD_BUG_ON_MSG(c, msg) _Static_assert(!(c), msg)
#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int : (-!!(e)); })))
#endif
