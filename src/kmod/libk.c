/* sysemu kmod: the small C library linked into every student kernel module (compiled to
 * wasm64 with the student's files): lib/string.c, vsnprintf, kmalloc, and the glue the
 * emulated kernel calls. Everything that reaches outside the module is one of the imports in
 * src/kmod/imports.ts; nothing here can touch the host. */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/bug.h>

/* imports: printing, and the end of a call that cannot go on (BUG) */
void __kmod_log(const char *text, size_t len);

/* ---- the stack protector: the emulated kernel sets the guard at boot (random per boot) ---- */
unsigned long __stack_chk_guard;

static struct task_struct current_task;
static unsigned long heap_base, heap_brk;
static unsigned long ptr_key;

__attribute__((export_name("__kmod_init"))) void __kmod_init(unsigned long guard, unsigned long key)
{
	extern unsigned char __heap_base;
	__stack_chk_guard = guard;
	ptr_key = key;
	heap_base = heap_brk = ((unsigned long)&__heap_base + 15) & ~15UL;
}

/* Where the kernel writes pid, tgid, uid, gid and comm before a call. */
__attribute__((export_name("__kmod_task"))) struct task_struct *__kmod_current(void)
{
	return &current_task;
}

/* ---- string.c ---- */

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *p, int c, size_t n)
{
	unsigned char *d = p;
	while (n--)
		*d++ = (unsigned char)c;
	return p;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *p, int c, size_t n)
{
	const unsigned char *s = p;
	for (; n; n--, s++)
		if (*s == (unsigned char)c)
			return (void *)s;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (!*a)
			return 0;
	return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		if (!*a)
			break;
	}
	return 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		int x = lower((unsigned char)*a), y = lower((unsigned char)*b);
		if (x != y)
			return x - y;
		if (!x)
			break;
	}
	return 0;
}

int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, (size_t)-1);
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;
	while ((*d++ = *src++))
		;
	return dst;
}

char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;
	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len >= size ? size - 1 : len;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;
	if (size == 0)
		return -E2BIG;
	for (i = 0; i < size; i++) {
		dst[i] = src[i];
		if (!src[i])
			return i;
	}
	dst[size - 1] = 0;
	return -E2BIG;
}

ssize_t strscpy_pad(char *dst, const char *src, size_t size)
{
	ssize_t n = strscpy(dst, src, size);
	size_t used = n < 0 ? size : (size_t)n + 1;
	if (used < size)
		memset(dst + used, 0, size - used);
	return n;
}

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *dst, const char *src, size_t n)
{
	char *d = dst + strlen(dst);
	while (n-- && *src)
		*d++ = *src++;
	*d = 0;
	return dst;
}

size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t dl = strnlen(dst, size);
	if (dl == size)
		return size + strlen(src);
	return dl + strlcpy(dst + dl, src, size - dl);
}

