// The VFS end to end: riscv64 programs under bin/sysemu reading /proc, listing and changing
// directories, confined by --root (nothing outside it is read or written), refused by --ro,
// and giving the errno values qemu-riscv64 (a real Linux kernel underneath) gives.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { have, qemu, sysemu } from "./helpers.ts";

const FSOPS = "test/vfs/fixtures/fsops";
const tmp = (p: string) => realpathSync(mkdtempSync(join(tmpdir(), p)));

/** Every path below dir with its content (files) or "dir"/"-> target": a fingerprint of a tree. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = `${d}/${name}`;
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory()) {
        out[p] = "dir";
        walk(p);
      } else out[p] = st ? readFileSync(p, "utf8") : "dangling";
    }
  };
  walk(dir);
  return out;
}

describe("/proc samples", () => {
  it("proc_auxv: /proc/self/auxv equals the auxv on the stack, byte for byte", () => {
    const r = sysemu(["run", "samples/riscv64/proc_auxv"]);
    expect(r.stdout).toMatch(/^auxv matches: \d+ entries\n$/);
    expect(r.status).toBe(0);
  });

  it("maps: /proc/self/maps lists [stack], [heap], [vdso] and [vvar]", () => {
    const r = sysemu(["run", "samples/riscv64/maps"]);
    expect(r.stdout).toContain("[stack]: found\n[heap]: found\n[vdso]: found\n[vvar]: found\n");
    expect(r.stdout).toMatch(/^[0-9a-f]+-[0-9a-f]+ r-xp 00000000 [0-9a-f]{2}:[0-9a-f]{2} \d+ +\/\S*samples\/riscv64\/maps$/m);
    expect(r.status).toBe(0);
  });
});

describe("--root confinement", () => {
  const outside = tmp("sysemu-outside-");
  writeFileSync(`${outside}/secret`, "outside");
  const root = tmp("sysemu-root-");
  chmodSync(root, 0o755);
  mkdirSync(`${root}${outside}`, { recursive: true }); // a decoy at the same path inside the root
  writeFileSync(`${root}${outside}/secret`, "decoy");
  writeFileSync(`${root}${outside}/other`, "other decoy");
  mkdirSync(`${root}/dir`);
  writeFileSync(`${root}/dir/file`, "inside");
  symlinkSync(outside, `${root}/abs`);
  symlinkSync("../../../../../../../../../../.." + outside, `${root}/dir/rel`);
  symlinkSync(`${outside}/new-file`, `${root}/dangling`);
  symlinkSync("..", `${root}/dir/up`);
  symlinkSync("loop-b", `${root}/loop-a`);
  symlinkSync("loop-a", `${root}/loop-b`);
  const before = snapshot(outside);
  const run = (...ops: string[]) => sysemu(["run", "--root", root, FSOPS, ...ops]).stdout;

  it("reads through absolute and relative symlinks land inside the root", () => {
    expect(run("cat", "/abs/other", "cat", "/dir/rel/other", "cat", `/../../..${outside}/other`, "cat", "dir/up/dir/up/dir/file")).toBe(
      `cat /abs/other: other decoy\ncat /dir/rel/other: other decoy\ncat /../../..${outside}/other: other decoy\ncat dir/up/dir/up/dir/file: inside\n`,
    );
  });

  it("writes, creations, renames and links through escaping paths change only the root", () => {
    const out = run(
      "write", "/dangling", "x", "write", "/abs/planted", "y", "mkdir", "/dir/rel/newdir", "rename", "/dir/file", `/../..${outside}/stolen`,
      "symlink", `${outside}/secret`, "/mine", "cat", "/mine", "link", "/abs/secret", "/dir/hard", "unlink", "/abs/secret",
    );
    expect(out.split("\n").filter(Boolean).map((l) => l.replace(/^\S+ \S+: /, ""))).toEqual(["1", "1", "0", "0", "0", "decoy", "0", "0"]);
    expect(existsSync(`${root}${outside}/new-file`)).toBe(true);
    expect(existsSync(`${root}${outside}/stolen`)).toBe(true);
    expect(snapshot(outside)).toEqual(before);
  });

  it("the working directory starts at / when sysemu's own is outside the root, and .. stays there", () => {
    expect(run("getcwd", "chdir", "../../..", "getcwd", "chdir", "/dir/up/dir/up", "getcwd", "chdir", "/dir/up/up", "getcwd")).toBe(
      "getcwd: /\nchdir ../../..: 0\ngetcwd: /\nchdir /dir/up/dir/up: 0\ngetcwd: /\nchdir /dir/up/up: ENOENT\ngetcwd: /\n",
    );
  });

  it("a symlink loop gives ELOOP", () => {
    expect(run("cat", "/loop-a")).toBe("cat /loop-a: ELOOP\n");
  });

  it("cat and ls samples see the root's files", () => {
    expect(sysemu(["run", "--root", root, "samples/riscv64/cat", "/dir/up/dir/rel/other"]).stdout).toBe("other decoy");
    const ls = sysemu(["run", "--root", root, "samples/riscv64/ls", "/"]);
    expect(ls.stdout).toMatch(/^lrwxrwxrwx +\d+ abs -> \/.*\nl.*dangling -> .*\nd.* dev\nd.* dir\n/);
    expect(ls.stdout).toContain(" proc\n");
    expect(snapshot(outside)).toEqual(before);
  });

  it("a missing --root directory is a usage error", () => {
    const r = sysemu(["run", "--root", `${root}/nope`, FSOPS, "getcwd"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--root");
  });
});

describe("--ro", () => {
  it("every modifying call gives EROFS and the directory is left as it was", () => {
    const root = tmp("sysemu-ro-");
    mkdirSync(`${root}/d`);
    writeFileSync(`${root}/f`, "keep");
    const before = snapshot(root);
    const r = sysemu(["run", "--root", root, "--ro", FSOPS,
      "write", "/f", "x", "write", "/new", "x", "excl", "/new2", "append", "/f", "x", "mkdir", "/m", "rmdir", "/d", "unlink", "/f",
      "rename", "/f", "/g", "exchange", "/f", "/d", "symlink", "/f", "/s", "link", "/f", "/l", "chmod", "/f", "600", "truncate", "/f", "0",
      "access", "/f", "cat", "/f", "write", "/dev/shm/ok", "tmpfs"]);
    const results = r.stdout.split("\n").filter(Boolean).map((l) => l.replace(/^\S+ \S+: /, ""));
    expect(results).toEqual([...Array(14).fill("EROFS"), "keep", "5"]);
    expect(snapshot(root)).toEqual(before);
  });
});

describe("errno rules as a real kernel gives them (qemu-riscv64 on the host)", () => {
  const script = (d: string) => [
    "mkdir", `${d}/a`, "mkdir", `${d}/a`, "write", `${d}/a/f`, "text", "excl", `${d}/a/f`, "mkdir", `${d}/a/f/x`, "rmdir", `${d}/a`,
    "unlink", `${d}/a`, "rmdir", `${d}/a/f`, "rename", `${d}/a`, `${d}/a/sub`, "symlink", "f", `${d}/a/l`, "symlink", "f", `${d}/a/l`,
    "readlink", `${d}/a/l`, "readlink", `${d}/a/f`, "link", `${d}/a`, `${d}/b`, "cat", `${d}/a/l`, "cat", `${d}/a/f/`, "stat", `${d}/a/l`,
    "lstat", `${d}/a/l`, "cat", `${d}/missing`, "chdir", `${d}/a/f`, "mkdir", `${d}/c`, "write", `${d}/c/x`, "1", "rename", `${d}/a`, `${d}/c`,
    "exchange", `${d}/a`, `${d}/c`, "ls", d, "ls", `${d}/a`, "truncate", `${d}/c/f`, "2", "cat", `${d}/c/f`, "access", `${d}/nope`,
    "stat", "/dev/null", "ls", `${d}/c/f`, "append", `${d}/c/x`, "2", "cat", `${d}/c/x`, "unlink", `${d}/c/l`, "lstat", `${d}/c/l`,
  ];

  it("fsops gives the results qemu-riscv64 gave (test/vfs/fixtures/fsops-errno.out), and gives now", () => {
    const mine = tmp("sysemu-errno-");
    const ours = sysemu(["run", FSOPS, ...script(mine)]).stdout.replaceAll(mine, "D");
    expect(ours).toBe(readFileSync("test/vfs/fixtures/fsops-errno.out", "utf8"));
    if (have("qemu-riscv64")) {
      const theirs = tmp("sysemu-errno-");
      expect(ours).toBe(qemu([FSOPS, ...script(theirs)]).stdout.replaceAll(theirs, "D"));
    }
  });
});

describe("descriptors and devices", () => {
  it("/dev/stdin and /proc/self/fd/0 read the guest's stdin (a pipe)", () => {
    const r = sysemu(["run", FSOPS, "readlink", "/proc/self/fd/0", "cat", "/dev/stdin"], { input: "piped" });
    expect(r.stdout).toMatch(/^readlink \/proc\/self\/fd\/0: (pipe|socket):\[\d+\]\ncat \/dev\/stdin: piped\n$/);
  });

  it("poll on stdin: POLLIN when data is there; the data is still read afterwards", () => {
    expect(sysemu(["run", FSOPS, "poll", "0", "1000", "cat", "/dev/stdin"], { input: "data" }).stdout).toBe("poll 0: 1 POLLIN\ncat /dev/stdin: data\n");
  });

  it("poll on a stdin pipe at its end gives POLLHUP alone, as Linux's pipe_poll (and qemu-riscv64)", () => {
    const pipe = spawnSync("sh", ["-c", `: | ${process.execPath} bin/sysemu run ${FSOPS} poll 0 100`], { encoding: "utf8" }).stdout;
    expect(pipe).toBe("poll 0: 1 POLLHUP\n");
    if (have("qemu-riscv64")) expect(pipe).toBe(spawnSync("sh", ["-c", `: | qemu-riscv64 ${FSOPS} poll 0 100`], { encoding: "utf8" }).stdout);
  });

  it("a read of a stdin pipe waits for data that comes later (the task parks, sysemu does not block)", () => {
    const r = spawnSync("sh", ["-c", `(sleep 1; echo late) | ${process.execPath} bin/sysemu run ${FSOPS} cat /dev/stdin poll 0 0`], { encoding: "utf8" });
    expect(r.stdout).toBe("cat /dev/stdin: late\n\npoll 0: 1 POLLHUP\n");
  });

  it("strace shows getdents64's buffer as strace does", () => {
    const d = tmp("sysemu-ls-");
    writeFileSync(`${d}/one`, "1");
    const r = sysemu(["run", "--strace", "samples/riscv64/ls", d]);
    expect(r.stdout).toBe("-rw-r--r--           1 one\n");
    expect(r.stderr).toMatch(/^getdents64\(3, 0x[0-9a-f]+ \/\* 3 entries \*\/, 32768\) += \d+$/m);
    expect(r.stderr).toMatch(/^getdents64\(3, 0x[0-9a-f]+ \/\* 0 entries \*\/, 32768\) += 0$/m);
  });
});

describe("/proc/sys", () => {
  it("has the tunables programs read: hostname, ostype, osrelease, limits, uuids", () => {
    const files = ["kernel/hostname", "kernel/ostype", "kernel/osrelease", "kernel/pid_max", "fs/pipe-max-size", "vm/overcommit_memory", "kernel/random/uuid", "kernel/random/boot_id", "kernel/random/boot_id"];
    const r = sysemu(["run", "samples/riscv64/cat", ...files.map((f) => `/proc/sys/${f}`)]);
    expect(r.status).toBe(0);
    const [host, ostype, release, pidMax, pipeMax, overcommit, uuid, boot1, boot2] = r.stdout.split("\n");
    expect(host).toBe(hostname());
    expect([ostype, pidMax, pipeMax, overcommit]).toEqual(["Linux", "4194304", "1048576", "0"]);
    expect(release).toMatch(/^\d+\.\d+\.\d+/);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(boot1).toBe(boot2); // one boot id per run
    expect(boot1).not.toBe(uuid);
  });
});
