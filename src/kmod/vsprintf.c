/* sysemu kmod: lib/vsprintf.c's formats, for printk and snprintf. The printk/snprintf macros
 * (linux/printk.h, linux/kernel.h) widen every argument to 64 bits, so each conversion reads
 * one long long and narrows it as its length modifier says. Pointers that do not lie in the
 * module's memory (a user pointer, garbage) print "(efault)" as Linux prints an unreadable
 * %s, instead of trapping. */
#include <stdarg.h>

#define UTAG_SHIFT 56

struct out {
	char *buf;
	size_t size; /* room including the NUL */
	size_t len;  /* what would have been written */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static unsigned long mem_end(void)
{
	return __builtin_wasm_memory_size(0) * 65536UL;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int left, zero, plus, space, alt, width, prec;
};

static void put_str(struct out *o, const char *s, struct spec *sp)
{
	unsigned long end = mem_end();
	int n = 0;
	if (!s)
		s = "(null)";
	else if ((unsigned long)s >= end)
		s = "(efault)";
	while ((sp->prec < 0 || n < sp->prec) && (unsigned long)(s + n) < end && s[n])
		n++;
	if (!sp->left)
		pad(o, sp->width - n, ' ');
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - n, ' ');
}

static void put_num(struct out *o, unsigned long long v, int neg, unsigned base, int upper, struct spec *sp)
{
	char tmp[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0, sign = neg || sp->plus || sp->space, prefix = 0, zeros, total;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->alt && base == 16)
		prefix = 2;
	if (sp->alt && base == 8 && tmp[n - 1] != '0')
		prefix = 1;
	zeros = sp->prec > n ? sp->prec - n : 0;
	total = sign + prefix + zeros + n;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		pad(o, sp->width - total, ' ');
	if (sign)
		put(o, neg ? '-' : sp->plus ? '+' : ' ');
	if (prefix) {
		put(o, '0');
		if (prefix == 2)
			put(o, upper ? 'X' : 'x');
	}
	pad(o, zeros, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, sp->width - total, ' ');
}

/* %p hashes the address (keyed per boot) as Linux does; %px prints it; user tags are removed. */
static void put_ptr(struct out *o, const char **fmtp, unsigned long long v, struct spec *sp)
{
	const char *f = *fmtp;
	struct spec hex = { .zero = 1, .width = 16, .prec = -1, .left = sp->left };
	if ((v >> UTAG_SHIFT) == 0xa5)
		v &= ~(0xffULL << UTAG_SHIFT);
	if (*f == 'x' || *f == 'K' || *f == 'S' || *f == 's' || *f == 'F' || *f == 'f' || *f == 'B') {
		*fmtp = f + 1;
		if (sp->width)
			hex.width = sp->width;
		put_num(o, v, 0, 16, 0, &hex);
		return;
	}
	if (!v) {
		put_str(o, "(null)", sp);
		return;
	}
	v = (v ^ ptr_key) * 0x9e3779b97f4a7c15ULL;
	put_num(o, (v >> 32) & 0xffffffffULL, 0, 16, 0, &hex);
}

static int km_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	for (; *fmt; fmt++) {
		struct spec sp = { 0, 0, 0, 0, 0, 0, -1 };
		int lng = 0; /* -2 hh, -1 h, 0 int, 1 long/size_t/ptrdiff/long long */
		long long v;
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-') sp.left = 1;
			else if (*fmt == '0') sp.zero = 1;
			else if (*fmt == '+') sp.plus = 1;
			else if (*fmt == ' ') sp.space = 1;
			else if (*fmt == '#') sp.alt = 1;
			else break;
		}
		if (*fmt == '*') {
			sp.width = (int)va_arg(ap, long long);
			if (sp.width < 0) { sp.left = 1; sp.width = -sp.width; }
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = (int)va_arg(ap, long long);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h') lng = lng == -1 ? -2 : -1;
			else if (*fmt == 'l' || *fmt == 'z' || *fmt == 'Z' || *fmt == 't' || *fmt == 'j' || *fmt == 'L' || *fmt == 'q') lng = 1;
			else break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			v = va_arg(ap, long long);
			v = lng == 1 ? v : lng == -1 ? (short)v : lng == -2 ? (signed char)v : (int)v;
			put_num(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0, 10, 0, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			unsigned long long u = (unsigned long long)va_arg(ap, long long);
			u = lng == 1 ? u : lng == -1 ? (unsigned short)u : lng == -2 ? (unsigned char)u : (unsigned int)u;
			put_num(&o, u, 0, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X', &sp);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, long long);
			if (!sp.left) pad(&o, sp.width - 1, ' ');
			put(&o, c);
			if (sp.left) pad(&o, sp.width - 1, ' ');
			break;
		}
		case 's':
			put_str(&o, (const char *)(unsigned long)va_arg(ap, long long), &sp);
			break;
		case 'p':
			fmt++;
			put_ptr(&o, &fmt, (unsigned long long)va_arg(ap, long long), &sp);
			fmt--;
			break;
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int __kmod_snprintf_w(char *buf, size_t size, int clip, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = km_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (clip)
		return size == 0 ? 0 : (size_t)n >= size ? (int)size - 1 : n;
	return n;
}

/* One record of up to 1024 bytes, as printk's LOG_LINE_MAX; the kernel splits lines. */
int __kmod_printk(const char *fmt, ...)
{
	static char line[1024];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = km_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	__kmod_log(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	return n;
}
