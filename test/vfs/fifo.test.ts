// mkfifo/mknodat and FIFOs (fs/pipe.c fifo_open): on the host directory (a real host FIFO made by
// mkfifo(1), its data through sysemu's pipe) and on tmpfs (/dev/shm), compared with Linux.

import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENXIO, EPERM } from "../../src/kernel/errno.ts";
import { AT_FDCWD } from "../../src/kernel/vfs/namei.ts";
import { sys_fcntl } from "../../syscalls/fcntl.ts";
import { sys_openat } from "../../syscalls/fs.ts";
import { sys_mkdirat, sys_mknodat } from "../../syscalls/namei.ts";
import { haveQemu, runQemu, runSysemu, scratch } from "./fixture-run.ts";
import { call, makeTask, tempDir } from "./helpers.ts";

const EXPECTED = `mkfifo: ok
mkfifo again: File exists
isfifo=1 mode=644 size=0
readdir: ff d_type=DT_FIFO
read 12 [through fifo]
then EOF: 0
child: writer open returned
parent: read 3
nonblock read open without writer: ok
read without writer: 0
nonblock write open with a reader: ok
fstat on the fifo fd: ok isfifo=1
lseek: Illegal seek
F_GETPIPE_SZ: 65536
write with the reader gone: Broken pipe
nonblock write open without reader: No such device or address
O_RDWR open: ok
O_RDWR reads itself: 4
open interrupted: Interrupted system call
the interrupted reader is not counted: No such device or address
mknod fifo: ok
nod isfifo=1 mode=600
mknod reg: ok
reg isreg=1 mode=640 size=0
mknod mode 0: ok
mknod dir: Operation not permitted
mknod bad type: Invalid argument
mknod existing: File exists
mknod in missing dir: No such file or directory
unlink fifo: ok
`;

const shmName = () => `/dev/shm/sysemu-fifo-${process.pid}-${Math.random().toString(36).slice(2)}`;

describe("FIFOs and mknodat", () => {
  it("on a host directory: rendezvous, O_NONBLOCK rules, data, stat and readdir as Linux", () => {
    const r = runSysemu("fifo", scratch("sysemu-fifo-"));
    expect(r.stdout).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });

  it("on tmpfs (/dev/shm is sysemu's own)", () => {
    expect(runSysemu("fifo", shmName()).stdout).toBe(EXPECTED);
  });

  it("mknodat: devices need CAP_MKNOD (EPERM without), and sysemu refuses them for root too", () => {
    const S_IFCHR = 0o20000, S_IFBLK = 0o60000, S_IFSOCK = 0o140000;
    const user = makeTask({ root: scratch("sysemu-mknod-"), uid: 1000, gid: 1000 });
    call(user, sys_mkdirat, AT_FDCWD, "/dev/shm/x", 0o777);
    expect(call(user, sys_mknodat, AT_FDCWD, "/dev/shm/x/null", S_IFCHR | 0o666, 0x103)).toBe(-EPERM);
    const root = makeTask({ root: tempDir(), uid: 0, gid: 0 });
    expect(call(root, sys_mknodat, AT_FDCWD, "/dev/shm/blk", S_IFBLK | 0o600, 0x801)).toBe(-EPERM);
    // a socket node on tmpfs exists, and opening it is ENXIO as on Linux
    expect(call(root, sys_mknodat, AT_FDCWD, "/dev/shm/sock", S_IFSOCK | 0o600, 0)).toBe(0);
    expect(call(root, sys_openat, AT_FDCWD, "/dev/shm/sock", 0, 0)).toBe(-ENXIO);
    // on the host directory only FIFOs can be made
    expect(call(root, sys_mknodat, AT_FDCWD, "/sock", S_IFSOCK | 0o600, 0)).toBe(-EPERM);
  });

  it("a FIFO made on the host is a real host FIFO, and its data never goes through the host", () => {
    const dir = tempDir();
    const t = makeTask({ root: dir });
    expect(call(t, sys_mknodat, AT_FDCWD, "/p", 0o10644, 0)).toBe(0);
    expect(statSync(`${dir}/p`).isFIFO()).toBe(true);
    const rw = call(t, sys_openat, AT_FDCWD, "/p", 2 /* O_RDWR: no waiting */, 0);
    expect(rw).toBeGreaterThanOrEqual(0);
    expect(call(t, sys_fcntl, rw, 1032 /* F_GETPIPE_SZ */)).toBe(65536);
    expect(call(t, sys_fcntl, rw, 1031, 1)).toBe(4096);
  });

  it.runIf(haveQemu)("prints what qemu-riscv64 (Linux) prints", () => {
    expect(runQemu("fifo", scratch("sysemu-fifoq-")).stdout).toBe(EXPECTED);
  });

});
