// One tiny test per errno rule of open(2), read(2) and write(2), named after the rule.

import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as E from "../../src/kernel/errno.ts";
import { S_IFLNK, S_IFMT } from "../../src/kernel/fs/stat.ts";
import { call } from "./helpers.ts";
import { sys_openat } from "../../syscalls/fs.ts";
import { close, fdMode, hostText, O, open, read, setup, write } from "./setup.ts";

const tree = { files: { f: "hello", "d/g": "g" }, dirs: ["d", "e"], links: { dangling: "nowhere", lnk: "f", dlink: "d" } };

describe("open(2) errno rules", () => {
  it("openat(O_CREAT|O_EXCL) on existing -> EEXIST", () => {
    const { t } = setup(tree);
    expect(open(t, "/f", O.CREAT | O.EXCL | O.WRONLY)).toBe(-E.EEXIST);
  });
  it("openat(O_CREAT|O_EXCL) on a dangling symlink -> EEXIST (never follows)", () => {
    const { t, root } = setup(tree);
    expect(open(t, "/dangling", O.CREAT | O.EXCL | O.WRONLY)).toBe(-E.EEXIST);
    expect(existsSync(`${root}/nowhere`)).toBe(false);
  });
  it("openat(O_CREAT) through a dangling symlink creates its target inside the root", () => {
    const { t, root } = setup(tree);
    expect(open(t, "/dangling", O.CREAT | O.WRONLY)).toBeGreaterThanOrEqual(0);
    expect(existsSync(`${root}/nowhere`)).toBe(true);
  });
  it("openat(missing) -> ENOENT", () => {
    expect(open(setup(tree).t, "/missing", O.RDONLY)).toBe(-E.ENOENT);
  });
  it("openat(missing/x, O_CREAT) -> ENOENT", () => {
    expect(open(setup(tree).t, "/missing/x", O.CREAT | O.WRONLY)).toBe(-E.ENOENT);
  });
  it("openat(O_DIRECTORY) on a file -> ENOTDIR", () => {
    expect(open(setup(tree).t, "/f", O.RDONLY | O.DIRECTORY)).toBe(-E.ENOTDIR);
  });
  it("openat(O_WRONLY) on a directory -> EISDIR", () => {
    expect(open(setup(tree).t, "/d", O.WRONLY)).toBe(-E.EISDIR);
  });
  it("openat(O_RDONLY|O_TRUNC) on a directory -> EISDIR", () => {
    expect(open(setup(tree).t, "/d", O.RDONLY | O.TRUNC)).toBe(-E.EISDIR);
  });
  it("openat(O_CREAT) on an existing directory -> EISDIR", () => {
    expect(open(setup(tree).t, "/d", O.CREAT | O.RDONLY)).toBe(-E.EISDIR);
  });
  it("openat(\"new/\", O_CREAT) -> EISDIR", () => {
    expect(open(setup(tree).t, "/new/", O.CREAT | O.WRONLY)).toBe(-E.EISDIR);
  });
  it("openat(O_CREAT|O_DIRECTORY) -> EINVAL", () => {
    expect(open(setup(tree).t, "/new", O.CREAT | O.DIRECTORY)).toBe(-E.EINVAL);
  });
  it("openat(O_NOFOLLOW) on a symlink -> ELOOP", () => {
    expect(open(setup(tree).t, "/lnk", O.RDONLY | O.NOFOLLOW)).toBe(-E.ELOOP);
  });
  it("openat(O_PATH|O_NOFOLLOW) on a symlink opens the link itself", () => {
    const { t } = setup(tree);
    const fd = open(t, "/lnk", O.PATH | O.NOFOLLOW);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(fdMode(t, fd) & S_IFMT).toBe(S_IFLNK);
  });
  it("read() on an O_PATH descriptor -> EBADF", () => {
    const { t } = setup(tree);
    expect(read(t, open(t, "/f", O.PATH))).toBe(-E.EBADF);
  });
  it("openat(bad dirfd, relative path) -> EBADF", () => {
    expect(call(setup(tree).t, sys_openat, 99, "f", O.RDONLY, 0)).toBe(-E.EBADF);
  });
  it("openat(bad dirfd, absolute path) ignores dirfd", () => {
    expect(call(setup(tree).t, sys_openat, 99, "/f", O.RDONLY, 0)).toBeGreaterThanOrEqual(0);
  });
  it("openat(file fd as dirfd, relative path) -> ENOTDIR", () => {
    const { t } = setup(tree);
    expect(call(t, sys_openat, open(t, "/f", O.RDONLY), "x", O.RDONLY, 0)).toBe(-E.ENOTDIR);
  });
  it("openat(dirfd, relative path) looks up from that directory", () => {
    const { t } = setup(tree);
    const fd = call(t, sys_openat, open(t, "/d", O.RDONLY | O.DIRECTORY), "g", O.RDONLY, 0);
    expect(read(t, fd)).toBe("g");
  });
  it("openat(O_TRUNC) empties the file", () => {
    const { t, root } = setup(tree);
    close(t, open(t, "/f", O.WRONLY | O.TRUNC));
    expect(hostText(`${root}/f`)).toBe("");
  });
  it("openat(O_APPEND) writes at the end whatever the position", () => {
    const { t, root } = setup(tree);
    const fd = open(t, "/f", O.WRONLY | O.APPEND);
    expect(write(t, fd, "!")).toBe(1);
    expect(hostText(`${root}/f`)).toBe("hello!");
  });
  it("openat(O_CREAT, 0777) applies the umask (022 -> 0755), not the host's", () => {
    const { t, root } = setup(tree);
    t.fs.umask = 0o027;
    close(t, open(t, "/new", O.CREAT | O.WRONLY, 0o777));
    expect(statSync(`${root}/new`).mode & 0o777).toBe(0o750);
  });
  it("openat(O_TMPFILE) makes an unnamed file: nothing is left in the directory", () => {
    const { t, root } = setup(tree);
    const fd = open(t, "/e", O.TMPFILE | O.RDWR, 0o600);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(write(t, fd, "tmp")).toBe(3);
    expect(lstatSync(`${root}/e`).nlink).toBeGreaterThan(0);
    expect(readdirSync(`${root}/e`)).toEqual([]);
  });
  it("openat(O_TMPFILE|O_RDONLY) -> EINVAL", () => {
    expect(open(setup(tree).t, "/e", O.TMPFILE | O.RDONLY)).toBe(-E.EINVAL);
  });
  it("a file of mode 0600 owned by someone else -> EACCES (checked for --uid)", () => {
    const { t } = setup({ files: { p: "private" }, modes: { p: 0o600 } }, { uid: 12345, gid: 12345 });
    expect(open(t, "/p", O.RDONLY)).toBe(-E.EACCES);
  });
  it("a directory without search permission for --uid -> EACCES on lookups inside", () => {
    const { t } = setup({ dirs: ["s"], files: { "s/x": "x" }, modes: { s: 0o700 } }, { uid: 12345, gid: 12345 });
    expect(open(t, "/s/x", O.RDONLY)).toBe(-E.EACCES);
  });
});

