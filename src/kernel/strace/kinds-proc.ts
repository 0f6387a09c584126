// strace decoders for the process, signal, credential and thread calls: clone flags, wait
// statuses, siginfo, itimers, futex operations, argv/envp, sigaltstack, capabilities.

import { get_user_u64 } from "../../mm/uaccess.ts";
import { signalName, type SigInfo } from "../signal/signal.ts";
import { addrOrNull, hex, ptrOrNull, readBytes, readString, readStruct, type DecodeContext, type Decoder } from "./decode.ts";
import { sigsetBits, siCodeName, timeval } from "./flags.ts";

type Bits = readonly (readonly [number, string])[];

function flagNames(v: number, table: Bits, zero = "0"): string {
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) >>> 0 === bit >>> 0 && bit !== 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) out.push(hex(rest));
  return out.length ? out.join("|") : zero;
}

const CLONE_BITS: Bits = [
  [0x100, "CLONE_VM"], [0x200, "CLONE_FS"], [0x400, "CLONE_FILES"], [0x800, "CLONE_SIGHAND"], [0x1000, "CLONE_PIDFD"],
  [0x2000, "CLONE_PTRACE"], [0x4000, "CLONE_VFORK"], [0x8000, "CLONE_PARENT"], [0x10000, "CLONE_THREAD"],
  [0x20000, "CLONE_NEWNS"], [0x40000, "CLONE_SYSVSEM"], [0x80000, "CLONE_SETTLS"], [0x100000, "CLONE_PARENT_SETTID"],
  [0x200000, "CLONE_CHILD_CLEARTID"], [0x400000, "CLONE_DETACHED"], [0x800000, "CLONE_UNTRACED"],
  [0x1000000, "CLONE_CHILD_SETTID"], [0x2000000, "CLONE_NEWCGROUP"], [0x4000000, "CLONE_NEWUTS"],
  [0x8000000, "CLONE_NEWIPC"], [0x10000000, "CLONE_NEWUSER"], [0x20000000, "CLONE_NEWPID"], [0x40000000, "CLONE_NEWNET"],
  [0x80000000, "CLONE_IO"],
];

/** `CLONE_VM|CLONE_FS|...|SIGCHLD` */
export function cloneFlags(v: number): string {
  const sig = v & 0xff;
  const rest = flagNames(v & ~0xff, CLONE_BITS, "");
  const s = sig ? signalName(sig) : "";
  return [rest, s].filter(Boolean).join("|") || "0";
}

/** clone(2) in strace's order: child_stack, flags, then the pointers its flags use. */
function cloneArgs(c: DecodeContext): string {
  const flags = c.a.uint(0);
  const parts = [`child_stack=${ptrOrNull(c.a.ptr(1))}`, `flags=${cloneFlags(flags)}`];
  if (flags & 0x100000) parts.push(`parent_tid=${hex(c.a.ptr(2))}`);
  if (flags & 0x80000) parts.push(`tls=${hex(c.a.ptr(c.t.abi.cloneTlsArg))}`);
  if (flags & 0x1200000) parts.push(`child_tidptr=${hex(c.a.ptr(c.t.abi.cloneChildTidArg))}`);
  return parts.join(", ");
}

function clone3Args(c: DecodeContext): string {
  const v = readStruct(c.t, c.a.ptr(c.i), 64);
  if (!v) return hex(c.a.ptr(c.i));
  const flags = v.getBigUint64(0, true);
  const sig = Number(v.getBigUint64(32, true));
  const parts = [`flags=${flagNames(Number(flags & 0xffffffffn), CLONE_BITS, "0")}`];
  if (flags & 0x1200000n) parts.push(`child_tid=${hex(v.getBigUint64(16, true))}`);
  if (flags & 0x100000n) parts.push(`parent_tid=${hex(v.getBigUint64(24, true))}`);
  parts.push(`exit_signal=${sig ? signalName(sig) : 0}`, `stack=${hex(v.getBigUint64(40, true))}`, `stack_size=${hex(v.getBigUint64(48, true))}`);
  if (flags & 0x80000n) parts.push(`tls=${hex(v.getBigUint64(56, true))}`);
  return `{${parts.join(", ")}}`;
}

/** A wait status as strace shows it: `{WIFEXITED(s) && WEXITSTATUS(s) == 0}`. */
export function waitStatus(s: number): string {
  if ((s & 0x7f) === 0) return `{WIFEXITED(s) && WEXITSTATUS(s) == ${(s >> 8) & 0xff}}`;
  if ((s & 0xff) === 0x7f) return `{WIFSTOPPED(s) && WSTOPSIG(s) == ${signalName((s >> 8) & 0xff)}}`;
  if (s === 0xffff) return "{WIFCONTINUED(s)}";
  return `{WIFSIGNALED(s) && WTERMSIG(s) == ${signalName(s & 0x7f)}${s & 0x80 ? " && WCOREDUMP(s)" : ""}}`;
}

