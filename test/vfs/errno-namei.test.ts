// One tiny test per errno rule of mkdirat, unlinkat, renameat2, symlinkat, linkat, readlinkat.

import { existsSync, readlinkSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as E from "../../src/kernel/errno.ts";
import { AT_FDCWD } from "../../src/kernel/vfs/namei.ts";
import { sys_linkat, sys_readlinkat } from "../../syscalls/namei.ts";
import { buf, call, peek } from "./helpers.ts";
import { hostText, mkdir, O, open, read, rename, setup, symlink, unlink, write } from "./setup.ts";

const AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400;
const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2;
const tree = { files: { f: "F", g: "G", "full/x": "x" }, dirs: ["d", "full", "d2"], links: { lnk: "f", dangling: "nowhere" } };
const link = (t: ReturnType<typeof setup>["t"], from: string, to: string, flags = 0) => call(t, sys_linkat, AT_FDCWD, from, AT_FDCWD, to, flags);

describe("mkdirat(2)", () => {
  it("mkdirat(existing) -> EEXIST", () => expect(mkdir(setup(tree).t, "/d")).toBe(-E.EEXIST));
  it("mkdirat(existing symlink) -> EEXIST", () => expect(mkdir(setup(tree).t, "/dangling")).toBe(-E.EEXIST));
  it("mkdirat(missing/x) -> ENOENT", () => expect(mkdir(setup(tree).t, "/missing/x")).toBe(-E.ENOENT));
  it("mkdirat(file/x) -> ENOTDIR", () => expect(mkdir(setup(tree).t, "/f/x")).toBe(-E.ENOTDIR));
  it("mkdirat(\".\") -> EEXIST", () => expect(mkdir(setup(tree).t, "/d/.")).toBe(-E.EEXIST));
  it("mkdirat(\"new/\") with a trailing slash creates it", () => {
    const { t, root } = setup(tree);
    expect(mkdir(t, "/new/")).toBe(0);
    expect(existsSync(`${root}/new`)).toBe(true);
  });
  it("mkdirat(new) under --ro -> EROFS", () => expect(mkdir(setup(tree, { readOnly: true }).t, "/new")).toBe(-E.EROFS));
  it("mkdirat(existing) under --ro -> EEXIST (the lookup answers first)", () => expect(mkdir(setup(tree, { readOnly: true }).t, "/d")).toBe(-E.EEXIST));
  it("mkdirat(/proc/x) -> EPERM", () => expect(mkdir(setup(tree).t, "/proc/x")).toBeLessThan(0));
});

describe("unlinkat(2)", () => {
  it("unlinkat(dir) -> EISDIR", () => expect(unlink(setup(tree).t, "/d")).toBe(-E.EISDIR));
  it("unlinkat(AT_REMOVEDIR, file) -> ENOTDIR", () => expect(unlink(setup(tree).t, "/f", AT_REMOVEDIR)).toBe(-E.ENOTDIR));
  it("unlinkat(AT_REMOVEDIR, non-empty dir) -> ENOTEMPTY", () => expect(unlink(setup(tree).t, "/full", AT_REMOVEDIR)).toBe(-E.ENOTEMPTY));
  it("unlinkat(AT_REMOVEDIR, \".\") -> EINVAL", () => expect(unlink(setup(tree).t, "/d/.", AT_REMOVEDIR)).toBe(-E.EINVAL));
  it("unlinkat(AT_REMOVEDIR, \"..\") -> ENOTEMPTY", () => expect(unlink(setup(tree).t, "/d/..", AT_REMOVEDIR)).toBe(-E.ENOTEMPTY));
  it("unlinkat(AT_REMOVEDIR, /proc) -> EBUSY", () => expect(unlink(setup(tree).t, "/proc", AT_REMOVEDIR)).toBe(-E.EBUSY));
  it("unlinkat(missing) -> ENOENT", () => expect(unlink(setup(tree).t, "/missing")).toBe(-E.ENOENT));
  it("unlinkat(\"file/\") -> ENOTDIR", () => expect(unlink(setup(tree).t, "/f/")).toBe(-E.ENOTDIR));
  it("unlinkat(bad flags) -> EINVAL", () => expect(unlink(setup(tree).t, "/f", 0x1)).toBe(-E.EINVAL));
  it("unlinkat(symlink) removes the link, not its target", () => {
    const { t, root } = setup(tree);
    expect(unlink(t, "/lnk")).toBe(0);
    expect(hostText(`${root}/f`)).toBe("F");
  });
  it("unlinkat(missing) under --ro -> EROFS (checked before the last lookup)", () => expect(unlink(setup(tree, { readOnly: true }).t, "/missing")).toBe(-E.EROFS));
  it("unlinkat(AT_REMOVEDIR) under --ro -> EROFS", () => {
    const { t, root } = setup(tree, { readOnly: true });
    expect(unlink(t, "/d", AT_REMOVEDIR)).toBe(-E.EROFS);
    expect(existsSync(`${root}/d`)).toBe(true);
  });
  it("unlinkat in a sticky directory of someone else's file -> EPERM", () => {
    const { t } = setup(tree, { uid: 12345, gid: 12345 });
    const owner = { ...t.cred };
    t.cred = { ...owner, fsuid: 777, uid: 777, euid: 777 };
    expect(open(t, "/dev/shm/theirs", O.CREAT | O.WRONLY)).toBeGreaterThanOrEqual(0);
    t.cred = owner;
    expect(unlink(t, "/dev/shm/theirs")).toBe(-E.EPERM);
  });
});

describe("renameat2(2)", () => {
  it("renameat2(missing, x) -> ENOENT", () => expect(rename(setup(tree).t, "/missing", "/x")).toBe(-E.ENOENT));
  it("renameat2(RENAME_NOREPLACE) onto an existing name -> EEXIST", () => expect(rename(setup(tree).t, "/f", "/g", RENAME_NOREPLACE)).toBe(-E.EEXIST));
  it("renameat2(RENAME_EXCHANGE) with a missing target -> ENOENT", () => expect(rename(setup(tree).t, "/f", "/missing", RENAME_EXCHANGE)).toBe(-E.ENOENT));
  it("renameat2(RENAME_NOREPLACE|RENAME_EXCHANGE) -> EINVAL", () => expect(rename(setup(tree).t, "/f", "/g", 3)).toBe(-E.EINVAL));
  it("renameat2(unknown flag) -> EINVAL", () => expect(rename(setup(tree).t, "/f", "/g", 8)).toBe(-E.EINVAL));
  it("renameat2(dir, dir/sub) -> EINVAL", () => expect(rename(setup(tree).t, "/d", "/d/sub")).toBe(-E.EINVAL));
  it("renameat2(dir, non-empty dir) -> ENOTEMPTY", () => expect(rename(setup(tree).t, "/d", "/full")).toBe(-E.ENOTEMPTY));
  it("renameat2(file, dir) -> EISDIR", () => expect(rename(setup(tree).t, "/f", "/d")).toBe(-E.EISDIR));
  it("renameat2(dir, file) -> ENOTDIR", () => expect(rename(setup(tree).t, "/d", "/f")).toBe(-E.ENOTDIR));
  it("renameat2(\"file/\", x) -> ENOTDIR", () => expect(rename(setup(tree).t, "/f/", "/x")).toBe(-E.ENOTDIR));
  it("renameat2(\".\", x) -> EBUSY", () => expect(rename(setup(tree).t, "/d/.", "/x")).toBe(-E.EBUSY));
  it("renameat2 across mounts (/ to /dev/shm) -> EXDEV", () => expect(rename(setup(tree).t, "/f", "/dev/shm/f")).toBe(-E.EXDEV));
  it("renameat2 under --ro -> EROFS", () => expect(rename(setup(tree, { readOnly: true }).t, "/f", "/x")).toBe(-E.EROFS));
  it("renameat2 replaces an existing file", () => {
    const { t, root } = setup(tree);
    expect(rename(t, "/f", "/g")).toBe(0);
    expect(hostText(`${root}/g`)).toBe("F");
    expect(existsSync(`${root}/f`)).toBe(false);
  });
  it("renameat2(RENAME_EXCHANGE) swaps two files", () => {
    const { t, root } = setup(tree);
    expect(rename(t, "/f", "/g", RENAME_EXCHANGE)).toBe(0);
    expect([hostText(`${root}/f`), hostText(`${root}/g`)]).toEqual(["G", "F"]);
  });
  it("renameat2 on tmpfs: RENAME_EXCHANGE swaps, NOREPLACE refuses", () => {
    const { t } = setup(tree);
    for (const [n, text] of [["a", "A"], ["b", "B"]]) expect(write(t, open(t, `/dev/shm/${n}`, O.CREAT | O.RDWR), text!)).toBe(1);
    expect(rename(t, "/dev/shm/a", "/dev/shm/b", RENAME_NOREPLACE)).toBe(-E.EEXIST);
    expect(rename(t, "/dev/shm/a", "/dev/shm/b", RENAME_EXCHANGE)).toBe(0);
    expect([read(t, open(t, "/dev/shm/a", O.RDONLY)), read(t, open(t, "/dev/shm/b", O.RDONLY))]).toEqual(["B", "A"]);
  });
});

describe("symlinkat(2), linkat(2), readlinkat(2)", () => {
  it("symlinkat(t, existing) -> EEXIST", () => expect(symlink(setup(tree).t, "x", "/f")).toBe(-E.EEXIST));
  it("symlinkat(\"\", new) -> ENOENT", () => expect(symlink(setup(tree).t, "", "/new")).toBe(-E.ENOENT));
  it("symlinkat(t, \"new/\") -> ENOENT", () => expect(symlink(setup(tree).t, "x", "/new/")).toBe(-E.ENOENT));
  it("symlinkat stores the target as given; following it stays inside the root", () => {
    const { t, root } = setup(tree);
    expect(symlink(t, "/f", "/abs")).toBe(0);
    expect(readlinkSync(`${root}/abs`)).toBe("/f");
    expect(read(t, open(t, "/abs", O.RDONLY))).toBe("F");
  });
  it("symlinkat under --ro -> EROFS", () => expect(symlink(setup(tree, { readOnly: true }).t, "x", "/new")).toBe(-E.EROFS));
  it("linkat(dir) -> EPERM", () => expect(link(setup(tree).t, "/d", "/d3")).toBe(-E.EPERM));
  it("linkat(f, existing) -> EEXIST", () => expect(link(setup(tree).t, "/f", "/g")).toBe(-E.EEXIST));
  it("linkat across mounts -> EXDEV", () => expect(link(setup(tree).t, "/f", "/dev/shm/f")).toBe(-E.EXDEV));
  it("linkat(bad flags) -> EINVAL", () => expect(link(setup(tree).t, "/f", "/h", 1)).toBe(-E.EINVAL));
  it("linkat(symlink) links the symlink; with AT_SYMLINK_FOLLOW its target", () => {
    const { t, root } = setup(tree);
    expect(link(t, "/lnk", "/l1")).toBe(0);
    expect(readlinkSync(`${root}/l1`)).toBe("f");
    expect(link(t, "/lnk", "/l2", AT_SYMLINK_FOLLOW)).toBe(0);
    expect(hostText(`${root}/l2`)).toBe("F");
  });
  it("linkat under --ro -> EROFS", () => expect(link(setup(tree, { readOnly: true }).t, "/f", "/h")).toBe(-E.EROFS));
  it("readlinkat(not a link) -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_readlinkat, AT_FDCWD, "/f", buf(t, 64), 64)).toBe(-E.EINVAL);
  });
  it("readlinkat(bufsiz 0) -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_readlinkat, AT_FDCWD, "/lnk", buf(t, 64), 0)).toBe(-E.EINVAL);
  });
  it("readlinkat truncates to bufsiz without a NUL", () => {
    const { t } = setup({ links: { long: "abcdefgh" } });
    const p = buf(t, 8);
    expect(call(t, sys_readlinkat, AT_FDCWD, "/long", p, 3)).toBe(3);
    expect(new TextDecoder().decode(peek(t, p, 4))).toBe("abc\0");
  });
});
