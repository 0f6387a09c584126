/* sysemu kmod: kmalloc and friends, from the module's own heap (libk.c). The heap grows up to
 * the sandbox's memory cap; past it kmalloc returns NULL, as a kernel out of memory does. */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H
#include <linux/types.h>
#include <linux/gfp.h>
#define KMALLOC_MAX_SIZE (1UL << 22)
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *krealloc(const void *p, size_t size, gfp_t flags);
void kfree(const void *p);
void kfree_sensitive(const void *p);
size_t ksize(const void *p);
static inline void *kmalloc_array(size_t n, size_t size, gfp_t flags) { return size && n > (size_t)-1 / size ? NULL : kmalloc(n * size, flags); }
static inline void *kcalloc(size_t n, size_t size, gfp_t flags) { return kmalloc_array(n, size, flags | __GFP_ZERO); }
#define kvmalloc kmalloc
#define kvzalloc kzalloc
#define kvfree kfree
#define vmalloc(n) kmalloc((n), GFP_KERNEL)
#define vzalloc(n) kzalloc((n), GFP_KERNEL)
#define vfree kfree
#define kzfree kfree_sensitive
#endif
