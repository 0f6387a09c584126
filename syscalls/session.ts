// Sessions and process groups (the kernel's kernel/sys.c): setsid, setpgid, getpgid, getsid.
// Job control (a terminal's foreground group) is src/kernel/fs/tty.ts's.

import { EACCES, EINVAL, EPERM, ESRCH } from "../src/kernel/errno.ts";
import type { Task, ThreadGroup } from "../src/kernel/proc/task.ts";
import { defineSyscall } from "./types.ts";

/** The living process with this pid (any thread's tid finds its process), or null. */
function findProcess(t: Task, pid: number): ThreadGroup | null {
  const x = t.kernel.tasks.get(pid);
  return x && !x.isInit && x.group.life !== "reaped" ? x.group : null;
}

function groupExists(t: Task, pgid: number, sid: number): boolean {
  for (const x of t.kernel.tasks.values()) if (x.group.pgid === pgid && x.group.sid === sid && x.group.life === "alive") return true;
  return false;
}

/** setsid(2): a new session and process group led by the caller, with no controlling terminal. */
export const sys_setsid = defineSyscall({
  name: "setsid", args: [],
  fn: (t) => {
    const pid = t.tgid;
    for (const x of t.kernel.tasks.values()) if (x.group.pgid === pid && x.group.life !== "reaped") return -EPERM;
    const g = t.group;
    g.sid = g.pgid = pid;
    g.ttyNr = 0;
    return pid;
  },
});

/** setpgid(2): moves the caller or one of its children (not yet exec'ed) to a group of its session. */
export const sys_setpgid = defineSyscall({
  name: "setpgid", args: ["int", "int"],
  fn: (t, a) => {
    const pid = a.int(0) || t.tgid;
    const pgid = a.int(1) || pid;
    if (pgid < 0) return -EINVAL;
    const p = findProcess(t, pid);
    if (!p || p.life !== "alive") return -ESRCH;
    if (p !== t.group) {
      if (p.parent !== t.group) return -ESRCH;
      if (p.sid !== t.sid) return -EPERM;
      if (p.execed) return -EACCES;
    }
    if (p.pid === p.sid) return -EPERM; // a session leader stays in its group
    if (pgid !== pid && !groupExists(t, pgid, t.sid)) return -EPERM;
    p.pgid = pgid;
    return 0;
  },
});

/** getpgid(2) */
export const sys_getpgid = defineSyscall({
  name: "getpgid", args: ["int"],
  fn: (t, a) => {
    const p = a.int(0) === 0 ? t.group : findProcess(t, a.int(0));
    return p ? p.pgid : -ESRCH;
  },
});

/** getsid(2) */
export const sys_getsid = defineSyscall({
  name: "getsid", args: ["int"],
  fn: (t, a) => {
    const p = a.int(0) === 0 ? t.group : findProcess(t, a.int(0));
    return p ? p.sid : -ESRCH;
  },
});

/** getpgrp(2), which x86-64 keeps: getpgid(0). */
export const sys_getpgrp = defineSyscall({ name: "getpgrp", args: [], fn: (t) => t.group.pgid });
