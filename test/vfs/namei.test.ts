// Path lookup in the guest's view: "..", symlinks absolute and relative, loops and limits, and
// --root confinement: nothing outside the root is ever reached.

import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { EISDIR, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR } from "../../src/kernel/errno.ts";
import { O_RDONLY } from "../../src/kernel/fs/file.ts";
import type { Task } from "../../src/kernel/proc/task.ts";
import { AT_FDCWD, lookupAt } from "../../src/kernel/vfs/namei.ts";
import { vfsOpen } from "../../src/kernel/vfs/open.ts";
import { makeTask, tempDir } from "./helpers.ts";

let root: string, outside: string, t: Task;

/** The bytes of a guest file as text, or the errno of its open. */
function cat(task: Task, path: string): string | number {
  const f = vfsOpen(task, AT_FDCWD, path, O_RDONLY, 0);
  if (typeof f === "number") return f;
  const buf = new Uint8Array(4096);
  const n = f.ops.read!(f, task, buf, null);
  return new TextDecoder().decode(buf.subarray(0, n));
}

beforeAll(() => {
  outside = tempDir("sysemu-outside-");
  writeFileSync(`${outside}/secret`, "outside");
  root = tempDir();
  mkdirSync(`${root}/a/b`, { recursive: true });
  mkdirSync(`${root}/etc`);
  writeFileSync(`${root}/etc/passwd`, "inside");
  writeFileSync(`${root}/a/file`, "a-file");
  symlinkSync("/a/file", `${root}/abs`);
  symlinkSync("file", `${root}/a/rel`);
  symlinkSync("../file", `${root}/a/b/up`);
  symlinkSync(outside, `${root}/escape-abs`);
  symlinkSync("../../../../../../../../../../" + outside, `${root}/escape-rel`);
  symlinkSync(`${outside}/secret`, `${root}/escape-file`);
  symlinkSync("..", `${root}/dotdot`);
  symlinkSync("loop2", `${root}/loop1`);
  symlinkSync("loop1", `${root}/loop2`);
  symlinkSync("/etc/passwd", `${root}/hop0`);
  for (let i = 1; i <= 41; i++) symlinkSync(`hop${i - 1}`, `${root}/hop${i}`);
  t = makeTask({ root });
});

describe("path lookup under --root", () => {
  it("resolves an absolute symlink from the guest's root", () => {
    expect(cat(t, "/abs")).toBe("a-file");
  });

  it("resolves a relative symlink from the directory holding it", () => {
    expect(cat(t, "/a/rel")).toBe("a-file");
    expect(cat(t, "/a/b/up")).toBe("a-file");
  });

  it("keeps .. at the root: /../../etc/passwd is the root's /etc/passwd", () => {
    expect(cat(t, "/../../../etc/passwd")).toBe("inside");
    expect(cat(t, "/a/../../../etc/passwd")).toBe("inside");
    expect(lookupAt(t, AT_FDCWD, "/..", true)).toMatchObject({ path: "/" });
  });

  it("follows a symlink to .. no higher than the root", () => {
    expect(cat(t, "/dotdot/dotdot/etc/passwd")).toBe("inside");
  });

  it("never reaches outside: absolute and relative symlinks to the host stay inside", () => {
    expect(cat(t, "/escape-abs/secret")).toBe(-ENOENT);
    expect(cat(t, "/escape-rel/secret")).toBe(-ENOENT);
    expect(cat(t, "/escape-file")).toBe(-ENOENT);
    expect(cat(t, `/..${outside}/secret`)).toBe(-ENOENT);
  });

  it("gives ELOOP for a symlink loop", () => {
    expect(cat(t, "/loop1")).toBe(-ELOOP);
  });

  it("follows 40 symlinks in one lookup, and no more (ELOOP)", () => {
    expect(cat(t, "/hop39")).toBe("inside"); // hop39 → ... → hop0 → /etc/passwd: 40 links
    expect(cat(t, "/hop40")).toBe(-ELOOP);
  });

  it("gives ENOTDIR for a file used as a directory, and for a trailing slash on a file", () => {
    expect(cat(t, "/a/file/x")).toBe(-ENOTDIR);
    expect(cat(t, "/a/file/")).toBe(-ENOTDIR);
    expect(cat(t, "/a/file/.")).toBe(-ENOTDIR);
  });

  it("gives ENAMETOOLONG for a 256-byte name and a 4096-byte path", () => {
    expect(cat(t, "/" + "x".repeat(256))).toBe(-ENAMETOOLONG);
    expect(cat(t, "/" + "a/".repeat(2048))).toBe(-ENAMETOOLONG);
    expect(cat(t, "/" + "x".repeat(255))).toBe(-ENOENT);
  });

  it("gives ENOENT for an empty path", () => {
    expect(cat(t, "")).toBe(-ENOENT);
  });

  it("opens a directory read-only but not for writing (EISDIR)", () => {
    expect(typeof vfsOpen(t, AT_FDCWD, "/a", O_RDONLY, 0)).toBe("object");
    expect(vfsOpen(t, AT_FDCWD, "/a", 2, 0)).toBe(-EISDIR);
  });

  it("shows /proc and /dev though the root directory has neither", () => {
    expect(lookupAt(t, AT_FDCWD, "/proc/self", false)).toMatchObject({ path: "/proc/self" });
    expect(cat(t, "/dev/null")).toBe("");
    expect(cat(t, "/proc/self/comm")).toBe("vfs-test\n");
  });

  it("walks relative paths from the working directory", () => {
    const u = makeTask({ root, cwd: "/a/b" });
    expect(cat(u, "up")).toBe("a-file");
    expect(cat(u, "../../etc/passwd")).toBe("inside");
    expect(cat(u, "../../../../etc/passwd")).toBe("inside");
  });
});
