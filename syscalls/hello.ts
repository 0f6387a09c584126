// The course's assignment (seed 004), as a student would write it in the kernel: sys_hello
// copies a greeting to user space, sys_hello2 takes pointers to structures in and out.
// Written against the same API a plug-in gets (`k`: uaccess, errno, printk, random), so this
// file is also the example for `sysemu run --syscalls my-syscalls.ts`.
// Numbers 400 and 401 (free on riscv64 and x86_64) are bound in syscalls/tbl/riscv64.ts;
// `--no-hello` removes them, like building with CONFIG_HELLO_SYSCALL=n (then: ENOSYS).

import { kernelStatic } from "../src/kernel/kernel.ts";
import { defineSyscall } from "./types.ts";

const HELLO_STRING = new TextEncoder().encode("Hello from kernel!\0");

/** long sys_hello(char __user *buf, unsigned int len) */
export const sys_hello = defineSyscall({
  name: "hello", args: ["ptr", "uint"],
  fn: (t, a, k) => {
    const buf = a.ptr(0);
    const len = a.uint(1);
    if (HELLO_STRING.length > len) return -k.errno.EINVAL;
    if (k.copy_to_user(t.mm, buf, HELLO_STRING)) return -k.errno.EFAULT;
    return 0;
  },
});

/** struct hello2_in { char *name; unsigned int len; unsigned int val; } on lp64: 16 bytes. */
const SIZEOF_HELLO2_IN = 16;
/** struct hello2_out { unsigned int nr_calls; unsigned int rand_data[4]; }: 20 bytes. */
const SIZEOF_HELLO2_OUT = 20;
/** The longest name sys_hello2 copies, whatever `len` says (the kernel must bound its copies). */
export const HELLO2_NAME_MAX = 256;

/** nr_calls is kernel-wide: one count per emulated kernel, not per process. */
const hello2 = kernelStatic(() => ({ nrCalls: 0 }));

/** long sys_hello2(struct hello2_in __user *in, struct hello2_out __user *out) */
export const sys_hello2 = defineSyscall({
  name: "hello2", args: ["hello2_in", "hello2_out"],
  fn: (t, a, k) => {
    const nrCalls = ++hello2(t.kernel).nrCalls;

    // Copy *in into the kernel ONCE and use only the copy from here on. Reading in->name or
    // in->len again from user memory would be a double fetch: another thread could change
    // them between the check and the use (the race the lecture describes).
    const kin = new Uint8Array(SIZEOF_HELLO2_IN);
    if (k.copy_from_user(t.mm, kin, a.ptr(0), SIZEOF_HELLO2_IN)) return -k.errno.EFAULT;
    const view = new DataView(kin.buffer);
    const namePtr = view.getBigUint64(0, true);
    const len = view.getUint32(8, true);
    const val = view.getUint32(12, true);

    const name = new Uint8Array(Math.min(len, HELLO2_NAME_MAX));
    const n = k.strncpy_from_user(t.mm, name, k.u64_to_user_ptr(namePtr), name.length);
    if (n < 0) return -k.errno.EFAULT;
    const nameText = new TextDecoder().decode(name.subarray(0, n));

    // pr_info("%s: sys_hello2(name : %s, len : %zu, val : %u\n", __func__, ...): __func__ of a
    // SYSCALL_DEFINE2 body is __do_sys_hello2.
    k.pr_info(t, `__do_sys_hello2: sys_hello2(name : ${nameText}, len : ${len}, val : ${val}`);

    const kout = new Uint8Array(SIZEOF_HELLO2_OUT);
    const ov = new DataView(kout.buffer);
    ov.setUint32(0, nrCalls, true);
    kout.set(k.get_random_bytes(t, 16), 4);
    if (k.copy_to_user(t.mm, a.ptr(1), kout)) return -k.errno.EFAULT;
    return 0;
  },
});
