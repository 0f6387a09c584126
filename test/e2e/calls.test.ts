// The calls of samples/src/calls, each compared with a real kernel: the x86-64 build natively
// (this host's Linux) and under sysemu, and the riscv64 build under sysemu and, where qemu-user
// passes the call through to the host unchanged, under qemu-riscv64. Where neither oracle is
// available the expected lines are written here, as Linux gives them.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { have, qemu, sysemu } from "./helpers.ts";

const native = arch() === "x64";

function runNative(name: string, args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(`samples/x86_64/${name}`, args, { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout };
}

/**
 * Runs `name` under sysemu for both architectures; the output (the same on every architecture)
 * must match the native x86-64 run on this host's kernel, and qemu-riscv64's when `viaQemu`;
 * `expected`, when given, is checked as well. `x86: false` leaves out the x86-64 build under
 * sysemu (its signal handlers do not return yet: sigaction goes through the riscv64 layout).
 */
export function compareSample(name: string, opts: { args?: string[]; viaQemu?: boolean; expected?: string; x86?: boolean } = {}): void {
  const args = opts.args ?? [];
  const rv = sysemu(["run", `samples/riscv64/${name}`, ...args]);
  expect(rv.stderr).not.toMatch(/internal error|oops|\n\s+at /);
  if (opts.expected !== undefined) expect(rv.stdout).toBe(opts.expected);
  if (native) expect({ stdout: rv.stdout, status: rv.status }).toEqual(runNative(name, args));
  if (opts.x86 !== false) {
    const x86 = sysemu(["run", `samples/x86_64/${name}`, ...args]);
    expect(x86.stderr).not.toMatch(/internal error|oops|\n\s+at /);
    expect({ stdout: x86.stdout, status: x86.status }).toEqual({ stdout: rv.stdout, status: rv.status });
  }
  if (opts.viaQemu && have("qemu-riscv64")) {
    const q = qemu([`samples/riscv64/${name}`, ...args]);
    expect({ stdout: rv.stdout, status: rv.status }).toEqual({ stdout: q.stdout, status: q.status });
  }
  expect(rv.status).toBe(0);
}

describe("RLIMIT_DATA", () => {
  // not under qemu-riscv64: it applies the guest's setrlimit to its own host process
  it("private writable mappings, brk and mprotect count against it; shared and read-only ones do not", () => {
    compareSample("data_limit", {
      expected:
        "RLIMIT_DATA: cur 16 MiB, max 64 MiB\n" +
        "mmap 32 MiB private rw: ENOMEM\n" +
        "mmap 32 MiB private ro: ok\n" +
        "mprotect it rw: ENOMEM\n" +
        "mprotect 4 MiB of it rw: ok\n" +
        "mmap 32 MiB shared rw: ok\n" +
        "mmap 1 MiB private rw: ok\n" +
        "mremap it to 40 MiB: ENOMEM\n" +
        "sbrk 32 MiB: ENOMEM; break unchanged: yes\n" +
        "sbrk 1 MiB: grown\n" +
        "malloc 32 MiB: NULL\n" +
        "child: cur 16 MiB; mmap 32 MiB private rw: ENOMEM\n" +
        "setrlimit cur > max: Invalid argument\n" +
        "prlimit64 lower: 0, old cur 16 MiB max 64 MiB\n" +
        "cur 0 under max 32 MiB, mmap 1 MiB: ok\n",
    });
  });
});

describe("SO_RCVTIMEO and SO_SNDTIMEO", () => {
  it("are kept in ticks, end waits with EAGAIN (or a partial count), make a signal EINTR", () => {
    compareSample("sock_timeo", {
      viaQemu: true,
      x86: false,
      expected:
        "SO_RCVTIMEO at first: 0.000000 (len 16)\n" +
        "SO_RCVTIMEO set to 0.2 s: 0.200000 (len 16)\n" +
        "SO_SNDTIMEO set to 1 us (a tick at HZ=250): 0.004000 (len 16)\n" +
        "tv_usec 1000000: Numerical argument out of domain\n" +
        "optlen 8: Invalid argument\n" +
        "recv on an empty stream: EAGAIN, waited 200 ms or more: yes\n" +
        "recv with data: 1\n" +
        "send 1 MiB into an unread socket: partial\n" +
        "send again: EAGAIN\n" +
        "SIGALRM during a 5 s SO_RCVTIMEO wait (SA_RESTART): EINTR\n" +
        "tv_sec -1: ok\n" +
        "SO_RCVTIMEO after tv_sec -1: 0.000000 (len 16)\n" +
        "recv: EAGAIN\n" +
        "accept with nobody connecting: EAGAIN\n" +
        "UDP SO_RCVTIMEO: 0.100000 (len 16)\n" +
        "UDP recvfrom with nothing sent: EAGAIN\n",
    });
  });
});

describe("memfd seals", () => {
  it("F_ADD_SEALS/F_GET_SEALS with SEAL/SHRINK/GROW/WRITE/FUTURE_WRITE, their EPERM/EBUSY/EACCES rules", () => {
    compareSample("memfd_seals", {
      viaQemu: true,
      expected:
        "no MFD_ALLOW_SEALING: seals 1; F_ADD_SEALS: Operation not permitted\n" +
        "MFD_ALLOW_SEALING: seals 0, FD_CLOEXEC 1\n" +
        "unknown seal bit: Invalid argument\n" +
        "F_SEAL_SHRINK: ok; seals 2\n" +
        "  ftruncate to 4: Operation not permitted; ftruncate to 4096: ok\n" +
        "F_SEAL_GROW: ok\n" +
        "  ftruncate to 8192: Operation not permitted; ftruncate to 4096: ok\n" +
        "  pwrite inside: ok; pwrite 2 bytes at 4095: 1; pwrite at 4096: Operation not permitted\n" +
        "shared writable mapping: mapped\n" +
        "F_SEAL_WRITE while it is mapped: Device or resource busy\n" +
        "F_SEAL_WRITE with a read-only shared mapping: Device or resource busy\n" +
        "F_SEAL_WRITE unmapped: ok; seals 14\n" +
        "  write: Operation not permitted\n" +
        "  mmap shared rw: Operation not permitted\n" +
        '  mmap private rw: mapped, reads "JELLO" after a store\n' +
        '  the file still reads "HELLO"\n' +
        "F_SEAL_SEAL: ok; then F_SEAL_FUTURE_WRITE: Operation not permitted; seals 15\n" +
        "F_SEAL_FUTURE_WRITE with a writable mapping: ok\n" +
        "  the old mapping still writes: A\n" +
        "  write: Operation not permitted\n" +
        "  new mmap shared rw: Operation not permitted\n" +
        "  new mmap shared ro: mapped; mprotect it rw: Permission denied\n" +
        "F_ADD_SEALS through a read-only descriptor: Operation not permitted; F_GET_SEALS 16\n" +
        "F_GET_SEALS on a tmpfs file: 1; F_ADD_SEALS: Operation not permitted\n" +
        "F_GET_SEALS on a pipe: Invalid argument\n",
    });
  });
});

describe("utimensat to the nanosecond", () => {
  it("keeps and shows ns through stat and statx on the disk and on tmpfs; UTIME_NOW, UTIME_OMIT, EINVAL, symlinks", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-utimensat-"));
    try {
      compareSample("utimensat_ns", { args: [dir, "/dev/shm"], viaQemu: true });
      const r = sysemu(["run", "samples/riscv64/utimensat_ns", dir]);
      expect(r.stdout).toContain("  set: stat atime 1700000000.123456789 mtime 1600000000.987654321; statx 1700000000.123456789 1600000000.987654321\n");
      expect(r.stdout).toContain("  omit: stat atime 1700000000.123456789 mtime 1500000000.000000001;");
      expect(r.stdout).toContain("  tv_nsec 1000000000: Invalid argument\n");
      expect(r.stdout).toContain("  UTIME_NOW atime is now: yes; mtime kept: 1234567890.000000000\n");
      expect(r.stdout).toContain("  the link: stat atime 1111111111.111111111 mtime 1222222222.222222222;");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("clock_nanosleep on CPU-time clocks", () => {
  it("sleeps on the process's and another thread's CPU clock; EINVAL and EOPNOTSUPP where Linux gives them", () => {
    compareSample("cpu_sleep", {
      viaQemu: true,
      expected:
        "CLOCK_PROCESS_CPUTIME_ID, 30 ms relative: 0; the clock moved 30 ms or more: yes\n" +
        "TIMER_ABSTIME in the past: 0\n" +
        "TIMER_ABSTIME 20 ms ahead: 0; reached: yes\n" +
        "clock_getcpuclockid(getpid()), 30 ms: 0; moved: yes\n" +
        "the spinning thread's clock, 30 ms: 0; it ran 30 ms or more: yes\n" +
        "its own thread's clock: Invalid argument\n" +
        "CLOCK_THREAD_CPUTIME_ID (glibc): Invalid argument\n" +
        "CLOCK_THREAD_CPUTIME_ID (the system call): EOPNOTSUPP\n" +
        "CLOCK_PROCESS_CPUTIME_ID (the system call): 0\n" +
        "a posix clock fd's id (-5): EOPNOTSUPP\n" +
        "the clock of a process that does not exist: Invalid argument\n" +
        "kind 3 of a thread clock: Invalid argument\n" +
        "tv_nsec 1000000000: Invalid argument\n" +
        "clock 100: Invalid argument\n",
    });
  });
});

describe("`..` walked as Linux walks it", () => {
  const expected =
        "open missing/../file: ENOENT\n" +
        "stat missing/../file: ENOENT\n" +
        "open file/../file: ENOTDIR\n" +
        "stat file/../file: ENOTDIR\n" +
        "open sub/../file: ok\n" +
        "stat sub/../file: ok\n" +
        "open sub/./../sub/../file: ok\n" +
        "stat sub/./../sub/../file: ok\n" +
        "open missing/..: ENOENT\n" +
        "stat missing/..: ENOENT\n" +
        "create missing/../new: ENOENT\n" +
        "mkdir missing/../newdir: ENOENT\n";
  it("by the kernel (riscv64 and x86-64, natively too)", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-dotdot-"));
    try {
      compareSample("path_dotdot", { args: [dir], viaQemu: true, expected });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("by WASI's path calls: `missing/../x` is ENOENT, not folded away", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-dotdot-"));
    try {
      const r = sysemu(["run", "samples/wasm/path_dotdot.wasm", dir]);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(expected);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("POSIX message queues", () => {
  // not against qemu-riscv64 7.2: it has no mq_notify (ENOSYS) and checks names itself (EINVAL)
  it("mq_open/mq_unlink/mq_timedsend/mq_timedreceive/mq_notify/mq_getsetattr as Linux", () => {
    compareSample("mqueue", {
      x86: false,
      expected:
        "mq_open O_CREAT|O_EXCL: ok\n" +
        "again with O_EXCL: File exists\n" +
        "without O_CREAT, missing: No such file or directory\n" +
        "no leading slash (glibc): Invalid argument\n" +
        "a name with a slash inside: Permission denied\n" +
        "an empty name: No such file or directory\n" +
        "mq_maxmsg 0: Invalid argument\n" +
        "mq_maxmsg 100000: Invalid argument\n" +
        "O_ACCMODE on an existing queue: Invalid argument\n" +
        "attr: flags 0 maxmsg 4 msgsize 32 curmsgs 0\n" +
        "after 4 sends: curmsgs 4\n" +
        "poll full: POLLIN\n" +
        "mq_timedsend into a full queue: Connection timed out\n" +
        "a bad timeout: Invalid argument\n" +
        "priority 32768: Invalid argument\n" +
        "33 bytes into 32: Message too long\n" +
        "receive into 16 bytes: Message too long\n" +
        "received \"high\" priority 10\n" +
        "received \"mid\" priority 5\n" +
        "received \"low\" priority 1\n" +
        "received \"low2\" priority 1\n" +
        "mq_setattr O_NONBLOCK: old flags 0, now 2048\n" +
        "receive from empty, O_NONBLOCK: Resource temporarily unavailable\n" +
        "mq_setattr with other flags: Invalid argument\n" +
        "mq_timedreceive from empty: Connection timed out\n" +
        "poll empty: POLLOUT\n" +
        "mq_notify: ok\n" +
        "child: mq_notify while the parent is registered: Device or resource busy\n" +
        "notified: signal SIGUSR1, si_code SI_MESGQ, value 42\n" +
        "received \"from the child\" priority 3\n" +
        "a second message: notified no more (registration is one-shot)\n" +
        "child blocked in receive got \"wake up\" priority 7\n" +
        "read(): QSIZE:3          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n" +
        "send on an O_RDONLY descriptor: Bad file descriptor\n" +
        "mq_send on a pipe: Bad file descriptor\n" +
        "mq_unlink: ok\n" +
        "mq_unlink again: No such file or directory\n" +
        "the open queue still works: \"abc\"\n",
    });
  });
});

describe("inotify", () => {
  it("VFS events on a directory and a file watch, IN_ONESHOT, errors, poll/epoll, FIONREAD, on the disk and tmpfs", () => {
    const dir = mkdtempSync(join(tmpdir(), "sysemu-inotify-"));
    try {
      compareSample("inotify", { args: [dir, "/dev/shm"], viaQemu: true });
      const r = sysemu(["run", "samples/riscv64/inotify", dir]);
      expect(r.stdout).toBe(
        "in a directory of the disk:\n" +
        " FD_CLOEXEC 1, O_NONBLOCK set\n" +
        " read with nothing queued: Resource temporarily unavailable\n" +
        " watch the directory: wd 1\n" +
        " the same directory again: wd 1\n" +
        " again with IN_MASK_CREATE: File exists\n" +
        " poll: POLLIN\n" +
        " epoll_wait: 1\n" +
        " FIONREAD: 384\n" +
        " read into 8 bytes: Invalid argument\n" +
        "  dir: CREATE \"ino_a\" (len 16)\n" +
        "  dir: OPEN \"ino_a\" (len 16)\n" +
        "  dir: MODIFY \"ino_a\" (len 16)\n" +
        "  dir: CLOSE_WRITE \"ino_a\" (len 16)\n" +
        "  dir: ATTRIB \"ino_a\" (len 16)\n" +
        "  dir: MOVED_FROM \"ino_a\" (len 16)\n" +
        "  dir: MOVED_TO \"ino_b\" (len 16) cookie matches\n" +
        "  dir: OPEN \"ino_b\" (len 16)\n" +
        "  dir: ACCESS \"ino_b\" (len 16)\n" +
        "  dir: CLOSE_NOWRITE \"ino_b\" (len 16)\n" +
        "  dir: CREATE ISDIR \"ino_sub\" (len 16)\n" +
        "  dir: DELETE ISDIR \"ino_sub\" (len 16)\n" +
        " poll after reading everything: nothing\n" +
        "  dir: CREATE \"ino_f\" (len 16)\n" +
        "  dir: OPEN \"ino_f\" (len 16)\n" +
        "  dir: CLOSE_WRITE \"ino_f\" (len 16)\n" +
        "  dir: IGNORED\n" +
        " watch a file: wd 2\n" +
        "  file: MODIFY\n" +
        "  file: CLOSE_WRITE\n" +
        "  file: MODIFY\n" +
        "  file: MOVE_SELF\n" +
        "  file: ATTRIB\n" +
        "  file: DELETE_SELF\n" +
        "  file: IGNORED\n" +
        " rm_watch of that gone watch: Invalid argument\n" +
        " IN_ONESHOT, chmod twice:\n" +
        "  file: ATTRIB\n" +
        "  file: IGNORED\n" +
        " mask 0: Invalid argument\n" +
        " IN_MASK_ADD|IN_MASK_CREATE: Invalid argument\n" +
        " a missing path: No such file or directory\n" +
        " IN_ONLYDIR on a file: Not a directory\n" +
        " not an inotify descriptor: Invalid argument\n" +
        " rm_watch of wd 12345: Invalid argument\n" +
        " inotify_init1(O_RDWR): Invalid argument\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("AF_INET6 on the loopback", () => {
  it("TCP and UDP over [::1], the dual stack (::ffff:127.0.0.1 peers), IPV6_V6ONLY, ports shared with AF_INET, the errors", () => {
    compareSample("inet6", { viaQemu: true });
  });
  it("only the loopback is there: another v6 network has no route", () => {
    const r = sysemu(["run", "samples/riscv64/inet6", "local"]);
    expect(r.stdout).toBe("connect [2001:db8::1]: -1 ENETUNREACH\nsendto [2001:db8::1]: -1 ENETUNREACH\n");
  });
  it("glibc's getaddrinfo sorts its answers as natively (check_pf's RTM_GETADDR dump, a UDP connect per answer)", () => {
    compareSample("gai_localhost", { viaQemu: true });
  });
});
