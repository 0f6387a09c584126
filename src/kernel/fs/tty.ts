// Controlling terminals and job control (drivers/tty/tty_jobctrl.c): a session may have one
// terminal, the terminal knows its session and foreground process group. sysemu's terminal is
// the host's: when sysemu's stdin is a tty, the first program's session gets it (task.ttyNr,
// which /proc/pid/stat and /dev/tty use); otherwise the first session has none and /dev/tty
// gives ENXIO, as for a program started by cron or over a pipe.

import { copy_to_user, get_user_u32 } from "../../mm/uaccess.ts";
import { EFAULT, EINVAL, ENOTTY, EPERM, ESRCH } from "../errno.ts";
import { SI_KERNEL, SIGCONT, SIGHUP } from "../signal/signal.ts";
import { signalPgrp } from "../signal/sigsend.ts";
import { CAP_SYS_ADMIN, capable, type Task, type ThreadGroup } from "../proc/task.ts";

/** A terminal's job-control state. */
export interface Tty {
  /** tty_nr as /proc/pid/stat encodes it (new_encode_dev of the device number). */
  nr: number;
  /** The session it controls (0: none) and that session's foreground process group. */
  session: number;
  pgrp: number;
}

export const TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCNOTTY = 0x5422, TIOCGSID = 0x5429;

/** new_encode_dev: the tty_nr encoding of a device number given as major and minor. */
export function encodeTtyNr(major: number, minor: number): number {
  return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12);
}

/** The tty_nr of a host device number in glibc's dev_t encoding (Node's stat rdev). */
export function ttyNrFromHostRdev(rdev: number | bigint): number {
  const d = BigInt(rdev);
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
  const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
  return encodeTtyNr(major, minor);
}

/** Makes terminal `nr` the controlling terminal of g's session, with g's group in the foreground. */
export function attachTty(g: ThreadGroup, nr: number): void {
  const k = g.leader.kernel;
  k.ttys.set(nr, { nr, session: g.sid, pgrp: g.pgid });
  for (const t of k.tasks.values()) if (t.group.sid === g.sid) t.group.ttyNr = nr;
}

/** Every process of session sid loses its controlling terminal. */
function detachSession(t: Task, sid: number): void {
  for (const x of t.kernel.tasks.values()) if (x.group.sid === sid) x.group.ttyNr = 0;
}

/** disassociate_ctty on a session leader's exit: the foreground group gets SIGHUP and SIGCONT. */
export function sessionLeaderExit(g: ThreadGroup): void {
  const k = g.leader.kernel;
  const tty = g.ttyNr ? k.ttys.get(g.ttyNr) : undefined;
  if (!tty || tty.session !== g.sid) return;
  const pgrp = tty.pgrp;
  tty.session = 0;
  tty.pgrp = 0;
  detachSession(g.leader, g.sid);
  if (pgrp) {
    signalPgrp(g.leader, pgrp, { signo: SIGHUP, code: SI_KERNEL });
    signalPgrp(g.leader, pgrp, { signo: SIGCONT, code: SI_KERNEL });
  }
}

/**
 * The job-control ioctls of terminal `nr`: TIOCSCTTY, TIOCGPGRP, TIOCSPGRP, TIOCNOTTY and
 * TIOCGSID; null for any other request (the terminal driver's own: termios, window size).
 */
export function ttyJobIoctl(t: Task, nr: number, req: number, arg: number): number | null {
  const k = t.kernel;
  let tty = k.ttys.get(nr);
  const ours = tty !== undefined && tty.session !== 0 && tty.session === t.sid;
  switch (req) {
    case TIOCSCTTY: {
      if (ours) return 0;
      if (t.group.pid !== t.sid || t.ttyNr !== 0) return -EPERM; // a session leader without one
      if (tty && tty.session !== 0 && !(arg === 1 && capable(t.cred, CAP_SYS_ADMIN))) return -EPERM;
      if (tty && tty.session !== 0) detachSession(t, tty.session);
      tty ??= { nr, session: 0, pgrp: 0 };
      attachTty(t.group, nr);
      return 0;
    }
    case TIOCGPGRP:
    case TIOCGSID: {
      if (!ours) return -ENOTTY;
      const v = req === TIOCGPGRP ? tty!.pgrp : tty!.session;
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, v, true);
      return copy_to_user(t.mm, arg, b) ? -EFAULT : 0;
    }
    case TIOCSPGRP: {
      if (!ours) return -ENOTTY;
      const pgrp = get_user_u32(t.mm, arg);
      if (pgrp === null) return -EFAULT;
      if ((pgrp | 0) < 0) return -EINVAL;
      const members = [...k.tasks.values()].filter((x) => x.group.pgid === pgrp && x.group.life === "alive");
      if (members.length === 0) return -ESRCH;
      if (members.some((x) => x.sid !== t.sid)) return -EPERM;
      tty!.pgrp = pgrp;
      return 0;
    }
    case TIOCNOTTY: {
      if (!ours) return -ENOTTY;
      if (t.group.pid === t.sid) sessionLeaderExit(t.group);
      else t.group.ttyNr = 0;
      return 0;
    }
    default:
      return null;
  }
}