const WAIT_BITS: Bits = [[1, "WNOHANG"], [2, "WSTOPPED"], [4, "WEXITED"], [8, "WCONTINUED"], [0x01000000, "WNOWAIT"], [0x20000000, "__WNOTHREAD"], [0x40000000, "__WALL"], [0x80000000, "__WCLONE"]];
const WAIT4_BITS: Bits = [[1, "WNOHANG"], [2, "WUNTRACED"], [8, "WCONTINUED"], [0x20000000, "__WNOTHREAD"], [0x40000000, "__WALL"], [0x80000000, "__WCLONE"]];

/** `{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., ...}` for a siginfo. */
export function siginfoText(i: SigInfo): string {
  const name = signalName(i.signo);
  const code = codeName(i.signo, i.code);
  const head = `si_signo=${name}, si_code=${code}`;
  if (i.addr !== undefined) return `{${head}, si_addr=${addrOrNull(i.addr)}}`;
  if (i.code === 0x80) return `{${head}}`;
  if (i.status !== undefined) {
    const st = i.code === 1 ? String(i.status) : signalName(i.status);
    return `{${head}, si_pid=${i.pid}, si_uid=${i.uid}, si_status=${st}, si_utime=${i.utime ?? 0n}, si_stime=${i.stime ?? 0n}}`;
  }
  const val = i.code === -1 || i.code === -2 ? `, si_int=${Number(BigInt.asIntN(32, i.value ?? 0n))}, si_ptr=${ptrOrNull(Number(i.value ?? 0n))}` : "";
  return `{${head}, si_pid=${i.pid ?? 0}, si_uid=${i.uid ?? 0}${val}}`;
}

