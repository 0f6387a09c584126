#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H
#include <linux/compiler_types.h>

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define unreachable() __builtin_unreachable()
#define OPTIMIZER_HIDE_VAR(var) do { __typeof__(var) volatile __v = (var); (var) = __v; } while (0)

#endif
