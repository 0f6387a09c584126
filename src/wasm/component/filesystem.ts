// wasi:filesystem (types, preopens): a descriptor is a kernel descriptor in the task's
// FileTable, and every method is the Linux *at() call on it, as in preview1 (the same path
// rule: relative, and never above the descriptor's directory: `not-permitted` otherwise).

import { O_ACCMODE, O_CREAT, O_DIRECTORY, O_DSYNC, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_SYNC, O_TRUNC, O_WRONLY } from "../../kernel/fs/file.ts";
import { AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, F_GETFL, type LinuxStat } from "../bridge.ts";
import { normalizeRelative } from "../preview1/path.ts";
import { check, errorCode } from "./errors.ts";
import { disposable, flagNames, hostCall, qs, WitError, type P2 } from "./host.ts";
import { InputStream, OutputStream, readFd } from "./streams.ts";

type Flags = Record<string, boolean | undefined>;
interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}
type NewTimestamp = { tag: "no-change" } | { tag: "now" } | { tag: "timestamp"; val: Datetime };

const S_TYPES: Record<number, string> = {
  0o100000: "regular-file", 0o040000: "directory", 0o020000: "character-device", 0o060000: "block-device",
  0o010000: "fifo", 0o120000: "symbolic-link", 0o140000: "socket",
};
const DT_TYPES: Record<number, string> = { 1: "fifo", 2: "character-device", 4: "directory", 6: "block-device", 8: "regular-file", 10: "symbolic-link", 12: "socket" };
const NS = 1_000_000_000n;
const UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;
const PATH_MAX = 4096;

function typeOf(mode: number): string {
  return S_TYPES[mode & 0o170000] ?? "unknown";
}

function datetime(ns: bigint): Datetime {
  return { seconds: ns / NS, nanoseconds: Number(ns % NS) };
}

function descriptorStat(st: LinuxStat) {
  return {
    type: typeOf(st.mode),
    linkCount: BigInt(st.nlink),
    size: BigInt.asUintN(64, st.size),
    dataAccessTimestamp: datetime(st.atimNs),
    dataModificationTimestamp: datetime(st.mtimNs),
    statusChangeTimestamp: datetime(st.ctimNs),
  };
}

const showStat = (s: ReturnType<typeof descriptorStat>) => `ok({type=${s.type}, size=${s.size}, ...})`;

/** The guest's path, checked (relative, not above the directory) and staged for the kernel. */
function stagePath(x: P2, path: string): number {
  if (path.length > PATH_MAX || path.includes("\0")) throw new WitError(path.length > PATH_MAX ? "name-too-long" : "invalid");
  const norm = normalizeRelative(path);
  if (typeof norm === "number") throw new WitError("not-permitted");
  return x.g.k.str(norm);
}

function statOf(x: P2, r: LinuxStat | number): LinuxStat {
  if (typeof r === "number") throw new WitError(errorCode(r));
  return r;
}

/** A new-timestamp variant as a struct timespec. */
function timespec(t: NewTimestamp): [bigint, bigint] {
  if (t.tag === "now") return [0n, BigInt(UTIME_NOW)];
  if (t.tag === "timestamp") return [t.val.seconds, BigInt(t.val.nanoseconds)];
  return [0n, BigInt(UTIME_OMIT)];
}

/** wasi:filesystem/types descriptor; `owned` ones (from open-at) close their fd when dropped. */
export class Descriptor {
  constructor(readonly x: P2, readonly fd: number, readonly owned = false) {}

  private call<T>(name: string, args: string, fn: () => T, show?: (v: T) => string): T {
    return hostCall(this.x, `descriptor.${name}`, args ? `${this.fd}, ${args}` : `${this.fd}`, fn, show);
  }
  private get k() {
    return this.x.g.k;
  }

