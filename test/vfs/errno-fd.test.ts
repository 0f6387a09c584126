// One tiny test per errno rule of the descriptor calls: fcntl (and its record locks), dup3,
// ioctl, getdents64, chdir/fchdir/getcwd, lseek, ppoll/pselect6, and the /dev devices.

import { describe, expect, it } from "vitest";
import * as E from "../../src/kernel/errno.ts";
import { sys_dup3, sys_fcntl, sys_flock, sys_ioctl } from "../../syscalls/fcntl.ts";
import { sys_chdir, sys_fchdir, sys_getcwd, sys_getdents64 } from "../../syscalls/fs.ts";
import { sys_ppoll, sys_pselect6 } from "../../syscalls/poll.ts";
import { sys_lseek } from "../../syscalls/read_write.ts";
import { buf, call, peek, put, sibling } from "./helpers.ts";
import { close, O, open, read, setup, write } from "./setup.ts";

const F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_OFD_SETLK = 37;
const F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
const tree = { files: { f: "0123456789", "d/a": "", "d/b": "" }, dirs: ["d"] };

function flock(t: ReturnType<typeof setup>["t"], type: number, start: number, len: number, pid = 0): number {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setInt16(0, type, true);
  v.setBigInt64(8, BigInt(start), true);
  v.setBigInt64(16, BigInt(len), true);
  v.setInt32(24, pid, true);
  return put(t, b);
}

describe("fcntl(2) and dup3(2)", () => {
  it("fcntl(bad fd) -> EBADF", () => expect(call(setup(tree).t, sys_fcntl, 42, F_GETFD, 0)).toBe(-E.EBADF));
  it("fcntl(unknown cmd) -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_fcntl, open(t, "/f", O.RDONLY), 12345, 0)).toBe(-E.EINVAL);
  });
  it("fcntl(F_SETFL) on an O_PATH descriptor -> EBADF", () => {
    const { t } = setup(tree);
    expect(call(t, sys_fcntl, open(t, "/f", O.PATH), F_SETFL, 0)).toBe(-E.EBADF);
  });
  it("fcntl(F_GETFL) shows the access mode, O_APPEND and O_LARGEFILE; F_SETFL changes O_APPEND only", () => {
    const { t } = setup(tree);
    const fd = open(t, "/f", O.RDWR | O.APPEND | O.CLOEXEC);
    expect(call(t, sys_fcntl, fd, F_GETFL, 0)).toBe(O.RDWR | O.APPEND | 0o100000);
    expect(call(t, sys_fcntl, fd, F_SETFL, O.WRONLY)).toBe(0);
    expect(call(t, sys_fcntl, fd, F_GETFL, 0)).toBe(O.RDWR | 0o100000);
  });
  it("fcntl(F_GETFD) reports O_CLOEXEC as FD_CLOEXEC; F_SETFD clears it", () => {
    const { t } = setup(tree);
    const fd = open(t, "/f", O.RDONLY | O.CLOEXEC);
    expect(call(t, sys_fcntl, fd, F_GETFD, 0)).toBe(1);
    expect(call(t, sys_fcntl, fd, F_SETFD, 0)).toBe(0);
    expect(call(t, sys_fcntl, fd, F_GETFD, 0)).toBe(0);
  });
  it("dup3(fd, fd) -> EINVAL", () => {
    const { t } = setup(tree);
    const fd = open(t, "/f", O.RDONLY);
    expect(call(t, sys_dup3, fd, fd, 0)).toBe(-E.EINVAL);
  });
  it("dup3(bad flags) -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_dup3, open(t, "/f", O.RDONLY), 9, 1)).toBe(-E.EINVAL);
  });
});

