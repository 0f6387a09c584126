// A plug-in system call, the way a student adds one to sysemu without rebuilding it:
//
//   sysemu run --syscalls samples/plugins/hello3.ts samples/riscv64/hello3 Ada
//
// long sys_hello3(const char __user *name, char __user *buf, size_t len): writes
// "Hello, <name>, from a plug-in!" (with its NUL) into buf; returns the length without the NUL,
// -EINVAL if buf is too small, -EFAULT for a bad pointer. Number 1000, the first of the numbers
// sysemu keeps for plug-ins (1000-1999: Linux's own numbers may be taken by future kernels).
// `k` is the kernel API syscalls/hello.ts uses too: copy_to_user, strncpy_from_user, errno,
// pr_info, get_random_bytes ... The types come from sysemu-plugin.d.ts at the top of sysemu.

import type { PluginSyscall } from "../../sysemu-plugin.d.ts";

const NAME_MAX = 64;

export default [
  {
    nr: 1000,
    name: "hello3",
    args: ["str", "ptr", "size"], // how strace shows the arguments
    fn(t, a, k) {
      const name = new Uint8Array(NAME_MAX);
      const n = k.strncpy_from_user(t.mm, name, a.ptr(0), NAME_MAX);
      if (n < 0) return -k.errno.EFAULT;
      const who = new TextDecoder().decode(name.subarray(0, n));
      const reply = new TextEncoder().encode(`Hello, ${who}, from a plug-in!\0`);
      if (reply.length > a.size(2)) return -k.errno.EINVAL;
      if (k.copy_to_user(t.mm, a.ptr(1), reply)) return -k.errno.EFAULT;
      k.pr_info(t, `hello3: greeted ${who}`);
      return reply.length - 1;
    },
  },
] satisfies PluginSyscall[];
