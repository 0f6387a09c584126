// User and group ids, supplementary groups and capabilities (the kernel's kernel/sys.c,
// kernel/groups.c, kernel/capability.c). The rules themselves are in src/kernel/proc/cred.ts.

import * as C from "../src/kernel/proc/cred.ts";
import { EFAULT, EINVAL, EPERM, ESRCH } from "../src/kernel/errno.ts";
import type { Cred, Task } from "../src/kernel/proc/task.ts";
import { copy_from_user, copy_to_user, put_user_u32 } from "../src/mm/uaccess.ts";
import { defineSyscall } from "./types.ts";

export const sys_getuid = defineSyscall({ name: "getuid", args: [], fn: (t) => t.cred.uid });
export const sys_geteuid = defineSyscall({ name: "geteuid", args: [], fn: (t) => t.cred.euid });
export const sys_getgid = defineSyscall({ name: "getgid", args: [], fn: (t) => t.cred.gid });
export const sys_getegid = defineSyscall({ name: "getegid", args: [], fn: (t) => t.cred.egid });

/** Installs the result of a credential rule: 0, or the rule's -errno. */
function commit(t: Task, c: Cred | number): number {
  if (typeof c === "number") return c;
  if (c.euid !== t.cred.euid || c.egid !== t.cred.egid) t.pdeathSig = 0; // as commit_creds
  t.cred = c;
  return 0;
}

export const sys_setuid = defineSyscall({ name: "setuid", args: ["uid"], fn: (t, a) => commit(t, C.setuid(t.cred, a.uint(0))) });
export const sys_setgid = defineSyscall({ name: "setgid", args: ["uid"], fn: (t, a) => commit(t, C.setgid(t.cred, a.uint(0))) });
export const sys_setreuid = defineSyscall({ name: "setreuid", args: ["uid", "uid"], fn: (t, a) => commit(t, C.setreuid(t.cred, a.uint(0), a.uint(1))) });
export const sys_setregid = defineSyscall({ name: "setregid", args: ["uid", "uid"], fn: (t, a) => commit(t, C.setregid(t.cred, a.uint(0), a.uint(1))) });
export const sys_setresuid = defineSyscall({ name: "setresuid", args: ["uid", "uid", "uid"], fn: (t, a) => commit(t, C.setresuid(t.cred, a.uint(0), a.uint(1), a.uint(2))) });
export const sys_setresgid = defineSyscall({ name: "setresgid", args: ["uid", "uid", "uid"], fn: (t, a) => commit(t, C.setresgid(t.cred, a.uint(0), a.uint(1), a.uint(2))) });

/** setfsuid(2): returns the previous fsuid, whether or not it changed. */
export const sys_setfsuid = defineSyscall({
  name: "setfsuid", args: ["uid"],
  fn: (t, a) => {
    const old = t.cred.fsuid;
    t.cred = C.setfsuid(t.cred, a.uint(0));
    return old;
  },
});

/** setfsgid(2) */
export const sys_setfsgid = defineSyscall({
  name: "setfsgid", args: ["uid"],
  fn: (t, a) => {
    const old = t.cred.fsgid;
    t.cred = C.setfsgid(t.cred, a.uint(0));
    return old;
  },
});

function putIds(t: Task, ptrs: number[], ids: number[]): number {
  for (let i = 0; i < 3; i++) if (put_user_u32(t.mm, ptrs[i]!, ids[i]!)) return -EFAULT;
  return 0;
}

/** getresuid(2) */
export const sys_getresuid = defineSyscall({
  name: "getresuid", args: ["uid_out", "uid_out", "uid_out"],
  fn: (t, a) => putIds(t, [a.ptr(0), a.ptr(1), a.ptr(2)], [t.cred.uid, t.cred.euid, t.cred.suid]),
});

/** getresgid(2) */
export const sys_getresgid = defineSyscall({
  name: "getresgid", args: ["uid_out", "uid_out", "uid_out"],
  fn: (t, a) => putIds(t, [a.ptr(0), a.ptr(1), a.ptr(2)], [t.cred.gid, t.cred.egid, t.cred.sgid]),
});