  readViaStream(offset: bigint): InputStream {
    return this.call("read-via-stream", String(offset), () => new InputStream(this.x, this.fd, { at: offset }), () => "ok(stream)");
  }
  writeViaStream(offset: bigint): OutputStream {
    return this.call("write-via-stream", String(offset), () => new OutputStream(this.x, this.fd, { at: offset }), () => "ok(stream)");
  }
  appendViaStream(): OutputStream {
    return this.call("append-via-stream", "", () => new OutputStream(this.x, this.fd, null, true), () => "ok(stream)");
  }
  advise(offset: bigint, length: bigint, advice: string): void {
    const linux = ["normal", "random", "sequential", "will-need", "dont-need", "no-reuse"].indexOf(advice);
    this.call("advise", `${offset}, ${length}, ${advice}`, () => {
      const r = this.k.sys("fadvise64", this.fd, offset, length, Math.max(linux, 0));
      if (r < 0 && errorCode(r) !== "unsupported") check(r); // only a hint: a kernel without it ignores it
    });
  }
  syncData(): void {
    this.call("sync-data", "", () => void check(this.k.sys("fdatasync", this.fd)));
  }
  sync(): void {
    this.call("sync", "", () => void check(this.k.sys("fsync", this.fd)));
  }
  getFlags(): Flags {
    return this.call("get-flags", "", () => {
      const fl = check(this.k.sys("fcntl", this.fd, F_GETFL));
      const dir = typeOf(statOf(this.x, this.k.fstat(this.fd)).mode) === "directory";
      const acc = fl & O_ACCMODE;
      return {
        read: acc !== O_WRONLY, write: acc !== O_RDONLY, fileIntegritySync: (fl & O_SYNC) === O_SYNC,
        dataIntegritySync: (fl & O_DSYNC) !== 0, requestedWriteSync: false, mutateDirectory: dir,
      };
    }, (f) => `ok(${flagNames(f)})`);
  }
  getType(): string {
    return this.call("get-type", "", () => typeOf(statOf(this.x, this.k.fstat(this.fd)).mode), (t) => `ok(${t})`);
  }
  setSize(size: bigint): void {
    this.call("set-size", String(size), () => void check(this.k.sys("ftruncate", this.fd, size)));
  }
  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void {
    this.call("set-times", `${atime.tag}, ${mtime.tag}`, () => void check(this.k.sys("utimensat", this.fd, 0, this.k.timespecs([timespec(atime), timespec(mtime)]), 0)));
  }
  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    return this.call("read", `${length}, ${offset}`, () => {
      const want = Number(length > 1n << 20n ? 1n << 20n : length);
      const b = readFd(this.x, this.fd, want, { at: offset });
      return [b, b.length < want] as [Uint8Array, boolean];
    }, ([b, end]) => `ok(${b.length} bytes${end ? ", end" : ""})`);
  }
  write(buffer: Uint8Array, offset: bigint): bigint {
    return this.call("write", `${buffer.length} bytes, ${offset}`, () => {
      const addr = this.k.alloc(buffer.length);
      this.k.view(addr, buffer.length).set(buffer);
      return BigInt(check(this.k.sys("pwrite64", this.fd, addr, buffer.length, offset)));
    }, (n) => `ok(${n})`);
  }
  readDirectory(): DirectoryEntryStream {
    return this.call("read-directory", "", () => {
      // a descriptor of its own, so that listing does not move this one's position
      const fd = check(this.k.sys("openat", this.fd, this.k.str("."), O_RDONLY | O_DIRECTORY, 0));
      return new DirectoryEntryStream(this.x, fd);
    }, (s) => `ok(${s.fd})`);
  }
  createDirectoryAt(path: string): void {
    this.call("create-directory-at", qs(path), () => void check(this.k.sys("mkdirat", this.fd, stagePath(this.x, path), 0o777)));
  }
  stat() {
    return this.call("stat", "", () => descriptorStat(statOf(this.x, this.k.fstat(this.fd))), showStat);
  }
  statAt(pathFlags: Flags, path: string) {
    return this.call("stat-at", `${flagNames(pathFlags)}, ${qs(path)}`, () => {
      const st = this.k.statAtAddr(this.fd, stagePath(this.x, path), pathFlags?.symlinkFollow ? 0 : AT_SYMLINK_NOFOLLOW);
      return descriptorStat(statOf(this.x, st));
    }, showStat);
  }
  setTimesAt(pathFlags: Flags, path: string, atime: NewTimestamp, mtime: NewTimestamp): void {
    this.call("set-times-at", `${flagNames(pathFlags)}, ${qs(path)}, ${atime.tag}, ${mtime.tag}`, () => {
      const times = this.k.timespecs([timespec(atime), timespec(mtime)]);
      check(this.k.sys("utimensat", this.fd, stagePath(this.x, path), times, pathFlags?.symlinkFollow ? 0 : AT_SYMLINK_NOFOLLOW));
    });
  }
  linkAt(oldFlags: Flags, oldPath: string, newDesc: Descriptor, newPath: string): void {
    this.call("link-at", `${flagNames(oldFlags)}, ${qs(oldPath)}, ${newDesc.fd}, ${qs(newPath)}`, () =>
      void check(this.k.sys("linkat", this.fd, stagePath(this.x, oldPath), newDesc.fd, stagePath(this.x, newPath), oldFlags?.symlinkFollow ? AT_SYMLINK_FOLLOW : 0)));
  }
  openAt(pathFlags: Flags, path: string, openFlags: Flags, flags: Flags): Descriptor {
    return this.call("open-at", `${flagNames(pathFlags)}, ${qs(path)}, ${flagNames(openFlags)}, ${flagNames(flags)}`, () => {
      const p = stagePath(this.x, path);
      let f = openFlags?.directory || !flags?.write ? O_RDONLY : flags.read ? O_RDWR : O_WRONLY;
      if (openFlags?.create) f |= O_CREAT;
      if (openFlags?.directory) f |= O_DIRECTORY;
      if (openFlags?.exclusive) f |= O_EXCL;
      if (openFlags?.truncate) f |= O_TRUNC;
      if (flags?.fileIntegritySync) f |= O_SYNC;
      else if (flags?.dataIntegritySync) f |= O_DSYNC;
      if (!pathFlags?.symlinkFollow) f |= O_NOFOLLOW;
      return new Descriptor(this.x, check(this.k.sys("openat", this.fd, p, f, 0o666)), true);
    }, (d) => `ok(${d.fd})`);
  }
  readlinkAt(path: string): string {
    return this.call("readlink-at", qs(path), () => {
      const buf = this.k.alloc(PATH_MAX);
      const n = check(this.k.sys("readlinkat", this.fd, stagePath(this.x, path), buf, PATH_MAX));
      return new TextDecoder().decode(this.k.view(buf, n));
    }, (s) => `ok(${qs(s)})`);
  }
  removeDirectoryAt(path: string): void {
    this.call("remove-directory-at", qs(path), () => void check(this.k.sys("unlinkat", this.fd, stagePath(this.x, path), AT_REMOVEDIR)));
  }
  renameAt(oldPath: string, newDesc: Descriptor, newPath: string): void {
    this.call("rename-at", `${qs(oldPath)}, ${newDesc.fd}, ${qs(newPath)}`, () =>
      void check(this.k.sys("renameat2", this.fd, stagePath(this.x, oldPath), newDesc.fd, stagePath(this.x, newPath), 0)));
  }
  symlinkAt(oldPath: string, newPath: string): void {
    this.call("symlink-at", `${qs(oldPath)}, ${qs(newPath)}`, () => void check(this.k.sys("symlinkat", this.k.str(oldPath), this.fd, stagePath(this.x, newPath))));
  }
  unlinkFileAt(path: string): void {
    this.call("unlink-file-at", qs(path), () => void check(this.k.sys("unlinkat", this.fd, stagePath(this.x, path), 0)));
  }
  isSameObject(other: Descriptor): boolean {
    return this.call("is-same-object", `${other.fd}`, () => {
      const [a, b] = [this.k.fstat(this.fd), this.k.fstat(other.fd)];
      return typeof a !== "number" && typeof b !== "number" && a.dev === b.dev && a.ino === b.ino;
    }, String);
  }
  metadataHash() {
    return this.call("metadata-hash", "", () => hash(statOf(this.x, this.k.fstat(this.fd))), () => "ok");
  }
  metadataHashAt(pathFlags: Flags, path: string) {
    return this.call("metadata-hash-at", `${flagNames(pathFlags)}, ${qs(path)}`, () =>
      hash(statOf(this.x, this.k.statAtAddr(this.fd, stagePath(this.x, path), pathFlags?.symlinkFollow ? 0 : AT_SYMLINK_NOFOLLOW))), () => "ok");
  }
}

