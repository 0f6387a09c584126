// Processes and threads: identity, exit, clone/clone3, execve/execveat, wait4/waitid (the
// kernel's kernel/exit.c, kernel/fork.c, fs/exec.c) and the per-thread registrations glibc
// makes at start-up (set_tid_address, set_robust_list, rseq).

import { argsOf, u64_to_user_ptr } from "./args.ts";
import { E2BIG, EFAULT, EINTR, EINVAL, ESRCH } from "../src/kernel/errno.ts";
import { doExecve } from "../src/kernel/proc/exec.ts";
import { exitGroup, exitThread } from "../src/kernel/proc/exit.ts";
import { doClone, CLONE_THREAD } from "../src/kernel/proc/fork.ts";
import { encodeSiginfo, SIZEOF_SIGINFO } from "../src/kernel/signal/siginfo.ts";
import { NSIG } from "../src/kernel/signal/signal.ts";
import { EXITED } from "../src/kernel/sysret.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { doWait, P_ALL, P_PGID, P_PID, WEXITED, WNOHANG, __WALL, __WCLONE, __WNOTHREAD, WCONTINUED, WNOWAIT, WSTOPPED, WUNTRACED, type WaitResult } from "../src/kernel/proc/wait.ts";
import { clear_user, copy_from_user, copy_to_user, get_user_u64, put_user_u32, strncpy_from_user } from "../src/mm/uaccess.ts";
import { MAX_ARG_STRLEN } from "../src/kernel/proc/binfmt.ts";
import { encodeRusage } from "./rlimit.ts";
import { defineSyscall } from "./types.ts";

/** exit(2): ends the calling thread; the last one ends the process. */
export const sys_exit = defineSyscall({
  name: "exit", args: ["int"], ret: "none",
  fn: (t, a) => {
    exitThread(t, (a.int(0) & 0xff) << 8);
    return EXITED;
  },
});

/** exit_group(2): ends every thread of the process. */
export const sys_exit_group = defineSyscall({
  name: "exit_group", args: ["int"], ret: "none",
  fn: (t, a) => {
    exitGroup(t, (a.int(0) & 0xff) << 8);
    return EXITED;
  },
});

export const sys_getpid = defineSyscall({ name: "getpid", args: [], fn: (t) => t.tgid });
export const sys_gettid = defineSyscall({ name: "gettid", args: [], fn: (t) => t.tid });
export const sys_getppid = defineSyscall({ name: "getppid", args: [], fn: (t) => t.ppid });

/** set_tid_address(2): where to clear and wake at thread exit; returns the tid. */
export const sys_set_tid_address = defineSyscall({
  name: "set_tid_address", args: ["ptr"],
  fn: (t, a) => {
    t.clearChildTid = a.ptr(0);
    return t.tid;
  },
});

/** set_robust_list(2): the list exit walks to release robust futexes a dying thread holds. */
export const sys_set_robust_list = defineSyscall({
  name: "set_robust_list", args: ["ptr", "size"],
  fn: (t, a) => {
    if (a.size(1) !== 24) return -EINVAL; // sizeof(struct robust_list_head)
    t.robustList = a.ptr(0);
    t.robustListLen = 24;
    return 0;
  },
});

