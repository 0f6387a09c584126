/*
 * linux_syscall.h - a raw Linux system call for WebAssembly guests.
 *
 * sysemu runs WASI programs on the same kernel as its riscv64 guests and
 * offers, besides WASI, one extra import:
 *
 *     (import "linux" "syscall" (func (param i64 i64 i64 i64 i64 i64 i64) (result i64)))
 *
 * It takes the system call number and six arguments and returns what the
 * kernel returns: the result, or -errno (-4095..-1) on failure; no errno
 * is set.  Pointers are offsets into the module's linear memory (wasm32:
 * zero-extend them to 64 bits); the kernel reaches that memory only
 * through its uaccess helpers, so a pointer past the end of the memory
 * gives -EFAULT like an unmapped address.  Numbers are the riscv64 ones
 * (the generic Linux table, asm-generic/unistd.h).
 *
 * A plain WASI runtime (node:wasi, wasmtime) has no "linux" module, so a
 * program using this import only runs under sysemu.
 */
#ifndef LINUX_SYSCALL_H
#define LINUX_SYSCALL_H

__attribute__((import_module("linux"), import_name("syscall")))
long long linux_syscall(long long nr, long long a0, long long a1, long long a2, long long a3,
                        long long a4, long long a5);

/* A guest pointer as a system call argument (wasm32 pointers are 32-bit). */
#define LINUX_PTR(p) ((long long)(unsigned long)(p))

#endif
