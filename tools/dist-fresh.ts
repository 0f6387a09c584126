// Whether dist/ was built from the sources as they are now. The end-to-end tests run bin/sysemu,
// which runs dist/sysemu.cjs: a bundle older than a handler would test the old handler (issue 12:
// a changed handler failed its unit test while its e2e test passed on the old bundle).
// Modification times, directories included: a file added, renamed or deleted changes its
// directory's mtime, so a new family file in syscalls/ makes the bundle stale too.
import { existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** What the bundle is made of: the trees esbuild reads from, and the build's own inputs. */
const INPUTS = ["src", "syscalls", "tools/build.mjs", "tools/lazy-child-process.cjs", "package-lock.json"];

/** The first input newer than dist/sysemu.cjs (or why there is no bundle), null if it is fresh. */
export function staleInput(root = process.cwd()): string | null {
  const bundle = join(root, "dist/sysemu.cjs");
  if (!existsSync(bundle)) return "dist/sysemu.cjs is missing";
  const built = statSync(bundle).mtimeMs;
  // >=: on a file system with coarse times, an edit in the same tick as the build counts as newer
  const walk = (rel: string): string | null => {
    const st = statSync(join(root, rel), { throwIfNoEntry: false });
    if (!st) return null;
    if (st.mtimeMs >= built) return rel;
    if (!st.isDirectory()) return null;
    for (const name of readdirSync(join(root, rel))) {
      const hit = walk(`${rel}/${name}`);
      if (hit) return hit;
    }
    return null;
  };
  for (const rel of INPUTS) {
    const hit = walk(rel);
    if (hit) return hit;
  }
  return null;
}

/** Rebuilds dist/ in `root` if any input is newer; returns what was newer, or null. */
export function ensureFreshDist(root = process.cwd()): string | null {
  const why = staleInput(root);
  if (why === null) return null;
  const r = spawnSync(process.execPath, ["tools/build.mjs"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tools/build.mjs failed (${why} is newer than dist/): ${(r.stderr || r.stdout).trim().split("\n")[0]}`);
  return why;
}
