// execve(2) and execveat(2) (the kernel's fs/exec.c, binfmt_script.c, and the credential part
// of binfmt_elf): find and check the file, follow `#!` to an interpreter, load the ELF into a
// fresh address space, and only then, past the point of no return, make the task the new
// program: other threads gone, handlers reset, close-on-exec files closed, set-user-ID and
// set-group-ID honoured.

import { statSync, type Stats } from "node:fs";
import { put_user_u32 } from "../../mm/uaccess.ts";
import { EACCES, EBADF, ELOOP, ENOEXEC } from "../errno.ts";
import { exitThread, foldMmUsage, releaseVforkParent } from "./exit.ts";
import type { BinfmtImage } from "./binfmt.ts";
import { futexWake } from "./futex.ts";
import { readExecFile } from "../vfs/exec-file.ts";
import { AT_FDCWD } from "../vfs/namei.ts";
import { noAltStack } from "../signal/signal.ts";
import { JUSTRETURN } from "../sysret.ts";
import { CAP_FULL, type Cred, type Task } from "./task.ts";
import { updateVvar } from "../time/vvar.ts";
import { exitTimers } from "../time/posix-timers.ts";
import { KERN_WARNING } from "../printk.ts";

export const AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;
const S_ISUID = 0o4000, S_ISGID = 0o2000;
/** BINPRM_BUF_SIZE: how much of a `#!` line the kernel reads. */
const BINPRM_BUF_SIZE = 256;
/** How many `#!` interpreters may chain (binfmt's recursion limit). */
const MAX_INTERP_DEPTH = 4;
import { RLIMIT_STACK } from "../../../syscalls/abi/linux.ts";

/** A file exec may run: its bytes, mode and owner, and its path for /proc/pid/exe. */
interface ExecFile {
  bytes: Uint8Array;
  mode: number;
  uid: number;
  gid: number;
  exe: string;
}

/** What execve was asked to run. */
export interface ExecArgs {
  dirfd: number;
  path: string;
  flags: number;
  argv: Uint8Array[];
  envp: Uint8Array[];
}