function codeName(sig: number, code: number): string {
  const generic: Record<number, string> = { 0: "SI_USER", 0x80: "SI_KERNEL", [-1]: "SI_QUEUE", [-2]: "SI_TIMER", [-3]: "SI_MESGQ", [-4]: "SI_ASYNCIO", [-5]: "SI_SIGIO", [-6]: "SI_TKILL" };
  if (code <= 0 || code === 0x80) return generic[code] ?? String(code);
  if (sig === 17) return ["", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"][code] ?? String(code);
  return siCodeName(sig, code);
}

/** A siginfo_t in guest memory, decoded by its layout. */
function siginfoAt(c: DecodeContext): string {
  const v = readStruct(c.t, c.a.ptr(c.i), 128);
  if (!v) return ptrOrNull(c.a.ptr(c.i));
  const signo = v.getInt32(0, true), code = v.getInt32(8, true);
  if (signo === 0) return "{}";
  const info: SigInfo = { signo, code };
  if (code > 0 && code !== 0x80 && [4, 5, 7, 8, 11].includes(signo)) info.addr = v.getBigUint64(16, true);
  else if (code !== 0x80) {
    info.pid = v.getInt32(16, true);
    info.uid = v.getUint32(20, true);
    if (signo === 17 && code > 0) {
      info.status = v.getInt32(24, true);
      info.utime = v.getBigInt64(32, true);
      info.stime = v.getBigInt64(40, true);
    } else {
      info.value = v.getBigInt64(24, true);
    }
  }
  return siginfoText(info);
}

/** `["ls", "-l"]`: a NULL-terminated array of strings (execve's argv). */
function stringArray(c: DecodeContext): string {
  const p = c.a.ptr(c.i);
  if (p === 0) return "NULL";
  const out: string[] = [];
  for (let i = 0; i < 33; i++) {
    const s = get_user_u64(c.t.mm, p + i * 8);
    if (s === null) return hex(p);
    if (s === 0n) return `[${out.join(", ")}]`;
    if (i === 32) return `[${out.join(", ")}, ...]`;
    out.push(readString(c.t, Number(s)));
  }
  return `[${out.join(", ")}]`;
}

/** `0x3ffffff8d8 /* 5 vars *\/`: execve's envp, counted, not printed. */
function envCount(c: DecodeContext): string {
  const p = c.a.ptr(c.i);
  if (p === 0) return "NULL";
  let n = 0;
  while (n < 100000) {
    const s = get_user_u64(c.t.mm, p + n * 8);
    if (s === null) return hex(p);
    if (s === 0n) break;
    n++;
  }
  return `${hex(p)} /* ${n} var${n === 1 ? "" : "s"} */`;
}

function itimerval(v: DataView | null, p: number): string {
  if (!v) return ptrOrNull(p);
  const tv = (off: number) => timeval(new DataView(v.buffer, v.byteOffset + off, 16), 1);
  return `{it_interval=${tv(0)}, it_value=${tv(16)}}`;
}

function stackT(c: DecodeContext): string {
  const p = c.a.ptr(c.i);
  const b = readBytes(c.t, p, c.t.abi.SIZEOF_STACK_T);
  if (!b) return ptrOrNull(p);
  const s = c.t.abi.decodeStack(b);
  const f = flagNames(s.flags, [[1, "SS_ONSTACK"], [2, "SS_DISABLE"], [0x80000000, "SS_AUTODISARM"]]);
  return `{ss_sp=${ptrOrNull(Number(s.sp))}, ss_flags=${f}, ss_size=${s.size}}`;
}

const FUTEX_OPS = ["FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI", "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"];

function futexOp(v: number): string {
  const name = FUTEX_OPS[v & 127] ?? String(v & 127);
  return name + (v & 128 ? "_PRIVATE" : "") + (v & 256 ? "|FUTEX_CLOCK_REALTIME" : "");
}

/** futex's arguments after val: what the operation uses, the rest left out. */
function futexRest(c: DecodeContext): string {
  if (c.i !== 3) return "";
  const op = c.a.int(1) & 127;
  const bitset = (i: number) => (c.a.uint(i) === 0xffffffff ? "FUTEX_BITSET_MATCH_ANY" : hex(c.a.uint(i)));
  const ts = () => F_timespec(c, 3);
  switch (op) {
    case 0: return ts();
    case 3: return `${c.a.uint(3)}, ${hex(c.a.ptr(4))}`;
    case 4: return `${c.a.uint(3)}, ${hex(c.a.ptr(4))}, ${c.a.uint(5)}`;
    case 5: return `${c.a.uint(3)}, ${hex(c.a.ptr(4))}, ${hex(c.a.uint(5))}`;
    case 9: return `${ts()}, ${bitset(5)}`;
    case 10: return bitset(5);
    default: return `${hex(c.a.ptr(3))}, ${hex(c.a.ptr(4))}, ${c.a.uint(5)}`;
  }
}

function F_timespec(c: DecodeContext, i: number): string {
  const p = c.a.ptr(i);
  const v = readStruct(c.t, p, 16);
  return v ? `{tv_sec=${v.getBigInt64(0, true)}, tv_nsec=${v.getBigInt64(8, true)}}` : ptrOrNull(p);
}

function idValue(v: number): string {
  return v === 0xffffffff ? "-1" : String(v);
}

function idOut(c: DecodeContext): string {
  const v = readStruct(c.t, c.a.ptr(c.i), 4);
  return c.failed || !v ? hex(c.a.ptr(c.i)) : `[${v.getUint32(0, true)}]`;
}

function idArray(c: DecodeContext, n: number): string {
  if (n <= 0) return "[]";
  const v = readStruct(c.t, c.a.ptr(c.i), 4 * Math.min(n, 32));
  if (!v) return hex(c.a.ptr(c.i));
  const ids = Array.from({ length: Math.min(n, 32) }, (_, k) => String(v.getUint32(k * 4, true)));
  return `[${ids.join(", ")}${n > 32 ? ", ..." : ""}]`;
}

const CAP_NAMES = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
  "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
  "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
  "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
  "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
];

function capSet(v: bigint): string {
  if (v === 0n) return "0";
  const names: string[] = [];
  for (let i = 0; i < 64; i++) if (v & (1n << BigInt(i))) names.push(`1<<${CAP_NAMES[i] ?? String(i)}`);
  return names.join("|");
}

function capData(c: DecodeContext): string {
  const v = readStruct(c.t, c.a.ptr(c.i), 24);
  if (!v) return ptrOrNull(c.a.ptr(c.i));
  const at = (off: number) => BigInt(v.getUint32(off, true)) | (BigInt(v.getUint32(off + 12, true)) << 32n);
  return `{effective=${capSet(at(0))}, permitted=${capSet(at(4))}, inheritable=${capSet(at(8))}}`;
}

const CAP_VERSIONS: Record<number, string> = { 0x19980330: "_LINUX_CAPABILITY_VERSION_1", 0x20071026: "_LINUX_CAPABILITY_VERSION_2", 0x20080522: "_LINUX_CAPABILITY_VERSION_3" };

/** x86-64's arch_prctl codes (asm/prctl.h). */
const ARCH_PRCTL: Record<number, string> = {
  0x1001: "ARCH_SET_GS", 0x1002: "ARCH_SET_FS", 0x1003: "ARCH_GET_FS", 0x1004: "ARCH_GET_GS",
  0x1011: "ARCH_GET_CPUID", 0x1012: "ARCH_SET_CPUID",
};