describe("read(2) and write(2) errno rules", () => {
  it("read() of a directory -> EISDIR", () => {
    const { t } = setup(tree);
    expect(read(t, open(t, "/d", O.RDONLY))).toBe(-E.EISDIR);
  });
  it("write() to an O_RDONLY descriptor -> EBADF", () => {
    const { t } = setup(tree);
    expect(write(t, open(t, "/f", O.RDONLY), "x")).toBe(-E.EBADF);
  });
  it("read() from an O_WRONLY descriptor -> EBADF", () => {
    const { t } = setup(tree);
    expect(read(t, open(t, "/f", O.WRONLY))).toBe(-E.EBADF);
  });
  it("read(closed fd) -> EBADF", () => {
    expect(read(setup(tree).t, 42)).toBe(-E.EBADF);
  });
  it("close(closed fd) -> EBADF", () => {
    expect(close(setup(tree).t, 42)).toBe(-E.EBADF);
  });
});

describe("--ro: every modifying open gives EROFS", () => {
  const ro = () => setup(tree, { readOnly: true });
  it("openat(O_WRONLY) of an existing file -> EROFS", () => {
    expect(open(ro().t, "/f", O.WRONLY)).toBe(-E.EROFS);
  });
  it("openat(O_RDONLY|O_TRUNC) -> EROFS", () => {
    expect(open(ro().t, "/f", O.RDONLY | O.TRUNC)).toBe(-E.EROFS);
  });
  it("openat(O_CREAT) of a new file -> EROFS", () => {
    const { t, root } = ro();
    expect(open(t, "/new", O.CREAT | O.WRONLY)).toBe(-E.EROFS);
    expect(existsSync(`${root}/new`)).toBe(false);
  });
  it("openat(O_CREAT|O_RDONLY) of an existing file still opens it", () => {
    const { t } = ro();
    expect(read(t, open(t, "/f", O.CREAT | O.RDONLY))).toBe("hello");
  });
  it("/dev/shm (a tmpfs) stays writable", () => {
    const { t } = ro();
    expect(open(t, "/dev/shm/x", O.CREAT | O.RDWR)).toBeGreaterThanOrEqual(0);
  });
});
