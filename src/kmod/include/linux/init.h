#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H
#include <linux/compiler.h>
#define __KM_INITCALL(fn, lvl) \
	__attribute__((export_name("__kmod_initcall_" #lvl "_" #fn))) int __kmod_initcall_##fn(void) { return fn(); }
#define early_initcall(fn) __KM_INITCALL(fn, 0)
#define core_initcall(fn) __KM_INITCALL(fn, 1)
#define postcore_initcall(fn) __KM_INITCALL(fn, 2)
#define arch_initcall(fn) __KM_INITCALL(fn, 3)
#define subsys_initcall(fn) __KM_INITCALL(fn, 4)
#define fs_initcall(fn) __KM_INITCALL(fn, 5)
#define device_initcall(fn) __KM_INITCALL(fn, 6)
#define late_initcall(fn) __KM_INITCALL(fn, 7)
#define module_init(fn) __KM_INITCALL(fn, 6)
#define __initcall(fn) device_initcall(fn)
#define module_exit(fn)
#endif
