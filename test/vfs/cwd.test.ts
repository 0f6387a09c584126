// The working directory is a reference to the directory (fs_struct.pwd), not a path: renames,
// removal, a new directory of the old name, fork and threads, on the host directory and tmpfs.

import { mkdirSync, readFileSync, renameSync, rmdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENOENT } from "../../src/kernel/errno.ts";
import { cwdOf, cwdPath } from "../../src/kernel/vfs/namei.ts";
import { sys_chdir, sys_getcwd } from "../../syscalls/fs.ts";
import { sys_mkdirat } from "../../syscalls/namei.ts";
import { AT_FDCWD } from "../../src/kernel/vfs/namei.ts";
import { haveQemu, runQemu, runSysemu, scratch } from "./fixture-run.ts";
import { buf, call, makeTask, peek, tempDir } from "./helpers.ts";

const EXPECTED = readFileSync("test/vfs/fixtures/cwd.out", "utf8");
const shmName = () => `/dev/shm/sysemu-cwd-${process.pid}-${Math.random().toString(36).slice(2)}`;

function getcwd(t: ReturnType<typeof makeTask>): string | number {
  const p = buf(t, 4096);
  const n = call(t, sys_getcwd, p, 4096);
  return n < 0 ? n : new TextDecoder().decode(peek(t, p, n - 1));
}

describe("the working directory follows the directory", () => {
  it("on a host directory, as Linux (test/vfs/fixtures/cwd.out is its output)", () => {
    const r = runSysemu("cwd", `${scratch("sysemu-cwd-")}/w`);
    expect(r.stdout).toBe(EXPECTED);
  });

  it("on tmpfs", () => {
    expect(runSysemu("cwd", shmName()).stdout).toBe(EXPECTED);
  });

  it.runIf(haveQemu)("prints what qemu-riscv64 (Linux) prints", () => {
    expect(runQemu("cwd", `${scratch("sysemu-cwdq-")}/w`).stdout).toBe(EXPECTED);
  });

  it("a host directory renamed by someone else (the host) is followed", () => {
    const root = tempDir();
    mkdirSync(`${root}/a/b`, { recursive: true });
    const t = makeTask({ root });
    expect(call(t, sys_chdir, "/a/b")).toBe(0);
    renameSync(`${root}/a`, `${root}/z`);
    expect(getcwd(t)).toBe("/z/b");
    expect((cwdOf(t) as { path: string }).path).toBe("/z/b");
    rmdirSync(`${root}/z/b`);
    mkdirSync(`${root}/z/b`);
    expect(getcwd(t)).toBe(-ENOENT);
    expect(cwdPath(t)).toEqual({ path: "/z/b", deleted: true });
    expect(call(t, sys_mkdirat, AT_FDCWD, "x", 0o755)).toBe(-ENOENT);
  });

  it("a path assigned to fs.cwd (start-up) is looked up and then held", () => {
    const root = tempDir();
    mkdirSync(`${root}/home`);
    const t = makeTask({ root, cwd: "/home" });
    expect(getcwd(t)).toBe("/home");
    renameSync(`${root}/home`, `${root}/house`);
    expect(getcwd(t)).toBe("/house");
  });
});
