// Resource limits and usage (the kernel's kernel/sys.c): getrlimit, setrlimit, prlimit64,
// getrusage and times. Limits belong to the process; the ones sysemu enforces are RLIMIT_NPROC
// (fork), RLIMIT_NOFILE (the descriptor table), RLIMIT_STACK (stack growth and exec),
// RLIMIT_CPU (SIGXCPU, then SIGKILL), RLIMIT_FSIZE (writes: syscalls/read_write.ts) and
// RLIMIT_AS and RLIMIT_DATA (mmap, brk, mremap, mprotect: syscalls/vm-rlimit.ts).

import { EFAULT, EINVAL, EPERM, ESRCH } from "../src/kernel/errno.ts";
import { insnsToTicks } from "../src/kernel/proc/exit.ts";
import { processCpuNs } from "../src/kernel/time/itimer.ts";
import { CAP_SYS_RESOURCE, capable, type Rlimit, type Task } from "../src/kernel/proc/task.ts";
import { PAGE_SIZE } from "../src/mm/mm.ts";
import { copy_from_user, copy_to_user } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

export { RLIM_INFINITY, RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_AS } from "./abi/linux.ts";
import { RLIM_INFINITY, RLIM_NLIMITS, RLIMIT_CPU, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_NPROC, RLIMIT_NOFILE } from "./abi/linux.ts";
/** fs.nr_open: the highest RLIMIT_NOFILE. */
const NR_OPEN = 1048576n;

/** The default limits of a Linux login (ulimit -a on Debian): stack 8 MiB, 1024 files. */
export function defaultRlimit(t: Task, res: number): Rlimit {
  if (res === RLIMIT_STACK) return { cur: 8n << 20n, max: RLIM_INFINITY };
  if (res === RLIMIT_NOFILE) return { cur: BigInt(t.files.limit), max: 4096n };
  if (res === RLIMIT_CORE) return { cur: 0n, max: RLIM_INFINITY };
  if (res === 8 /* MEMLOCK */) return { cur: 8n << 20n, max: 8n << 20n };
  if (res === 11 /* SIGPENDING */ || res === RLIMIT_NPROC) return { cur: 63459n, max: 63459n };
  if (res === 12 /* MSGQUEUE */) return { cur: 819200n, max: 819200n };
  if (res === 13 || res === 14) return { cur: 0n, max: 0n };
  return { cur: RLIM_INFINITY, max: RLIM_INFINITY };
}

/** The limit in force for a resource. */
export function rlimit(t: Task, res: number): Rlimit {
  return t.rlimits.get(res) ?? defaultRlimit(t, res);
}

/** check_prlimit_permission: our own process, one of the same user, or CAP_SYS_RESOURCE. */
function mayPrlimit(t: Task, target: Task): boolean {
  if (target.group === t.group || capable(t.cred, CAP_SYS_RESOURCE)) return true;
  const a = t.cred, b = target.cred;
  return a.uid === b.euid && a.uid === b.suid && a.uid === b.uid && a.gid === b.egid && a.gid === b.sgid && a.gid === b.gid;
}

/** do_prlimit: reads (old) and sets (new) one limit of target's process. */
function prlimit(t: Task, target: Task, res: number, newp: number, oldp: number): number {
  if (res < 0 || res >= RLIM_NLIMITS) return -EINVAL;
  const cur = rlimit(target, res);
  let next: Rlimit | null = null;
  if (newp) {
    const raw = new Uint8Array(t.abi.SIZEOF_RLIMIT);
    if (copy_from_user(t.mm, raw, newp, raw.length)) return -EFAULT;
    next = t.abi.decodeRlimit(raw);
    if (next.cur > next.max) return -EINVAL;
    if (res === RLIMIT_NOFILE && next.max > NR_OPEN) return -EPERM;
    if (next.max > cur.max && !capable(t.cred, CAP_SYS_RESOURCE)) return -EPERM;
  }
  if (oldp && copy_to_user(t.mm, oldp, t.abi.encodeRlimit(cur.cur, cur.max))) return -EFAULT;
  if (next) applyRlimit(target, res, next);
  return 0;
}

