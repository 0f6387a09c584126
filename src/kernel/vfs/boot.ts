// Where the first program starts in the guest's tree: sysemu's working directory and the
// program's path as the guest sees them (below --root, or "/" and a host path when outside it).

import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Task } from "../proc/task.ts";

/** Why `dir` cannot be --root (a message for the command line), or null when it can. */
export function rootDirError(dir: string): string | null {
  try {
    return statSync(dir).isDirectory() ? null : `--root ${dir}: not a directory`;
  } catch (e) {
    return `--root ${dir}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : (e as Error).message}`;
  }
}

/** Sets the first task's cwd and exe from sysemu's own cwd and the program's host path. */
export function placeInTree(t: Task, prog: string): void {
  const vfs = t.kernel.vfs;
  t.fs.cwd = vfs.guestPathOfHost(process.cwd()) ?? "/";
  const host = resolve(prog);
  const guest = vfs.guestPathOfHost(host);
  if (guest === null) vfs.hostExes.add(host);
  t.exe = guest ?? host;
}
