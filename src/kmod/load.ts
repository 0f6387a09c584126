// `sysemu run --kernel-patch FILE`: a student's kernel patch, compiled and put into this run's
// system call table at the numbers it gives its calls (the patched kernel's own table: it
// replaces what sysemu has there, sys_hello2 included).

import { readFileSync } from "node:fs";
import type { TableEntry } from "../../syscalls/table.ts";
import { compileKernelPatch, KmodError } from "./compile.ts";
import { kmodSyscalls, type KmodLimits } from "./module.ts";

/** The built-ins a student's patch may replace without a warning: the assignment's own calls. */
const ASSIGNMENT_CALLS = new Set(["hello", "hello2"]);

/** Compiles each patch and adds its calls to `table`; returns warnings for the user. Throws KmodError. */
export async function addKernelPatches(table: Map<number, TableEntry>, files: string[], limits: KmodLimits = {}): Promise<string[]> {
  const warnings: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new KmodError(`${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    let mod;
    try {
      mod = await compileKernelPatch(text, { arch: "riscv64", fallbackNumbers: { hello: 400, hello2: 401 } });
    } catch (e) {
      if (e instanceof KmodError) throw new KmodError(`${file}: ${e.message}`);
      throw e;
    }
    warnings.push(...mod.warnings.map((w) => `${file}: ${w}`));
    for (const c of kmodSyscalls(mod, { ...limits, origin: file })) {
      const taken = table.get(c.nr);
      if (taken && taken.abi === "kmod") throw new KmodError(`${file}: sys_${c.name} wants number ${c.nr}, which is sys_${taken.name} from ${taken.origin}`);
      if (taken && !ASSIGNMENT_CALLS.has(taken.name)) warnings.push(`${file}: sys_${c.name} replaces ${taken.name} (${c.nr}) of sysemu's table`);
      table.set(c.nr, { nr: c.nr, abi: "kmod", name: c.name, entry: `sys_${c.name}`, def: c, origin: file });
    }
  }
  return warnings;
}
