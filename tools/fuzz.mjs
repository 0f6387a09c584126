#!/usr/bin/env node
// fuzz.mjs - `npm run fuzz [-- --seed N --count M --elf M --wasi M --syscalls M]`.
// Bundles test/fuzz/main.ts (esbuild, as tools/build.mjs bundles the CLI) and runs it in a
// worker process whose stdout, where the fuzzed guests write, is /dev/null; its reports come
// on fd 3. A worker making no progress for 120 s is a hang: killed and reported with the case.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "sysemu-fuzz-"));
const bundle = join(out, "fuzz.cjs");
await build({
  entryPoints: [join(ROOT, "test/fuzz/main.ts")], outfile: bundle, bundle: true, format: "cjs", platform: "node",
  target: "node20", external: ["esbuild", "@bytecodealliance/jco-transpile"], logLevel: "warning",
  define: { "import.meta.url": "__fuzzRootUrl" }, banner: { js: `const __fuzzRootUrl = ${JSON.stringify(`file://${ROOT}/test/fuzz/x.ts`)};` },
});
const child = spawn(process.execPath, [bundle, ...process.argv.slice(2)], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe", "pipe"] });
let last = "start", stderr = "", buf = "", timer;
const HANG_MS = 120_000;
const arm = () => { clearTimeout(timer); timer = setTimeout(() => { console.log(`FINDING hang: no progress for ${HANG_MS / 1000} s after case ${last}`); child.kill("SIGKILL"); }, HANG_MS); };
arm();
child.stderr.on("data", (d) => { stderr = (stderr + d).slice(-8192); });
child.stdio[3].on("data", (d) => {
  arm();
  buf += d;
  const lines = buf.split("\n");
  buf = lines.pop();
  for (const l of lines) if (l.startsWith("#")) last = l.slice(1); else console.log(l);
});
child.on("exit", (code, sig) => {
  clearTimeout(timer);
  rmSync(out, { recursive: true, force: true });
  if (code !== 0 && code !== 1) console.log(`fuzz: the worker ended with ${sig ?? `status ${code}`} at case ${last}\n${stderr.trim()}`);
  process.exit(code === 0 ? 0 : 1);
});
