// mount(2) and umount2(2): samples/src/calls/mounts.c and mountprop.c under sysemu for both
// architectures, and natively inside `unshare -m` where this host lets root make a mount
// namespace (the outputs are recorded in samples/expected/ from such a run for the hosts that
// cannot).

import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sysemu } from "../e2e/helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "sysemu-mounts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const canUnshare = arch() === "x64" && process.getuid?.() === 0 && spawnSync("unshare", ["-m", "true"]).status === 0;

describe("mount(2) and umount2(2)", () => {
  it("tmpfs, bind mounts (MS_REC), read-only remounts, proc, propagation, EBUSY/MNT_DETACH, the errors: as Linux in a mount namespace", () => {
    const rv = sysemu(["run", "--uid", "0", "samples/riscv64/mounts", dir]);
    expect(rv.stderr).toBe("");
    expect(rv.status).toBe(0);
    const x86 = sysemu(["run", "--uid", "0", "samples/x86_64/mounts", dir]);
    expect(x86.stdout).toBe(rv.stdout);
    if (canUnshare) {
      const native = spawnSync("unshare", ["-m", "samples/x86_64/mounts", dir], { encoding: "utf8" });
      expect(rv.stdout).toBe(native.stdout);
    }
    expect(rv.stdout).toBe(readFileSync("samples/expected/mounts.out", "utf8"));
  });

  it("needs CAP_SYS_ADMIN: EPERM for another user, after the path lookup", () => {
    chmodSync(dir, 0o755);
    const r = sysemu(["run", "--uid", "1000", "samples/x86_64/mounts", dir]);
    expect(r.stdout).toMatch(/^mount tmpfs: -1 EPERM$/m);
    expect(r.stdout).toMatch(/^umount a missing path: -1 ENOENT$/m);
    expect(r.stdout).toMatch(/^umount the tmpfs, mounts below it: -1 EPERM$/m);
    expect(r.stdout).toMatch(/^remount the tmpfs rw: -1 EPERM$/m);
  });

  it("strace shows the flags as strace does", () => {
    const r = sysemu(["run", "--uid", "0", "--strace", "samples/x86_64/mounts", dir]);
    expect(r.stderr).toContain(`mount("sub", "${dir}/a/sub", "tmpfs", MS_NOSUID|MS_NODEV, "size=1m") = 0`);
    expect(r.stderr).toContain(`mount(NULL, "${dir}/b", NULL, MS_RDONLY|MS_REMOUNT|MS_BIND, NULL) = 0`);
    expect(r.stderr).toMatch(/^umount2\(".*\/b", MNT_DETACH\) += 0$/m);
  });

  it("/proc/self/mountinfo lists the boot mounts with their ids, parents and super options", () => {
    const r = sysemu(["run", "/bin/cat", "/proc/self/mountinfo"]);
    expect(r.stdout).toMatch(/^21 1 \d+:\d+ \/ \/ rw,relatime - hostfs \/ rw$/m);
    expect(r.stdout).toMatch(/^22 21 0:22 \/ \/proc rw,nosuid,nodev,noexec,relatime - proc proc rw$/m);
    expect(r.stdout).toMatch(/^24 23 0:\d+ \/ \/dev\/shm rw,nosuid,nodev - tmpfs tmpfs rw$/m);
  });
});

describe("mount propagation", () => {
  it("BusyBox's test (a bind on a shared mount reaches its peer), umount taking the copies along, a slave, EBUSY for a copy in use: as Linux", () => {
    const rv = sysemu(["run", "--uid", "0", "samples/riscv64/mountprop", dir]);
    expect(rv.stderr).toBe("");
    expect(rv.status).toBe(0);
    expect(rv.stdout).toContain("ls shared1: a b\n");
    const x86 = sysemu(["run", "--uid", "0", "samples/x86_64/mountprop", dir]);
    expect(x86.stdout).toBe(rv.stdout);
    if (canUnshare) {
      const native = spawnSync("unshare", ["-m", "samples/x86_64/mountprop", dir], { encoding: "utf8" });
      expect(rv.stdout).toBe(native.stdout);
    }
    expect(rv.stdout).toBe(readFileSync("samples/expected/mountprop.out", "utf8"));
  });
});
