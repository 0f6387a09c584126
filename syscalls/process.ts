// Process identity, exit and per-process settings (the kernel's kernel/exit.c, kernel/sys.c,
// kernel/fork.c's set_tid_address, kernel/futex, kernel/rseq.c).

import { EFAULT, EINVAL, EPERM, ESRCH, ENOSYS, EAGAIN } from "../src/kernel/errno.ts";
import { TaskExit } from "../src/kernel/syscall.ts";
import type { Task } from "../src/kernel/task.ts";
import { copy_from_user, copy_to_user, get_user_u32 } from "../src/mm/uaccess.ts";
import { decodeRlimit, encodeRlimit, SIZEOF_RLIMIT } from "./abi/riscv64.ts";
import { defineSyscall } from "./types.ts";

/** exit(2): ends the calling thread (the whole process while it has one thread). */
export const sys_exit = defineSyscall({
  name: "exit", args: ["int"], ret: "none",
  fn: (t, a) => {
    t.kernel.exitGroup(t, a.int(0));
    throw new TaskExit();
  },
});

/** exit_group(2) */
export const sys_exit_group = defineSyscall({
  name: "exit_group", args: ["int"], ret: "none",
  fn: (t, a) => {
    t.kernel.exitGroup(t, a.int(0));
    throw new TaskExit();
  },
});

export const sys_getpid = defineSyscall({ name: "getpid", args: [], fn: (t) => t.tgid });
export const sys_gettid = defineSyscall({ name: "gettid", args: [], fn: (t) => t.tid });
export const sys_getppid = defineSyscall({ name: "getppid", args: [], fn: (t) => t.ppid });
export const sys_getuid = defineSyscall({ name: "getuid", args: [], fn: (t) => t.cred.uid });
export const sys_geteuid = defineSyscall({ name: "geteuid", args: [], fn: (t) => t.cred.euid });
export const sys_getgid = defineSyscall({ name: "getgid", args: [], fn: (t) => t.cred.gid });
export const sys_getegid = defineSyscall({ name: "getegid", args: [], fn: (t) => t.cred.egid });

/** set_tid_address(2): remembers where to clear and wake at thread exit; returns the tid. */
export const sys_set_tid_address = defineSyscall({
  name: "set_tid_address", args: ["ptr"],
  fn: (t, a) => {
    t.clearChildTid = a.ptr(0);
    return t.tid;
  },
});

/** set_robust_list(2): recorded (robust futexes matter once threads die holding locks). */
export const sys_set_robust_list = defineSyscall({
  name: "set_robust_list", args: ["ptr", "size"],
  fn: (t, a) => {
    if (a.size(1) !== 24) return -EINVAL; // sizeof(struct robust_list_head)
    t.robustList = a.ptr(0);
    t.robustListLen = 24;
    return 0;
  },
});

const RSEQ_SIG_SIZE = 32;
/** rseq(2): registration is checked and recorded; with one CPU there is nothing to restart. */
export const sys_rseq = defineSyscall({
  name: "rseq", args: ["ptr", "uint", "int", "hex"], support: "partial", note: "cpu_id fields are written once at registration",
  fn: (t, a) => {
    const [p, len, flags] = [a.ptr(0), a.uint(1), a.int(2)];
    if (flags & 1) { // RSEQ_FLAG_UNREGISTER
      if (t.rseq !== p) return -EINVAL;
      t.rseq = 0;
      return 0;
    }
    if (t.rseq) return t.rseq === p ? -16 /* EBUSY */ : -EINVAL;
    if (len < RSEQ_SIG_SIZE || p % 32 !== 0) return -EINVAL;
    // cpu_id_start = cpu_id = 0, then node_id/mm_cid 0: this machine has one CPU
    const init = new Uint8Array(RSEQ_SIG_SIZE);
    if (copy_to_user(t.mm, p, init.subarray(0, 8))) return -EFAULT;
    if (len >= 32 && copy_to_user(t.mm, p + 24, new Uint8Array(8))) return -EFAULT;
    t.rseq = p;
    return 0;
  },
});