char *strchr(const char *s, int c)
{
	for (; *s != (char)c; s++)
		if (!*s)
			return NULL;
	return (char *)s;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

char *strnchr(const char *s, size_t n, int c)
{
	for (; n-- && *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return NULL;
}

char *strstr(const char *h, const char *n)
{
	size_t ln = strlen(n);
	if (!ln)
		return (char *)h;
	for (; *h; h++)
		if (!memcmp(h, n, ln))
			return (char *)h;
	return NULL;
}

char *strim(char *s)
{
	size_t n;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = 0;
	return s;
}

char *strreplace(char *s, char old, char new_)
{
	for (; *s; s++)
		if (*s == old)
			*s = new_;
	return s;
}

/* ---- kmalloc: power-of-two size classes (16 B .. 4 MiB), a free list per class ---- */

#define KM_MAGIC_USED 0x6b6d616cu /* "kmal" */
#define KM_MAGIC_FREE 0x66726565u /* "free" */
#define KM_CLASSES 19             /* 16 << 18 = 4 MiB */

struct km_header {
	unsigned int magic;
	unsigned int cls;
	size_t size; /* what was asked for (ksize gives the class size) */
	struct km_header *next_free;
	unsigned long pad;
};

static struct km_header *free_lists[KM_CLASSES];

static void *heap_grow(size_t bytes)
{
	unsigned long want = heap_brk + bytes;
	unsigned long have = __builtin_wasm_memory_size(0) * 65536UL;
	void *p;
	if (want < heap_brk)
		return NULL;
	if (want > have) {
		unsigned long pages = (want - have + 65535) / 65536;
		if (__builtin_wasm_memory_grow(0, pages) == (unsigned long)-1)
			return NULL; /* past the sandbox's memory cap */
	}
	p = (void *)heap_brk;
	heap_brk = want;
	return p;
}

void *kmalloc(size_t size, gfp_t flags)
{
	unsigned int cls = 0;
	struct km_header *h;
	if (size == 0)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_SIZE)
		return NULL;
	while ((16UL << cls) < size)
		cls++;
	h = free_lists[cls];
	if (h) {
		free_lists[cls] = h->next_free;
	} else {
		h = heap_grow(sizeof(*h) + (16UL << cls));
		if (!h)
			return NULL;
	}
	h->magic = KM_MAGIC_USED;
	h->cls = cls;
	h->size = size;
	h->next_free = NULL;
	if (flags & __GFP_ZERO)
		memset(h + 1, 0, 16UL << cls);
	return h + 1;
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static struct km_header *km_header_of(const void *p, const char *what)
{
	struct km_header *h = (struct km_header *)p - 1;
	unsigned long a = (unsigned long)p;
	if (a < heap_base + sizeof(*h) || a >= heap_brk || (a & 15)) {
		printk(KERN_ERR "BUG: %s of a pointer kmalloc did not return (%px)\n", what, p);
		BUG();
	}
	if (h->magic == KM_MAGIC_FREE) {
		printk(KERN_ERR "BUG: %s of memory already freed (%px): double free\n", what, p);
		BUG();
	}
	if (h->magic != KM_MAGIC_USED || h->cls >= KM_CLASSES) {
		printk(KERN_ERR "BUG: %s: slab header of %px is corrupted (a write before the object?)\n", what, p);
		BUG();
	}
	return h;
}

void kfree(const void *p)
{
	struct km_header *h;
	if (ZERO_OR_NULL_PTR(p))
		return;
	h = km_header_of(p, "kfree");
	h->magic = KM_MAGIC_FREE;
	h->next_free = free_lists[h->cls];
	free_lists[h->cls] = h;
}

void kfree_sensitive(const void *p)
{
	if (!ZERO_OR_NULL_PTR(p))
		memset((void *)p, 0, ksize(p));
	kfree(p);
}

size_t ksize(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return 0;
	return 16UL << km_header_of(p, "ksize")->cls;
}

void *krealloc(const void *p, size_t size, gfp_t flags)
{
	void *n;
	size_t old;
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(size, flags);
	if (size == 0) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	old = ksize(p);
	if (size <= old)
		return (void *)p;
	n = kmalloc(size, flags);
	if (n) {
		memcpy(n, p, old);
		kfree(p);
	}
	return n;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t n;
	char *d;
	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = kmalloc(n, gfp);
	if (d)
		memcpy(d, s, n);
	return d;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t n;
	char *d;
	if (!s)
		return NULL;
	n = strnlen(s, max);
	d = kmalloc(n + 1, gfp);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *d = kmalloc(len, gfp);
	if (d)
		memcpy(d, src, len);
	return d;
}

void *memdup_user(const void __user *src, size_t len)
{
	void *d = kmalloc(len, GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(d, src, len)) {
		kfree(d);
		return ERR_PTR(-EFAULT);
	}
	return d;
}

char *strndup_user(const char __user *s, long n)
{
	long len = strnlen_user(s, n);
	char *d;
	if (!len)
		return ERR_PTR(-EFAULT);
	if (len > n)
		return ERR_PTR(-EINVAL);
	d = memdup_user(s, len);
	if (!IS_ERR(d))
		d[len - 1] = 0;
	return d;
}

/* ---- random ---- */

u32 get_random_u32(void)
{
	u32 v;
	get_random_bytes(&v, sizeof(v));
	return v;
}

u64 get_random_u64(void)
{
	u64 v;
	get_random_bytes(&v, sizeof(v));
	return v;
}

/* ---- kstrto* ---- */

static int parse_ull(const char *s, unsigned int base, unsigned long long *res, int *neg)
{
	unsigned long long v = 0;
	int any = 0;
	*neg = 0;
	if (*s == '+')
		s++;
	else if (*s == '-') {
		*neg = 1;
		s++;
	}
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; *s && *s != '\n'; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' : lower(*s) >= 'a' && lower(*s) <= 'z' ? lower(*s) - 'a' + 10 : 99;
		if (d >= (int)base)
			return -EINVAL;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
		any = 1;
	}
	if (!any || (*s == '\n' && s[1]))
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	int neg, e = parse_ull(s, base, res, &neg);
	return e ? e : neg ? -EINVAL : 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int neg, e = parse_ull(s, base, &v, &neg);
	if (e)
		return e;
	if (v > (unsigned long long)LLONG_MAX + neg)
		return -ERANGE;
	*res = neg ? -(long long)v : (long long)v;
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	return kstrtoull(s, base, (unsigned long long *)res);
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	return kstrtoll(s, base, (long long *)res);
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int e = kstrtoull(s, base, &v);
	if (e)
		return e;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long v;
	int e = kstrtoll(s, base, &v);
	if (e)
		return e;
	if (v > INT_MAX || v < INT_MIN)
		return -ERANGE;
	*res = v;
	return 0;
}

#include "vsprintf.c"
