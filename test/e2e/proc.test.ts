// The process lectures' programs (samples/src/proc) run unchanged under sysemu, and so does
// test/proc/fixtures/proctest, whose output qemu-riscv64 must agree with where qemu-user can
// follow (vfork, exec of riscv64 programs and the CPU count are qemu's own).

import { spawn, spawnSync } from "node:child_process";
import { chmodSync, closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { have, JIT_ENV, qemu, sysemu, type Ran } from "./helpers.ts";

const S = "samples/riscv64";
const ENV = { PATH: process.env.PATH, HOME: "/nonexistent", LANG: "C", TERM: "dumb", ...JIT_ENV };
const UID = process.getuid?.() ?? 0;

function run(args: string[], input = ""): Ran {
  return sysemu(["run", ...args], { env: ENV, input, timeoutMs: 120_000 });
}

/** bin/sysemu without waiting: for many runs at once. */
function runAsync(args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["bin/sysemu", "run", ...args], { env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

const lines = (s: string) => s.split("\n").filter(Boolean);

describe("the process lectures' programs", () => {
  it("henlo: three forks make eight processes, eight lines", () => {
    const r = run([`${S}/henlo`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("henlo\n".repeat(8));
    const p = run([`${S}/henlo`, "-p"]);
    const pids = lines(p.stdout).map((l) => l.replace("henlo: ", ""));
    expect(new Set(pids).size).toBe(8);
  });

  it("good_parent: wait() collects the child's exit(123)", () => {
    expect(run([`${S}/good_parent`])).toMatchObject({ status: 0, stdout: "123\n" });
  });

  it("zombie: state Z in /proc/<pid>/stat until waitpid, then the entry is gone", () => {
    const r = run([`${S}/zombie`]);
    expect(r.stdout).toBe("child exited; state before wait: Z (zombie)\nwaitpid: child exit status 7\nafter wait: /proc/<pid> gone\n");
    expect(r.status).toBe(0);
  });

  it("orphan: the child sees getppid() become 1, and sysemu waits for it as a pipe's reader would", () => {
    const want = ["child: adopted by 1", "child: waiting to be orphaned", "parent: exiting, leaving the child behind"];
    const r = run([`${S}/orphan`]);
    expect(r.status).toBe(0);
    expect(lines(r.stdout).sort()).toEqual(want);
    expect(r.stderr).toBe("");
    expect(lines(run(["--wait-all", `${S}/orphan`]).stdout).sort()).toEqual(want);
  });

  it("detach: a child still holding stdout is waited for; one that let go of it (a daemon) is ended", () => {
    const r = run(["test/proc/fixtures/proctest", "detach"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("== detach\nparent: exiting\nlate child: still printing after its parent\n");
    expect(r.stderr).toMatch(/proctest exited; ending 1 process still running \(--wait-all waits for them\):\nsysemu: {3}pid 1001 \(proctest\) [RS]\n$/); // R if it never ran
  });

  it("daemon: every step of the recipe passes; /dev/tty is ENXIO without a controlling terminal", () => {
    const report = join(mkdtempSync(join(tmpdir(), "sysemu-daemon-")), "report");
    const r = run([`${S}/daemon`, report]);
    const want = "setsid_as_leader=EPERM fork1=ok setsid=ok sid_is_pid=yes fork2=ok not_session_leader=yes umask=0 chdir=/ close_fds=ok devnull=0,1,2 dev_tty=ENXIO orphaned=yes\n";
    expect(r.stdout).toBe(want);
    expect(readFileSync(report, "utf8")).toBe(want);
    expect(r.status).toBe(0);
  });

  it("sighup: an SA_SIGINFO handler sees SI_TKILL; a blocked SIGHUP stays pending until unblocked", () => {
    const r = run([`${S}/sighup`]);
    expect(r.stdout).toBe(
      "handler installed\nraise: handler ran 1 time(s): signo=SIGHUP code=SI_TKILL from self=yes\n" +
        "blocked + raise: handler ran 1 time(s), pending=yes\nunblocked: handler ran 2 time(s), pending=no\n",
    );
    expect(r.status).toBe(0);
  });

  it("tgkill: SIGHUP's default action ends the process, and sysemu with it", () => {
    const r = run([`${S}/tgkill`]);
    expect(r.stdout).toBe("sending SIGHUP to myself\n");
    expect([r.status, r.signal]).toEqual([null, "SIGHUP"]);
    expect(r.stderr).toContain(`sysemu: ${S}/tgkill: terminated by SIGHUP\n`);
  });

  it("pipes: 1000 lines arrive whole; a writer without readers dies of SIGPIPE, or gets EPIPE when it ignores it", () => {
    const r = run([`${S}/pipes`]);
    expect(r.stdout).toBe(
      "child: 1000 lines, sum of numbers 500500, 8893 bytes, checksum 0x16cc045e\npart 1: child exited with 0\n" +
        "part 2: writer killed by signal 13 (SIGPIPE)\npart 3: write failed with EPIPE\n",
    );
    expect(r.status).toBe(0);
  });

  it("forkbomb as a user with RLIMIT_NPROC 20: fork fails with EAGAIN after at most 20 children", () => {
    const r = run(["--uid", "1000", `${S}/forkbomb`, "20"]);
    const m = /fork failed after (\d+) children: EAGAIN/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(20);
    expect(r.stdout).toContain(`killed and reaped ${m![1]} children`);
    expect(r.status).toBe(0);
  });

  it("forkbomb as root (no RLIMIT_NPROC) ends at --max-tasks with EAGAIN, and sysemu exits normally", () => {
    const r = run(["--uid", "0", "--max-tasks", "30", `${S}/forkbomb`]);
    expect(r.stdout).toContain("fork failed after 29 children: EAGAIN (Resource temporarily unavailable)\nkilled and reaped 29 children\n");
    expect(r.status).toBe(0);
  });

  it("setuid_demo: a set-user-ID-root copy run by uid 1001 walks the slide's table", () => {
    // The copy belongs to whoever runs the test: as root that is uid 0; otherwise --file-owner
    // makes the host user's files root's, as a set-user-ID-root program would be.
    const dir = mkdtempSync(join(tmpdir(), "sysemu-suid-"));
    const prog = join(dir, "setuid_demo");
    copyFileSync(`${S}/setuid_demo`, prog);
    chmodSync(prog, 0o4755);
    const owner = UID === 0 ? [] : ["--file-owner", "0"];
    const r = run([...owner, "--uid", "1001", prog]);
    expect(r.stdout).toBe(
      [
        "start:                      uid=1001 euid=0 suid=0",
        "setresuid(1001, 0, 0): ok   uid=1001 euid=0 suid=0",
        "seteuid(1001): ok           uid=1001 euid=1001 suid=0",
        "seteuid(0): ok              uid=1001 euid=0 suid=0",
        "setuid(1001): ok            uid=1001 euid=1001 suid=1001",
        "seteuid(0): EPERM           uid=1001 euid=1001 suid=1001",
      ].join("\n") + "\n",
    );
    expect(r.status).toBe(0);
    const plain = run(["--uid", "1001", `${S}/setuid_demo`]);
    expect(plain.stdout).toBe("start:                      uid=1001 euid=1001 suid=1001\nseteuid(getuid()): ok       uid=1001 euid=1001 suid=1001\nseteuid(0): EPERM           uid=1001 euid=1001 suid=1001\n");
  });

  it("pthreads: 50 runs in a row give qemu-riscv64's output", async () => {
    const want = "counter: 400000 (expected 400000)\ntoken order: 01230123012301230123\njoined 4 threads\n";
    if (have("qemu-riscv64")) expect(qemu([`${S}/pthreads`]).stdout).toBe(want);
    const outs: string[] = [];
    for (let i = 0; i < 50; i += 2) {
      const pair = await Promise.all([runAsync([`${S}/pthreads`]), runAsync([`${S}/pthreads`])]);
      for (const r of pair) outs.push(`${r.status} ${r.stdout}`);
    }
    expect(outs).toEqual(Array(50).fill(`0 ${want}`));
  }, 600_000);

  it("sigsegv_handler: the handler gets si_addr NULL and SEGV_MAPERR", () => {
    expect(run([`${S}/sigsegv_handler`])).toMatchObject({
      status: 0,
      stdout: "reading through a NULL pointer\ncaught SIGSEGV\nsi_addr == NULL: yes\nsi_code: SEGV_MAPERR\n",
    });
  });

  it("alarm: SIGALRM's handler runs and pause() returns EINTR", () => {
    expect(run([`${S}/alarm`])).toMatchObject({
      status: 0,
      stdout: "alarm(1) set, previous alarm: 0\nSIGALRM handled\npause returned -1, errno EINTR\nalarm(5) then alarm(0): 5 s were left\n",
    });
  });

  it("execve: the same pid runs the new image; a #! script runs its interpreter with its argument", () => {
    expect(run([`${S}/execve`])).toMatchObject({ status: 0, stdout: readFileSync("samples/expected/execve.out", "utf8") });
    expect(run([`${S}/execve`, "script"])).toMatchObject({ status: 0, stdout: readFileSync("samples/expected/execve_script.out", "utf8") });
  });

  it("fork_touch: fork of 100 MiB is copy-on-write; the child sees the parent's pages", () => {
    const r = run([`${S}/fork_touch`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("touched: 104857600 bytes\nchild saw: 0xdc277901d43ebb37\nchild exit status: 0\nchecksum: 0x935568f1aef58e00\n");
    expect(r.stderr).toMatch(/fork\+wait: \d+ us/);
  });
});

describe("sysemu run with several processes", () => {
  it("strace prefixes [pid N] while several tasks live, and decodes clone, wait4 and signals", () => {
    const r = run(["--strace", `${S}/good_parent`]);
    const err = lines(r.stderr);
    expect(err).toContainEqual(expect.stringMatching(/^\[pid {2}1000\] clone\(child_stack=NULL, flags=CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD, child_tidptr=0x[0-9a-f]+\) = 1001$/));
    expect(err).toContain("[pid  1001] +++ exited with 123 +++");
    expect(err).toContain("wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 123}], 0, NULL) = 1001");
    expect(err).toContain(`--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=${UID}, si_status=123, si_utime=0, si_stime=0} ---`);
    const hup = lines(run(["--strace", `${S}/sighup`]).stderr);
    expect(hup).toContain(`--- SIGHUP {si_signo=SIGHUP, si_code=SI_TKILL, si_pid=1000, si_uid=${UID}} ---`);
    expect(hup).toContain("rt_sigreturn({mask=[]})                 = 0");
    // pause() is ppoll: interrupted, it is left for delivery to settle (ERESTARTNOHAND), the
    // handler runs, and rt_sigreturn comes back with EINTR in a0, as strace shows on Linux
    const alarm = lines(run(["--strace", `${S}/alarm`]).stderr);
    const at = alarm.findIndex((l) => l.startsWith("ppoll("));
    expect(alarm[at]).toMatch(/= \? ERESTARTNOHAND \(To be restarted if no handler\)$/);
    expect(alarm[at + 1]).toBe("--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---");
    expect(alarm).toContain("rt_sigreturn({mask=[]})                 = -1 EINTR (Interrupted system call)");
  });

  it("--ptree prints the tree like ps -ejH, the first program a zombie under init", () => {
    const r = run(["--ptree", `${S}/good_parent`]);
    expect(lines(r.stderr).filter((l) => !l.startsWith("JIT"))).toEqual([
      "    PID    PPID    PGID     SID TTY      STAT CMD",
      "      1       0       1       1 ?        S    init",
      "   1000       1    1000       1 ?        Z      good_parent <defunct>",
    ]);
  });

  it("a task waiting for sysemu's stdin (a pipe) lets the others run", async () => {
    // a FIFO, not spawn's stdin (a socket pair): the kernel looks at a pipe without reading it
    const fifo = join(mkdtempSync(join(tmpdir(), "sysemu-fifo-")), "in");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const fd = openSync(fifo, "r+");
    const p = spawn(process.execPath, ["bin/sysemu", "run", "test/proc/fixtures/stdin_child"], { env: ENV, stdio: [fd, "pipe", "pipe"] });
    let out = "";
    const done = new Promise<number | null>((resolve) => p.on("close", resolve));
    p.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("child done\n")) writeSync(fd, "hi\n"); // only now does the parent get input
    });
    expect(await done).toBe(0);
    closeSync(fd);
    expect(out).toBe("child done\nparent read 3\n");
  }, 120_000);

  it("reports a deadlock (every task blocked for ever) and exits 124 instead of hanging", () => {
    const r = run(["test/proc/fixtures/deadlock"]);
    expect(r.status).toBe(124);
    expect(r.stderr).toContain("sysemu: test/proc/fixtures/deadlock: deadlock: every task is blocked for ever\nsysemu:   pid 1000 (deadlock): wait4\nsysemu:   pid 1001 (deadlock): pipe_read\n");
  });
});

const CASES = ["restart", "flags", "waiting", "jobs", "family", "pipes", "threads", "segv", "sleeping"];
const expected = readFileSync("test/proc/fixtures/proctest.expected", "utf8");

/** One case's block of proctest.expected. */
function expectedCase(name: string): string {
  const start = expected.indexOf(`== ${name}\n`);
  const end = expected.indexOf("\n== ", start + 1);
  return expected.slice(start, end < 0 ? undefined : end + 1);
}

describe("proctest: signals, jobs, pipes, threads", () => {
  for (const name of CASES) {
    it(`${name}: the expected output${have("qemu-riscv64") ? ", as qemu-riscv64 gives it" : ""}`, () => {
      const r = run(["test/proc/fixtures/proctest", name]);
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: expectedCase(name) });
      if (have("qemu-riscv64")) expect(qemu(["test/proc/fixtures/proctest", name]).stdout).toBe(expectedCase(name));
    });
  }

  it("spawning: vfork shares memory, posix_spawn execs, exec errors (qemu-user cannot follow these)", () => {
    expect(run(["test/proc/fixtures/proctest", "spawning"]).stdout).toBe(expectedCase("spawning"));
  });

  it("newer: clone3 as fork (and its size check), fexecve through execveat(AT_EMPTY_PATH)", () => {
    expect(run(["test/proc/fixtures/proctest", "newer"]).stdout).toBe("== newer\nclone3 fork: exit 4\nclone3 short size: -1 EINVAL\nfexecve: exit 7\n");
  });

  it("tstp: the first program leads its own group in init's session, so SIGTSTP stops its child (as from a shell)", () => {
    // qemu-riscv64's answer depends on whether whoever started it does job control: not compared
    expect(run(["test/proc/fixtures/proctest", "tstp"]).stdout).toBe(expectedCase("tstp"));
  });

  it("execve with a NULL argv gives argc 1 and an empty argv[0], with the kernel's one warning", () => {
    const r = run(["--dmesg", "test/proc/fixtures/nullargv"]);
    expect(r.stdout).toBe("argc=1 argv0 empty\n");
    expect(r.stderr).toMatch(/\] process 'nullargv' launched 'test\/proc\/fixtures\/nullargv' with NULL argv: empty string added\n/);
  });

  // script(1) gives the program a pseudo-terminal of its own as stdin (where the machine has ptys)
  const ptys = have("script") && spawnSync("script", ["-qec", "tty", "/dev/null"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).stdout.includes("/dev/pts/");
  it.runIf(ptys)("termios: under a terminal, tcgetattr reads back what tcsetattr set", () => {
    const r = spawnSync("script", ["-qec", `"${process.execPath}" bin/sysemu run test/proc/fixtures/termios`, "/dev/null"], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
    expect(r.stdout.replace(/\r/g, "")).toBe("tcsetattr=0 ICANON=0 ECHO=0\nrestored: ICANON=1 ECHO=1\n");
  });

  it("cpus: one CPU, number 0", () => {
    expect(run(["test/proc/fixtures/proctest", "cpus"]).stdout).toBe("== cpus\nCPUs: 1, running on 0\n");
  });
});