describe("record locks", () => {
  it("F_SETLK(F_WRLCK) on an O_RDONLY descriptor -> EBADF", () => {
    const { t } = setup(tree);
    expect(call(t, sys_fcntl, open(t, "/f", O.RDONLY), F_SETLK, flock(t, F_WRLCK, 0, 0))).toBe(-E.EBADF);
  });
  it("F_SETLK on a range another process write-locked -> EAGAIN; F_GETLK names that process", () => {
    const { t } = setup(tree);
    const u = sibling(t);
    expect(call(t, sys_fcntl, open(t, "/f", O.RDWR), F_SETLK, flock(t, F_WRLCK, 2, 4))).toBe(0);
    const fu = open(u, "/f", O.RDWR);
    expect(call(u, sys_fcntl, fu, F_SETLK, flock(u, F_RDLCK, 5, 1))).toBe(-E.EAGAIN);
    expect(call(u, sys_fcntl, fu, F_SETLK, flock(u, F_WRLCK, 6, 10))).toBe(0); // beyond the range
    const p = flock(u, F_WRLCK, 0, 0);
    expect(call(u, sys_fcntl, fu, F_GETLK, p)).toBe(0);
    const v = new DataView(peek(u, p, 32).buffer);
    expect([v.getInt16(0, true), Number(v.getBigInt64(8, true)), Number(v.getBigInt64(16, true)), v.getInt32(24, true)]).toEqual([F_WRLCK, 2, 4, t.pid]);
  });
  it("read locks of two processes share; a write lock over them -> EAGAIN", () => {
    const { t } = setup(tree);
    const u = sibling(t);
    expect(call(t, sys_fcntl, open(t, "/f", O.RDWR), F_SETLK, flock(t, F_RDLCK, 0, 0))).toBe(0);
    const fu = open(u, "/f", O.RDWR);
    expect(call(u, sys_fcntl, fu, F_SETLK, flock(u, F_RDLCK, 0, 0))).toBe(0);
    expect(call(u, sys_fcntl, fu, F_SETLK, flock(u, F_WRLCK, 0, 0))).toBe(-E.EAGAIN);
  });
  it("closing any descriptor of the file drops the process's locks", () => {
    const { t } = setup(tree);
    const u = sibling(t);
    const a = open(t, "/f", O.RDWR), b = open(t, "/f", O.RDONLY);
    expect(call(t, sys_fcntl, a, F_SETLK, flock(t, F_WRLCK, 0, 0))).toBe(0);
    const fu = open(u, "/f", O.RDWR);
    expect(call(u, sys_fcntl, fu, F_SETLK, flock(u, F_WRLCK, 0, 0))).toBe(-E.EAGAIN);
    close(t, b);
    expect(call(u, sys_fcntl, fu, F_SETLK, flock(u, F_WRLCK, 0, 0))).toBe(0);
  });
  it("F_UNLCK of part of a range splits the lock", () => {
    const { t } = setup(tree);
    const u = sibling(t);
    const a = open(t, "/f", O.RDWR);
    call(t, sys_fcntl, a, F_SETLK, flock(t, F_WRLCK, 0, 10));
    call(t, sys_fcntl, a, F_SETLK, flock(t, F_UNLCK, 3, 2));
    const fu = open(u, "/f", O.RDWR);
    expect(call(u, sys_fcntl, fu, F_SETLK, flock(u, F_WRLCK, 3, 2))).toBe(0);
    expect(call(u, sys_fcntl, fu, F_SETLK, flock(u, F_WRLCK, 5, 1))).toBe(-E.EAGAIN);
  });
  it("F_OFD_SETLK with l_pid != 0 -> EINVAL; OFD locks conflict between open files of one process", () => {
    const { t } = setup(tree);
    const a = open(t, "/f", O.RDWR), b = open(t, "/f", O.RDWR);
    expect(call(t, sys_fcntl, a, F_OFD_SETLK, flock(t, F_WRLCK, 0, 0, 1))).toBe(-E.EINVAL);
    expect(call(t, sys_fcntl, a, F_OFD_SETLK, flock(t, F_WRLCK, 0, 0))).toBe(0);
    expect(call(t, sys_fcntl, b, F_OFD_SETLK, flock(t, F_WRLCK, 0, 0))).toBe(-E.EAGAIN);
  });
  it("flock(LOCK_EX|LOCK_NB) held by another open file -> EAGAIN (EWOULDBLOCK)", () => {
    const { t } = setup(tree);
    const a = open(t, "/f", O.RDONLY), b = open(t, "/f", O.RDONLY);
    expect(call(t, sys_flock, a, 2 | 4)).toBe(0);
    expect(call(t, sys_flock, b, 2 | 4)).toBe(-E.EAGAIN);
    close(t, a);
    expect(call(t, sys_flock, b, 2 | 4)).toBe(0);
  });
});

