// The text of /proc/sysvipc/{shm,sem,msg} (ipc/util.c's sysvipc_proc_show and each family's
// *_proc_show), what ipcs(1) reads: a header, then a line per object in the kernel's columns.

import type { Task } from "../proc/task.ts";
import { PAGE_SIZE } from "../../mm/mman.ts";
import { hasIpcNs, ipcNs } from "./namespace.ts";
import type { KernIpcPerm } from "./util.ts";

const d = (n: number, w: number) => String(n).padStart(w);
const mode = (m: number) => (m & 0o7777).toString(8).padStart(4);
const head = (p: KernIpcPerm) => `${d(p.key | 0, 10)} ${d(p.id, 10)}  ${mode(p.mode)}`;
const owners = (p: KernIpcPerm) => `${d(p.uid, 5)} ${d(p.gid, 5)} ${d(p.cuid, 5)} ${d(p.cgid, 5)}`;

/** /proc/sysvipc/shm */
export function sysvipcShm(t: Task): string {
  let out = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n";
  if (!hasIpcNs(t.kernel)) return out;
  for (const s of ipcNs(t.kernel).shm.all()) {
    out += `${head(s.perm)} ${d(s.segsz, 21)} ${d(s.cpid, 5)} ${d(s.lpid, 5)}  ${d(s.nattch, 5)} ${owners(s.perm)} ${d(s.atime, 10)} ${d(s.dtime, 10)} ${d(s.ctime, 10)} ${d(s.rss * PAGE_SIZE, 21)} ${d(0, 21)}\n`;
  }
  return out;
}

/** /proc/sysvipc/sem */
export function sysvipcSem(t: Task): string {
  let out = "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n";
  if (!hasIpcNs(t.kernel)) return out;
  for (const s of ipcNs(t.kernel).sem.all()) {
    out += `${head(s.perm)} ${d(s.nsems, 10)} ${owners(s.perm)} ${d(s.otime, 10)} ${d(s.ctime, 10)}\n`;
  }
  return out;
}

/** /proc/sysvipc/msg */
export function sysvipcMsg(t: Task): string {
  let out = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n";
  if (!hasIpcNs(t.kernel)) return out;
  for (const q of ipcNs(t.kernel).msg.all()) {
    out += `${head(q.perm)}  ${d(q.cbytes, 10)} ${d(q.qnum, 10)} ${d(q.lspid, 5)} ${d(q.lrpid, 5)} ${owners(q.perm)} ${d(q.stime, 10)} ${d(q.rtime, 10)} ${d(q.ctime, 10)}\n`;
  }
  return out;
}