const PRCTL: Record<number, string> = { 1: "PR_SET_PDEATHSIG", 2: "PR_GET_PDEATHSIG", 3: "PR_GET_DUMPABLE", 4: "PR_SET_DUMPABLE", 8: "PR_SET_KEEPCAPS", 15: "PR_SET_NAME", 16: "PR_GET_NAME", 36: "PR_SET_CHILD_SUBREAPER", 37: "PR_GET_CHILD_SUBREAPER", 38: "PR_SET_NO_NEW_PRIVS", 39: "PR_GET_NO_NEW_PRIVS", 22: "PR_SET_SECCOMP", 21: "PR_GET_SECCOMP", 0x59616d61: "PR_SET_PTRACER", 23: "PR_CAPBSET_READ", 47: "PR_CAP_AMBIENT" };

const out = (f: Decoder): Decoder => (c) => (c.failed || c.ret === null ? hex(c.a.ptr(c.i)) : f(c));

export const PROC_KINDS: [string, Decoder][] = [
  ["clone_args", cloneArgs],
  ["clone_hidden", () => ""],
  ["clone3_args", clone3Args],
  ["wait_status_out", (c) => (c.a.ptr(c.i) === 0 ? "NULL" : c.failed || !c.ret ? hex(c.a.ptr(c.i)) : `[${waitStatus(readStruct(c.t, c.a.ptr(c.i), 4)?.getInt32(0, true) ?? 0)}]`)],
  ["wait4_options", (c) => flagNames(c.a.int(c.i), WAIT4_BITS)],
  ["waitid_options", (c) => flagNames(c.a.int(c.i), WAIT_BITS)],
  ["idtype", (c) => ["P_ALL", "P_PID", "P_PGID", "P_PIDFD"][c.a.int(c.i)] ?? String(c.a.int(c.i))],
  ["siginfo_out", (c) => (c.failed ? hex(c.a.ptr(c.i)) : siginfoAt(c))],
  ["siginfo", siginfoAt],
  ["rusage_out", (c) => (c.a.ptr(c.i) === 0 ? "NULL" : c.failed ? hex(c.a.ptr(c.i)) : "{ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ...}")],
  ["argv", stringArray],
  ["envp", envCount],
  ["sigreturn_frame", (c) => { const v = readStruct(c.t, Number(BigInt.asUintN(64, c.t.regs.sp)) + (c.t.regs.sigmaskOffset ?? 168), 8); return `{mask=${v ? sigsetBits(v.getBigUint64(0, true)) : "?"}}`; }],
  ["stack_t", stackT],
  ["stack_t_out", out(stackT)],
  ["itimer_which", (c) => ["ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF"][c.a.int(c.i)] ?? String(c.a.int(c.i))],
  ["itimerval", (c) => itimerval(readStruct(c.t, c.a.ptr(c.i), 32), c.a.ptr(c.i))],
  ["itimerval_out", out((c) => itimerval(readStruct(c.t, c.a.ptr(c.i), 32), c.a.ptr(c.i)))],
  ["futex_op", (c) => futexOp(c.a.int(c.i))],
  ["futex_rest", futexRest],
  ["pipefd_out", out((c) => { const v = readStruct(c.t, c.a.ptr(c.i), 8); return v ? `[${v.getInt32(0, true)}, ${v.getInt32(4, true)}]` : hex(c.a.ptr(c.i)); })],
  ["cpuset_out", out(() => "[0]")],
  ["uid", (c) => idValue(c.a.uint(c.i))],
  ["uid_out", idOut],
  ["gid_array", (c) => idArray(c, c.a.int(0))],
  ["gid_array_out", (c) => (c.failed || c.ret === null ? hex(c.a.ptr(c.i)) : idArray(c, c.a.int(0) === 0 ? 0 : c.ret))],
  ["cap_header", (c) => { const v = readStruct(c.t, c.a.ptr(c.i), 8); return v ? `{version=${CAP_VERSIONS[v.getUint32(0, true)] ?? hex(v.getUint32(0, true))}, pid=${v.getInt32(4, true)}}` : ptrOrNull(c.a.ptr(c.i)); }],
  ["cap_data", capData],
  ["cap_data_out", out(capData)],
  ["prctl_option", (c) => PRCTL[c.a.int(c.i)] ?? String(c.a.int(c.i))],
  ["arch_prctl_code", (c) => ARCH_PRCTL[c.a.int(c.i)] ?? `0x${c.a.int(c.i).toString(16)} /* ARCH_??? */`],
  ["ret:rt_sigtimedwait", (c) => `(${signalName(c.ret ?? 0)})`],
];
