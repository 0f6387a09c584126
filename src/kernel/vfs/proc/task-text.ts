// The text of /proc/<pid>/{maps,stat,statm,status} (fs/proc/task_mmu.c, fs/proc/array.c),
// in Linux's exact formats, made from a task's mm, credentials and signal state.

import { resolve } from "node:path";
import { copy_from_user } from "../../../mm/uaccess.ts";
import type { Vma } from "../../../mm/vma.ts";
import { MAP_SHARED, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../../mm/mman.ts";
import { SIG_DFL, SIG_IGN, NSIG } from "../../signal/signal.ts";
import type { Task, TaskState } from "../../proc/task.ts";
import { lookupAt, AT_FDCWD } from "../namei.ts";

/** USER_HZ: the unit of times in /proc/<pid>/stat. */
export const USER_HZ = 100n;

const STATES: Record<TaskState, string> = {
  running: "R (running)", sleeping: "S (sleeping)", stopped: "T (stopped)", zombie: "Z (zombie)", dead: "X (dead)",
};

/** major and minor of a dev_t in the glibc encoding KStat uses. */
export function devParts(dev: bigint): [number, number] {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return [Number(major & 0xffffffffn), Number(minor & 0xffffffffn)];
}

const hex = (n: number | bigint, width: number) => n.toString(16).padStart(width, "0");

/** The name /proc/<pid>/maps shows for a mapping: a guest path, [heap] ..., or "". */
function vmaPath(reader: Task, v: Vma): string {
  if (v.name === "" || v.name.startsWith("[") || v.name.startsWith("/")) return v.name;
  // exec was given a path relative to sysemu's own directory: show where that is for the guest
  const host = resolve(v.name);
  return reader.kernel.vfs.guestPathOfHost(host) ?? host;
}

/** /proc/<pid>/maps */
export function mapsText(reader: Task, target: Task): string {
  const ids = new Map<string, [number, number, bigint]>();
  const idOf = (path: string): [number, number, bigint] => {
    let id = ids.get(path);
    if (!id) {
      const d = lookupAt(reader, AT_FDCWD, path, true);
      const st = typeof d === "number" ? d : d.inode.getattr();
      id = typeof st === "number" ? [0, 0, 0n] : [...devParts(st.dev), st.ino];
      ids.set(path, id);
    }
    return id;
  };
  let out = "";
  for (const v of target.mm.vmas()) {
    const name = vmaPath(reader, v);
    const file = name.startsWith("/");
    const [major, minor, ino] = v.ino !== undefined ? [(v.dev ?? 0) >>> 8, (v.dev ?? 0) & 0xff, BigInt(v.ino)] : file ? idOf(name) : [0, 0, 0n];
    const perms = (v.prot & PROT_READ ? "r" : "-") + (v.prot & PROT_WRITE ? "w" : "-") + (v.prot & PROT_EXEC ? "x" : "-") + ((v.flags & 3) === MAP_SHARED ? "s" : "p");
    const offset = file ? v.pgoff * PAGE_SIZE : 0;
    const head = `${hex(v.start, 8)}-${hex(v.end, 8)} ${perms} ${hex(offset, 8)} ${hex(major, 2)}:${hex(minor, 2)} ${ino} `;
    out += name ? `${head.padEnd(72)} ${name}\n` : `${head}\n`;
  }
  return out;
}

/** Memory figures in pages: total, resident, and by kind, for stat, statm and status. */
interface MemUse {
  size: number;
  rss: number;
  rssAnon: number;
  rssFile: number;
  data: number;
  stack: number;
  exe: number;
  lib: number;
  text: number;
}

function memUse(t: Task): MemUse {
  const m: MemUse = { size: 0, rss: 0, rssAnon: 0, rssFile: 0, data: 0, stack: 0, exe: 0, lib: 0, text: 0 };
  if (t.state === "zombie" || t.state === "dead") return m;
  for (const v of t.mm.vmas()) {
    const pages = (v.end - v.start) / PAGE_SIZE;
    m.size += pages;
    let resident = 0;
    for (let a = v.start; a < v.end; a += PAGE_SIZE) if (t.mm.frameOf(a) >= 0) resident++;
    m.rss += resident;
    const isFile = v.name.startsWith("/") || (v.name !== "" && !v.name.startsWith("["));
    if (isFile) m.rssFile += resident;
    else m.rssAnon += resident;
    if (v.name === "[stack]") m.stack += pages;
    else if (v.prot & PROT_WRITE && (v.flags & 3) !== MAP_SHARED) m.data += pages;
    if (v.prot & PROT_EXEC && isFile) {
      if (v.name === t.exe || resolve(v.name) === t.exe) m.exe += pages;
      else m.lib += pages;
      m.text += pages;
    }
  }
  return m;
}

/** Signals ignored and caught, from the dispositions. */
function sigDispositions(t: Task): { ign: bigint; cgt: bigint } {
  let ign = 0n, cgt = 0n;
  for (let s = 1; s <= NSIG; s++) {
    const h = t.sighand.actions[s]?.handler ?? SIG_DFL;
    if (h === SIG_IGN) ign |= 1n << BigInt(s - 1);
    else if (h !== SIG_DFL) cgt |= 1n << BigInt(s - 1);
  }
  return { ign, cgt };
}

/** Threads of t's process still in the task table. */
function threadCount(t: Task): number {
  let n = 0;
  for (const o of t.kernel.tasks.values()) if (o.pid === t.pid && o.state !== "dead") n++;
  return Math.max(n, 1);
}

/** /proc/<pid>/stat: the 52 fields of do_task_stat. */
export function statText(target: Task): string {
  const m = memUse(target);
  const { ign, cgt } = sigDispositions(target);
  const low = (s: bigint) => (s & 0x7fffffffn).toString();
  const ticks = (ns: bigint) => (ns / (1_000_000_000n / USER_HZ)).toString();
  const alive = target.state !== "zombie" && target.state !== "dead";
  const mm = target.mm;
  const fields: (string | number)[] = [
    target.tid, `(${target.comm})`, STATES[target.state][0]!, target.ppid, target.pgid, target.sid,
    target.ttyNr, target.ttyNr ? (target.kernel.ttys.get(target.ttyNr)?.pgrp ?? -1) : -1, 0x400000,
    0, 0, 0, 0, // minflt cminflt majflt cmajflt
    ticks(BigInt(Math.floor(target.cpuInsns))), 0, 0, 0, // utime stime cutime cstime
    20, 0, threadCount(target), 0, ticks(target.startNs),
    m.size * PAGE_SIZE, m.rss, "18446744073709551615",
    alive ? codeRange(target)[0] : 0, alive ? codeRange(target)[1] : 0, alive ? mm.startStack : 0,
    0, 0, // kstkesp kstkeip
    low(target.pending.signal), low(target.blocked), low(ign), low(cgt),
    0, 0, 0, 17, 0, 0, 0, 0, 0, 0, // wchan nswap cnswap exit_signal processor rt_priority policy blkio gtime cgtime
    alive ? dataRange(target)[0] : 0, alive ? dataRange(target)[1] : 0, alive ? mm.startBrk : 0,
    alive ? target.argStart : 0, alive ? target.argEnd : 0, alive ? target.envStart : 0, alive ? target.envEnd : 0,
    target.state === "zombie" ? target.exitCode : 0,
  ];
  return fields.join(" ") + "\n";
}

/** mm->start_code/end_code: the program's executable mapping. */
function codeRange(t: Task): [number, number] {
  const v = t.mm.vmas().find((x) => x.prot & PROT_EXEC && x.name !== "[vdso]");
  return v ? [v.start, v.end] : [0, 0];
}

/** mm->start_data/end_data: the program's first writable file mapping. */
function dataRange(t: Task): [number, number] {
  const code = codeRange(t);
  const v = t.mm.vmas().find((x) => x.start >= code[1] && x.prot & PROT_WRITE);
  return v ? [v.start, v.end] : [0, 0];
}

/** /proc/<pid>/statm: size resident shared text lib data dt, in pages. */
export function statmText(target: Task): string {
  const m = memUse(target);
  return `${m.size} ${m.rss} ${m.rssFile} ${m.text} 0 ${m.data + m.stack} 0\n`;
}

const kb = (pages: number) => String((pages * PAGE_SIZE) / 1024).padStart(8) + " kB";
const sigHex = (s: bigint) => hex(BigInt.asUintN(64, s), 16);

/** /proc/<pid>/status */
export function statusText(target: Task): string {
  const c = target.cred;
  const m = memUse(target);
  const { ign, cgt } = sigDispositions(target);
  const pid = target.pid;
  const lines = [
    `Name:\t${target.comm.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`,
    `Umask:\t${target.fs.umask.toString(8).padStart(4, "0")}`,
    `State:\t${STATES[target.state]}`,
    `Tgid:\t${pid}`, `Ngid:\t0`, `Pid:\t${target.tid}`, `PPid:\t${target.ppid}`, `TracerPid:\t0`,
    `Uid:\t${c.uid}\t${c.euid}\t${c.suid}\t${c.fsuid}`,
    `Gid:\t${c.gid}\t${c.egid}\t${c.sgid}\t${c.fsgid}`,
    `FDSize:\t${Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, ...target.files.entries().map(([fd]) => fd + 1)))))}`,
    `Groups:\t${c.groups.join(" ")} `,
    `NStgid:\t${pid}`, `NSpid:\t${target.tid}`, `NSpgid:\t${target.pgid}`, `NSsid:\t${target.sid}`, `Kthread:\t0`,
  ];
  if (target.state !== "zombie" && target.state !== "dead") {
    lines.push(
      `VmPeak:\t${kb(m.size)}`, `VmSize:\t${kb(m.size)}`, `VmLck:\t${kb(0)}`, `VmPin:\t${kb(0)}`,
      `VmHWM:\t${kb(Math.max(m.rss, target.mm.rss().peak))}`, `VmRSS:\t${kb(m.rss)}`, `RssAnon:\t${kb(m.rssAnon)}`, `RssFile:\t${kb(m.rssFile)}`,
      `RssShmem:\t${kb(0)}`, `VmData:\t${kb(m.data)}`, `VmStk:\t${kb(m.stack)}`, `VmExe:\t${kb(m.exe)}`,
      `VmLib:\t${kb(m.lib)}`, `VmPTE:\t${kb(Math.ceil(m.size / 512))}`, `VmSwap:\t${kb(0)}`, `HugetlbPages:\t${kb(0)}`,
      `CoreDumping:\t0`, `THP_enabled:\t1`, `untag_mask:\t0xffffffffffffffff`,
    );
  }
  lines.push(
    `Threads:\t${threadCount(target)}`, `SigQ:\t0/63448`,
    `SigPnd:\t${sigHex(target.pending.signal)}`, `ShdPnd:\t${sigHex(target.group.shared.signal)}`,
    `SigBlk:\t${sigHex(target.blocked)}`, `SigIgn:\t${sigHex(ign)}`, `SigCgt:\t${sigHex(cgt)}`,
    `CapInh:\t${sigHex(c.capInheritable)}`, `CapPrm:\t${sigHex(c.capPermitted)}`, `CapEff:\t${sigHex(c.capEffective)}`,
    `CapBnd:\t000001ffffffffff`, `CapAmb:\t0000000000000000`,
    `NoNewPrivs:\t0`, `Seccomp:\t0`, `Seccomp_filters:\t0`,
    `Speculation_Store_Bypass:\tunknown`, `SpeculationIndirectBranch:\tunknown`,
    `Cpus_allowed:\t1`, `Cpus_allowed_list:\t0`, `Mems_allowed:\t00000000,00000001`, `Mems_allowed_list:\t0`,
    `voluntary_ctxt_switches:\t0`, `nonvoluntary_ctxt_switches:\t0`,
  );
  return lines.join("\n") + "\n";
}

/** The bytes of [start, end) of a task's memory (cmdline, environ); empty once it has exited. */
export function taskMemory(target: Task, start: number, end: number): Uint8Array {
  if (target.state === "zombie" || target.state === "dead" || end <= start) return new Uint8Array(0);
  const buf = new Uint8Array(end - start);
  const missing = copy_from_user(target.mm, buf, start, buf.length);
  return buf.subarray(0, buf.length - missing);
}
