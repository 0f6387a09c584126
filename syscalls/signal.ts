// Signal system calls (the kernel's kernel/signal.c): dispositions, the mask, pending signals,
// waiting for signals, sending them, the alternate stack and the return from a handler.
// Sending and delivery are src/kernel/signal/sigsend.ts and sigdeliver.ts.

import { EAGAIN, EFAULT, EINTR, EINVAL, EPERM, ESRCH } from "../src/kernel/errno.ts";
import { callDeadline, signalPending, sleepOn } from "../src/kernel/proc/sched.ts";
import { doSigaltstack, setRestoreSigmask, sigreturn } from "../src/kernel/signal/sigdeliver.ts";
import { decodeSiginfo, encodeSiginfo, SIZEOF_SIGINFO } from "../src/kernel/signal/siginfo.ts";
import {
  defaultAction, dequeueSignal, NSIG, SI_TKILL, SIG_DFL, SIG_IGN, sigbit, SIGKILL, SIGSTOP,
  UNBLOCKABLE, type AltStack, type SigInfo,
} from "../src/kernel/signal/signal.ts";
import { killProcess, killSomething, mayKill, sendSignal, userInfo } from "../src/kernel/signal/sigsend.ts";
import { ERESTARTNOHAND, RETRY } from "../src/kernel/sysret.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { copy_from_user, copy_to_user, get_user_u64 } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

const SIGSET_SIZE = 8;

/** A sigset_t from user memory (SIGKILL and SIGSTOP bits dropped when `clean`), or -errno. */
function readSigset(t: Task, p: number, size: number): bigint | number {
  if (size !== SIGSET_SIZE) return -EINVAL;
  const v = get_user_u64(t.mm, p);
  return v === null ? -EFAULT : v;
}

function putSigset(t: Task, p: number, set: bigint): number {
  const raw = new Uint8Array(SIGSET_SIZE);
  new DataView(raw.buffer).setBigUint64(0, set, true);
  return copy_to_user(t.mm, p, raw) ? -EFAULT : 0;
}

/** rt_sigaction(2); ignoring a signal discards its pending instances, as POSIX asks. */
export const sys_rt_sigaction = defineSyscall({
  name: "rt_sigaction", args: ["signal", "sigaction", "sigaction_out", "size"],
  fn: (t, a) => {
    const [sig, actp, oldp] = [a.int(0), a.ptr(1), a.ptr(2)];
    if (a.size(3) !== SIGSET_SIZE) return -EINVAL;
    if (sig < 1 || sig > NSIG || (actp && (sig === SIGKILL || sig === SIGSTOP))) return -EINVAL;
    const cur = t.sighand.actions[sig]!;
    let next = null;
    if (actp) {
      const raw = new Uint8Array(t.abi.SIZEOF_SIGACTION);
      if (copy_from_user(t.mm, raw, actp, raw.length)) return -EFAULT;
      next = t.abi.decodeSigaction(raw);
      next.mask &= ~UNBLOCKABLE;
    }
    if (oldp && copy_to_user(t.mm, oldp, t.abi.encodeSigaction(cur))) return -EFAULT;
    if (next) {
      t.sighand.actions[sig] = next;
      const ignored = next.handler === SIG_IGN || (next.handler === SIG_DFL && defaultAction(sig) === "ign");
      if (ignored) for (const th of t.group.threads) th.pending.flush(sigbit(sig));
      if (ignored) t.group.shared.flush(sigbit(sig));
    }
    return 0;
  },
});

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

