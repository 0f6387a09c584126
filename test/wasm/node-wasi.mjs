// Runs a WASI preview1 module under Node's own node:wasi, as the reference the end-to-end tests
// compare sysemu with: `node node-wasi.mjs MODULE [--preopen GUEST=HOST]... [ARGS...]`.
// The environment is the process's; the exit status is the module's.
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

const argv = process.argv.slice(2);
const file = argv.shift();
const preopens = {};
while (argv[0] === "--preopen") {
  argv.shift();
  const [guest, host] = argv.shift().split("=");
  preopens[guest] = host;
}
const wasi = new WASI({ version: "preview1", args: [file, ...argv], env: process.env, preopens, returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(file)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
