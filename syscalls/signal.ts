// Signal system calls (the kernel's kernel/signal.c). Dispositions and the mask are kept per
// task; sending a signal to oneself applies its default action when no handler is set.
// Delivery to user handlers comes with the process and signals work.

import { EFAULT, EINVAL, ESRCH } from "../src/kernel/errno.ts";
import { defaultAction, SIG_DFL, SIG_IGN, SIGKILL, SIGSTOP, sigbit, NSIG } from "../src/kernel/signal.ts";
import type { Task } from "../src/kernel/task.ts";
import { copy_from_user, copy_to_user } from "../src/mm/uaccess.ts";
import { decodeSigaction, encodeSigaction, SIZEOF_SIGACTION } from "./abi/riscv64.ts";
import { defineSyscall } from "./types.ts";

const SIGSET_SIZE = 8;
const UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);

/** rt_sigaction(2) */
export const sys_rt_sigaction = defineSyscall({
  name: "rt_sigaction", args: ["signal", "sigaction", "sigaction_out", "size"],
  fn: (t, a) => {
    const [sig, actp, oldp] = [a.int(0), a.ptr(1), a.ptr(2)];
    if (a.size(3) !== SIGSET_SIZE) return -EINVAL;
    if (sig < 1 || sig > NSIG || (actp && (sig === SIGKILL || sig === SIGSTOP))) return -EINVAL;
    const cur = t.sig.actions[sig]!;
    let next = null;
    if (actp) {
      const raw = new Uint8Array(SIZEOF_SIGACTION);
      if (copy_from_user(t.mm, raw, actp, raw.length)) return -EFAULT;
      next = decodeSigaction(raw);
      next.mask &= ~UNBLOCKABLE;
    }
    if (oldp && copy_to_user(t.mm, oldp, encodeSigaction(cur))) return -EFAULT;
    if (next) t.sig.actions[sig] = next;
    return 0;
  },
});

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

/** rt_sigprocmask(2) */
export const sys_rt_sigprocmask = defineSyscall({
  name: "rt_sigprocmask", args: ["sigprocmask_how", "sigset", "sigset_out", "size"],
  fn: (t, a) => {
    const [how, setp, oldp] = [a.int(0), a.ptr(1), a.ptr(2)];
    if (a.size(3) !== SIGSET_SIZE) return -EINVAL;
    let set: bigint | null = null;
    if (setp) {
      const raw = new Uint8Array(SIGSET_SIZE);
      if (copy_from_user(t.mm, raw, setp, raw.length)) return -EFAULT;
      set = new DataView(raw.buffer).getBigUint64(0, true);
      if (how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) return -EINVAL;
    }
    if (oldp) {
      const raw = new Uint8Array(SIGSET_SIZE);
      new DataView(raw.buffer).setBigUint64(0, t.sig.blocked, true);
      if (copy_to_user(t.mm, oldp, raw)) return -EFAULT;
    }
    if (set !== null) {
      const m = how === SIG_BLOCK ? t.sig.blocked | set : how === SIG_UNBLOCK ? t.sig.blocked & ~set : set;
      t.sig.blocked = m & ~UNBLOCKABLE;
    }
    return 0;
  },
});

/** Sends sig to t: a fatal default action ends its process; otherwise the signal is recorded. */
function sendSignal(t: Task, target: Task, sig: number): number {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  if (sig === 0) return 0;
  const act = target.sig.actions[sig]!;
  const blocked = (target.sig.blocked & sigbit(sig)) !== 0n && sig !== SIGKILL && sig !== SIGSTOP;
  if (act.handler === SIG_IGN && sig !== SIGKILL) return 0;
  if (!blocked && (act.handler === SIG_DFL || sig === SIGKILL) && defaultAction(sig) !== "ign") {
    t.kernel.killBySignal(target, sig, null);
    return 0;
  }
  target.sig.pending |= sigbit(sig);
  return 0;
}

function findTask(t: Task, pid: number): Task | null {
  return t.kernel.tasks.get(pid) ?? null;
}

/** kill(2): to a pid (its own process, for now), 0 or -1 meaning ourselves. */
export const sys_kill = defineSyscall({
  name: "kill", args: ["int", "signal"],
  fn: (t, a) => {
    const pid = a.int(0);
    const target = pid === 0 || pid === -1 || pid === -t.tgid ? t : findTask(t, pid);
    return target ? sendSignal(t, target, a.int(1)) : -ESRCH;
  },
});

/** tkill(2) */
export const sys_tkill = defineSyscall({
  name: "tkill", args: ["int", "signal"],
  fn: (t, a) => {
    const target = a.int(0) > 0 ? findTask(t, a.int(0)) : null;
    return target ? sendSignal(t, target, a.int(1)) : a.int(0) <= 0 ? -EINVAL : -ESRCH;
  },
});

/** tgkill(2) */
export const sys_tgkill = defineSyscall({
  name: "tgkill", args: ["int", "int", "signal"],
  fn: (t, a) => {
    if (a.int(0) <= 0 || a.int(1) <= 0) return -EINVAL;
    const target = findTask(t, a.int(1));
    return target && target.tgid === a.int(0) ? sendSignal(t, target, a.int(2)) : -ESRCH;
  },
});
