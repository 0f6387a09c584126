// x86-64 programs under sysemu against the host itself (the oracle on an x86-64 machine): the
// host's own dynamically linked tools through --sysroot /, and the x86-64 samples. stdout and
// exit status must be equal; these need the x86-64 ABI (struct stat, sigaction's sa_restorer,
// clone's order, uname's machine, xattr answers) to be the one the task runs with.

import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shellStatus, sysemu, type Ran } from "../e2e/helpers.ts";

const ENV = { PATH: "/usr/bin:/bin", HOME: "/nonexistent", LANG: "C", LC_ALL: "C", TERM: "dumb" };
const onX86 = process.arch === "x64" && process.platform === "linux";

function native(args: string[], input = ""): Ran {
  const r = spawnSync(args[0]!, args.slice(1), { input, env: ENV, encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function same(args: string[], sysemuArgs: string[] = [], input = ""): void {
  const ours = sysemu(["run", ...sysemuArgs, ...args], { env: ENV, input });
  expect(ours.stderr).not.toMatch(/internal error|oops|Function not implemented/);
  const theirs = native(args, input);
  expect({ stdout: ours.stdout, status: shellStatus(ours) }).toEqual({ stdout: theirs.stdout, status: shellStatus(theirs) });
}

const HOST_TOOLS: string[][] = [
  ["/bin/echo", "hello", "world"],
  ["/bin/ls", "/"],
  ["/bin/ls", "-l", "/etc/passwd", "/etc/hostname", "/bin"],
  ["/bin/sh", "-c", "echo $((6*7)) | cat"],
  ["/usr/bin/uname", "-m"],
  ["/usr/bin/stat", "-c", "%s %h %f %u %g", "/etc/passwd"],
];

describe.runIf(onX86)("host x86-64 tools under sysemu --sysroot / and natively", () => {
  for (const args of HOST_TOOLS) it(args.join(" "), () => same(args, ["--sysroot", "/"]));

  it("cat's copy_file_range to a borrowed stdout file moves the shared offset", () => {
    // with x86-64's struct stat cat sees a regular file and copies with copy_file_range
    const path = join(mkdtempSync(join(tmpdir(), "sysemu-x86-")), "out");
    const fd = openSync(path, "w");
    const r = spawnSync(process.execPath, ["bin/sysemu", "run", "--sysroot", "/", "/bin/cat", "/etc/passwd", "/etc/passwd"], { stdio: ["ignore", fd, "pipe"], env: ENV });
    writeSync(fd, "MARK\n");
    closeSync(fd);
    expect(r.status).toBe(0);
    const passwd = readFileSync("/etc/passwd", "utf8");
    expect(readFileSync(path, "utf8")).toBe(passwd + passwd + "MARK\n");
  });

  it("/usr/bin/sort with stdin", () => same(["/usr/bin/sort"], ["--sysroot", "/"], "pear\napple\nfig\n"));

  it("rename(2) from a file to a new name is one mount under --sysroot / (not EXDEV)", () => {
    // each side gets its own directory with one file a; rename a→b, a→b again (ENOENT), b→a
    const script = 'my $d = shift; rename("$d/a", "$d/b") or die "1: $!\\n"; print rename("$d/a", "$d/b") ? "2: ok\\n" : "2: $!\\n"; rename("$d/b", "$d/a") or die "3: $!\\n"; print "done\\n"';
    const fresh = (): string => {
      const d = mkdtempSync(join(tmpdir(), "sysemu-x86-rename-"));
      closeSync(openSync(join(d, "a"), "w"));
      return d;
    };
    const ours = sysemu(["run", "--sysroot", "/", "/usr/bin/perl", "-e", script, fresh()], { env: ENV });
    const theirs = native(["/usr/bin/perl", "-e", script, fresh()]);
    expect(theirs.stdout).toBe("2: No such file or directory\ndone\n");
    expect({ stdout: ours.stdout, stderr: ours.stderr, status: ours.status }).toEqual({ stdout: theirs.stdout, stderr: "", status: 0 });
  });

  it("--strace decodes x86-64's struct stat and sigaction", () => {
    const r = sysemu(["run", "--sysroot", "/", "--strace", "/bin/ls", "-l", "/etc/passwd"], { env: ENV });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/newfstatat\(\d+, "", \{st_mode=S_IFREG\|0644, st_size=[1-9]\d*, \.\.\.\}, AT_EMPTY_PATH\) = 0/);
    expect(r.stderr).toMatch(/lgetxattr\("\/etc\/passwd", "security.selinux", .*= -1 ENODATA/);
    const s = sysemu(["run", "--strace", "samples/x86_64/sighup"], { env: ENV });
    expect(s.stderr).toMatch(/rt_sigaction\(SIGHUP, \{sa_handler=0x[0-9a-f]+, sa_mask=\[\], sa_flags=SA_SIGINFO\|SA_RESTORER, sa_restorer=0x[0-9a-f]+\}, NULL, 8\) = 0/);
  });
});

/** Samples whose output is deterministic (orphan and fork_touch race or time; sys_hello is sysemu's own). */
const SAMPLES = ["alarm", "sighup", "pthreads", "tgkill", "pipes", "good_parent", "daemon", "setuid_demo", "sigsegv_handler", "execve", "exit42", "hello", "printf", "args_env"];

describe.runIf(onX86)("x86-64 samples under sysemu and natively", () => {
  for (const name of SAMPLES) {
    const path = `samples/x86_64/${name}`;
    it(name, () => same([path]));
  }

  it("uname reports x86_64 to a static program", () => {
    const r = sysemu(["run", "--sysroot", "/", "/usr/bin/uname", "-m"], { env: ENV });
    expect(r.stdout).toBe("x86_64\n");
  });
});
