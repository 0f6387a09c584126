/*
 * args_env.c (wasm) - argc, argv and the environment of a WASI program.
 *
 * Shows: WASI has no initial stack: wasi-libc asks the runtime with
 * args_sizes_get/args_get and environ_sizes_get/environ_get.  The program
 * is the riscv64 one, compiled for wasm32-wasi: the same code must give
 * the same output (argv[0] as its basename: a WASI runtime passes
 * whatever name it likes).
 *
 * Expected output for `args_env.wasm one two` with only SYSEMU_SAMPLE=42
 * set among the listed variables:
 *     argc = 3
 *     argv[0] = args_env.wasm (basename)
 *     argv[1] = "one"
 *     argv[2] = "two"
 *     argv[3] = NULL
 *     env HOME = (unset)
 *     ...
 *     env SYSEMU_SAMPLE = "42"
 * Exit status: 0
 */
#include "../basic/args_env.c"
