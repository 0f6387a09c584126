// Descriptor control (fs/fcntl.c, fs/file.c, fs/ioctl.c, fs/locks.c): dup, dup3, fcntl with
// record locks and pipe sizes, ioctl's generic requests (the file's own ones go to its FileOps), flock.

import { EBADF, EFAULT, EINVAL, ENOTTY, EPERM } from "../src/kernel/errno.ts";
import * as O from "../src/kernel/fs/file.ts";
import type { OpenFile } from "../src/kernel/fs/file.ts";
import { pipeOf, PIPE_MAX_SIZE, roundPipeSize } from "../src/kernel/fs/pipe.ts";
import { S_IFMT, S_IFREG } from "../src/kernel/fs/stat.ts";
import type { Task } from "../src/kernel/proc/task.ts";
import { flockFile, getLock, releaseFileLocks, setLock } from "../src/kernel/vfs/flock.ts";
import { copy_from_user, copy_to_user, get_user_u32, put_user_u32 } from "../src/mm/uaccess.ts";
import { fdFile } from "./fs.ts";
import { defineSyscall } from "./types.ts";
import { F_ADD_SEALS, F_GET_SEALS, memfdFcntl } from "../src/kernel/fs/memfd_seals.ts";

/** dup(2) */
export const sys_dup = defineSyscall({
  name: "dup", args: ["fd"], ret: "fd",
  fn: (t, a) => {
    const f = t.files.get(a.fd(0));
    return f ? t.files.install(f, false) : -EBADF;
  },
});

/** dup3(2): closing what was at newfd drops this process's locks on that file, like close */
export const sys_dup3 = defineSyscall({
  name: "dup3", args: ["fd", "fd", "oflags"], ret: "fd",
  fn: (t, a) => {
    const [oldfd, newfd, flags] = [a.fd(0), a.fd(1), a.int(2)];
    if (flags & ~O.O_CLOEXEC || oldfd === newfd) return -EINVAL;
    const f = t.files.get(oldfd);
    if (!f) return -EBADF;
    const replaced = t.files.get(newfd);
    if (replaced) releaseFileLocks(t, replaced);
    return t.files.installAt(newfd, f, (flags & O.O_CLOEXEC) !== 0);
  },
});

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;
const F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11;
const F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
const CAP_SYS_RESOURCE = 24n;
const FD_CLOEXEC = 1;
const O_ASYNC = 0o20000;
const SETFL_MASK = O.O_APPEND | O.O_NONBLOCK | O.O_DIRECT | O.O_NOATIME | O_ASYNC;
/** What an O_PATH descriptor allows (check_fcntl_cmd). */
const PATH_CMDS = new Set([F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL]);

function lockCmd(t: Task, f: OpenFile, cmd: number, p: number): number {
  const raw = new Uint8Array(t.abi.SIZEOF_FLOCK);
  if (copy_from_user(t.mm, raw, p, raw.length)) return -EFAULT;
  const arg = t.abi.decodeFlock(raw);
  const ofd = cmd >= F_OFD_GETLK;
  if (ofd && arg.pid !== 0) return -EINVAL;
  if (cmd === F_GETLK || cmd === F_OFD_GETLK) {
    const r = getLock(t, f, arg, ofd);
    if (typeof r === "number") return r;
    return copy_to_user(t.mm, p, t.abi.encodeFlock(r)) ? -EFAULT : 0;
  }
  return setLock(t, f, arg, ofd, cmd === F_SETLKW || cmd === F_OFD_SETLKW);
}

/** pipe_fcntl: a pipe's or FIFO's capacity; EBADF for any other file, as get_pipe_info fails. */
function pipeFcntl(t: Task, f: OpenFile, cmd: number, arg: number): number {
  const pipe = pipeOf(f);
  if (!pipe) return -EBADF;
  if (cmd === F_GETPIPE_SZ) return pipe.capacity;
  const size = roundPipeSize(arg);
  if (size === 0) return -EINVAL;
  const privileged = (t.cred.capEffective >> CAP_SYS_RESOURCE) & 1n;
  if (size > pipe.capacity && size > PIPE_MAX_SIZE && !privileged) return -EPERM;
  return pipe.resize(size);
}

