// procfs: per-process files in Linux's formats (maps, stat, status, auxv, cmdline, environ,
// fd links, exe, cwd) and the system-wide ones (cpuinfo, version, uptime, mounts).

import { describe, expect, it } from "vitest";
import { O_RDONLY } from "../../src/kernel/fs/file.ts";
import type { Task } from "../../src/kernel/proc/task.ts";
import { AT_FDCWD, lookupAt } from "../../src/kernel/vfs/namei.ts";
import { vfsOpen } from "../../src/kernel/vfs/open.ts";
import { vfsReadlink } from "../../src/kernel/vfs/ops.ts";
import { PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mm/mman.ts";
import { sibling } from "./helpers.ts";
import { O, open, setup } from "./setup.ts";

function bytes(t: Task, path: string): Uint8Array {
  const f = vfsOpen(t, AT_FDCWD, path, O_RDONLY, 0);
  if (typeof f === "number") throw new Error(`${path}: errno ${-f}`);
  const out: number[] = [];
  const chunk = new Uint8Array(100);
  for (let n; (n = f.ops.read!(f, t, chunk, null)) > 0; ) out.push(...chunk.subarray(0, n));
  return Uint8Array.from(out);
}
const text = (t: Task, path: string) => new TextDecoder().decode(bytes(t, path));
const link = (t: Task, path: string) => {
  const d = lookupAt(t, AT_FDCWD, path, false);
  return typeof d === "number" ? d : vfsReadlink(t, d);
};

/** A task whose memory looks like a program's: text, data, heap, stack, vvar, vdso. */
function program(): Task {
  const { t } = setup({ files: { "bin/prog": "ELF" }, dirs: ["bin", "home"] });
  const mm = t.mm;
  mm.mapFixed(0x10000, 0x2000, PROT_READ | PROT_EXEC, { name: "/bin/prog", pgoff: 0 });
  mm.mapFixed(0x12000, 0x1000, PROT_READ | PROT_WRITE, { name: "/bin/prog", pgoff: 2 });
  mm.mapFixed(0x13000, 0x1000, PROT_READ | PROT_WRITE, { name: "[heap]" });
  mm.mapFixed(0x3f_f000_0000, 0x2000, PROT_READ, { name: "[vvar]" });
  mm.mapFixed(0x3f_f000_2000, 0x1000, PROT_READ | PROT_EXEC, { name: "[vdso]" });
  mm.mapFixed(0x3f_ffff_0000, 0x10000, PROT_READ | PROT_WRITE, { name: "[stack]" });
  mm.poke(0x3f_ffff_f000, new TextEncoder().encode("prog\0-x\0HOME=/home\0"));
  Object.assign(t, { argStart: 0x3f_ffff_f000, argEnd: 0x3f_ffff_f008, envStart: 0x3f_ffff_f008, envEnd: 0x3f_ffff_f013 });
  t.auxv = new Uint8Array([6, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  t.exe = "/bin/prog";
  t.comm = "prog";
  return t;
}

describe("/proc/<pid>", () => {
  it("auxv is the saved auxv, byte for byte", () => {
    const t = program();
    expect(bytes(t, "/proc/self/auxv")).toEqual(t.auxv);
  });

  it("maps has Linux's columns, the name at column 74, and [heap] [stack] [vdso] [vvar]", () => {
    const t = program();
    const lines = text(t, "/proc/self/maps").split("\n").filter(Boolean);
    expect(lines[0]).toMatch(/^00010000-00012000 r-xp 00000000 [0-9a-f]{2}:[0-9a-f]{2} \d+ +\/bin\/prog$/);
    expect(lines[0]!.indexOf("/bin/prog")).toBe(73);
    expect(lines[1]).toMatch(/^00012000-00013000 rw-p 00002000 /);
    for (const name of ["[heap]", "[stack]", "[vdso]", "[vvar]"]) expect(lines.some((l) => l.endsWith(` ${name}`) && l.indexOf(name) === 73)).toBe(true);
    expect(lines.find((l) => l.includes("[stack]"))).toMatch(/^3fffff0000-4000000000 rw-p 00000000 00:00 0 {30}\[stack\]$/);
    expect(text(t, "/proc/self/maps")).toMatch(/^10000000-10100000 rw-p 00000000 00:00 0 $/m); // anonymous: a trailing space
  });

  it("cmdline and environ are the argument and environment strings from memory", () => {
    const t = program();
    expect(text(t, "/proc/self/cmdline")).toBe("prog\0-x\0");
    expect(text(t, "/proc/self/environ")).toBe("HOME=/home\0");
  });

  it("stat has 52 fields: pid (comm) state ppid pgrp session tty_nr tpgid ...", () => {
    const t = program();
    const line = text(t, "/proc/self/stat");
    const fields = line.trimEnd().split(" ");
    expect(fields).toHaveLength(52);
    expect(fields.slice(0, 8)).toEqual([String(t.pid), "(prog)", "R", String(t.ppid), String(t.pgid), String(t.sid), "0", "-1"]);
    expect(fields[19]).toBe("1"); // num_threads
    expect(Number(fields[22])).toBe((0x2000 + 0x1000 * 2 + 0x3000 + 0x10000 + (1 << 20)) ); // vsize
    expect(fields[27]).toBe(String(t.mm.startStack));
    expect(fields[38 - 1]).toBe("17"); // exit_signal
  });

  it("stat shows S for a sleeping task and Z for a zombie", () => {
    const t = program();
    t.state = "sleeping";
    expect(text(t, "/proc/self/stat").split(" ")[2]).toBe("S");
    const u = sibling(t);
    u.state = "zombie";
    expect(text(t, `/proc/${u.pid}/stat`).split(" ")[2]).toBe("Z");
  });

  it("status has Name, State, Tgid, Pid, PPid, Uid/Gid (real, effective, saved, fs), VmSize, Threads", () => {
    const t = program();
    t.cred = { ...t.cred, uid: 1, euid: 2, suid: 3, fsuid: 4, gid: 5, egid: 6, sgid: 7, fsgid: 8 };
    const s = text(t, "/proc/self/status");
    expect(s).toMatch(/^Name:\tprog\nUmask:\t0022\nState:\tR \(running\)\nTgid:\t\d+\nNgid:\t0\nPid:\t\d+\nPPid:\t\d+\n/);
    expect(s).toContain("\nUid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\n");
    expect(s).toMatch(/\nVmSize:\t +\d+ kB\n/);
    expect(s).toContain("\nThreads:\t1\n");
    expect(s).toContain("\nSigBlk:\t0000000000000000\n");
  });

  it("exe, cwd and root are symlinks; fd/N names the open file", () => {
    const t = program();
    t.fs.cwd = "/home";
    const fd = open(t, "/bin/prog", O.RDONLY);
    expect(link(t, "/proc/self/exe")).toBe("/bin/prog");
    expect(link(t, "/proc/self/cwd")).toBe("/home");
    expect(link(t, "/proc/self/root")).toBe("/");
    expect(link(t, `/proc/self/fd/${fd}`)).toBe("/bin/prog");
    expect(text(t, `/proc/self/fd/${fd}`)).toBe("ELF");
    expect(text(t, "/proc/self/exe")).toBe("ELF");
    expect(text(t, `/proc/self/fdinfo/${fd}`)).toMatch(/^pos:\t0\nflags:\t0100000\nmnt_id:\t\d+\nino:\t\d+\n$/);
  });

  it("self is a symlink to the reader's pid; another process's directory is there too", () => {
    const t = program();
    const u = sibling(t);
    expect(link(t, "/proc/self")).toBe(String(t.pid));
    expect(link(u, "/proc/self")).toBe(String(u.pid));
    expect(text(t, `/proc/${u.pid}/comm`)).toBe("sibling\n");
  });

  it("another user's auxv and environ are refused (EACCES)", () => {
    const t = program();
    const u = sibling(t);
    u.cred = { ...u.cred, uid: 999, euid: 999, suid: 999, fsuid: 999 };
    expect(vfsOpen(u, AT_FDCWD, `/proc/${t.pid}/environ`, O_RDONLY, 0)).toBe(-13);
  });

  it("writing comm renames the task", () => {
    const t = program();
    const f = vfsOpen(t, AT_FDCWD, "/proc/self/comm", 1, 0);
    if (typeof f === "number") throw new Error("open");
    f.ops.write!(f, t, new TextEncoder().encode("renamed\n"), null);
    expect(t.comm).toBe("renamed");
  });
});

describe("/proc system files", () => {
  it("cpuinfo describes one riscv64 hart", () => {
    const s = text(program(), "/proc/cpuinfo");
    expect(s).toMatch(/^processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc\S*_zba_zbb_zbs\nmmu\t\t: sv39\n/);
  });
  it("version names the release uname gives", () => {
    expect(text(program(), "/proc/version")).toMatch(/^Linux version 6\.12\.0-sysemu \(/);
  });
  it("uptime is two numbers with centiseconds", () => {
    expect(text(program(), "/proc/uptime")).toMatch(/^\d+\.\d\d \d+\.\d\d\n$/);
  });
  it("mounts lists /, /proc, /dev and /dev/shm", () => {
    const t = program();
    const s = text(t, "/proc/self/mounts");
    expect(s.split("\n").filter(Boolean).map((l) => l.split(" ").slice(1, 3).join(" "))).toEqual(["/ hostfs", "/proc proc", "/dev devtmpfs", "/dev/shm tmpfs"]);
    expect(text(t, "/proc/mounts")).toBe(s);
  });
});
