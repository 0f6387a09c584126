// The rules for changing credentials (the kernel's kernel/sys.c and security/commoncap.c):
// setuid and friends as pure functions from the old credentials to new ones or -errno, with
// the capability fix-ups Linux applies when a process gives up or regains uid 0.

import { EINVAL, EPERM } from "../errno.ts";
import { CAP_SETGID, CAP_SETUID, capable, type Cred } from "./task.ts";

/** (uid_t)-1: "leave this id as it is". */
export const NO_CHANGE = 0xffffffff;
/** NGROUPS_MAX */
export const NGROUPS_MAX = 65536;

/** The capabilities that follow fsuid 0 (CAP_FS_SET): chown, DAC, fowner, fsetid, immutable, mknod, MAC override. */
const CAP_FS_SET = [0, 1, 2, 3, 4, 9, 27, 32].reduce((m, c) => m | (1n << BigInt(c)), 0n);

function copy(c: Cred): Cred {
  return { ...c, groups: [...c.groups] };
}

/** cap_emulate_setxuid: leaving uid 0 drops capabilities, regaining euid 0 restores the effective set. */
function fixSetuidCaps(old: Cred, c: Cred): Cred {
  const wasRoot = old.uid === 0 || old.euid === 0 || old.suid === 0;
  const noneRoot = c.uid !== 0 && c.euid !== 0 && c.suid !== 0;
  if (wasRoot && noneRoot && !c.keepCaps) {
    c.capPermitted = 0n;
    c.capEffective = 0n;
  }
  if (old.euid === 0 && c.euid !== 0) c.capEffective = 0n;
  if (old.euid !== 0 && c.euid === 0) c.capEffective = c.capPermitted;
  return c;
}

/** setuid(2): root sets all three ids, others only the effective one to their real or saved id. */
export function setuid(old: Cred, uid: number): Cred | number {
  if (uid === NO_CHANGE) return -EINVAL;
  const c = copy(old);
  if (capable(old, CAP_SETUID)) {
    c.uid = c.suid = uid;
  } else if (uid !== old.uid && uid !== old.suid) {
    return -EPERM;
  }
  c.euid = c.fsuid = uid;
  return fixSetuidCaps(old, c);
}

/** setreuid(2): the saved id follows the effective one when the real id is set or euid changes away from it. */
export function setreuid(old: Cred, ruid: number, euid: number): Cred | number {
  const c = copy(old);
  const priv = capable(old, CAP_SETUID);
  if (ruid !== NO_CHANGE) {
    if (ruid !== old.uid && ruid !== old.euid && !priv) return -EPERM;
    c.uid = ruid;
  }
  if (euid !== NO_CHANGE) {
    if (euid !== old.uid && euid !== old.euid && euid !== old.suid && !priv) return -EPERM;
    c.euid = euid;
  }
  if (ruid !== NO_CHANGE || (euid !== NO_CHANGE && euid !== old.uid)) c.suid = c.euid;
  c.fsuid = c.euid;
  return fixSetuidCaps(old, c);
}

/** setresuid(2): without CAP_SETUID each id may only become one of the current three. */
export function setresuid(old: Cred, ruid: number, euid: number, suid: number): Cred | number {
  const mine = (id: number) => id === NO_CHANGE || id === old.uid || id === old.euid || id === old.suid;
  if (!capable(old, CAP_SETUID) && !(mine(ruid) && mine(euid) && mine(suid))) return -EPERM;
  const c = copy(old);
  if (ruid !== NO_CHANGE) c.uid = ruid;
  if (euid !== NO_CHANGE) c.euid = euid;
  if (suid !== NO_CHANGE) c.suid = suid;
  c.fsuid = c.euid;
  return fixSetuidCaps(old, c);
}

/** setfsuid(2): the new credentials (unchanged when refused); the call returns the old fsuid either way. */
export function setfsuid(old: Cred, fsuid: number): Cred {
  const ok = fsuid === old.uid || fsuid === old.euid || fsuid === old.suid || fsuid === old.fsuid || capable(old, CAP_SETUID);
  if (fsuid === NO_CHANGE || !ok || fsuid === old.fsuid) return old;
  const c = copy(old);
  c.fsuid = fsuid;
  if (old.fsuid === 0 && fsuid !== 0) c.capEffective &= ~CAP_FS_SET;
  if (old.fsuid !== 0 && fsuid === 0) c.capEffective |= c.capPermitted & CAP_FS_SET;
  return c;
}

/** setgid(2) */
export function setgid(old: Cred, gid: number): Cred | number {
  if (gid === NO_CHANGE) return -EINVAL;
  const c = copy(old);
  if (capable(old, CAP_SETGID)) c.gid = c.sgid = gid;
  else if (gid !== old.gid && gid !== old.sgid) return -EPERM;
  c.egid = c.fsgid = gid;
  return c;
}

/** setregid(2) */
export function setregid(old: Cred, rgid: number, egid: number): Cred | number {
  const c = copy(old);
  const priv = capable(old, CAP_SETGID);
  if (rgid !== NO_CHANGE) {
    if (rgid !== old.gid && rgid !== old.egid && !priv) return -EPERM;
    c.gid = rgid;
  }
  if (egid !== NO_CHANGE) {
    if (egid !== old.gid && egid !== old.egid && egid !== old.sgid && !priv) return -EPERM;
    c.egid = egid;
  }
  if (rgid !== NO_CHANGE || (egid !== NO_CHANGE && egid !== old.gid)) c.sgid = c.egid;
  c.fsgid = c.egid;
  return c;
}

/** setresgid(2) */
export function setresgid(old: Cred, rgid: number, egid: number, sgid: number): Cred | number {
  const mine = (id: number) => id === NO_CHANGE || id === old.gid || id === old.egid || id === old.sgid;
  if (!capable(old, CAP_SETGID) && !(mine(rgid) && mine(egid) && mine(sgid))) return -EPERM;
  const c = copy(old);
  if (rgid !== NO_CHANGE) c.gid = rgid;
  if (egid !== NO_CHANGE) c.egid = egid;
  if (sgid !== NO_CHANGE) c.sgid = sgid;
  c.fsgid = c.egid;
  return c;
}

/** setfsgid(2): as setfsuid, without capability effects. */
export function setfsgid(old: Cred, fsgid: number): Cred {
  const ok = fsgid === old.gid || fsgid === old.egid || fsgid === old.sgid || fsgid === old.fsgid || capable(old, CAP_SETGID);
  if (fsgid === NO_CHANGE || !ok) return old;
  return { ...copy(old), fsgid };
}

/** setgroups(2): CAP_SETGID only; the list is kept sorted, as groups_sort does. */
export function setgroups(old: Cred, groups: number[]): Cred | number {
  if (groups.length > NGROUPS_MAX) return -EINVAL;
  if (!capable(old, CAP_SETGID)) return -EPERM;
  return { ...copy(old), groups: [...groups].sort((a, b) => a - b) };
}

/** capset(2)'s rules (cap_capset): no set may grow beyond what the old ones allow. */
export function capset(old: Cred, eff: bigint, perm: bigint, inh: bigint): Cred | number {
  const sub = (a: bigint, b: bigint) => (a & ~b) === 0n;
  if (!capable(old, 8 /* CAP_SETPCAP */) && !sub(inh, old.capInheritable | old.capPermitted)) return -EPERM;
  if (!sub(perm, old.capPermitted) || !sub(eff, perm)) return -EPERM;
  return { ...copy(old), capEffective: eff, capPermitted: perm, capInheritable: inh };
}
