// Runs a static x86-64 ELF on X86Cpu with test/cpu-x86/smoke.ts's tiny syscall shim and
// reports output, exit status, retired instructions and MIPS.
//
//   node tools/x86-smoke.mjs ./a.out [args...]
//
// The sources are bundled with esbuild first (the const enums are inlined, as in dist/).

import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "x86-smoke-"));
const entry = join(tmp, "entry.ts");
writeFileSync(entry, `export { loadStatic, runStatic } from ${JSON.stringify(join(root, "test/cpu-x86/smoke.ts"))};`);
const out = join(tmp, "smoke.mjs");
await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", target: "node20", outfile: out, logLevel: "error" });
const { loadStatic, runStatic } = await import(pathToFileURL(out).href);
rmSync(tmp, { recursive: true, force: true });

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error("usage: node tools/x86-smoke.mjs ELF [args...]");
  process.exit(2);
}
const cpu = loadStatic(readFileSync(file), [file, ...args]);
const t0 = process.cpuUsage();
const r = runStatic(cpu, Number(process.env.MAX_INSNS ?? 2e10), 1_000_000, Number(process.env.X86_TRACE ?? 0));
const t = process.cpuUsage(t0);
const secs = (t.user + t.system) / 1e6;
process.stdout.write(r.stdout);
console.error(`exit ${r.exitCode}${r.stop ? ` (${r.stop})` : ""}; ${r.instret} instructions in ${secs.toFixed(2)} s = ${(r.instret / secs / 1e6).toFixed(1)} MIPS; syscalls ${r.syscalls.join(",")}`);
process.exit(r.stop ? 1 : r.exitCode);