/** rt_sigprocmask(2); a signal it unblocks is delivered before the call returns to the program. */
export const sys_rt_sigprocmask = defineSyscall({
  name: "rt_sigprocmask", args: ["sigprocmask_how", "sigset", "sigset_out", "size"],
  fn: (t, a) => {
    const [how, setp, oldp] = [a.int(0), a.ptr(1), a.ptr(2)];
    if (a.size(3) !== SIGSET_SIZE) return -EINVAL;
    let set: bigint | null = null;
    if (setp) {
      const s = readSigset(t, setp, SIGSET_SIZE);
      if (typeof s === "number") return s;
      if (how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) return -EINVAL;
      set = s;
    }
    if (oldp && putSigset(t, oldp, t.blocked)) return -EFAULT;
    if (set !== null) {
      const m = how === SIG_BLOCK ? t.blocked | set : how === SIG_UNBLOCK ? t.blocked & ~set : set;
      t.blocked = m & ~UNBLOCKABLE;
    }
    return 0;
  },
});

/** rt_sigpending(2): the blocked signals waiting for this thread or its process. */
export const sys_rt_sigpending = defineSyscall({
  name: "rt_sigpending", args: ["sigset_out", "size"],
  fn: (t, a) => {
    if (a.size(1) > SIGSET_SIZE) return -EINVAL;
    const pending = (t.pending.signal | t.group.shared.signal) & t.blocked;
    const raw = new Uint8Array(SIGSET_SIZE);
    new DataView(raw.buffer).setBigUint64(0, pending, true);
    return copy_to_user(t.mm, a.ptr(0), raw, a.size(1)) ? -EFAULT : 0;
  },
});

/** rt_sigsuspend(2): waits with a temporary mask until a handler runs; always EINTR. */
export const sys_rt_sigsuspend = defineSyscall({
  name: "rt_sigsuspend", args: ["sigset", "size"],
  fn: (t, a) => {
    const mask = readSigset(t, a.ptr(0), a.size(1));
    if (typeof mask === "number") return mask;
    setRestoreSigmask(t, mask);
    return sleepOn(t, { what: "sigsuspend", resume: () => -ERESTARTNOHAND });
  },
});


/** rt_sigtimedwait(2): takes a pending signal of the set, waiting for one up to the timeout. */
export const sys_rt_sigtimedwait = defineSyscall({
  name: "rt_sigtimedwait", args: ["sigset", "siginfo_out", "timespec", "size"],
  fn: (t, a) => {
    const set = readSigset(t, a.ptr(0), a.size(3));
    if (typeof set === "number") return set;
    const these = set & ~UNBLOCKABLE;
    let rel: bigint | null = null;
    if (a.ptr(2)) {
      const raw = new Uint8Array(16);
      if (copy_from_user(t.mm, raw, a.ptr(2), 16)) return -EFAULT;
      const ts = t.abi.decodeTimespec(raw);
      if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= 1_000_000_000n) return -EINVAL;
      rel = ts.sec * 1_000_000_000n + ts.nsec;
    }
    const info = dequeueSignal(t, these);
    if (info) {
      if (a.ptr(1) && copy_to_user(t.mm, a.ptr(1), encodeSiginfo(info))) return -EFAULT;
      return info.signo;
    }
    const deadline = callDeadline(t, rel);
    if (deadline !== null && deadline <= t.kernel.clock.now(1)!) return -EAGAIN;
    // While it waits, the set is unblocked (real_blocked), so that its signals wake the task.
    const saved = t.blocked;
    t.realBlocked = saved;
    t.blocked &= ~these;
    return sleepOn(t, {
      what: "sigtimedwait",
      deadline,
      resume: (why) => {
        const arrived = ((t.pending.signal | t.group.shared.signal) & these) !== 0n;
        t.blocked = saved;
        t.realBlocked = 0n;
        if (why === "timeout") return -EAGAIN;
        return arrived || !signalPending(t) ? RETRY : -EINTR;
      },
      retryRestart: -ERESTARTNOHAND,
    });
  },
});

/** kill(2) */
export const sys_kill = defineSyscall({
  name: "kill", args: ["int", "signal"],
  fn: (t, a) => killSomething(t, a.int(0), a.int(1)),
});

