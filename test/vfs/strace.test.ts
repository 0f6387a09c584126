// strace's abbreviations of the file system calls' structs and flags, from the real handlers:
// each call runs, and its line is compared with what strace prints.

import { describe, expect, it } from "vitest";
import { Strace } from "../../src/kernel/strace/index.ts";
import type { Task } from "../../src/kernel/proc/task.ts";
import { AT_FDCWD } from "../../src/kernel/vfs/namei.ts";
import * as attr from "../../syscalls/attr.ts";
import * as fcntl from "../../syscalls/fcntl.ts";
import * as fs from "../../syscalls/fs.ts";
import * as namei from "../../syscalls/namei.ts";
import * as poll from "../../syscalls/poll.ts";
import type { SyscallDef } from "../../syscalls/types.ts";
import { SyscallArgs } from "../../syscalls/args.ts";
import { kernelApi } from "../../src/kernel/api.ts";
import { buf, put, str } from "./helpers.ts";
import { O, open, setup } from "./setup.ts";

// the fs families' own definitions (the whole table is the table test's business)
const defs = [attr, fcntl, fs, namei, poll].flatMap((m) => Object.entries(m).filter(([k]) => k.startsWith("sys_")).map(([, v]) => v as SyscallDef));
const table = new Map(defs.map((def) => [def.name, def]));

/** Runs the named call with raw arguments and returns its strace line. */
function trace(t: Task, name: string, ...args: number[]): string {
  const def = table.get(name)!;
  const lines: string[] = [];
  const raw = new BigInt64Array(6);
  args.forEach((v, i) => (raw[i] = BigInt(v)));
  const a = new SyscallArgs(raw);
  const call = new Strace((l) => lines.push(l)).enter(t, 0, def, a);
  call.exit(def.fn(t, a, kernelApi));
  return lines[0]!.replace(/ +=/, " =");
}

const hex = /0x[0-9a-f]+/;

describe("strace lines of the fs calls", () => {
  it("getdents64 shows its buffer as /* N entries */", () => {
    const { t } = setup({ files: { "d/a": "", "d/b": "" }, dirs: ["d"] });
    const fd = open(t, "/d", O.RDONLY);
    expect(trace(t, "getdents64", fd, buf(t, 512), 512)).toMatch(new RegExp(`^getdents64\\(${fd}, ${hex.source} /\\* 4 entries \\*/, 512\\) = 96$`));
  });

  it("renameat2 names its flags", () => {
    const { t } = setup({ files: { a: "", b: "" } });
    expect(trace(t, "renameat2", AT_FDCWD, str(t, "/a"), AT_FDCWD, str(t, "/b"), 1)).toBe('renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b", RENAME_NOREPLACE) = -1 EEXIST (File exists)');
  });

  it("utimensat shows both times, UTIME_NOW and UTIME_OMIT by name", () => {
    const { t } = setup({ files: { f: "" } });
    const b = new Uint8Array(32);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, 1n, true);
    v.setBigInt64(8, 2n, true);
    v.setBigInt64(24, BigInt((1 << 30) - 1), true);
    expect(trace(t, "utimensat", AT_FDCWD, str(t, "/f"), put(t, b), 0)).toBe('utimensat(AT_FDCWD, "/f", [{tv_sec=1, tv_nsec=2}, UTIME_NOW], 0) = 0');
    expect(trace(t, "utimensat", AT_FDCWD, str(t, "/f"), 0, 0x100)).toBe('utimensat(AT_FDCWD, "/f", NULL, AT_SYMLINK_NOFOLLOW) = 0');
  });

  it("openat shows O_TMPFILE and the mode", () => {
    const { t } = setup({ dirs: ["e"] });
    expect(trace(t, "openat", AT_FDCWD, str(t, "/e"), O.RDWR | O.TMPFILE, 0o600)).toMatch(/^openat\(AT_FDCWD, "\/e", O_RDWR\|O_TMPFILE, 0600\) = \d+$/);
  });

  it("statx shows its flags, mask and the struct as strace abbreviates it", () => {
    const { t } = setup({ files: { f: "hello" }, modes: { f: 0o644 } });
    expect(trace(t, "statx", AT_FDCWD, str(t, "/f"), 0x100, 0x7ff, buf(t, 256))).toBe(
      'statx(AT_FDCWD, "/f", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, {stx_mask=STATX_ALL, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=5, ...}) = 0',
    );
  });

  it("ppoll shows the pollfds, and the revents after the result", () => {
    const { t } = setup({ files: { f: "" } });
    const fd = open(t, "/f", O.RDONLY);
    const fds = new Uint8Array(8);
    new DataView(fds.buffer).setInt32(0, fd, true);
    new DataView(fds.buffer).setInt16(4, 1, true);
    expect(trace(t, "ppoll", put(t, fds), 1, 0, 0, 8)).toBe(`ppoll([{fd=${fd}, events=POLLIN}], 1, NULL, NULL, 8) = 1 ([{fd=${fd}, revents=POLLIN}])`);
  });

  it("pselect6 shows fd sets, and what became ready with the time left", () => {
    const { t } = setup({ files: { f: "" } });
    const fd = open(t, "/f", O.RDONLY);
    const set = new Uint8Array(8);
    set[0] = 1 << fd;
    expect(trace(t, "pselect6", fd + 1, put(t, set), 0, 0, put(t, new Uint8Array(16)), 0)).toBe(
      `pselect6(${fd + 1}, [${fd}], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL) = 1 (in [${fd}], left {tv_sec=0, tv_nsec=0})`,
    );
  });

  it("fcntl shows a struct flock for the lock commands", () => {
    const { t } = setup({ files: { f: "" } });
    const fd = open(t, "/f", O.RDWR);
    const b = new Uint8Array(32);
    new DataView(b.buffer).setInt16(0, 1, true);
    expect(trace(t, "fcntl", fd, 6, put(t, b))).toBe(`fcntl(${fd}, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0}) = 0`);
    expect(trace(t, "fcntl", fd, 2, 1)).toBe(`fcntl(${fd}, F_SETFD, FD_CLOEXEC) = 0`);
  });

  it("fstat shows st_mode and st_size; of a device st_rdev", () => {
    const { t } = setup({ files: { f: "abc" }, modes: { f: 0o600 } });
    expect(trace(t, "fstat", open(t, "/f", O.RDONLY), buf(t, 128))).toMatch(/^fstat\(\d+, \{st_mode=S_IFREG\|0600, st_size=3, \.\.\.\}\) = 0$/);
    expect(trace(t, "fstat", open(t, "/dev/null", O.RDONLY), buf(t, 128))).toMatch(/^fstat\(\d+, \{st_mode=S_IFCHR\|0666, st_rdev=makedev\(0x1, 0x3\), \.\.\.\}\) = 0$/);
  });
});
