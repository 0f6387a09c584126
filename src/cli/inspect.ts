// The inspectors: `auxv`, `stack` and `vdso` show what exec builds, from the same code that
// `run` uses, so what they print is what a program gets.

import { writeFileSync } from "node:fs";
import { readDynamicSymbols, parseElf } from "../elf/index.ts";
import { KernelRandom } from "../kernel/random.ts";
import { auxvTypeName } from "../loader/auxv-types.ts";
import type { ExecResult } from "../loader/exec.ts";
import { auxvToJson, formatAuxv, type GlibcFlavor } from "../loader/show-auxv.ts";
import type { StackItem } from "../loader/stack.ts";
import { vdsoImage } from "../vdso/image.ts";
import { CliError, EXIT_USAGE } from "../util/errors.ts";
import { execProgram, guestString, type ExecOptions } from "./program.ts";

interface InspectOptions extends ExecOptions {
  json?: boolean;
  glibc?: string;
  seed?: number;
}

function load(prog: string, args: string[], opts: InspectOptions): Promise<ExecResult> {
  return execProgram(prog, args, opts, new KernelRandom(opts.seed));
}

/** `sysemu auxv PROG`: the auxv in LD_SHOW_AUXV's format (or JSON). */
export async function auxvCommand(prog: string, args: string[], opts: InspectOptions): Promise<number> {
  if (opts.glibc !== "2.36" && opts.glibc !== "later") throw new CliError(null, `--glibc must be '2.36' or 'later', not '${opts.glibc}'`, EXIT_USAGE);
  const r = await load(prog, args, opts);
  const read = (a: bigint) => guestString(r.mm, a);
  if (opts.json) process.stdout.write(JSON.stringify(auxvToJson(r.stack.auxv, read), null, 2) + "\n");
  else process.stdout.write(formatAuxv(r.stack.auxv, read, opts.glibc as GlibcFlavor));
  return 0;
}

/** `sysemu stack PROG`: the initial stack from sp upward: address, raw value, meaning. */
export async function stackCommand(prog: string, args: string[], opts: InspectOptions): Promise<number> {
  const r = await load(prog, args, opts);
  const { items, sp } = r.stack;
  if (opts.json) {
    const json = items.map((it) => ({ ...it, value: it.value?.toString(), hex: "0x" + it.addr.toString(16) }));
    process.stdout.write(JSON.stringify({ sp: "0x" + sp.toString(16), items: json }, null, 2) + "\n");
    return 0;
  }
  const lines = [`${"".padEnd(4)}${"address".padEnd(14)}  ${"content".padEnd(18)}  meaning`];
  for (const it of items) lines.push(...describe(it, sp, r));
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

function hex(n: number | bigint, width = 0): string {
  return "0x" + n.toString(16).padStart(width, "0");
}

function describe(it: StackItem, sp: number, r: ExecResult): string[] {
  const mark = it.addr === sp ? "sp->" : "    ";
  const row = (content: string, meaning: string) => `${mark}${hex(it.addr).padEnd(14)}  ${content.padEnd(18)}  ${meaning}`;
  const word = it.value !== undefined ? hex(it.value, 16) : "";
  const target = (v: bigint | undefined) => r.stack.items.find((s) => v !== undefined && s.addr === Number(v) && s.text !== undefined);
  switch (it.kind) {
    case "argc": return [row(word, `argc = ${it.value}`)];
    case "argv": return [row(word, `argv[${it.index}] -> ${JSON.stringify(target(it.value)?.text ?? "?")}`)];
    case "envp": return [row(word, `envp[${it.index}] -> ${JSON.stringify(target(it.value)?.text ?? "?")}`)];
    case "null": return [row(word, `NULL (${it.text})`)];
    case "auxv": {
      const name = it.auxvType === 0 ? "AT_NULL (end of auxv)" : `AT_${auxvTypeName(it.auxvType!) ?? "???"} (${it.auxvType})`;
      return [row(hex(it.auxvType!, 16), `auxv type ${name}`), `    ${hex(it.addr + 8).padEnd(14)}  ${word.padEnd(18)}  auxv value ${auxvValue(it, r)}`];
    }
    case "padding": return [row("00 x " + it.size, `padding to 16-byte alignment (${it.size} bytes)`)];
    case "random": return [row(Buffer.from(r.mm.peek(it.addr, 16)).toString("hex").slice(0, 16) + "..", "AT_RANDOM: 16 random bytes")];
    case "argv-string": return [row(`${it.size} bytes`, `argv[${it.index}] string ${JSON.stringify(it.text)}`)];
    case "envp-string": return [row(`${it.size} bytes`, `envp[${it.index}] string ${JSON.stringify(it.text)}`)];
    case "execfn": return [row(`${it.size} bytes`, `AT_EXECFN string ${JSON.stringify(it.text)}`)];
    case "platform": return [row(`${it.size} bytes`, `AT_PLATFORM string ${JSON.stringify(it.text)}`)];
    case "end-marker": return [row(word, `end of stack (top ${hex(it.addr + 8)})`)];
  }
}

function auxvValue(it: StackItem, r: ExecResult): string {
  const v = it.value!;
  const s = r.stack.items.find((x) => x.addr === Number(v) && x.text !== undefined);
  return s ? `-> ${JSON.stringify(s.text)}` : v > 0xffffn ? hex(v) : v.toString();
}

/** `sysemu vdso`: the vDSO's exported symbols, or the image itself with --dump FILE. */
export async function vdsoCommand(opts: { dump?: string; json?: boolean; arch?: string }): Promise<number> {
  const arch = opts.arch ?? "riscv64";
  if (arch !== "riscv64" && arch !== "x86_64") throw new CliError(null, `--arch must be 'riscv64' or 'x86_64', not '${arch}'`, EXIT_USAGE);
  const img = arch === "x86_64" ? (await import("../vdso/x86_64/image.ts")).x86_64VdsoImage() : vdsoImage();
  if (opts.dump) {
    writeFileSync(opts.dump, img.bytes);
    process.stderr.write(`sysemu: wrote the vDSO image (${img.bytes.length} bytes) to ${opts.dump}\n`);
    return 0;
  }
  const syms = readDynamicSymbols(parseElf(img.bytes)).filter((s) => s.name !== "");
  if (opts.json) {
    process.stdout.write(JSON.stringify(syms.map((s) => ({ name: s.name, version: s.version, offset: hex(s.value), size: Number(s.size) })), null, 2) + "\n");
    return 0;
  }
  const lines = [`linux-vdso.so.1: ${img.bytes.length} bytes, mapped at AT_SYSINFO_EHDR (see \`sysemu auxv PROG\`), [vvar] just below it`, "", `${"offset".padEnd(10)}${"size".padEnd(6)}symbol`];
  for (const s of syms) {
    const ver = s.version ? (s.versionHidden ? "@" : "@@") + s.version : "";
    lines.push(`${hex(s.value).padEnd(10)}${String(s.size).padEnd(6)}${s.name}${ver}`);
  }
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
