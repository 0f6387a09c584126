#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H
#include <linux/types.h>
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_NOFAIL 0x8000u
#define GFP_KERNEL 0xcc0u
#define GFP_ATOMIC 0xa20u
#define GFP_NOWAIT 0x800u
#define GFP_USER 0x100cc0u
#define GFP_NOIO 0xc00u
#define GFP_NOFS 0xc40u
#define GFP_KERNEL_ACCOUNT GFP_KERNEL
#endif
