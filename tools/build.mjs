// Bundles the CLI into one CommonJS file, dist/sysemu.cjs, with esbuild. Type checking is
// separate (tsc --noEmit): esbuild only strips types, which keeps a rebuild under a second.
// One CommonJS file, not ES modules, because bin/sysemu compiles it through vm.Script with a V8
// code cache (dist/sysemu.cjs.cache): Node 20 has no code cache for ES modules, and compiling
// the bundle was the biggest part of start-up (measured with --cpu-prof).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { genFamilies } from "./gen-families.mjs";

genFamilies(); // a new syscalls/*.ts family joins the table without editing a list

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/sysemu.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["esbuild", "@bytecodealliance/jco-transpile"], // loaded lazily, only when needed
  alias: { "node:child_process": "./tools/lazy-child-process.cjs" },
  sourcemap: "external", // no sourceMappingURL comment: Node would look it up on every start
  minifyWhitespace: true,
  minifySyntax: true, // names are kept: oops traces stay readable
  logLevel: "warning",
});

// The bundle is stored already wrapped as a CommonJS module function, so bin/sysemu hands the
// file's text to vm.Script as it is: wrapping it at start-up made a second 0.5 MB string, enough
// young-generation garbage to cost a scavenge.
// The wrapper takes a line of its own, so the source map gains one empty line in front.
const bundle = readFileSync("dist/sysemu.cjs", "utf8");
writeFileSync("dist/sysemu.cjs", `(function (exports, require, module, __filename, __dirname) {\n${bundle}\n});`);
const map = JSON.parse(readFileSync("dist/sysemu.cjs.map", "utf8"));
map.mappings = `;${map.mappings}`;
writeFileSync("dist/sysemu.cjs.map", JSON.stringify(map));

// Leftovers of older layouts (ES module chunks) and the code cache of the previous bundle.
for (const f of readdirSync("dist")) if (f !== "sysemu.cjs" && f !== "sysemu.cjs.map") rmSync(`dist/${f}`, { force: true });

// Warm the code cache (see bin/sysemu) with the two kinds of guest, so a first run starts fast.
for (const prog of ["samples/riscv64/hello_asm", "samples/wasm/hello.wasm"]) {
  spawnSync(process.execPath, ["bin/sysemu", "run", prog], { stdio: "ignore", timeout: 30_000 });
}