describe("ioctl, getdents64, chdir, lseek", () => {
  it("ioctl(TCGETS) on a regular file -> ENOTTY", () => {
    const { t } = setup(tree);
    expect(call(t, sys_ioctl, open(t, "/f", O.RDONLY), 0x5401, buf(t, 64))).toBe(-E.ENOTTY);
  });
  it("ioctl(FIONREAD) on a regular file gives the bytes left", () => {
    const { t } = setup(tree);
    const fd = open(t, "/f", O.RDONLY);
    read(t, fd, 3);
    const p = buf(t, 4);
    expect(call(t, sys_ioctl, fd, 0x541b, p)).toBe(0);
    expect(new DataView(peek(t, p, 4).buffer).getInt32(0, true)).toBe(7);
  });
  it("getdents64 on a file -> ENOTDIR", () => {
    const { t } = setup(tree);
    expect(call(t, sys_getdents64, open(t, "/f", O.RDONLY), buf(t, 512), 512)).toBe(-E.ENOTDIR);
  });
  it("getdents64 with a buffer too small for one entry -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_getdents64, open(t, "/d", O.RDONLY), buf(t, 8), 8)).toBe(-E.EINVAL);
  });
  it("chdir(file) -> ENOTDIR; chdir(missing) -> ENOENT", () => {
    const { t } = setup(tree);
    expect(call(t, sys_chdir, "/f")).toBe(-E.ENOTDIR);
    expect(call(t, sys_chdir, "/missing")).toBe(-E.ENOENT);
  });
  it("fchdir(O_PATH directory) works; getcwd then names it", () => {
    const { t } = setup(tree);
    expect(call(t, sys_fchdir, open(t, "/d", O.PATH))).toBe(0);
    const p = buf(t, 64);
    expect(call(t, sys_getcwd, p, 64)).toBe(3);
    expect(new TextDecoder().decode(peek(t, p, 2))).toBe("/d");
    expect(read(t, open(t, "a", O.RDONLY))).toBe("");
  });
  it("getcwd with a buffer too small -> ERANGE", () => {
    const { t } = setup(tree);
    call(t, sys_chdir, "/d");
    expect(call(t, sys_getcwd, buf(t, 2), 2)).toBe(-E.ERANGE);
  });
  it("lseek(SEEK_SET, -1) -> EINVAL; lseek(whence 7) -> EINVAL", () => {
    const { t } = setup(tree);
    const fd = open(t, "/f", O.RDONLY);
    expect(call(t, sys_lseek, fd, -1, 0)).toBe(-E.EINVAL);
    expect(call(t, sys_lseek, fd, 0, 7)).toBe(-E.EINVAL);
    expect(call(t, sys_lseek, fd, -2, 2)).toBe(8);
    expect(read(t, fd)).toBe("89");
  });
});