/** getgroups(2): size 0 asks for the count; a smaller buffer is EINVAL. */
export const sys_getgroups = defineSyscall({
  name: "getgroups", args: ["int", "gid_array_out"],
  fn: (t, a) => {
    const size = a.int(0);
    const groups = t.cred.groups;
    if (size < 0) return -EINVAL;
    if (size === 0) return groups.length;
    if (size < groups.length) return -EINVAL;
    const b = new Uint8Array(groups.length * 4);
    groups.forEach((g, i) => new DataView(b.buffer).setUint32(i * 4, g, true));
    return copy_to_user(t.mm, a.ptr(1), b) ? -EFAULT : groups.length;
  },
});

/** setgroups(2) */
export const sys_setgroups = defineSyscall({
  name: "setgroups", args: ["int", "gid_array"],
  fn: (t, a) => {
    const n = a.int(0);
    if (n < 0 || n > C.NGROUPS_MAX) return -EINVAL;
    const b = new Uint8Array(n * 4);
    if (copy_from_user(t.mm, b, a.ptr(1), b.length)) return -EFAULT;
    const v = new DataView(b.buffer);
    return commit(t, C.setgroups(t.cred, Array.from({ length: n }, (_, i) => v.getUint32(i * 4, true))));
  },
});

const CAP_V1 = 0x19980330, CAP_V2 = 0x20071026, CAP_V3 = 0x20080522;

/** The header's version and pid, or -errno (an unknown version is answered with V3). */
function capHeader(t: Task, p: number, dataNull: boolean): { words: number; target: Task } | number {
  const b = new Uint8Array(8);
  if (copy_from_user(t.mm, b, p, 8)) return -EFAULT;
  const v = new DataView(b.buffer);
  const version = v.getUint32(0, true);
  if (version !== CAP_V1 && version !== CAP_V2 && version !== CAP_V3) {
    if (put_user_u32(t.mm, p, CAP_V3)) return -EFAULT;
    return dataNull ? 0 : -EINVAL;
  }
  const pid = v.getInt32(4, true);
  if (pid < 0) return -EINVAL;
  const target = pid === 0 ? t : t.kernel.tasks.get(pid);
  if (!target || target.state === "dead") return -ESRCH;
  return { words: version === CAP_V1 ? 1 : 2, target };
}

/** capget(2): the capability sets, 32 bits per struct (two for V2/V3). */
export const sys_capget = defineSyscall({
  name: "capget", args: ["cap_header", "cap_data_out"],
  fn: (t, a) => {
    const h = capHeader(t, a.ptr(0), a.ptr(1) === 0);
    if (typeof h === "number") return h;
    if (a.ptr(1) === 0) return 0;
    const c = h.target.cred;
    const b = new Uint8Array(12 * h.words);
    const v = new DataView(b.buffer);
    for (let w = 0; w < h.words; w++) {
      const part = (x: bigint) => Number((x >> BigInt(32 * w)) & 0xffffffffn);
      v.setUint32(w * 12, part(c.capEffective), true);
      v.setUint32(w * 12 + 4, part(c.capPermitted), true);
      v.setUint32(w * 12 + 8, part(c.capInheritable), true);
    }
    return copy_to_user(t.mm, a.ptr(1), b) ? -EFAULT : 0;
  },
});

/** capset(2): only for the caller itself. */
export const sys_capset = defineSyscall({
  name: "capset", args: ["cap_header", "cap_data"],
  fn: (t, a) => {
    const h = capHeader(t, a.ptr(0), false);
    if (typeof h === "number") return h;
    if (h.target !== t) return -EPERM;
    const b = new Uint8Array(12 * h.words);
    if (copy_from_user(t.mm, b, a.ptr(1), b.length)) return -EFAULT;
    const v = new DataView(b.buffer);
    const set = (off: number) => {
      let x = 0n;
      for (let w = 0; w < h.words; w++) x |= BigInt(v.getUint32(w * 12 + off, true)) << BigInt(32 * w);
      return x;
    };
    return commit(t, C.capset(t.cred, set(0), set(4), set(8)));
  },
});
