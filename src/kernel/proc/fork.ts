// clone(2), clone3(2) and so fork and vfork (the kernel's kernel/fork.c, copy_process): a new
// task that copies or shares, flag by flag, the caller's address space (copy-on-write), files,
// filesystem context, signal handlers and thread group.

import { put_user_u32 } from "../../mm/uaccess.ts";
import { EAGAIN, EINVAL, ENOMEM, EPERM } from "../errno.ts";
import { sleepOn, WaitQueue } from "./sched.ts";
import { noAltStack } from "../signal/signal.ts";
import { CAP_SYS_ADMIN, CAP_SYS_RESOURCE, capable, Task, ThreadGroup, type Rlimit } from "./task.ts";

export const CSIGNAL = 0xff;
export const CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800;
export const CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000;
export const CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000;
export const CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000;
export const CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000, CLONE_NEWCGROUP = 0x2000000;
export const CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000, CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000, CLONE_IO = 0x80000000;
/** clone3 only: start in a given cgroup / clear signal handlers. */
export const CLONE_CLEAR_SIGHAND = 0x100000000n, CLONE_INTO_CGROUP = 0x200000000n;

const NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
import { RLIMIT_NPROC } from "../../../syscalls/abi/linux.ts";

/** struct kernel_clone_args */
export interface CloneArgs {
  /** The flags without the exit signal (clone3's flags is 64 bits: a bigint here). */
  flags: bigint;
  exitSignal: number;
  /** The child's stack pointer (0: the caller's). */
  stack: bigint;
  tls: bigint;
  parentTid: number;
  childTid: number;
}

/** The tasks of real uid `uid` (RLIMIT_NPROC counts threads and zombies, as Linux's ucounts). */
export function tasksOfUser(t: Task, uid: number): number {
  let n = 0;
  for (const x of t.kernel.tasks.values()) if (!x.isInit && x.cred.uid === uid) n++;
  return n;
}

/** copy_process's checks of the flag combinations and limits: 0 or -errno. */
function checkClone(t: Task, flags: number, big: bigint): number {
  if ((flags & (CLONE_NEWNS | CLONE_FS)) === (CLONE_NEWNS | CLONE_FS)) return -EINVAL;
  if ((flags & (CLONE_NEWUSER | CLONE_FS)) === (CLONE_NEWUSER | CLONE_FS)) return -EINVAL;
  if (flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) return -EINVAL;
  if (flags & CLONE_SIGHAND && !(flags & CLONE_VM)) return -EINVAL;
  if (big & CLONE_CLEAR_SIGHAND && flags & CLONE_SIGHAND) return -EINVAL;
  if (flags & CLONE_PIDFD || big & CLONE_INTO_CGROUP) return -EINVAL; // no pidfds or cgroups here
  if (flags & NAMESPACES) return capable(t.cred, CAP_SYS_ADMIN) ? -EINVAL : -EPERM;
  const k = t.kernel;
  if (k.tasks.size - 1 >= k.maxTasks) return -EAGAIN;
  const nproc = t.rlimits.get(RLIMIT_NPROC);
  // Root (the init user) and holders of CAP_SYS_RESOURCE or CAP_SYS_ADMIN are not limited.
  if (nproc && t.cred.uid !== 0 && !capable(t.cred, CAP_SYS_RESOURCE) && !capable(t.cred, CAP_SYS_ADMIN)) {
    if (BigInt(tasksOfUser(t, t.cred.uid)) >= nproc.cur) return -EAGAIN;
  }
  return 0;
}

/** kernel_clone: creates the child and returns its tid (the parent sleeps first under CLONE_VFORK). */
export function doClone(t: Task, args: CloneArgs): number {
  const flags = Number(BigInt.asUintN(32, args.flags));
  const err = checkClone(t, flags, args.flags);
  if (err) return err;
  const k = t.kernel;
  const mm = flags & CLONE_VM ? t.mm : t.mm.fork();
  if (mm === null) return -ENOMEM;
  const tid = k.allocPid();
  k.getMm(mm);
  const regs = t.regs.clone(mm);
  regs.syscallReturn(0n); // the child returns 0 from the same call
  if (args.stack !== 0n) regs.sp = args.stack;
  if (flags & CLONE_SETTLS) regs.tp = args.tls;
  const files = flags & CLONE_FILES ? t.files : t.files.clone();
  k.getFiles(files);
  const fs = flags & CLONE_FS ? t.fs : { ...t.fs };
  const sighand = flags & CLONE_SIGHAND ? t.sighand : t.sighand.clone();
  if (args.flags & CLONE_CLEAR_SIGHAND) sighand.flushForExec();
  const group = flags & CLONE_THREAD ? t.group : newGroup(t, flags, args.exitSignal);
  const c = new Task(k, tid, group, mm, regs, files, fs, { ...t.cred, groups: [...t.cred.groups] }, sighand);
  inherit(t, c, flags);
  if (group.threads.length === 0) group.leader = c;
  group.threads.push(c);
  k.tasks.set(tid, c);
  if (flags & CLONE_CHILD_CLEARTID) c.clearChildTid = args.childTid;
  if (flags & CLONE_CHILD_SETTID) put_user_u32(mm, args.childTid, tid);
  if (flags & CLONE_PARENT_SETTID) put_user_u32(t.mm, args.parentTid, tid);
  k.sched.enqueue(c);
  if (flags & CLONE_VFORK) {
    c.vforkParent = t;
    return sleepOn(t, { what: "vfork", killable: true, resume: () => tid });
  }
  return tid;
}

/** A new process: its parent, group, session, terminal and limits come from the caller. */
function newGroup(t: Task, flags: number, exitSignal: number): ThreadGroup {
  const parent = flags & CLONE_PARENT ? (t.group.parent ?? t.group) : t.group;
  const limits = new Map<number, Rlimit>();
  for (const [r, v] of t.rlimits) limits.set(r, { ...v });
  const g = new ThreadGroup(parent, t.pgid, t.sid, limits);
  g.childWait = new WaitQueue();
  g.ttyNr = t.ttyNr;
  g.exitSignal = exitSignal;
  g.startNs = t.kernel.clock.now(1)!;
  g.personality = t.group.personality;
  g.dumpable = t.group.dumpable;
  parent.children.push(g);
  return g;
}

/** What the child takes over from the caller besides the shared or copied structures. */
function inherit(t: Task, c: Task, flags: number): void {
  c.blocked = t.blocked;
  // A thread (shared mm, no vfork) starts without an alternate stack; a fork child keeps it.
  c.sas = (flags & (CLONE_VM | CLONE_VFORK)) === CLONE_VM ? noAltStack() : { ...t.sas };
  c.comm = t.comm;
  c.exe = t.exe;
  c.auxv = t.auxv;
  c.argStart = t.argStart;
  c.argEnd = t.argEnd;
  c.envStart = t.envStart;
  c.envEnd = t.envEnd;
  c.vdsoBase = t.vdsoBase;
  c.abi = t.abi;
  c.rseq = flags & CLONE_VM ? 0 : t.rseq;
  c.noNewPrivs = t.noNewPrivs;
  c.nice = t.nice;
  c.pdeathSig = 0;
  c.startNs = t.kernel.clock.now(1)!;
}

