// fcntl F_GETPIPE_SZ / F_SETPIPE_SZ (fs/pipe.c pipe_fcntl): the capacity in bytes, rounded up to a
// power-of-two number of pages; EBUSY below what the pipe holds, EPERM past pipe-max-size without
// CAP_SYS_RESOURCE, EINVAL past 2^31, EBADF for anything that is not a pipe or FIFO.

import { describe, expect, it } from "vitest";
import { haveQemu, runQemu, runSysemu, scratch } from "./fixture-run.ts";

const EXPECTED = `default: 65536
set 0: 4096
set 5000: 8192
get on write end: 8192
fill 8192-byte pipe: 8192
set 4096 while 8192 in it: Device or resource busy
read a page: 4096
set 100000: 131072
fill the rest: 126976
set 2 MiB: Operation not permitted
set 1 MiB: 1048576
set 2^31+1: Invalid argument
drained: 131072
set 4096 empty: 4096
atomic 4096 write: 4096
one more byte: Resource temporarily unavailable
get on a file: Bad file descriptor
set on a file: Bad file descriptor
get on O_PATH: Bad file descriptor
`;

describe("F_GETPIPE_SZ / F_SETPIPE_SZ", () => {
  it("behaves as Linux for a user without CAP_SYS_RESOURCE", () => {
    const r = runSysemu("pipesz", scratch("sysemu-psz-"), ["--uid", "1000", "--gid", "1000"]);
    expect(r.stdout).toBe(EXPECTED);
  });

  it("lets root (CAP_SYS_RESOURCE) go past pipe-max-size", () => {
    const r = runSysemu("pipesz", scratch("sysemu-psz-"), ["--uid", "0", "--gid", "0"]);
    expect(r.stdout).toContain("set 2 MiB: 2097152\n");
  });

  // qemu-riscv64 as root in a container lacks CAP_SYS_RESOURCE: its 2 MiB line is EPERM too
  it.runIf(haveQemu)("prints what qemu-riscv64 (Linux) prints", () => {
    expect(runQemu("pipesz", scratch("sysemu-pszq-")).stdout.replace("set 2 MiB: 2097152", "set 2 MiB: Operation not permitted")).toBe(EXPECTED);
  });
});
