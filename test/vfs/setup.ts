// A populated --root for the errno tests: files, directories and symlinks described inline,
// and short wrappers for the calls (through the syscall handlers, as a guest would make them).

import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import type { Task } from "../../src/kernel/proc/task.ts";
import { AT_FDCWD } from "../../src/kernel/vfs/namei.ts";
import { sys_mkdirat, sys_renameat2, sys_symlinkat, sys_unlinkat } from "../../syscalls/namei.ts";
import { sys_close, sys_fstat, sys_openat } from "../../syscalls/fs.ts";
import { sys_read, sys_write } from "../../syscalls/read_write.ts";
import { buf, call, makeTask, peek, tempDir, type TaskOptions } from "./helpers.ts";

export const O = {
  RDONLY: 0, WRONLY: 1, RDWR: 2, CREAT: 0o100, EXCL: 0o200, TRUNC: 0o1000, APPEND: 0o2000, NONBLOCK: 0o4000,
  DIRECTORY: 0o200000, NOFOLLOW: 0o400000, CLOEXEC: 0o2000000, PATH: 0o10000000, TMPFILE: 0o20200000,
};

export interface Tree {
  files?: Record<string, string>;
  dirs?: string[];
  links?: Record<string, string>;
  modes?: Record<string, number>;
}

/** A task over a fresh root holding `tree`; returns the host directory too. */
export function setup(tree: Tree = {}, o: TaskOptions = {}): { t: Task; root: string } {
  const root = tempDir();
  chmodSync(root, 0o755); // mkdtemp makes it 0700: a --uid guest could not even search "/"
  for (const d of tree.dirs ?? []) mkdirSync(`${root}/${d}`, { recursive: true });
  for (const [f, text] of Object.entries(tree.files ?? {})) writeFileSync(`${root}/${f}`, text);
  for (const [l, target] of Object.entries(tree.links ?? {})) symlinkSync(target, `${root}/${l}`);
  for (const [p, mode] of Object.entries(tree.modes ?? {})) chmodSync(`${root}/${p}`, mode);
  return { t: makeTask({ ...o, root }), root };
}

export const open = (t: Task, path: string, flags: number, mode = 0o644) => call(t, sys_openat, AT_FDCWD, path, flags, mode);
export const close = (t: Task, fd: number) => call(t, sys_close, fd);
export const mkdir = (t: Task, path: string, mode = 0o755) => call(t, sys_mkdirat, AT_FDCWD, path, mode);
export const unlink = (t: Task, path: string, flags = 0) => call(t, sys_unlinkat, AT_FDCWD, path, flags);
export const rename = (t: Task, from: string, to: string, flags = 0) => call(t, sys_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
export const symlink = (t: Task, target: string, path: string) => call(t, sys_symlinkat, target, AT_FDCWD, path);

/** write(2) of a string. */
export function write(t: Task, fd: number, text: string): number {
  const bytes = new TextEncoder().encode(text);
  const p = buf(t, Math.max(1, bytes.length));
  t.mm.poke(p, bytes);
  return call(t, sys_write, fd, p, bytes.length);
}

/** read(2) of up to n bytes as text, or the errno. */
export function read(t: Task, fd: number, n = 4096): string | number {
  const p = buf(t, n);
  const r = call(t, sys_read, fd, p, n);
  return r < 0 ? r : new TextDecoder().decode(peek(t, p, r));
}

/** The st_mode of an open fd (struct stat's offset 16). */
export function fdMode(t: Task, fd: number): number {
  const p = buf(t, 128);
  const r = call(t, sys_fstat, fd, p);
  if (r < 0) return r;
  return new DataView(peek(t, p, 128).buffer).getUint32(16, true);
}

/** A host file's text (to check what the guest did, from outside). */
export function hostText(path: string): string {
  return readFileSync(path, "utf8");
}
