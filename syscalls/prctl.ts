// prctl(2) (the kernel's kernel/sys.c): the per-process and per-thread switches glibc and
// service managers use: the thread name, the parent-death signal, child subreapers,
// keep-capabilities, no_new_privs, dumpability; and personality(2).

import { EFAULT, EINVAL, ENODEV, EPERM } from "../src/kernel/errno.ts";
import { NSIG } from "../src/kernel/signal/signal.ts";
import { copy_to_user, put_user_u32, put_user_u64, strncpy_from_user } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;
const PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8, PR_SET_NAME = 15, PR_GET_NAME = 16;
const PR_GET_SECCOMP = 21, PR_CAPBSET_READ = 23, PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37;
const PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39, PR_SET_PTRACER = 0x59616d61;
const TASK_COMM_LEN = 16;
const CAP_LAST_CAP = 40;

/** prctl(2) */
export const sys_prctl = defineSyscall({
  name: "prctl", args: ["prctl_option", "ulong", "ulong", "ulong", "ulong"],
  fn: (t, a) => {
    const arg2 = a.ulong(1);
    switch (a.int(0)) {
      case PR_SET_PDEATHSIG:
        if (arg2 > BigInt(NSIG)) return -EINVAL;
        t.pdeathSig = Number(arg2);
        return 0;
      case PR_GET_PDEATHSIG:
        return put_user_u32(t.mm, a.ptr(1), t.pdeathSig) ? -EFAULT : 0;
      case PR_GET_DUMPABLE:
        return t.group.dumpable ? 1 : 0;
      case PR_SET_DUMPABLE:
        if (arg2 > 1n) return -EINVAL;
        t.group.dumpable = arg2 === 1n;
        return 0;
      case PR_GET_KEEPCAPS:
        return t.cred.keepCaps ? 1 : 0;
      case PR_SET_KEEPCAPS:
        if (arg2 > 1n) return -EINVAL;
        t.cred = { ...t.cred, keepCaps: arg2 === 1n };
        return 0;
      case PR_SET_NAME: {
        const b = new Uint8Array(TASK_COMM_LEN);
        const n = strncpy_from_user(t.mm, b, a.ptr(1), TASK_COMM_LEN - 1);
        if (n < 0) return -EFAULT;
        t.comm = new TextDecoder().decode(b.subarray(0, n));
        return 0;
      }
      case PR_GET_NAME: {
        const b = new Uint8Array(TASK_COMM_LEN);
        b.set(new TextEncoder().encode(t.comm).subarray(0, TASK_COMM_LEN - 1));
        return copy_to_user(t.mm, a.ptr(1), b) ? -EFAULT : 0;
      }
      case PR_GET_SECCOMP:
        return 0;
      case PR_CAPBSET_READ:
        return arg2 <= BigInt(CAP_LAST_CAP) ? 1 : -EINVAL;
      case PR_SET_CHILD_SUBREAPER:
        t.group.subreaper = arg2 !== 0n;
        return 0;
      case PR_GET_CHILD_SUBREAPER:
        return put_user_u32(t.mm, a.ptr(1), t.group.subreaper ? 1 : 0) ? -EFAULT : 0;
      case PR_SET_NO_NEW_PRIVS:
        if (arg2 !== 1n || a.ulong(2) || a.ulong(3) || a.ulong(4)) return -EINVAL;
        t.noNewPrivs = true;
        return 0;
      case PR_GET_NO_NEW_PRIVS:
        return t.noNewPrivs ? 1 : 0;
      case PR_SET_PTRACER:
        return 0;
      default:
        return -EINVAL;
    }
  },
});

/** personality(2): PER_LINUX, the only one; 0xffffffff only asks. */
export const sys_personality = defineSyscall({
  name: "personality", args: ["hex"],
  fn: (t, a) => {
    const old = t.group.personality;
    if (a.uint(0) !== 0xffffffff) t.group.personality = a.uint(0);
    return old;
  },
});

const ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
const ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012;
/** TASK_SIZE_MAX on x86-64 (4-level paging): a base at or above it is EPERM. */
const TASK_SIZE_MAX = (1n << 47n) - 4096n;

/**
 * arch_prctl(2) (arch/x86/kernel/process_64.c, do_arch_prctl_64): the FS and GS bases glibc's
 * TLS uses, through the registers' segmentBase hook; CPUID faulting is not offered (the
 * instruction always works: GET_CPUID says 1, SET_CPUID is ENODEV as without the feature).
 * A register file without segment bases answers EINVAL.
 */
export const sys_arch_prctl = defineSyscall({
  name: "arch_prctl", args: ["arch_prctl_code", "hex"],
  fn: (t, a) => {
    const regs = t.regs;
    const code = a.int(0), addr = a.ulong(1);
    if (!regs.segmentBase) return -EINVAL;
    switch (code) {
      case ARCH_SET_FS:
      case ARCH_SET_GS:
        if (addr >= TASK_SIZE_MAX) return -EPERM;
        regs.segmentBase(code === ARCH_SET_FS ? "fs" : "gs", addr);
        return 0;
      case ARCH_GET_FS:
      case ARCH_GET_GS:
        return put_user_u64(t.mm, a.ptr(1), regs.segmentBase(code === ARCH_GET_FS ? "fs" : "gs")) ? -EFAULT : 0;
      case ARCH_GET_CPUID:
        return 1;
      case ARCH_SET_CPUID:
        return -ENODEV;
      default:
        return -EINVAL;
    }
  },
});
