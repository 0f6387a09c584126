// vitest's global setup: the end-to-end suites run bin/sysemu → dist/, so a run rebuilds dist/
// first whenever a source is newer than the bundle (about a second; nothing when it is fresh).
import { ensureFreshDist } from "./dist-fresh.ts";
import { genFamilies } from "./gen-families.mjs";

export default function setup(): void {
  genFamilies(); // the unit tests import syscalls/ from source: the family list must be current
  const why = ensureFreshDist();
  if (why !== null) process.stdout.write(`dist/ rebuilt (${why} was newer)\n`);
}
