// Extended attributes (fs/xattr.c), answered as Linux answers on a file system that keeps none
// and accepts none: get* finds no attribute (ENODATA), list* lists nothing (0), set* is not
// supported (EOPNOTSUPP), remove* has nothing to remove (ENODATA). The file must still exist
// and the name be valid (ERANGE for empty or longer than XATTR_NAME_MAX), as the checks come
// first in the kernel too. ls -l asks for security.selinux and POSIX ACLs this way.

import { EBADF, ENODATA, EOPNOTSUPP, ERANGE } from "../src/kernel/errno.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { AT_FDCWD } from "../src/kernel/vfs/namei.ts";
import type { SyscallArgs } from "./args.ts";
import { atTarget, getname } from "./fs.ts";
import { defineSyscall } from "./types.ts";

const XATTR_NAME_MAX = 255;

/** The path argument resolves (0) or -errno; `follow` is false for the l* calls. */
function pathExists(t: Task, a: SyscallArgs, follow: boolean): number {
  const path = getname(t, a.ptr(0));
  if (typeof path === "number") return path;
  const r = atTarget(t, AT_FDCWD, path, 0, follow);
  return typeof r === "number" ? r : 0;
}

function fdExists(t: Task, a: SyscallArgs): number {
  return t.files.get(a.fd(0)) ? 0 : -EBADF;
}

/** The attribute name at argument 1 is valid (0) or -errno. */
function checkName(t: Task, a: SyscallArgs): number {
  const name = getname(t, a.ptr(1));
  if (typeof name === "number") return name;
  return name.length === 0 || name.length > XATTR_NAME_MAX ? -ERANGE : 0;
}

const GET = ["path", "str", "ptr", "size"] as const;
const SET = ["path", "str", "ptr", "size", "int"] as const;
const LIST = ["path", "ptr", "size"] as const;
const REMOVE = ["path", "str"] as const;
const fdKinds = (k: readonly string[]) => ["fd", ...k.slice(1)];

/** The result once the target exists and the name (when the call has one) is valid. */
function answer(t: Task, a: SyscallArgs, target: number, named: boolean, result: number): number {
  if (target < 0) return target;
  const n = named ? checkName(t, a) : 0;
  return n < 0 ? n : result;
}

export const sys_getxattr = defineSyscall({ name: "getxattr", args: GET, fn: (t, a) => answer(t, a, pathExists(t, a, true), true, -ENODATA) });
export const sys_lgetxattr = defineSyscall({ name: "lgetxattr", args: GET, fn: (t, a) => answer(t, a, pathExists(t, a, false), true, -ENODATA) });
export const sys_fgetxattr = defineSyscall({ name: "fgetxattr", args: fdKinds(GET), fn: (t, a) => answer(t, a, fdExists(t, a), true, -ENODATA) });
export const sys_setxattr = defineSyscall({ name: "setxattr", args: SET, fn: (t, a) => answer(t, a, pathExists(t, a, true), true, -EOPNOTSUPP) });
export const sys_lsetxattr = defineSyscall({ name: "lsetxattr", args: SET, fn: (t, a) => answer(t, a, pathExists(t, a, false), true, -EOPNOTSUPP) });
export const sys_fsetxattr = defineSyscall({ name: "fsetxattr", args: fdKinds(SET), fn: (t, a) => answer(t, a, fdExists(t, a), true, -EOPNOTSUPP) });
export const sys_listxattr = defineSyscall({ name: "listxattr", args: LIST, fn: (t, a) => answer(t, a, pathExists(t, a, true), false, 0) });
export const sys_llistxattr = defineSyscall({ name: "llistxattr", args: LIST, fn: (t, a) => answer(t, a, pathExists(t, a, false), false, 0) });
export const sys_flistxattr = defineSyscall({ name: "flistxattr", args: fdKinds(LIST), fn: (t, a) => answer(t, a, fdExists(t, a), false, 0) });
export const sys_removexattr = defineSyscall({ name: "removexattr", args: REMOVE, fn: (t, a) => answer(t, a, pathExists(t, a, true), true, -ENODATA) });
export const sys_lremovexattr = defineSyscall({ name: "lremovexattr", args: REMOVE, fn: (t, a) => answer(t, a, pathExists(t, a, false), true, -ENODATA) });
export const sys_fremovexattr = defineSyscall({ name: "fremovexattr", args: fdKinds(REMOVE), fn: (t, a) => answer(t, a, fdExists(t, a), true, -ENODATA) });