/** Sets a limit and whatever enforces it at once. */
function applyRlimit(t: Task, res: number, lim: Rlimit): void {
  t.rlimits.set(res, lim);
  if (res === RLIMIT_NOFILE) t.files.limit = Number(lim.cur > NR_OPEN ? NR_OPEN : lim.cur);
  if (res === RLIMIT_STACK) t.mm.stackLimit = Number(lim.cur > 1n << 40n ? 1n << 40n : lim.cur);
  if (res === RLIMIT_CPU) t.group.cpuSignalledSecs = 0n;
}

/** prlimit64(2) */
export const sys_prlimit64 = defineSyscall({
  name: "prlimit64", args: ["int", "resource", "rlimit", "rlimit_out"],
  fn: (t, a) => {
    const pid = a.int(0);
    const target = pid === 0 ? t : t.kernel.tasks.get(pid);
    if (!target || target.isInit && pid !== 0 || target.state === "dead") return -ESRCH;
    if (!mayPrlimit(t, target)) return -EPERM;
    return prlimit(t, target, a.int(1), a.ptr(2), a.ptr(3));
  },
});

/** getrlimit(2) */
export const sys_getrlimit = defineSyscall({ name: "getrlimit", args: ["resource", "rlimit_out"], fn: (t, a) => prlimit(t, t, a.int(0), 0, a.ptr(1)) });

/** setrlimit(2) */
export const sys_setrlimit = defineSyscall({ name: "setrlimit", args: ["resource", "rlimit"], fn: (t, a) => prlimit(t, t, a.int(0), a.ptr(1), 0) });

const NS = 1_000_000_000n;

/** Memory use for struct rusage: peak resident pages and page faults. */
export interface MemUsage {
  maxrssPages: number;
  minflt: number;
}

/**
 * struct rusage: `ns` of CPU time as ru_utime (no system time is kept), ru_maxrss in KiB and
 * ru_minflt; the rest 0.
 */
export function encodeRusage(ns: bigint, mem: MemUsage = { maxrssPages: 0, minflt: 0 }): Uint8Array {
  const b = new Uint8Array(144);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, ns / NS, true);
  v.setBigInt64(8, (ns % NS) / 1000n, true);
  v.setBigInt64(32, BigInt(mem.maxrssPages * (PAGE_SIZE / 1024)), true);
  v.setBigInt64(64, BigInt(mem.minflt), true);
  return b;
}

/** The process's own memory use: what it has left behind and its address space now. */
export function selfMemUsage(g: Task["group"], mm: Task["mm"]): MemUsage {
  return { maxrssPages: Math.max(g.maxrssPages, mm.rss().peak), minflt: g.minflt + mm.minflt };
}

const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

/** getrusage(2): user time from retired instructions (1 GHz), no system time. */
export const sys_getrusage = defineSyscall({
  name: "getrusage", args: ["int", "ptr"],
  fn: (t, a) => {
    const who = a.int(0);
    const g = t.group;
    let ns: bigint, mem: MemUsage;
    if (who === RUSAGE_SELF) [ns, mem] = [processCpuNs(g), selfMemUsage(g, t.mm)];
    else if (who === RUSAGE_THREAD) [ns, mem] = [BigInt(t.cpuInsns), selfMemUsage(g, t.mm)];
    else if (who === RUSAGE_CHILDREN) [ns, mem] = [BigInt(g.childInsns), { maxrssPages: g.childMaxrssPages, minflt: g.childMinflt }];
    else return -EINVAL;
    return copy_to_user(t.mm, a.ptr(1), encodeRusage(ns, mem)) ? -EFAULT : 0;
  },
});

/** times(2): CPU times in clock ticks; returns ticks since boot. */
export const sys_times = defineSyscall({
  name: "times", args: ["ptr"],
  fn: (t, a) => {
    if (a.ptr(0)) {
      const b = new Uint8Array(32);
      const v = new DataView(b.buffer);
      v.setBigInt64(0, insnsToTicks(Number(processCpuNs(t.group))), true);
      v.setBigInt64(16, insnsToTicks(t.group.childInsns), true);
      if (copy_to_user(t.mm, a.ptr(0), b)) return -EFAULT;
    }
    return Number(t.kernel.clock.uptimeNs() / 10_000_000n);
  },
});
