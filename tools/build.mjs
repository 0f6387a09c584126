// Bundles the CLI into dist/ with esbuild. Type checking is separate (tsc --noEmit):
// esbuild only strips types, which keeps a rebuild well under a second.
import { build } from "esbuild";

await build({
  entryPoints: { main: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true, // commands import their heavy parts lazily; each becomes its own chunk
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
