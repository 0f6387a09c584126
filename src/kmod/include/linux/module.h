/* sysemu kmod: module metadata is accepted and ignored; module_init() functions run once, when
 * the emulated kernel first loads the code (before its first system call). */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/export.h>
#define MODULE_LICENSE(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_VERSION(x)
#define MODULE_ALIAS(x)
#define MODULE_INFO(tag, info)
#define THIS_MODULE ((void *)0)
#define module_param(name, type, perm)
#define MODULE_PARM_DESC(name, desc)
#endif
