// The few errno values mm/ needs, with Linux's asm-generic numbers.
// Kept local until the project-wide src/kernel/errno.ts exists; then these should re-export it.
export const ENOMEM = 12;
export const EFAULT = 14;
export const EINVAL = 22;
