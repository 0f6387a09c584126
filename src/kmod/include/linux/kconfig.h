/* sysemu kmod: IS_ENABLED() and friends, force-included like Kbuild's include/linux/kconfig.h.
 * The emulated kernel's configuration: what the assignment needs is on. */
#ifndef _LINUX_KCONFIG_H
#define _LINUX_KCONFIG_H

#define CONFIG_64BIT 1
#define CONFIG_HELLO_SYSCALL 1
#define CONFIG_HELLO2_SYSCALL 1
#define CONFIG_PRINTK 1
#define CONFIG_MMU 1

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_BUILTIN(option) __is_defined(option)
#define IS_MODULE(option) 0
#define IS_REACHABLE(option) __is_defined(option)
#define IS_ENABLED(option) __is_defined(option)

#endif