/** fcntl(2): duplication, descriptor and status flags, record locks (POSIX and OFD). */
export const sys_fcntl = defineSyscall({
  name: "fcntl", args: ["fd", "fcntl_cmd", "fcntl_arg"],
  fn: (t, a) => {
    const fd = a.fd(0);
    const cmd = a.int(1);
    const f = t.files.get(fd);
    if (!f || (f.flags & O.O_PATH && !PATH_CMDS.has(cmd))) return -EBADF;
    const arg = a.int(2);
    switch (cmd) {
      case F_DUPFD: case F_DUPFD_CLOEXEC:
        if (arg < 0 || arg >= t.files.limit) return -EINVAL;
        return t.files.install(f, cmd === F_DUPFD_CLOEXEC, arg);
      case F_GETFD: return t.files.isCloexec(fd) ? FD_CLOEXEC : 0;
      case F_SETFD: t.files.setCloexec(fd, (arg & FD_CLOEXEC) !== 0); return 0;
      case F_GETFL: return f.flags;
      case F_SETFL: f.flags = (f.flags & ~SETFL_MASK) | (arg & SETFL_MASK); return 0;
      case F_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
        return lockCmd(t, f, cmd, a.ptr(2));
      case F_GETPIPE_SZ: case F_SETPIPE_SZ: return pipeFcntl(t, f, cmd, a.uint(2));
      case F_ADD_SEALS: case F_GET_SEALS: return memfdFcntl(t, f, cmd, a.uint(2));
      case F_GETOWN: case F_GETSIG: return 0;
      case F_SETOWN: case F_SETSIG: return 0; // SIGIO is never raised: nothing to direct
      default: return -EINVAL;
    }
  },
});

const FIONREAD = 0x541b, FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIOASYNC = 0x5452;

/** ioctl(2): the generic requests of do_vfs_ioctl, then the file's own (terminal ones ...). */
export const sys_ioctl = defineSyscall({
  name: "ioctl", args: ["fd", "ioctl_req", "hex"],
  fn: (t, a) => {
    const fd = a.fd(0);
    const f = fdFile(t, fd);
    if (typeof f === "number") return f;
    const [req, arg] = [a.uint(1), a.ptr(2)];
    switch (req) {
      case FIOCLEX: t.files.setCloexec(fd, true); return 0;
      case FIONCLEX: t.files.setCloexec(fd, false); return 0;
      case FIOASYNC: return get_user_u32(t.mm, arg) === null ? -EFAULT : 0;
      case FIONBIO: {
        const on = get_user_u32(t.mm, arg);
        if (on === null) return -EFAULT;
        f.flags = on ? f.flags | O.O_NONBLOCK : f.flags & ~O.O_NONBLOCK;
        return 0;
      }
      case FIONREAD: {
        const st = f.ops.stat(f);
        if (typeof st !== "number" && (st.mode & S_IFMT) === S_IFREG && f.dentry) {
          return put_user_u32(t.mm, arg, Math.max(0, Math.min(0x7fffffff, Number(st.size) - f.pos)));
        }
      }
    }
    return f.ops.ioctl ? f.ops.ioctl(f, t, req, arg) : -ENOTTY;
  },
});

/** flock(2): whole-file locks owned by the open file */
export const sys_flock = defineSyscall({
  name: "flock", args: ["fd", "flock_op"],
  fn: (t, a) => {
    const f = fdFile(t, a.fd(0));
    return typeof f === "number" ? f : flockFile(t, f, a.int(1));
  },
});

/** dup2(2), which x86-64 keeps: dup3 without flags, except that dup2(fd, fd) checks fd and returns it. */
export const sys_dup2 = defineSyscall({
  name: "dup2", args: ["fd", "fd"], ret: "fd",
  fn: (t, a) => {
    const [oldfd, newfd] = [a.fd(0), a.fd(1)];
    if (oldfd === newfd) return t.files.get(oldfd) ? newfd : -EBADF;
    const f = t.files.get(oldfd);
    if (!f) return -EBADF;
    const replaced = t.files.get(newfd);
    if (replaced) releaseFileLocks(t, replaced);
    return t.files.installAt(newfd, f, false);
  },
});