/** do_open_execat: the file `path` names, checked for exec permission, read through the VFS, or -errno. */
function openExec(t: Task, dirfd: number, path: string, flags: number): ExecFile | number {
  if (path === "" && flags & AT_EMPTY_PATH) {
    const f = t.files.get(dirfd);
    if (!f) return -EBADF;
    if (!f.dentry) return -EACCES;
    path = f.dentry.path;
    dirfd = AT_FDCWD;
  }
  const file = readExecFile(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  return typeof file === "number" ? file : { bytes: file.bytes, mode: file.mode, uid: file.uid, gid: file.gid, exe: file.path };
}

/** The owner the guest sees: --file-owner maps the host user's files to another id. */
function fileOwner(t: Task, uid: number, gid: number): { uid: number; gid: number } {
  const map = t.kernel.fileOwner;
  if (map && uid === (process.getuid?.() ?? -1)) return { uid: map.uid, gid: map.gid };
  return { uid, gid };
}

/** binfmt_script: the interpreter and its one optional argument from a `#!` line, or null. */
export function parseShebang(bytes: Uint8Array): { interp: string; arg: string | null } | null | number {
  if (bytes[0] !== 0x23 || bytes[1] !== 0x21) return null;
  const head = Buffer.from(bytes.subarray(2, BINPRM_BUF_SIZE));
  let end = head.indexOf(0x0a);
  if (end < 0) {
    if (bytes.length > BINPRM_BUF_SIZE) return -ENOEXEC; // the interpreter may be cut off
    end = head.length;
  }
  const line = head.subarray(0, end).toString("latin1").replace(/[ \t]+$/, "").replace(/^[ \t]+/, "");
  if (line === "") return -ENOEXEC;
  const cut = line.search(/[ \t]/);
  if (cut < 0) return { interp: line, arg: null };
  const arg = line.slice(cut).replace(/^[ \t]+/, "");
  return { interp: line.slice(0, cut), arg: arg === "" ? null : arg };
}

const enc = new TextEncoder();

/** The credentials after exec of `file` (bprm_fill_uid + cap_bprm_creds_from_file), and AT_SECURE. */
export function execCreds(old: Cred, file: { mode: number; uid: number; gid: number }): { cred: Cred; secure: boolean } {
  const c: Cred = { ...old, groups: [...old.groups] };
  if (file.mode & S_ISUID) c.euid = file.uid;
  if ((file.mode & (S_ISGID | 0o010)) === (S_ISGID | 0o010)) c.egid = file.gid;
  c.suid = c.fsuid = c.euid;
  c.sgid = c.fsgid = c.egid;
  // root's capabilities: all permitted when either id is 0, effective when the effective one is
  c.capPermitted = c.uid === 0 || c.euid === 0 ? CAP_FULL : 0n;
  c.capEffective = c.euid === 0 ? c.capPermitted : 0n;
  const secure = c.euid !== c.uid || c.egid !== c.gid;
  return { cred: c, secure };
}

/** do_execveat: replaces t's program; JUSTRETURN on success (the registers are new), -errno otherwise. */
export function doExecve(t: Task, a: ExecArgs): number {
  let file = openExec(t, a.dirfd, a.path, a.flags);
  let argv = a.argv.length > 0 ? a.argv : [new Uint8Array(0)]; // Linux 5.18+: argc is never 0
  if (a.argv.length === 0 && !t.kernel.warnedNullArgv) {
    t.kernel.warnedNullArgv = true; // pr_warn_once
    t.kernel.printk.printk(KERN_WARNING, `process '${t.comm}' launched '${a.path}' with NULL argv: empty string added`);
  }
  let filename = a.path === "" && a.flags & AT_EMPTY_PATH ? `/dev/fd/${a.dirfd}` : a.path;
  const execfn = filename;
  for (let depth = 0; typeof file !== "number"; depth++) {
    const bang = parseShebang(file.bytes);
    if (bang === null) break;
    if (typeof bang === "number") return bang;
    if (depth >= MAX_INTERP_DEPTH) return -ELOOP;
    argv = [enc.encode(bang.interp), ...(bang.arg !== null ? [enc.encode(bang.arg)] : []), enc.encode(filename), ...argv.slice(1)];
    filename = bang.interp;
    file = openExec(t, AT_FDCWD, bang.interp, 0);
  }
  if (typeof file === "number") return file;
  const { cred, secure } = execCreds(t.cred, t.noNewPrivs ? { ...file, mode: file.mode & ~(S_ISUID | S_ISGID) } : file);
  // a run without a CPU for programs (a WebAssembly guest's) has no binary format to load them
  const binfmt = t.kernel.binfmt;
  if (!binfmt) return -ENOEXEC;
  const r = binfmt.load(
    {
      file: file.bytes, path: execfn, argv, envp: a.envp,
      creds: { uid: cred.uid, euid: cred.euid, gid: cred.gid, egid: cred.egid, secure },
      readInterp: (p) => readInterp(t, p),
    },
    t.kernel,
  );
  if (typeof r === "number") return r;
  commitExec(t, r, file.exe, execfn, cred);
  return JUSTRETURN;
}

/** Reads PT_INTERP's program for the loader (through --sysroot like any absolute path). */
function readInterp(t: Task, path: string): Uint8Array | number {
  const f = openExec(t, AT_FDCWD, path, 0);
  return typeof f === "number" ? f : f.bytes;
}

/** The point of no return (begin_new_exec): t becomes the program r describes. */
function commitExec(t: Task, r: BinfmtImage, exe: string, execfn: string, cred: Cred): void {
  const k = t.kernel;
  deThread(t);
  if (sharedSighand(t)) t.sighand = t.sighand.clone();
  t.sighand.flushForExec();
  if (k.filesUsers(t.files) > 1) {
    const mine = t.files.clone();
    k.putFiles(t.files);
    k.getFiles(mine);
    t.files = mine;
  }
  t.files.closeOnExec();
  const old = t.mm;
  foldMmUsage(t.group, old);
  if (t.clearChildTid && k.mmUsers(old) > 1) {
    put_user_u32(old, t.clearChildTid, 0);
    futexWake(t, t.clearChildTid, 1, 0xffffffff);
  }
  t.clearChildTid = 0;
  releaseVforkParent(t);
  k.getMm(r.mm);
  k.putMm(old);
  t.mm = r.mm;
  const lim = t.rlimits.get(RLIMIT_STACK);
  if (lim) r.mm.stackLimit = Number(lim.cur > 1n << 40n ? 1n << 40n : lim.cur);
  updateVvar(r.mm, r.vvarBase, k.clock);
  t.insnsBefore += t.regs.instret;
  t.regs.release?.();
  t.regs = r.regs(() => k.clock.ticks());
  if (cred.euid !== t.cred.euid || cred.egid !== t.cred.egid) t.pdeathSig = 0;
  t.cred = cred;
  t.vdsoBase = r.vdsoBase;
  t.abi = r.abi;
  t.exe = exe;
  t.comm = execfn.slice(execfn.lastIndexOf("/") + 1).slice(0, 15);
  t.auxv = r.auxv;
  Object.assign(t, { argStart: r.argStart, argEnd: r.argEnd, envStart: r.envStart, envEnd: r.envEnd });
  t.sas = noAltStack();
  t.robustList = 0;
  t.rseq = 0;
  t.restartBlock = null;
  t.justReturned = 0;
  t.group.execed = true;
  exitTimers(t.group); // POSIX timers do not survive exec (exit_itimers); itimers do
}

/** Whether another process shares t's handlers (a vfork child's CLONE_SIGHAND). */
function sharedSighand(t: Task): boolean {
  for (const x of t.kernel.tasks.values()) if (x.group !== t.group && x.sighand === t.sighand && x.state !== "dead") return true;
  return false;
}

/** de_thread: the other threads die, and a non-leader takes over the process id. */
function deThread(t: Task): void {
  const g = t.group;
  for (const th of [...g.threads]) if (th !== t) exitThread(th, 0);
  if (g.leader === t) return;
  const k = t.kernel;
  const old = g.leader;
  k.tasks.delete(old.tid);
  k.tasks.delete(t.tid);
  g.threads.splice(g.threads.indexOf(old), 1);
  t.tid = old.tid;
  g.leader = t;
  k.tasks.set(t.tid, t);
}


const AT_EUID = 12, AT_EGID = 14, AT_SECURE = 23;

/**
 * The first program is loaded by the command line, not by execve: this gives it what execve's
 * credential rules would (set-user-ID and set-group-ID bits, AT_SECURE), patching the auxv
 * already on its stack at `auxvAddr`.
 */
export function firstExecCreds(t: Task, hostPath: string, auxvAddr: number): void {
  let st: Stats;
  try {
    st = statSync(hostPath);
  } catch {
    return;
  }
  const { cred, secure } = execCreds(t.cred, { mode: st.mode, ...fileOwner(t, st.uid, st.gid) });
  t.cred = cred;
  const v = new DataView(t.auxv.buffer, t.auxv.byteOffset, t.auxv.byteLength);
  for (let off = 0; off + 16 <= t.auxv.length; off += 16) {
    const type = Number(v.getBigUint64(off, true));
    const value = type === AT_EUID ? cred.euid : type === AT_EGID ? cred.egid : type === AT_SECURE ? (secure ? 1 : 0) : null;
    if (value !== null) v.setBigUint64(off + 8, BigInt(value), true);
  }
  t.mm.poke(auxvAddr, t.auxv);
}