/** do_send_specific: a signal to one thread (of process tgid when tgid > 0). */
function sendSpecific(t: Task, tgid: number, tid: number, info: SigInfo): number {
  const sig = info.signo;
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const target = t.kernel.tasks.get(tid);
  if (!target || target.state === "dead" || target.isInit || (tgid > 0 && target.tgid !== tgid)) return -ESRCH;
  if (target.group !== t.group && !mayKill(t, target, sig)) return -EPERM;
  if (sig !== 0) sendSignal(target, info, false);
  return 0;
}

/** tkill(2) */
export const sys_tkill = defineSyscall({
  name: "tkill", args: ["int", "signal"],
  fn: (t, a) => (a.int(0) <= 0 ? -EINVAL : sendSpecific(t, 0, a.int(0), userInfo(t, a.int(1), SI_TKILL))),
});

/** tgkill(2) */
export const sys_tgkill = defineSyscall({
  name: "tgkill", args: ["int", "int", "signal"],
  fn: (t, a) => (a.int(0) <= 0 || a.int(1) <= 0 ? -EINVAL : sendSpecific(t, a.int(0), a.int(1), userInfo(t, a.int(2), SI_TKILL))),
});

/** A siginfo the caller built for rt_(tg)sigqueueinfo; only the kernel may claim SI_USER or SI_TKILL for others. */
function queuedInfo(t: Task, p: number, sig: number, self: boolean): SigInfo | number {
  const raw = new Uint8Array(SIZEOF_SIGINFO);
  if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
  const info = { ...decodeSiginfo(raw), signo: sig };
  if ((info.code >= 0 || info.code === SI_TKILL) && !self) return -EPERM;
  return info;
}

/** rt_sigqueueinfo(2): a signal with data to a process. */
export const sys_rt_sigqueueinfo = defineSyscall({
  name: "rt_sigqueueinfo", args: ["int", "signal", "siginfo"],
  fn: (t, a) => {
    const target = t.kernel.tasks.get(a.int(0));
    if (!target || target.state === "dead" || target.isInit) return -ESRCH;
    const info = queuedInfo(t, a.ptr(2), a.int(1), target.group === t.group);
    return typeof info === "number" ? info : killProcess(t, target, info);
  },
});

/** rt_tgsigqueueinfo(2): the same to one thread. */
export const sys_rt_tgsigqueueinfo = defineSyscall({
  name: "rt_tgsigqueueinfo", args: ["int", "int", "signal", "siginfo"],
  fn: (t, a) => {
    if (a.int(0) <= 0 || a.int(1) <= 0) return -EINVAL;
    const info = queuedInfo(t, a.ptr(3), a.int(2), a.int(0) === t.tgid);
    return typeof info === "number" ? info : sendSpecific(t, a.int(0), a.int(1), info);
  },
});

function readStack(t: Task, p: number): AltStack | number {
  const raw = new Uint8Array(t.abi.SIZEOF_STACK_T);
  if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
  return t.abi.decodeStack(raw);
}

/** sigaltstack(2) */
export const sys_sigaltstack = defineSyscall({
  name: "sigaltstack", args: ["stack_t", "stack_t_out"],
  fn: (t, a) => {
    let ss: AltStack | null = null;
    if (a.ptr(0)) {
      const r = readStack(t, a.ptr(0));
      if (typeof r === "number") return r;
      ss = r;
    }
    const old = doSigaltstack(t, ss, BigInt.asUintN(64, t.regs.sp));
    if (typeof old === "number") return old;
    if (a.ptr(1)) {
      if (copy_to_user(t.mm, a.ptr(1), t.abi.encodeStack(old))) return -EFAULT;
    }
    return 0;
  },
});

/** rt_sigreturn(2): back from a handler, through the frame it ran on. */
export const sys_rt_sigreturn = defineSyscall({
  name: "rt_sigreturn", args: ["sigreturn_frame"],
  fn: (t) => sigreturn(t),
});


/** pause(2), which x86-64 keeps: sleeps until a signal is delivered; then EINTR (or a restart without a handler). */
export const sys_pause = defineSyscall({
  name: "pause", args: [],
  fn: (t) => sleepOn(t, { what: "pause", resume: () => -ERESTARTNOHAND }),
});