describe("poll, select and /dev", () => {
  it("ppoll reports POLLNVAL for a closed fd and POLLIN|POLLOUT for a file, at once", () => {
    const { t } = setup(tree);
    const fd = open(t, "/f", O.RDWR);
    const fds = new Uint8Array(16);
    const v = new DataView(fds.buffer);
    v.setInt32(0, 42, true);
    v.setInt16(4, 1, true);
    v.setInt32(8, fd, true);
    v.setInt16(12, 1 | 4, true);
    const p = put(t, fds);
    const zero = put(t, new Uint8Array(16));
    expect(call(t, sys_ppoll, p, 2, zero, 0, 8)).toBe(2);
    const out = new DataView(peek(t, p, 16).buffer);
    expect([out.getInt16(6, true), out.getInt16(14, true)]).toEqual([0x20, 1 | 4]);
  });
  it("ppoll with a sigmask of the wrong size -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_ppoll, 0, 0, put(t, new Uint8Array(16)), buf(t, 8), 4)).toBe(-E.EINVAL);
  });
  it("ppoll times out with 0 when nothing is ready, and writes back the time left", () => {
    const { t } = setup(tree);
    const fd = open(t, "/dev/kmsg", O.RDONLY);
    for (const r of t.kernel.printk.records()) void r;
    call(t, sys_lseek, fd, 0, 2); // SEEK_END: no record after this
    const fds = new Uint8Array(8);
    new DataView(fds.buffer).setInt32(0, fd, true);
    new DataView(fds.buffer).setInt16(4, 1, true);
    const ts = new Uint8Array(16);
    new DataView(ts.buffer).setBigInt64(8, 20_000_000n, true); // 20 ms
    const tp = put(t, ts);
    expect(call(t, sys_ppoll, put(t, fds), 1, tp, 0, 8)).toBe(0);
    expect(new DataView(peek(t, tp, 16).buffer).getBigInt64(8, true)).toBe(0n);
  });
  it("pselect6 with a closed fd in a set -> EBADF", () => {
    const { t } = setup(tree);
    const set = new Uint8Array(8);
    set[5] = 1; // fd 40
    expect(call(t, sys_pselect6, 64, put(t, set), 0, 0, put(t, new Uint8Array(16)), 0)).toBe(-E.EBADF);
  });
  it("pselect6 marks a regular file readable", () => {
    const { t } = setup(tree);
    const fd = open(t, "/f", O.RDONLY);
    const set = new Uint8Array(8);
    set[fd >> 3] = 1 << (fd & 7);
    const p = put(t, set);
    expect(call(t, sys_pselect6, fd + 1, p, 0, 0, put(t, new Uint8Array(16)), 0)).toBe(1);
    expect(peek(t, p, 8)[fd >> 3]).toBe(1 << (fd & 7));
  });
  it("write(/dev/full) -> ENOSPC; read(/dev/full) gives zeros", () => {
    const { t } = setup(tree);
    const fd = open(t, "/dev/full", O.RDWR);
    expect(write(t, fd, "x")).toBe(-E.ENOSPC);
    expect(read(t, fd, 3)).toBe("\0\0\0");
  });
  it("/dev/null swallows writes and reads empty; /dev/zero reads zeros", () => {
    const { t } = setup(tree);
    expect(write(t, open(t, "/dev/null", O.WRONLY), "abc")).toBe(3);
    expect(read(t, open(t, "/dev/null", O.RDONLY))).toBe("");
    expect(read(t, open(t, "/dev/zero", O.RDONLY), 2)).toBe("\0\0");
  });
  it("/dev/urandom reads the kernel's random bytes", () => {
    const { t } = setup(tree);
    const r = read(t, open(t, "/dev/urandom", O.RDONLY), 16);
    expect(typeof r === "string" && r.length > 0).toBe(true);
  });
  it("open(/dev/tty) without a controlling terminal -> ENXIO", () => {
    const { t } = setup(tree);
    t.ttyNr = 0;
    expect(open(t, "/dev/tty", O.RDWR)).toBe(-E.ENXIO);
  });
  it("/dev/kmsg reads one record per read, then EAGAIN with O_NONBLOCK", () => {
    const { t } = setup(tree);
    t.kernel.printk.printk(6, "first line");
    t.kernel.printk.printk(4, "second");
    const fd = open(t, "/dev/kmsg", O.RDONLY | O.NONBLOCK);
    const lines: string[] = [];
    for (let r = read(t, fd); typeof r === "string"; r = read(t, fd)) lines.push(r);
    expect(lines.slice(-2).map((l) => l.replace(/^(\d+),\d+,\d+,/, "$1,"))).toEqual(["6,-;first line\n", "4,-;second\n"]);
    expect(read(t, fd)).toBe(-E.EAGAIN);
  });
  it("/dev/stdin is /proc/self/fd/0", () => {
    const { t } = setup(tree);
    const fd = open(t, "/f", O.RDONLY);
    expect(call(t, sys_dup3, fd, 5, 0)).toBe(5);
    expect(call(t, sys_dup3, 5, 0, 0)).toBe(0);
    expect(read(t, open(t, "/dev/stdin", O.RDONLY))).toBe("0123456789");
  });
});