/** get_robust_list(2) */
export const sys_get_robust_list = defineSyscall({
  name: "get_robust_list", args: ["int", "ptr", "ptr"],
  fn: (t, a) => {
    const who = a.int(0) === 0 ? t : t.kernel.tasks.get(a.int(0));
    if (!who || who.state === "dead") return -ESRCH;
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(who.robustList), true);
    if (copy_to_user(t.mm, a.ptr(1), b)) return -EFAULT;
    new DataView(b.buffer).setBigUint64(0, 24n, true);
    return copy_to_user(t.mm, a.ptr(2), b) ? -EFAULT : 0;
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

/** clone(2): flags, newsp, parent_tidptr, then tls and child_tidptr in the order of t.abi. */
export const sys_clone = defineSyscall({
  name: "clone", args: ["clone_args", "clone_hidden", "clone_hidden", "clone_hidden", "clone_hidden"],
  fn: (t, a) => {
    const flags = BigInt(a.uint(0));
    const exitSignal = Number(flags & 0xffn);
    if (exitSignal > NSIG) return -EINVAL;
    return doClone(t, {
      flags: flags & ~0xffn, exitSignal: Number(flags & BigInt(CLONE_THREAD)) ? 0 : exitSignal,
      stack: a.ulong(1), tls: a.ulong(t.abi.cloneTlsArg), parentTid: a.ptr(2), childTid: a.ptr(t.abi.cloneChildTidArg),
    });
  },
});

/** fork(2), which x86-64 keeps: clone(SIGCHLD, 0). */
export const sys_fork = defineSyscall({
  name: "fork", args: [],
  fn: (t, _a, k) => sys_clone.fn(t, argsOf(SIGCHLD), k),
});

/** vfork(2), which x86-64 keeps: clone(CLONE_VFORK | CLONE_VM | SIGCHLD, 0). */
export const sys_vfork = defineSyscall({
  name: "vfork", args: [],
  fn: (t, _a, k) => sys_clone.fn(t, argsOf(CLONE_VFORK | CLONE_VM | SIGCHLD), k),
});

const SIGCHLD = 17, CLONE_VM = 0x100, CLONE_VFORK = 0x4000;

const CLONE_ARGS_SIZE_VER0 = 64;

/** clone3(2): struct clone_args (flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, ...). */
export const sys_clone3 = defineSyscall({
  name: "clone3", args: ["clone3_args", "size"],
  fn: (t, a) => {
    const size = a.size(1);
    if (size < CLONE_ARGS_SIZE_VER0 || size > 4096) return -EINVAL;
    const raw = new Uint8Array(size);
    if (copy_from_user(t.mm, raw, a.ptr(0), size)) return -EFAULT;
    const v = new DataView(raw.buffer);
    const u = (off: number) => (off + 8 <= size ? v.getBigUint64(off, true) : 0n);
    // A newer struct's tail must be zero (copy_struct_from_user); set_tid and cgroup are not ours.
    if (raw.subarray(88).some((b) => b !== 0) || u(64) !== 0n || u(72) !== 0n) return -EINVAL;
    const flags = u(0), exitSignal = u(32), stack = u(40), stackSize = u(48);
    if (exitSignal > BigInt(NSIG) || (flags & 0xffn) !== 0n) return -EINVAL;
    if ((stack === 0n) !== (stackSize === 0n)) return -EINVAL;
    if (flags & BigInt(CLONE_THREAD) && exitSignal !== 0n) return -EINVAL;
    return doClone(t, {
      flags, exitSignal: Number(exitSignal), stack: stack === 0n ? 0n : stack + stackSize,
      tls: u(56), parentTid: u64_to_user_ptr(u(24)), childTid: u64_to_user_ptr(u(16)),
    });
  },
});

/** Reads a NULL-terminated array of strings (argv, envp) from user memory; E2BIG past the limits. */
function readStrings(t: Task, p: number): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (p === 0) return out;
  let total = 0;
  const buf = new Uint8Array(MAX_ARG_STRLEN); // one staging buffer: each string is copied out of it
  for (let i = 0; ; i++) {
    const s = get_user_u64(t.mm, p + i * 8);
    if (s === null) return -EFAULT;
    if (s === 0n) return out;
    const n = strncpy_from_user(t.mm, buf, u64_to_user_ptr(s), MAX_ARG_STRLEN);
    if (n < 0) return -EFAULT;
    if (n >= MAX_ARG_STRLEN) return -E2BIG;
    total += n + 1 + 8;
    if (total > ARG_MAX) return -E2BIG;
    out.push(buf.slice(0, n));
  }
}

/** _STK_LIM / 4: how many bytes argv and envp may take together. */
const ARG_MAX = 2 * 1024 * 1024;

function execve(t: Task, dirfd: number, pathp: number, argvp: number, envpp: number, flags: number): number {
  const buf = new Uint8Array(4096);
  const n = strncpy_from_user(t.mm, buf, pathp, buf.length);
  if (n < 0) return -EFAULT;
  if (n >= buf.length) return -36; // ENAMETOOLONG
  const argv = readStrings(t, argvp);
  if (typeof argv === "number") return argv;
  const envp = readStrings(t, envpp);
  if (typeof envp === "number") return envp;
  if (flags & ~(0x1000 | 0x100)) return -EINVAL;
  return doExecve(t, { dirfd, path: new TextDecoder().decode(buf.subarray(0, n)), flags, argv, envp });
}

/** execve(2) */
export const sys_execve = defineSyscall({
  name: "execve", args: ["path", "argv", "envp"],
  fn: (t, a) => execve(t, -100, a.ptr(0), a.ptr(1), a.ptr(2), 0),
});

/** execveat(2): AT_EMPTY_PATH runs the file open at dirfd. */
export const sys_execveat = defineSyscall({
  name: "execveat", args: ["dirfd", "path", "argv", "envp", "atflags"],
  fn: (t, a) => execve(t, a.fd(0), a.ptr(1), a.ptr(2), a.ptr(3), a.int(4)),
});

/** Writes a child's rusage (its CPU time) where wait4/waitid asked. */
function putRusage(t: Task, p: number, r: WaitResult | null): number {
  if (p === 0) return 0;
  return copy_to_user(t.mm, p, encodeRusage(r ? BigInt(r.insns) : 0n, r?.mem)) ? -EFAULT : 0;
}

const WAIT4_OPTIONS = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL;

/** wait4(2): pid > 0 that child, -1 any, 0 our group, < -1 group -pid. */
export const sys_wait4 = defineSyscall({
  name: "wait4", args: ["int", "wait_status_out", "wait4_options", "rusage_out"],
  fn: (t, a) => {
    const [pid, options] = [a.int(0), a.int(2)];
    if (options & ~WAIT4_OPTIONS) return -EINVAL;
    if (pid === -0x80000000) return -ESRCH;
    const which = pid > 0 ? "pid" : pid === -1 ? "all" : "pgid";
    const id = pid > 0 ? pid : pid === 0 ? t.pgid : -pid;
    const r = doWait(t, { which, id, options: options | WEXITED });
    if (typeof r === "number") return r;
    if (a.ptr(1) && put_user_u32(t.mm, a.ptr(1), r.status)) return -EFAULT;
    if (putRusage(t, a.ptr(3), r)) return -EFAULT;
    return r.pid;
  },
});

const WAITID_OPTIONS = WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WCLONE | __WALL;

/** waitid(2): P_ALL, P_PID, P_PGID (0: our group); fills a SIGCHLD siginfo. */
export const sys_waitid = defineSyscall({
  name: "waitid", args: ["idtype", "int", "siginfo_out", "waitid_options", "rusage_out"],
  fn: (t, a) => {
    const [type, id, infop, options] = [a.int(0), a.int(1), a.ptr(2), a.int(3)];
    if (options & ~WAITID_OPTIONS) return -EINVAL;
    let spec: { which: "all" | "pid" | "pgid"; id: number };
    if (type === P_ALL) spec = { which: "all", id: 0 };
    else if (type === P_PID && id > 0) spec = { which: "pid", id };
    else if (type === P_PGID && id >= 0) spec = { which: "pgid", id: id === 0 ? t.pgid : id };
    else return -EINVAL;
    const r = doWait(t, { ...spec, options });
    if (typeof r === "number" && r !== 0) return r;
    const info = typeof r === "number" ? new Uint8Array(SIZEOF_SIGINFO) : encodeSiginfo(r.info);
    if (infop && (typeof r === "number" ? clear_user(t.mm, infop, SIZEOF_SIGINFO) : copy_to_user(t.mm, infop, info))) return -EFAULT;
    if (putRusage(t, a.ptr(4), typeof r === "number" ? null : r)) return -EFAULT;
    return 0;
  },
});

/** restart_syscall(2): continues a call a signal interrupted (nanosleep, a futex wait with a timeout). */
export const sys_restart_syscall = defineSyscall({
  name: "restart_syscall", args: [],
  fn: (t) => {
    const fn = t.restartBlock;
    t.restartBlock = null;
    return fn ? fn() : -EINTR; // as do_no_restart_syscall
  },
});