/** A metadata hash: same file and unchanged ⇒ same value (dev, ino, mtime, size mixed). */
function hash(st: LinuxStat): { lower: bigint; upper: bigint } {
  const mix = (a: bigint, b: bigint) => BigInt.asUintN(64, (a ^ b) * 0x9e3779b97f4a7c15n);
  return { lower: mix(st.ino, st.mtimNs), upper: mix(st.dev, BigInt.asUintN(64, st.size)) };
}

/** wasi:filesystem/types directory-entry-stream: getdents64 on a descriptor of its own. */
export class DirectoryEntryStream {
  private entries: { type: string; name: string }[] = [];
  private done = false;

  constructor(readonly x: P2, readonly fd: number) {}

  readDirectoryEntry(): { type: string; name: string } | undefined {
    return hostCall(this.x, "directory-entry-stream.read-directory-entry", `${this.fd}`, () => {
      if (this.entries.length === 0 && !this.done) this.fill();
      return this.entries.shift();
    }, (e) => (e ? `ok({type=${e.type}, name=${qs(e.name)}})` : "ok(none)"));
  }

  private fill(): void {
    const k = this.x.g.k;
    const buf = k.alloc(16384);
    const n = check(k.sys("getdents64", this.fd, buf, 16384));
    if (n === 0) {
      this.done = true;
      return;
    }
    const recs = k.view(buf, n);
    const v = new DataView(recs.buffer, recs.byteOffset, n);
    for (let off = 0; off < n; ) {
      const reclen = v.getUint16(off + 16, true) || n;
      const end = recs.indexOf(0, off + 19);
      const name = new TextDecoder().decode(recs.subarray(off + 19, end < 0 || end > off + reclen ? off + reclen : end));
      if (name !== "." && name !== "..") this.entries.push({ type: DT_TYPES[v.getUint8(off + 18)] ?? "unknown", name });
      off += reclen;
    }
  }
}

// Preopens are handed out again on every get-directories: dropping one must not close the fd.
disposable(Descriptor, (d) => d.owned && d.x.g.mm.inKernel(() => d.x.g.k.sys("close", d.fd)));
disposable(DirectoryEntryStream, (d) => d.x.g.mm.inKernel(() => d.x.g.k.sys("close", d.fd)));
