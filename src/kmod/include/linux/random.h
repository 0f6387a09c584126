/* sysemu kmod: the kernel's random source (reproducible under `sysemu run --seed`). */
#ifndef _LINUX_RANDOM_H
#define _LINUX_RANDOM_H
#include <linux/types.h>
void get_random_bytes(void *buf, size_t n);
u32 get_random_u32(void);
u64 get_random_u64(void);
static inline u8 get_random_u8(void) { return (u8)get_random_u32(); }
static inline u16 get_random_u16(void) { return (u16)get_random_u32(); }
static inline unsigned long get_random_long(void) { return get_random_u64(); }
static inline unsigned int get_random_int(void) { return get_random_u32(); }
static inline u32 prandom_u32(void) { return get_random_u32(); }
static inline u32 get_random_u32_below(u32 ceil) { return ceil ? get_random_u32() % ceil : 0; }
static inline u32 prandom_u32_max(u32 ceil) { return get_random_u32_below(ceil); }
#define get_random_bytes_arch get_random_bytes
#define prandom_bytes get_random_bytes
#endif
