// Bundles the CLI into dist/ with esbuild. Type checking is separate (tsc --noEmit):
// esbuild only strips types, which keeps a rebuild well under a second.
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";
import { basename } from "node:path";

const result = await build({
  entryPoints: { main: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true, // commands import their heavy parts lazily; each becomes its own chunk
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["esbuild", "@bytecodealliance/jco-transpile"], // commander is bundled: one less CommonJS module to parse at start-up
  sourcemap: "external", // no sourceMappingURL comment: Node would spend ms looking at it on every start
  metafile: true,
  // the bundled CommonJS (commander) requires Node's built-ins: give ESM chunks a require()
  banner: { js: 'import { createRequire as __sysemuRequire } from "node:module"; const require = __sysemuRequire(import.meta.url);' },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});

// Chunk names carry content hashes: drop the ones this build no longer produced. (Done after
// the build, not before, so that a run using the previous dist/ keeps working meanwhile.)
const keep = new Set(Object.keys(result.metafile.outputs).map((f) => basename(f)));
for (const f of readdirSync("dist")) if (!keep.has(f)) rmSync(`dist/${f}`, { force: true });
