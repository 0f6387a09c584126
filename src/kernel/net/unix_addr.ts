// AF_UNIX names (net/unix/af_unix.c unix_mkname, unix_bind_bsd, unix_find_other): abstract
// names live in a kernel-wide table; filesystem names are a node in the VFS where the socket
// was bound. Node cannot create socket inodes on a host directory, so bind leaves an empty
// regular file there (EADDRINUSE, unlink and ls then behave as Linux), and the kernel keeps the
// listening socket in a table keyed by that file's (st_dev, st_ino): connect finds the
// file by the usual path walk and the socket through the table. Unlinking the file makes the
// socket unreachable, as on Linux; a stale entry cannot match a new file that reuses the inode
// number where the host reports birth times (chmod after bind must not break the match).

import { EADDRINUSE, EEXIST, EINVAL, ECONNREFUSED, EACCES } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import { S_IFSOCK } from "../fs/stat.ts";
import type { Task } from "../proc/task.ts";
import { AT_FDCWD, lookupAt, lookupChild } from "../vfs/namei.ts";
import { newInodeAttr } from "../vfs/open.ts";
import { prepareCreate } from "../vfs/ops.ts";
import { inodePermission, MAY_WRITE } from "../vfs/perm.ts";
import type { UnixSock } from "./unix.ts";

export const AF_UNSPEC = 0, AF_UNIX = 1;
/** offsetof(struct sockaddr_un, sun_path) */
export const SUN_PATH_OFFSET = 2;
export const SIZEOF_SOCKADDR_UN = 110;

/** A parsed sockaddr_un: an abstract name (the bytes after the leading NUL) or a path. */
export type UnixName = { abstract: true; key: string; raw: Uint8Array } | { abstract: false; path: string; raw: Uint8Array };

interface FsEntry {
  sk: UnixSock;
  btimeNs: bigint | undefined;
}

/** The names of one kernel's AF_UNIX sockets (the kernel's unix_socket_table). */
export class UnixTable {
  readonly abstract = new Map<string, UnixSock>();
  readonly fs = new Map<string, FsEntry>();
  autobind = 0;
}

function table(k: Kernel): UnixTable {
  return (k.unix ??= new UnixTable());
}

/** unix_validate_addr + unix_mkname: the name in `raw` (the whole sockaddr as copied in), or -EINVAL. */
export function unixMkname(raw: Uint8Array): UnixName | number {
  if (raw.length <= SUN_PATH_OFFSET || raw.length > SIZEOF_SOCKADDR_UN) return -EINVAL;
  if ((raw[0]! | (raw[1]! << 8)) !== AF_UNIX) return -EINVAL;
  if (raw[SUN_PATH_OFFSET] === 0) {
    return { abstract: true, key: Buffer.from(raw.subarray(SUN_PATH_OFFSET + 1)).toString("latin1"), raw: raw.slice() };
  }
  let end = SUN_PATH_OFFSET;
  while (end < raw.length && raw[end] !== 0) end++;
  const path = Buffer.from(raw.subarray(SUN_PATH_OFFSET, end)).toString("utf8");
  // the name reported back (getsockname) is the path and its NUL: strlen + 3
  const out = new Uint8Array(end + 1);
  out.set(raw.subarray(0, end));
  return { abstract: false, path, raw: out };
}

function fsKey(dev: bigint, ino: bigint): string {
  return `${dev}:${ino}`;
}

/** unix_bind_abstract */
export function bindAbstract(t: Task, sk: UnixSock, name: UnixName & { abstract: true }): number {
  const tb = table(t.kernel);
  if (tb.abstract.has(name.key)) return -EADDRINUSE;
  tb.abstract.set(name.key, sk);
  sk.addr = name.raw;
  sk.unhash = () => {
    if (tb.abstract.get(name.key) === sk) tb.abstract.delete(name.key);
  };
  return 0;
}

/** unix_autobind: an abstract name of five hex digits, for a bind with only the family. */
export function autobind(t: Task, sk: UnixSock): number {
  const tb = table(t.kernel);
  for (let i = 0; i < 0x100000; i++) {
    const id = (tb.autobind++ & 0xfffff).toString(16).padStart(5, "0");
    if (tb.abstract.has(id)) continue;
    const raw = new Uint8Array(SUN_PATH_OFFSET + 1 + 5);
    raw[0] = AF_UNIX;
    raw.set(Buffer.from(id, "latin1"), SUN_PATH_OFFSET + 1);
    return bindAbstract(t, sk, { abstract: true, key: id, raw });
  }
  return -EADDRINUSE;
}

/** unix_bind_bsd: a new node at the path (EADDRINUSE when something is there already). */
export function bindPath(t: Task, sk: UnixSock, name: UnixName & { abstract: false }): number {
  const c = prepareCreate(t, AT_FDCWD, name.path, false);
  if (typeof c === "number") return c === -EEXIST ? -EADDRINUSE : c;
  const dir = c.dir.inode;
  const attr = newInodeAttr(t, c.dir, S_IFSOCK | (0o777 & ~t.fs.umask));
  if (dir.create) {
    const made = dir.create(c.name, attr);
    if (typeof made === "number") return made === -EEXIST ? -EADDRINUSE : made;
  } else if (dir.atomicOpen) {
    const f = dir.atomicOpen(t, c.dir, c.name, 0o1 /* O_WRONLY */, attr);
    if (typeof f === "number") return f === -EEXIST ? -EADDRINUSE : f;
    f.get().put();
  } else {
    return -EACCES;
  }
  const d = lookupChild(t, c.dir, c.name);
  const st = typeof d === "number" ? d : d.inode.getattr();
  if (typeof st === "number") return st;
  const tb = table(t.kernel);
  const key = fsKey(st.dev, st.ino);
  tb.fs.set(key, { sk, btimeNs: st.btimeNs || undefined });
  sk.addr = name.raw;
  sk.unhash = () => {
    if (tb.fs.get(key)?.sk === sk) tb.fs.delete(key);
  };
  return 0;
}

/** unix_find_other: the socket bound to a name, or ENOENT/ECONNREFUSED/EACCES. */
export function findOther(t: Task, name: UnixName): UnixSock | number {
  const tb = table(t.kernel);
  if (name.abstract) return tb.abstract.get(name.key) ?? -ECONNREFUSED;
  const d = lookupAt(t, AT_FDCWD, name.path, true);
  if (typeof d === "number") return d;
  const perm = inodePermission(t.cred, d.inode, MAY_WRITE);
  if (perm < 0) return perm;
  const st = d.inode.getattr();
  if (typeof st === "number") return st;
  const e = tb.fs.get(fsKey(st.dev, st.ino));
  if (!e || (e.btimeNs !== undefined && st.btimeNs && e.btimeNs !== st.btimeNs)) return -ECONNREFUSED;
  return e.sk;
}