const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;
const RLIMIT_STACK = 3, RLIMIT_NOFILE = 7, RLIM_NLIMITS = 16;

/** The default limits of a Linux login (ulimit -a on Debian): stack 8 MiB, 1024 files. */
function defaultRlimit(t: Task, res: number): { cur: bigint; max: bigint } {
  if (res === RLIMIT_STACK) return { cur: 8n << 20n, max: RLIM_INFINITY };
  if (res === RLIMIT_NOFILE) return { cur: BigInt(t.files.limit), max: 4096n };
  if (res === 4 /* CORE */) return { cur: 0n, max: RLIM_INFINITY };
  if (res === 8 /* MEMLOCK */) return { cur: 8n << 20n, max: 8n << 20n };
  if (res === 11 /* SIGPENDING */ || res === 6 /* NPROC */) return { cur: 63459n, max: 63459n };
  if (res === 12 /* MSGQUEUE */) return { cur: 819200n, max: 819200n };
  if (res === 13 || res === 14) return { cur: 0n, max: 0n };
  return { cur: RLIM_INFINITY, max: RLIM_INFINITY };
}

function prlimit(t: Task, res: number, newp: number, oldp: number): number {
  if (res < 0 || res >= RLIM_NLIMITS) return -EINVAL;
  const cur = t.rlimits.get(res) ?? defaultRlimit(t, res);
  if (newp) {
    const raw = new Uint8Array(SIZEOF_RLIMIT);
    if (copy_from_user(t.mm, raw, newp, raw.length)) return -EFAULT;
    const next = decodeRlimit(raw);
    if (next.cur > next.max) return -EINVAL;
    if (next.max > cur.max && t.cred.euid !== 0) return -EPERM;
    if (oldp && copy_to_user(t.mm, oldp, encodeRlimit(cur.cur, cur.max))) return -EFAULT;
    t.rlimits.set(res, next);
    if (res === RLIMIT_NOFILE) t.files.limit = Number(next.cur > 1048576n ? 1048576n : next.cur);
    return 0;
  }
  if (oldp && copy_to_user(t.mm, oldp, encodeRlimit(cur.cur, cur.max))) return -EFAULT;
  return 0;
}

/** prlimit64(2), for the calling process (pid 0 or its own pid). */
export const sys_prlimit64 = defineSyscall({
  name: "prlimit64", args: ["int", "resource", "rlimit", "rlimit_out"],
  fn: (t, a) => {
    const pid = a.int(0);
    if (pid !== 0 && pid !== t.tgid) return -ESRCH;
    return prlimit(t, a.int(1), a.ptr(2), a.ptr(3));
  },
});

/** getrlimit(2) */
export const sys_getrlimit = defineSyscall({ name: "getrlimit", args: ["resource", "rlimit_out"], fn: (t, a) => prlimit(t, a.int(0), 0, a.ptr(1)) });

/** sched_yield(2): one task for now, so there is nobody to yield to. */
export const sys_sched_yield = defineSyscall({ name: "sched_yield", args: [], fn: () => 0 });

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10, FUTEX_CMD_MASK = ~(128 | 256);

/** futex(2): with a single thread a WAIT whose value matches would sleep forever. */
export const sys_futex = defineSyscall({
  name: "futex", args: ["ptr", "int", "uint", "ptr", "ptr", "uint"], support: "partial", note: "single-threaded: WAKE wakes nobody, a matching WAIT is a deadlock",
  fn: (t, a) => {
    const op = a.int(1) & FUTEX_CMD_MASK;
    if (op === FUTEX_WAKE || op === FUTEX_WAKE_BITSET) return 0;
    if (op === FUTEX_WAIT || op === FUTEX_WAIT_BITSET) {
      const v = get_user_u32(t.mm, a.ptr(0));
      if (v === null) return -EFAULT;
      if (v !== a.uint(2)) return -EAGAIN;
      return -ENOSYS;
    }
    return -ENOSYS;
  },
});
