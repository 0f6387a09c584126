// One tiny test per errno rule of chmod, chown, access, truncate, utimensat, stat and fsync.

import { lstatSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as E from "../../src/kernel/errno.ts";
import { AT_FDCWD } from "../../src/kernel/vfs/namei.ts";
import { sys_fchmod, sys_fchmodat, sys_fchmodat2, sys_fchownat, sys_fdatasync, sys_fsync, sys_ftruncate, sys_truncate, sys_utimensat } from "../../syscalls/attr.ts";
import { sys_faccessat, sys_faccessat2, sys_newfstatat, sys_statx } from "../../syscalls/fs.ts";
import { buf, call, peek, put } from "./helpers.ts";
import { O, open, setup } from "./setup.ts";

const R_OK = 4, W_OK = 2, X_OK = 1;
const AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
const tree = { files: { f: "hello", x: "#!" }, dirs: ["d"], links: { lnk: "f" }, modes: { f: 0o644, x: 0o755 } };
const other = { uid: 12345, gid: 12345 };

function times(t: ReturnType<typeof setup>["t"], pairs: [bigint, bigint][]): number {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  pairs.forEach(([s, ns], i) => {
    v.setBigInt64(i * 16, s, true);
    v.setBigInt64(i * 16 + 8, ns, true);
  });
  return put(t, b);
}
const UTIME_NOW = BigInt((1 << 30) - 1), UTIME_OMIT = BigInt((1 << 30) - 2);

describe("chmod and chown", () => {
  it("fchmodat(missing) -> ENOENT", () => expect(call(setup(tree).t, sys_fchmodat, AT_FDCWD, "/missing", 0o600)).toBe(-E.ENOENT));
  it("fchmodat sets the mode bits exactly", () => {
    const { t, root } = setup(tree);
    expect(call(t, sys_fchmodat, AT_FDCWD, "/f", 0o4711)).toBe(0);
    expect(statSync(`${root}/f`).mode & 0o7777).toBe(0o4711);
  });
  it("fchmodat follows a symlink to its target", () => {
    const { t, root } = setup(tree);
    expect(call(t, sys_fchmodat, AT_FDCWD, "/lnk", 0o600)).toBe(0);
    expect(statSync(`${root}/f`).mode & 0o777).toBe(0o600);
  });
  it("fchmodat2(AT_SYMLINK_NOFOLLOW) on a symlink -> EOPNOTSUPP", () => expect(call(setup(tree).t, sys_fchmodat2, AT_FDCWD, "/lnk", 0o600, AT_SYMLINK_NOFOLLOW)).toBe(-E.EOPNOTSUPP));
  it("fchmodat2(bad flags) -> EINVAL", () => expect(call(setup(tree).t, sys_fchmodat2, AT_FDCWD, "/f", 0o600, 1)).toBe(-E.EINVAL));
  it("fchmodat of someone else's file (--uid) -> EPERM", () => expect(call(setup(tree, other).t, sys_fchmodat, AT_FDCWD, "/f", 0o777)).toBe(-E.EPERM));
  it("fchmodat under --ro -> EROFS", () => expect(call(setup(tree, { readOnly: true }).t, sys_fchmodat, AT_FDCWD, "/f", 0o600)).toBe(-E.EROFS));
  it("fchmod on an O_PATH descriptor -> EBADF", () => {
    const { t } = setup(tree);
    expect(call(t, sys_fchmod, open(t, "/f", O.PATH), 0o600)).toBe(-E.EBADF);
  });
  it("fchmod of an open tmpfs file by its owner works", () => {
    const { t } = setup(tree, other);
    expect(call(t, sys_fchmod, open(t, "/dev/shm/mine", O.CREAT | O.RDWR), 0o600)).toBe(0);
  });
  it("fchownat to another uid by a non-root --uid -> EPERM", () => {
    const { t } = setup(tree, other);
    open(t, "/dev/shm/mine", O.CREAT | O.RDWR);
    expect(call(t, sys_fchownat, AT_FDCWD, "/dev/shm/mine", 0, -1, 0)).toBe(-E.EPERM);
  });
  it("fchownat(-1, -1) by the owner changes nothing and succeeds", () => {
    const { t } = setup(tree, other);
    open(t, "/dev/shm/mine", O.CREAT | O.RDWR);
    expect(call(t, sys_fchownat, AT_FDCWD, "/dev/shm/mine", -1, -1, 0)).toBe(0);
  });
  it("fchownat(AT_SYMLINK_NOFOLLOW) changes the link itself", () => {
    const { t, root } = setup(tree);
    expect(call(t, sys_fchownat, AT_FDCWD, "/lnk", 4242, 4242, AT_SYMLINK_NOFOLLOW)).toBe(0);
    expect(lstatSync(`${root}/lnk`).uid).toBe(4242);
    expect(statSync(`${root}/f`).uid).not.toBe(4242);
  });
  it("fchownat under --ro -> EROFS", () => expect(call(setup(tree, { readOnly: true }).t, sys_fchownat, AT_FDCWD, "/f", 1, 1, 0)).toBe(-E.EROFS));
});

describe("access", () => {
  it("faccessat(missing) -> ENOENT", () => expect(call(setup(tree).t, sys_faccessat, AT_FDCWD, "/missing", R_OK)).toBe(-E.ENOENT));
  it("faccessat(bad mode) -> EINVAL", () => expect(call(setup(tree).t, sys_faccessat, AT_FDCWD, "/f", 8)).toBe(-E.EINVAL));
  it("faccessat(W_OK) under --ro -> EROFS", () => expect(call(setup(tree, { readOnly: true }).t, sys_faccessat, AT_FDCWD, "/f", W_OK)).toBe(-E.EROFS));
  it("faccessat(X_OK) on a 0644 file -> EACCES, even for root", () => expect(call(setup(tree).t, sys_faccessat, AT_FDCWD, "/f", X_OK)).toBe(-E.EACCES));
  it("faccessat(X_OK) on a 0755 file -> 0", () => expect(call(setup(tree).t, sys_faccessat, AT_FDCWD, "/x", X_OK)).toBe(0));
  it("faccessat(W_OK) of someone else's 0644 file (--uid) -> EACCES", () => expect(call(setup(tree, other).t, sys_faccessat, AT_FDCWD, "/f", W_OK)).toBe(-E.EACCES));
  it("faccessat2(bad flags) -> EINVAL", () => expect(call(setup(tree).t, sys_faccessat2, AT_FDCWD, "/f", R_OK, 1)).toBe(-E.EINVAL));
});

describe("truncate, utimensat, stat, fsync", () => {
  it("truncate(dir) -> EISDIR", () => expect(call(setup(tree).t, sys_truncate, "/d", 0)).toBe(-E.EISDIR));
  it("truncate(-1) -> EINVAL", () => expect(call(setup(tree).t, sys_truncate, "/f", -1)).toBe(-E.EINVAL));
  it("truncate under --ro -> EROFS", () => expect(call(setup(tree, { readOnly: true }).t, sys_truncate, "/f", 0)).toBe(-E.EROFS));
  it("truncate shortens the file", () => {
    const { t, root } = setup(tree);
    expect(call(t, sys_truncate, "/f", 2)).toBe(0);
    expect(statSync(`${root}/f`).size).toBe(2);
  });
  it("ftruncate on an O_RDONLY descriptor -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_ftruncate, open(t, "/f", O.RDONLY), 0)).toBe(-E.EINVAL);
  });
  it("utimensat with tv_nsec out of range -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_utimensat, AT_FDCWD, "/f", times(t, [[0n, 1_000_000_000n], [0n, 0n]]), 0)).toBe(-E.EINVAL);
  });
  it("utimensat sets explicit times", () => {
    const { t, root } = setup(tree);
    expect(call(t, sys_utimensat, AT_FDCWD, "/f", times(t, [[1000n, 0n], [2000n, 0n]]), 0)).toBe(0);
    expect(statSync(`${root}/f`).mtimeMs).toBe(2_000_000);
    expect(statSync(`${root}/f`).atimeMs).toBe(1_000_000);
  });
  it("utimensat(UTIME_OMIT) keeps that time", () => {
    const { t, root } = setup(tree);
    call(t, sys_utimensat, AT_FDCWD, "/f", times(t, [[1000n, 0n], [2000n, 0n]]), 0);
    expect(call(t, sys_utimensat, AT_FDCWD, "/f", times(t, [[5000n, 0n], [0n, UTIME_OMIT]]), 0)).toBe(0);
    expect(statSync(`${root}/f`).mtimeMs).toBe(2_000_000);
  });
  it("utimensat with explicit times on someone else's file (--uid) -> EPERM", () => {
    const { t } = setup(tree, other);
    expect(call(t, sys_utimensat, AT_FDCWD, "/f", times(t, [[1n, 0n], [1n, 0n]]), 0)).toBe(-E.EPERM);
  });
  it("utimensat(UTIME_NOW) on someone else's read-only file (--uid) -> EACCES", () => {
    const { t } = setup(tree, other);
    expect(call(t, sys_utimensat, AT_FDCWD, "/f", times(t, [[0n, UTIME_NOW], [0n, UTIME_NOW]]), 0)).toBe(-E.EACCES);
  });
  it("utimensat(NULL path, AT_FDCWD) -> EFAULT", () => expect(call(setup(tree).t, sys_utimensat, AT_FDCWD, 0, 0, 0)).toBe(-E.EFAULT));
  it("utimensat under --ro -> EROFS", () => expect(call(setup(tree, { readOnly: true }).t, sys_utimensat, AT_FDCWD, "/f", 0, 0)).toBe(-E.EROFS));
  it("newfstatat(\"\", AT_EMPTY_PATH) stats the descriptor", () => {
    const { t } = setup(tree);
    const p = buf(t, 128);
    expect(call(t, sys_newfstatat, open(t, "/f", O.RDONLY), "", p, AT_EMPTY_PATH)).toBe(0);
    expect(new DataView(peek(t, p, 128).buffer).getBigInt64(48, true)).toBe(5n);
  });
  it("newfstatat(\"\") without AT_EMPTY_PATH -> ENOENT", () => {
    const { t } = setup(tree);
    expect(call(t, sys_newfstatat, AT_FDCWD, "", buf(t, 128), 0)).toBe(-E.ENOENT);
  });
  it("newfstatat(bad flags) -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_newfstatat, AT_FDCWD, "/f", buf(t, 128), 0x4)).toBe(-E.EINVAL);
  });
  it("newfstatat(AT_SYMLINK_NOFOLLOW) stats the link", () => {
    const { t } = setup(tree);
    const p = buf(t, 128);
    expect(call(t, sys_newfstatat, AT_FDCWD, "/lnk", p, AT_SYMLINK_NOFOLLOW)).toBe(0);
    expect(new DataView(peek(t, p, 128).buffer).getUint32(16, true) & 0o170000).toBe(0o120000);
  });
  it("statx(AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC) -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_statx, AT_FDCWD, "/f", 0x6000, 0x7ff, buf(t, 256))).toBe(-E.EINVAL);
  });
  it("statx fills size and mode", () => {
    const { t } = setup(tree);
    const p = buf(t, 256);
    expect(call(t, sys_statx, AT_FDCWD, "/f", 0, 0x7ff, p)).toBe(0);
    const v = new DataView(peek(t, p, 256).buffer);
    expect([v.getUint16(28, true), v.getBigUint64(40, true)]).toEqual([0o100644, 5n]);
  });
  it("fsync of a regular file -> 0; of /dev/null -> EINVAL", () => {
    const { t } = setup(tree);
    expect(call(t, sys_fsync, open(t, "/f", O.RDWR))).toBe(0);
    expect(call(t, sys_fdatasync, open(t, "/dev/null", O.RDWR))).toBe(-E.EINVAL);
  });
});
